"""Filing to Yandex Disk, offline: its REST API in memory behind `responses`
(tests/support/fake_yadisk.py, payloads shaped as Yandex documents them).  The filer
contract, the API's own steps (upload address then PUT, folders made top-down,
asynchronous copies), and its failures in Russian."""
from __future__ import annotations

import pytest
import responses as responses_lib

from service.db import make_engine
from service.filing.base import FilingError
from service.filing.registry import Registry
from service.filing.remote import RemoteHttp
from service.filing.yadisk import YandexDiskFiler, YandexDiskStore
from service.retry import RetryPolicy
from tests.filing.contract import FOLDER, KEY, NAME, FilerContract
from tests.support.fake_yadisk import API, FakeYandexDisk

TOKEN = "y0_AgAAAAB-test-token"
ROOT = "Документы МО"


class DiskView:
    secret = TOKEN

    def __init__(self, disk: FakeYandexDisk):
        self.disk = disk

    def listing(self, folder: str):
        path = f"disk:/{ROOT}/{folder}"
        if path not in self.disk.folders:
            return None
        return self.disk.listing(path)

    def paths(self):
        prefix = f"disk:/{ROOT}/"
        return {p[len(prefix):] for p in self.disk.files if p.startswith(prefix)}


@pytest.fixture
def rsps():
    with responses_lib.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def make_filer(tmp_path, *, token: str = TOKEN, sleeps=None) -> YandexDiskFiler:
    http = RemoteHttp("Яндекс Диск", policy=RetryPolicy(max_attempts=3, base_delay=0.01, max_total=20.0),
                      sleep=(sleeps.append if sleeps is not None else (lambda s: None)))
    store = YandexDiskStore(ROOT, token, http=http, sleep=lambda s: None)
    return YandexDiskFiler(store, Registry(make_engine(f"sqlite:///{tmp_path / 'registry.sqlite'}")))


class TestYandexDiskContract(FilerContract):
    @pytest.fixture
    def disk(self, rsps):
        disk = FakeYandexDisk(TOKEN).install(rsps)
        disk.folders.add(f"disk:/{ROOT}")
        return disk

    @pytest.fixture
    def filer(self, disk, tmp_path):
        return make_filer(tmp_path)

    @pytest.fixture
    def storage(self, disk):
        return DiskView(disk)


class TestYandexDiskAsyncOperations(TestYandexDiskContract):
    """The same promises when Disk copies and moves in the background (202 + operation)."""

    @pytest.fixture
    def disk(self, rsps):
        disk = FakeYandexDisk(TOKEN, async_operations=True).install(rsps)
        disk.folders.add(f"disk:/{ROOT}")
        return disk


@pytest.fixture
def disk(rsps):
    disk = FakeYandexDisk(TOKEN).install(rsps)
    disk.folders.add(f"disk:/{ROOT}")
    return disk


def test_folders_are_made_top_down_once_and_files_go_through_an_upload_address(disk, tmp_path):
    filer = make_filer(tmp_path)
    filed = filer.file(KEY, NAME, b"v1", "s1")
    assert filed.location == f"yadisk://{ROOT}/{FOLDER}/{NAME}"
    assert disk.calls == [
        ("PUT", "/resources"), ("PUT", "/resources"), ("PUT", "/resources"), ("PUT", "/resources"),
        ("GET", "/resources"),                                  # is the name free?
        ("GET", "/resources/upload"), ("PUT", "uploader")]
    disk.calls.clear()
    filer.file(KEY, NAME, b"v1", "s1")
    assert disk.calls == [("GET", "/resources")]                 # unchanged: the sha256 in the metadata says so
    assert filed.url.startswith("https://disk.yandex.ru/client/disk/")


def test_the_upload_asks_to_overwrite_and_goes_without_the_token(disk, rsps, tmp_path):
    filer = make_filer(tmp_path)
    filer.file(KEY, NAME, b"v1", "s1")
    upload_url = next(c.request for c in rsps.calls if "/resources/upload" in c.request.url)
    assert "overwrite=true" in upload_url.url and upload_url.headers["Authorization"] == f"OAuth {TOKEN}"
    put = next(c.request for c in rsps.calls if "upload-target" in c.request.url)
    assert "Authorization" not in put.headers and put.body == b"v1"


def test_no_space_on_the_disk(disk, tmp_path):
    filer = make_filer(tmp_path)
    filer.file(KEY, NAME, b"v1", "s1")
    disk.faults.add(507, method="PUT", path="upload-target")
    with pytest.raises(FilingError) as info:
        filer.file(KEY, NAME, b"v2", "s2")
    err = info.value
    assert err.code == "filing.no_space" and err.status == 507 and not err.transient
    assert err.message.startswith("В хранилище документов (Яндекс Диск) закончилось место")
    assert disk.files[f"disk:/{ROOT}/{FOLDER}/{NAME}"] == b"v1" and len(filer.versions(KEY)) == 1


def test_a_revoked_token(disk, tmp_path):
    filer = make_filer(tmp_path, token="y0_revoked")
    with pytest.raises(FilingError) as info:
        filer.file(KEY, NAME, b"v1", "s1")
    err = info.value
    assert err.code == "filing.auth" and "MO_DOCS_YADISK_TOKEN" in err.message and "y0_revoked" not in err.message


def test_a_locked_resource_and_too_many_requests_are_retried(disk, tmp_path):
    sleeps = []
    filer = make_filer(tmp_path, sleeps=sleeps)
    disk.faults.add(429, method="GET", path="/resources/upload", headers={"Retry-After": "2"})
    disk.faults.add(423, method="PUT", path="upload-target")
    assert filer.file(KEY, NAME, b"v1", "s1").version == 1
    assert len(sleeps) == 2 and sleeps[0] >= 2


def test_a_resource_locked_for_long(disk, tmp_path):
    filer = make_filer(tmp_path)
    filer.file(KEY, NAME, b"v1", "s1")
    disk.faults.add(423, method="POST", path="/resources/copy", times=10)
    with pytest.raises(FilingError) as info:
        filer.file(KEY, NAME, b"v2", "s2")
    assert info.value.code == "filing.locked" and info.value.transient
    assert disk.files[f"disk:/{ROOT}/{FOLDER}/{NAME}"] == b"v1"


def test_a_disk_folder_that_is_gone(rsps, tmp_path):
    FakeYandexDisk(TOKEN).install(rsps)                        # no «Документы МО» on this disk
    filer = make_filer(tmp_path)
    # the service makes its root folder too: a new disk works at once
    assert filer.file(KEY, NAME, b"v1", "s1").version == 1


def test_errors_carry_yandex_error_bodies(disk, rsps, tmp_path):
    filer = make_filer(tmp_path)
    disk.faults.add(503, method="PUT", path="/resources", times=5)
    with pytest.raises(FilingError) as info:
        filer.file(KEY, NAME, b"v1", "s1")
    assert info.value.code == "filing.unavailable" and "(ошибка 503)" in info.value.message
    body = [c.response.json() for c in rsps.calls if c.response is not None and c.response.status_code == 503][0]
    assert set(body) == {"message", "description", "error"}
    assert API.startswith("https://cloud-api.yandex.net/")
