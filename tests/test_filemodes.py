"""Files the service writes are its own: after an upload, a check, a generated document, a
queued job and a sent invitation, every file in the instance is 0600 and every folder
0700 — members' birth dates and phones are in them (152-ФЗ)."""
from __future__ import annotations

import os
import stat
from pathlib import Path

from service import create_app
from tests.accounts.factories import signed_in_client
from tests.factories import association
from tests.web.helpers import csrf_token, upload


def test_everything_the_service_writes_is_private(tmp_path):
    old = os.umask(0o022)                           # a typical login shell's umask
    try:
        instance = tmp_path / "instance"
        instance.mkdir(mode=0o755)                  # made by an older release, world-readable
        app = create_app({"INSTANCE": str(instance), "TESTING": True, "SECRET_KEY": "k",
                          "QUEUE_URL": f"sqlite:///{instance / 'queue.sqlite'}"})
        client = signed_in_client(app)
        r = upload(client, association().save(tmp_path / "b.xlsx").read_bytes(), "Книга.xlsx")
        slug = r.headers["Location"].rsplit("/", 1)[1]
        ws = app.extensions["workspace"]
        from service.documents import Request
        a = ws.association(slug)
        ws.generate(a.id, Request("work-plan"), "тест")                         # documents
        client.post(f"/a/{slug}/check", data={"csrf_token": csrf_token(client, f"/a/{slug}")})   # the queue
        client.post("/admin/accounts", data={"csrf_token": csrf_token(client, "/admin/accounts"),
                                             "email": "n@mo.example", "role": "member"})       # the outbox
    finally:
        os.umask(old)
    kinds = {"workbooks": 0, "documents": 0, "outbox": 0, "sqlite": 0}
    wrong = []
    for path in [instance, *instance.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        if path.is_dir():
            if mode != 0o700:
                wrong.append(f"{oct(mode)} {path}")
        elif mode != 0o600:
            wrong.append(f"{oct(mode)} {path}")
        for kind in kinds:
            if kind in str(path.relative_to(instance)) and path.is_file():
                kinds[kind] += 1
    assert wrong == []
    assert all(kinds.values()), kinds                                              # each kind was really written
    assert (Path(app.config["OUTBOX_DIR"])).is_dir()
