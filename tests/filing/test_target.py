"""MO_DOCS_FILING_URL: every accepted form, the first release's Drive settings read as the
gdrive:// URL they mean, and a clear Russian refusal for everything else — credentials
in the URL above all."""
from __future__ import annotations

from pathlib import Path

import pytest

from service.filing.target import FilingConfigError, FilingTarget, open_filer
from service.settings import load_settings


@pytest.mark.parametrize("url, expected, display", [
    ("file:///srv/mo-docs/documents", FilingTarget("file", "/srv/mo-docs/documents"), "file:///srv/mo-docs/documents"),
    ("file:///srv/%D0%9C%D0%9E", FilingTarget("file", "/srv/МО"), "file:///srv/МО"),
    ("gdrive://0ASharedDrive00000PVA", FilingTarget("gdrive", shared_drive="0ASharedDrive00000PVA"),
     "gdrive://0ASharedDrive00000PVA"),
    ("gdrive://0ASharedDrive00000PVA/1RootFolder", FilingTarget("gdrive", shared_drive="0ASharedDrive00000PVA",
                                                                folder_id="1RootFolder"),
     "gdrive://0ASharedDrive00000PVA/1RootFolder"),
    ("gdrive:///1MyDriveFolder", FilingTarget("gdrive", folder_id="1MyDriveFolder"), "gdrive:///1MyDriveFolder"),
    ("webdav+https://cloud.school.ru/remote.php/dav/files/mo-docs/Документы МО/",
     FilingTarget("webdav", "https://cloud.school.ru/remote.php/dav/files/mo-docs/Документы МО"),
     "webdav+https://cloud.school.ru/remote.php/dav/files/mo-docs/Документы МО"),
    ("webdav+http://127.0.0.1:8080/dav", FilingTarget("webdav", "http://127.0.0.1:8080/dav"),
     "webdav+http://127.0.0.1:8080/dav"),
    ("yadisk://Документы МО", FilingTarget("yadisk", "Документы МО"), "yadisk://Документы МО"),
    ("yadisk:///Документы МО/2025/", FilingTarget("yadisk", "Документы МО/2025"), "yadisk://Документы МО/2025"),
])
def test_accepted_forms(url, expected, display):
    target = FilingTarget.parse(url)
    assert target == expected and target.display == display


@pytest.mark.parametrize("url, phrase", [
    ("webdav+https://mo-docs:secret@cloud.school.ru/dav", "не должен содержать логин и пароль"),
    ("webdav+http://cloud.school.ru/dav", "только для сервера на этой же машине"),
    ("file://srv/documents", "тремя косыми"),
    ("gdrive://", "ожидается gdrive://"),
    ("gdrive://drive/folder/extra", "ожидается gdrive://"),
    ("gdrive://bad id", "ожидается gdrive://"),
    ("ftp://files.school.ru/", "неизвестный вид адреса"),
    ("/srv/documents", "неизвестный вид адреса"),
    ("yadisk://../etc", "не может содержать «..»"),
])
def test_refusals_are_russian_and_say_what_is_wrong(url, phrase):
    with pytest.raises(FilingConfigError) as info:
        FilingTarget.parse(url)
    assert phrase in str(info.value) and "MO_DOCS_FILING_URL" in str(info.value)
    assert "secret" not in str(info.value)


def settings(tmp_path, **values) -> dict:
    environ = {f"MO_DOCS_{k}": v for k, v in values.items()}
    return load_settings(tmp_path / "instance", {"TESTING": True}, environ=environ)


def test_unset_files_into_the_documents_folder(tmp_path):
    target = FilingTarget.from_settings(settings(tmp_path))
    assert target == FilingTarget("file", str((tmp_path / "instance" / "documents").resolve()))
    custom = FilingTarget.from_settings(settings(tmp_path, DOCUMENTS_DIR=str(tmp_path / "docs")))
    assert custom.location == str((tmp_path / "docs").resolve())


def test_the_first_releases_drive_settings_still_work(tmp_path):
    old = settings(tmp_path, GOOGLE_ENABLED="true", GOOGLE_SHARED_DRIVE_ID="0ADrive", GOOGLE_ROOT_FOLDER_ID="1Root")
    assert FilingTarget.from_settings(old) == FilingTarget("gdrive", shared_drive="0ADrive", folder_id="1Root")
    same = settings(tmp_path, GOOGLE_ENABLED="true", GOOGLE_SHARED_DRIVE_ID="0ADrive", GOOGLE_ROOT_FOLDER_ID="1Root",
                    FILING_URL="gdrive://0ADrive/1Root")
    assert FilingTarget.from_settings(same).shared_drive == "0ADrive"
    # without GOOGLE_ENABLED the old settings never filed to Drive, and still do not
    off = settings(tmp_path, GOOGLE_SHARED_DRIVE_ID="0ADrive")
    assert FilingTarget.from_settings(off).scheme == "file"


def test_old_and_new_drive_settings_that_disagree_stop_the_service(tmp_path):
    both = settings(tmp_path, GOOGLE_ENABLED="true", GOOGLE_SHARED_DRIVE_ID="0ADrive", FILING_URL="gdrive://0AOther")
    with pytest.raises(FilingConfigError) as info:
        FilingTarget.from_settings(both)
    assert "расходятся" in str(info.value) and "gdrive://0AOther" in str(info.value)


def test_a_new_storage_wins_over_the_old_drive_settings(tmp_path):
    moved = settings(tmp_path, GOOGLE_ENABLED="true", GOOGLE_SHARED_DRIVE_ID="0ADrive", FILING_URL="yadisk://МО",
                     YADISK_TOKEN="y0_token")
    assert FilingTarget.from_settings(moved) == FilingTarget("yadisk", "МО")


@pytest.mark.parametrize("url, needed", [("webdav+https://cloud.school.ru/dav", "MO_DOCS_WEBDAV_USERNAME"),
                                         ("yadisk://МО", "MO_DOCS_YADISK_TOKEN")])
def test_a_storage_without_its_credentials_is_refused_at_start(tmp_path, url, needed):
    with pytest.raises(FilingConfigError) as info:
        FilingTarget.from_settings(settings(tmp_path, FILING_URL=url))
    assert needed in str(info.value)


def test_open_filer_builds_each_storage_without_contacting_it(tmp_path):
    from service.db import make_engine
    from service.filing.registry import Registry
    from service.filing.webdav import WebDavFiler
    from service.filing.yadisk import YandexDiskFiler

    registry = Registry(make_engine(f"sqlite:///{tmp_path / 'r.sqlite'}"))
    values = settings(tmp_path, WEBDAV_USERNAME="mo-docs", WEBDAV_PASSWORD="p", YADISK_TOKEN="y0",
                      FILING_TIMEOUT_SECONDS="15")
    dav = open_filer(FilingTarget.parse("webdav+https://cloud.school.ru/dav"), values, registry)
    assert isinstance(dav, WebDavFiler) and dav.store.http.timeout == 15.0 and dav.store.base == "https://cloud.school.ru/dav"
    disk = open_filer(FilingTarget.parse("yadisk://МО"), values, registry)
    assert isinstance(disk, YandexDiskFiler) and disk.store.folder == "МО"
    local = open_filer(FilingTarget.parse(f"file://{tmp_path / 'docs'}"), values, registry)
    assert Path(local.root) == tmp_path / "docs" and local.registry is registry
