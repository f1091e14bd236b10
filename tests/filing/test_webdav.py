"""Filing to a real WebDAV server (WsgiDAV on 127.0.0.1, tests/support/webdav_server.py):
the filer contract, then the bad days — no space (507), a locked file (423), a slow
server, a wrong password, a server that is down — each ending in one Russian sentence
with a stable code, the previous document intact and no half-written file left."""
from __future__ import annotations

from pathlib import Path

import pytest

from service.db import make_engine
from service.filing.base import FilingError
from service.filing.registry import Registry
from service.filing.remote import RemoteHttp
from service.filing.webdav import WebDavFiler, WebDavStore
from service.retry import RetryPolicy
from tests.filing.contract import FOLDER, KEY, NAME, FilerContract, FolderView
from tests.support.webdav_server import PASSWORD, USER


def make_filer(url: str, tmp_path: Path, *, password: str = PASSWORD, timeout: float = 10.0, sleeps=None,
               attempts: int = 3) -> WebDavFiler:
    http = RemoteHttp("127.0.0.1", timeout=timeout, connect_timeout=2.0,
                      policy=RetryPolicy(max_attempts=attempts, base_delay=0.01, max_delay=0.05, max_total=20.0),
                      sleep=(sleeps.append if sleeps is not None else (lambda s: None)))
    store = WebDavStore(url, username=USER, password=password, http=http)
    registry = Registry(make_engine(f"sqlite:///{tmp_path / 'registry.sqlite'}"))
    return WebDavFiler(store, registry)


class TestWebDavContract(FilerContract):
    @pytest.fixture
    def filer(self, webdav, tmp_path):
        return make_filer(webdav.url, tmp_path)

    @pytest.fixture
    def storage(self, webdav):
        return FolderView(webdav.root, secret=PASSWORD)


def part_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(".part")]


def test_locations_name_the_server_without_credentials_and_links_open_the_file(webdav, tmp_path):
    filer = make_filer(webdav.url, tmp_path)
    filed = filer.file(KEY, NAME, b"v1", "s")
    assert filed.location == f"{webdav.filing_url}/{FOLDER}/{NAME}"
    import requests
    got = requests.get(filed.url, auth=(USER.encode(), PASSWORD.encode()), timeout=10)
    assert got.status_code == 200 and got.content == b"v1"
    assert filer.title == "хранилище документов 127.0.0.1 (WebDAV)"


def test_no_space_on_the_server(webdav, tmp_path):
    filer = make_filer(webdav.url, tmp_path)
    filer.file(KEY, NAME, b"v1", "s1")
    webdav.faults.add(507, method="PUT")
    with pytest.raises(FilingError) as info:
        filer.file(KEY, NAME, b"v2", "s2")
    err = info.value
    assert err.code == "filing.no_space" and not err.transient and err.status == 507
    assert err.message.startswith("В хранилище документов (127.0.0.1) закончилось место: документ не сохранён.")
    assert (webdav.root / FOLDER / NAME).read_bytes() == b"v1"            # the old document is intact
    assert part_files(webdav.root) == [] and len(filer.versions(KEY)) == 1


def test_a_locked_document(webdav, tmp_path):
    filer = make_filer(webdav.url, tmp_path)
    filer.file(KEY, NAME, b"v1", "s1")
    webdav.faults.add(423, method="MOVE", times=10)                          # locked for longer than retries last
    with pytest.raises(FilingError) as info:
        filer.file(KEY, NAME, b"v2", "s2")
    err = info.value
    assert err.code == "filing.locked" and err.transient
    assert f"Файл «{NAME}»" in err.message and "Закройте его" in err.message
    assert (webdav.root / FOLDER / NAME).read_bytes() == b"v1"
    assert part_files(webdav.root) == [] and len(filer.versions(KEY)) == 1


def test_a_lock_that_passes_is_waited_out(webdav, tmp_path):
    sleeps = []
    filer = make_filer(webdav.url, tmp_path, sleeps=sleeps)
    filer.file(KEY, NAME, b"v1", "s1")
    webdav.faults.add(423, method="MOVE", times=1)
    filed = filer.file(KEY, NAME, b"v2", "s2")
    assert filed.version == 2 and (webdav.root / FOLDER / NAME).read_bytes() == b"v2" and len(sleeps) == 1


