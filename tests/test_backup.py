"""A backup and a restore as docs/deploy.md tells an administrator to make them: the
instance is lost, restored from the copy, and the same person signs in and downloads the
same document; a restore never writes over data."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from service import create_app
from service.accounts import directory
from service.documents import Request
from tests.accounts.factories import make_account, signed_in_client
from tests.factories import association

REPO = Path(__file__).resolve().parents[1]
PASSWORD = "пароль администратора 1"


def mo_docs(env, *args):
    return subprocess.run([sys.executable, "-m", "service.cli", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=300)


def populate(instance: Path, **settings):
    app = create_app({"INSTANCE": str(instance), "SECRET_KEY": "backup-test", "QUEUE_URL": "memory://",
                      "TESTING": True, **settings})
    ws = app.extensions["workspace"]
    folder = Path(ws.settings["WORKBOOKS_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    a = ws.add_association(str(association().save(folder / "b.xlsx")), "тест")
    ws.generate(a.id, Request("work-plan"), "тест")
    make_account(ws.sf, "admin", email="admin@mo.example", password=PASSWORD)
    [doc] = ws.documents(a)
    content = Path(doc.location).read_bytes()
    ws.engine.dispose()
    return a.slug, doc.id, content


def check_restored(instance: Path, slug: str, doc_id: int, content: bytes, **settings):
    app = create_app({"INSTANCE": str(instance), "SECRET_KEY": "backup-test", "QUEUE_URL": "memory://",
                      "TESTING": True, **settings})
    ws = app.extensions["workspace"]
    assert directory.authenticate(ws.sf, "admin@mo.example", PASSWORD) is not None
    client = signed_in_client(app)
    r = client.get(f"/a/{slug}/documents/{doc_id}")
    assert r.status_code == 200 and r.data == content
    assert client.get(f"/a/{slug}").status_code == 200
    ws.engine.dispose()


def test_sqlite_round_trip_through_the_cli(tmp_path):
    instance = tmp_path / "instance"
    slug, doc_id, content = populate(instance)
    env = {"PATH": "/usr/bin:/bin", "MO_DOCS_INSTANCE": str(instance)}
    copy = tmp_path / "backup-2025-06-01"
    r = mo_docs(env, "backup", str(copy))
    assert r.returncode == 0, r.stderr
    assert "Резервная копия записана" in r.stdout and "associations: 1" in r.stdout
    assert sorted(p.name for p in copy.iterdir()) == ["database.sqlite", "files.tar", "manifest.json"]
    assert mo_docs(env, "backup", str(copy)).returncode == 2                        # never over a copy
    r = mo_docs(env, "restore", str(copy))
    assert r.returncode == 2 and "ничего не перезаписывает" in r.stderr                # the instance is not empty
    shutil.rmtree(instance)                                                       # the disk is lost
    r = mo_docs(env, "restore", str(copy))
    assert r.returncode == 0, r.stderr
    check_restored(instance, slug, doc_id, content)


def test_a_restore_into_other_folders_is_refused(tmp_path):
    instance = tmp_path / "instance"
    populate(instance)
    copy = tmp_path / "copy"
    assert mo_docs({"PATH": "/usr/bin:/bin", "MO_DOCS_INSTANCE": str(instance)}, "backup", str(copy)).returncode == 0
    r = mo_docs({"PATH": "/usr/bin:/bin", "MO_DOCS_INSTANCE": str(tmp_path / "elsewhere")}, "restore", str(copy))
    assert r.returncode == 2 and "полные пути" in r.stderr
    r = mo_docs({"PATH": "/usr/bin:/bin", "MO_DOCS_INSTANCE": str(instance)}, "restore", str(tmp_path))
    assert r.returncode == 2 and "не резервная копия" in r.stderr
