"""The backup and restore of docs/deploy.md on a real PostgreSQL server: pg_dump of the
service's database, the instance lost, pg_restore into a new empty database, the same
person signs in and downloads the same document."""
from __future__ import annotations

import shutil
import subprocess
import sys

from tests.test_backup import REPO, check_restored, populate


def test_postgresql_round_trip(tmp_path, postgres_server, pg_url):
    instance = tmp_path / "instance"
    slug, doc_id, content = populate(instance, DATABASE_URL=pg_url)
    env = {"PATH": "/usr/bin:/bin", "MO_DOCS_INSTANCE": str(instance), "MO_DOCS_DATABASE_URL": pg_url}
    copy = tmp_path / "copy"
    r = subprocess.run([sys.executable, "-m", "service.cli", "backup", str(copy)], cwd=REPO, env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert (copy / "database.dump").read_bytes()[:5] == b"PGDMP"
    shutil.rmtree(instance)
    fresh = postgres_server.create_database("restored_" + pg_url.rsplit("/", 1)[1][:40])
    env["MO_DOCS_DATABASE_URL"] = fresh
    r = subprocess.run([sys.executable, "-m", "service.cli", "restore", str(copy)], cwd=REPO, env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    check_restored(instance, slug, doc_id, content, DATABASE_URL=fresh)
    r = subprocess.run([sys.executable, "-m", "service.cli", "restore", str(copy)], cwd=REPO, env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 2                                   # a second restore would write over data