def test_a_busy_server_is_retried_as_it_asks(webdav, tmp_path):
    sleeps = []
    filer = make_filer(webdav.url, tmp_path, sleeps=sleeps)
    webdav.faults.add(503, method="PUT", times=2, headers={"Retry-After": "3"})
    filed = filer.file(KEY, NAME, b"v1", "s1")
    assert filed.version == 1 and len(sleeps) == 2 and all(s >= 3 for s in sleeps)


def test_a_slow_answer_is_waited_for_or_retried(webdav, tmp_path):
    filer = make_filer(webdav.url, tmp_path, timeout=0.5)
    webdav.faults.add(delay=0.2, method="PUT")                               # slow, within the timeout
    assert filer.file(KEY, NAME, b"v1", "s1").version == 1
    webdav.faults.add(delay=1.0, method="PUT")                               # too slow once: the PUT is repeated
    assert filer.file(KEY, NAME, b"v2", "s2").version == 2
    assert (webdav.root / FOLDER / NAME).read_bytes() == b"v2"


def test_a_server_too_slow_every_time(webdav, tmp_path):
    filer = make_filer(webdav.url, tmp_path, timeout=0.3, attempts=2)
    filer.file(KEY, NAME, b"v1", "s1")
    webdav.faults.add(delay=0.8, method="GET", times=10)                     # the unchanged-content check
    with pytest.raises(FilingError) as info:
        filer.file(KEY, NAME, b"v1", "s1")
    assert info.value.code == "filing.timeout" and info.value.transient
    assert info.value.message == "Хранилище документов (127.0.0.1) не ответило за 0,3 с. Попробуйте позже."


def test_a_wrong_password(webdav, tmp_path):
    filer = make_filer(webdav.url, tmp_path, password="wrong-Пароль")
    with pytest.raises(FilingError) as info:
        filer.file(KEY, NAME, b"v1", "s1")
    err = info.value
    assert err.code == "filing.auth" and not err.transient and err.status == 401
    assert "MO_DOCS_WEBDAV_PASSWORD" in err.message and "wrong-Пароль" not in err.message
    assert filer.versions(KEY) == []


def test_a_server_that_is_down(tmp_path):
    import socket

    with socket.socket() as s:                                              # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    filer = make_filer(f"http://127.0.0.1:{port}/remote.php/dav/files/{USER}", tmp_path)
    with pytest.raises(FilingError) as info:
        filer.file(KEY, NAME, b"v1", "s1")
    assert info.value.code == "filing.unreachable" and info.value.transient
    assert info.value.message.startswith("Нет связи с хранилищем документов (127.0.0.1).")


def test_a_folder_that_does_not_exist_on_the_server(webdav, tmp_path):
    filer = make_filer(webdav.url + "/Нет такой/папки", tmp_path)
    with pytest.raises(FilingError) as info:
        filer.file(KEY, NAME, b"v1", "s1")
    assert info.value.code == "filing.not_found" and "MO_DOCS_FILING_URL" in info.value.message


def test_no_rights_to_write(webdav, tmp_path):
    filer = make_filer(webdav.url, tmp_path)
    webdav.faults.add(403, method="MKCOL")
    with pytest.raises(FilingError) as info:
        filer.file(KEY, NAME, b"v1", "s1")
    assert info.value.code == "filing.forbidden" and "право на запись" in info.value.message


def test_a_folder_deleted_behind_the_services_back_is_made_again(webdav, tmp_path):
    import shutil

    filer = make_filer(webdav.url, tmp_path)
    filer.file(KEY, NAME, b"v1", "s1")
    shutil.rmtree(webdav.root / "ММО математиков")
    filed = filer.file(KEY, NAME, b"v2", "s2")
    assert (webdav.root / FOLDER / NAME).read_bytes() == b"v2" and filed.version == 2
