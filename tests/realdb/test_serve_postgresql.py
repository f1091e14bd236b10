"""`mo-docs serve` on PostgreSQL as a deployment runs it: gunicorn forks its worker
processes from one that has already used the database (the schema check at start), and
each must open connections of its own — two processes talking over one connection mix
up each other's answers (ResourceClosedError, answers to the other's query: 500s, or
worse, another request's rows)."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.browser.live import LiveService, free_port, settings_for
from tests.factories import association

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]


def test_the_web_processes_never_share_a_database_connection(pg_url, tmp_path):
    instance = tmp_path / "instance"
    service = LiveService(instance, settings_for(instance, free_port(), DATABASE_URL=pg_url, DEMO=False))
    ws = service.app().extensions["workspace"]
    folder = tmp_path / "books"
    folder.mkdir()
    slugs = []
    for n in range(3):
        book = association("zdvinsky-mmo")
        book.info["Краткое наименование"] = f"ММО математиков {n + 1}"
        slugs.append(ws.add_association(str(book.save(folder / f"m{n}.xlsx")), "тест").slug)
    ws.engine.dispose()
    token = service.admin_token()

    def get(path: str) -> tuple[int, object]:
        req = urllib.request.Request(f"{service.url}/api/v1{path}", headers={"Authorization": f"Bearer {token}"})
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as err:
            return err.code, err.read()[:300]
        except OSError as err:                             # no answer at all: the processes hang on one socket
            return 0, repr(err)

    paths = [f"/associations/{slugs[i % 3]}" if i % 2 else "/associations" for i in range(240)]
    with service.start(worker=False):
        with ThreadPoolExecutor(max_workers=16) as pool:
            answers = list(pool.map(get, paths))
    failed = [(p, a) for p, a in zip(paths, answers) if a[0] != 200]
    assert not failed, f"{len(failed)} of {len(paths)} failed, e.g. {failed[:3]}\n{service.log_text(80)}"
    for path, (_status, body) in zip(paths, answers):              # each request got its own rows
        if path == "/associations":
            assert sorted(a["slug"] for a in body["associations"]) == sorted(slugs)
        else:
            assert body["slug"] == path.rsplit("/", 1)[1]
