"""The pages and the API over any storage of documents: a real WebDAV server configured as a
municipality would (MO_DOCS_FILING_URL + credentials), and Google Drive in memory —
documents filed there are listed, downloaded, previewed, their earlier versions read
back, and a storage that fails is explained in Russian with its code."""
from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from googleapiclient.discovery import build

from service.filing.drive import DriveFiler
from service.google.http import RetryPolicy, execute
from service.settings import SettingsError
from service.workspace import jobs as records
from tests.accounts.factories import make_account, signed_in_client
from tests.factories import association
from tests.support.fake_drive import FakeDrive
from tests.support.webdav_server import PASSWORD, USER
from tests.web.helpers import Contract, add, docx_text, follow, job_id_of, main, row_of, submit, visible

NAME = "Протокол №2 от 10.12.2024.docx"


def protocol_book():
    book = association("zdvinsky-mmo")
    book.meeting(4)["Статус"] = "запланировано"
    return book


@pytest.fixture
def dav_app(make_app, webdav, monkeypatch):
    # retries as in production, only quicker
    monkeypatch.setattr("service.filing.remote.DEFAULT_POLICY",
                        RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.05, max_total=5.0))
    return make_app(FILING_URL=webdav.filing_url, WEBDAV_USERNAME=USER, WEBDAV_PASSWORD=PASSWORD,
                    FILING_TIMEOUT_SECONDS=5)


def protocol(client, a):
    return submit(client, f"/a/{a.slug}/documents", {"kind": "protocol", "meeting": "2"}, page=f"/a/{a.slug}")


def test_documents_on_a_webdav_server_are_filed_listed_downloaded_and_previewed(dav_app, webdav, tmp_path):
    client, ws = signed_in_client(dav_app), dav_app.extensions["workspace"]
    book = protocol_book()
    a = add(ws, tmp_path, book)
    text = visible(main(follow(client, protocol(client, a)).get_data(as_text=True)))
    assert f"Документ готов: {NAME}" in text
    stored = webdav.root / a.slug / "2024-2025" / "Протоколы" / NAME
    assert "Председатель – М.П. Иванова" in docx_text(stored.read_bytes())

    book.agenda[2]["Решили"] = "Провести открытые уроки в марте"
    book.save(Path(a.source))
    follow(client, protocol(client, a))
    first, second = sorted(ws.documents(a), key=lambda v: v.version)
    assert first.location == second.location == f"{webdav.filing_url}/{a.slug}/2024-2025/Протоколы/{NAME}"

    old, new = (docx_text(client.get(f"/a/{a.slug}/documents/{v.id}").data) for v in (first, second))
    assert "Решение по вопросу 1" in old and "Провести открытые уроки в марте" in new
    preview = visible(main(client.get(f"/a/{a.slug}/documents/{first.id}/preview").get_data(as_text=True)))
    assert "Решение по вопросу 1" in preview

    page = main(client.get(f"/a/{a.slug}").get_data(as_text=True))
    assert "Хранятся: хранилище документов 127.0.0.1 (WebDAV)." in visible(page)
    row = row_of(page.split('id="documents"', 1)[1], NAME)
    link = re.search(r'href="([^"]+)"[^>]*>Открыть в хранилище</a>', row).group(1)
    assert link.startswith(webdav.url) and PASSWORD not in page


def test_the_api_names_each_document_and_where_people_open_it(dav_app, webdav, tmp_path):
    client, ws = signed_in_client(dav_app), dav_app.extensions["workspace"]
    a = add(ws, tmp_path, protocol_book())
    follow(client, protocol(client, a))
    r = client.get(f"/api/v1/associations/{a.slug}/documents")
    Contract(client.get("/api/v1/openapi.json").json).response("/associations/{slug}/documents", "get", 200, r.json)
    [doc] = r.json["documents"]
    assert doc["name"] == NAME and doc["link"].startswith(webdav.url) and PASSWORD not in r.get_data(as_text=True)
    assert "ПРОТОКОЛ" in docx_text(client.get(doc["download"]).data)


def test_a_full_storage_fails_the_job_with_a_sentence_and_its_code(dav_app, webdav, tmp_path):
    client, ws = signed_in_client(dav_app), dav_app.extensions["workspace"]
    a = add(ws, tmp_path, protocol_book())
    webdav.faults.add(507, method="PUT")
    r = protocol(client, a)
    job_id = job_id_of(r)
    text = visible(main(follow(client, r).get_data(as_text=True)))
    assert "В хранилище документов (127.0.0.1) закончилось место: документ не сохранён." in text
    api = client.get(f"/api/v1/jobs/{job_id}").json
    assert api["state"] == "failed" and api["error"]["code"] == "filing.no_space"
    assert records.get(ws.sf, job_id).attempts == 1 and ws.documents(a) == []
    assert not [p for p in webdav.root.rglob("*") if p.name.endswith(".part")]


def test_a_storage_that_is_down_when_downloading_is_explained(dav_app, webdav, tmp_path):
    client, ws = signed_in_client(dav_app), dav_app.extensions["workspace"]
    a = add(ws, tmp_path, protocol_book())
    follow(client, protocol(client, a))
    [v] = ws.documents(a)
    webdav.faults.add(503, method="GET", times=20)
    r = client.get(f"/a/{a.slug}/documents/{v.id}")
    assert r.status_code == 503
    assert "Хранилище документов (127.0.0.1) временно не работает (ошибка 503). Попробуйте позже." in \
        visible(main(r.get_data(as_text=True)))


def test_a_document_gone_from_the_storage_is_a_plain_404(dav_app, webdav, tmp_path):
    client, ws = signed_in_client(dav_app), dav_app.extensions["workspace"]
    a = add(ws, tmp_path, protocol_book())
    follow(client, protocol(client, a))
    [v] = ws.documents(a)
    (webdav.root / a.slug / "2024-2025" / "Протоколы" / NAME).unlink()
    r = client.get(f"/a/{a.slug}/documents/{v.id}/preview")
    assert r.status_code == 404
    assert "Этой версии документа больше нет в хранилище" in visible(main(r.get_data(as_text=True)))


def test_the_service_does_not_start_with_a_wrong_filing_url(make_app):
    with pytest.raises(SettingsError) as info:
        make_app(FILING_URL="webdav+https://user:pw@cloud.school.ru/dav")
    assert "MO_DOCS_FILING_URL" in str(info.value) and "pw" not in str(info.value).replace("пароль", "")


# ---------------------------------------------------------------- Google Drive

@pytest.fixture
def drive_app(make_app, monkeypatch):
    app = make_app()
    ws = app.extensions["workspace"]
    drive = FakeDrive("0ASharedDrive00000PVA")
    filer = DriveFiler(lambda: build("drive", "v3", http=drive, static_discovery=True, cache_discovery=False),
                       root_folder_id=drive.shared_drive_id, shared_drive_id=drive.shared_drive_id,
                       registry=ws.registry,
                       execute=functools.partial(execute, sleep=lambda s: None, policy=RetryPolicy(max_attempts=2)))
    monkeypatch.setattr(ws, "filer", lambda: filer)
    return app, drive


def test_an_earlier_drive_version_downloads_its_own_revision(drive_app, tmp_path):
    app, drive = drive_app
    client, ws = signed_in_client(app), app.extensions["workspace"]
    book = protocol_book()
    a = add(ws, tmp_path, book)
    follow(client, protocol(client, a))
    book.agenda[2]["Решили"] = "Провести открытые уроки в марте"
    book.save(Path(a.source))
    follow(client, protocol(client, a))
    first, second = sorted(ws.documents(a), key=lambda v: v.version)
    assert first.location == second.location and first.file_name == NAME

    old = client.get(f"/a/{a.slug}/documents/{first.id}")
    assert old.status_code == 200 and "Решение по вопросу 1" in docx_text(old.data)
    assert "filename*=UTF-8''" in old.headers["Content-Disposition"]
    revision = second.stored_as.split("/revisions/")[1]
    assert ("GET", f"/drive/v3/files/{first.location}/revisions/{revision}") in drive.calls
    assert "Провести открытые уроки в марте" in docx_text(client.get(f"/a/{a.slug}/documents/{second.id}").data)

    page = main(client.get(f"/a/{a.slug}").get_data(as_text=True))
    row = row_of(page.split('id="documents"', 1)[1], NAME)                # the name, not the file id
    assert f'href="https://drive.google.com/file/d/{second.location}/view?usp=drivesdk"' in row
    assert "Хранятся: Google Диск." in visible(page)
    journal = visible(page.split("<h2>Журнал</h2>", 1)[1])
    assert f"сформирован документ «{NAME}»" in journal and second.location not in journal


def test_a_curator_without_a_google_account_is_told_on_the_page(drive_app, tmp_path):
    app, drive = drive_app
    client, ws = signed_in_client(app), app.extensions["workspace"]
    ws.settings["GOOGLE_SHARE_WITH_CURATOR"] = True
    book = protocol_book()
    book.info["E-mail куратора"] = "curator@mail.ru"
    drive.no_google_account.add("curator@mail.ru")
    a = add(ws, tmp_path, book)
    make_account(ws.sf, "curator", email="curator@mail.ru", territories=[a.territory])
    follow(client, protocol(client, a))
    page = visible(main(client.get(f"/a/{a.slug}").get_data(as_text=True)))
    assert "куратору (curator@mail.ru) доступ к нему не открыт: к этому адресу не привязан аккаунт Google" in page
    assert "доступ куратору не открыт" in page.split("Журнал", 1)[1]


def shared_addresses(drive) -> dict[str, list[str]]:
    return {f.name: [p["emailAddress"] for p in f.permissions if p.get("emailAddress")]
            for f in drive.files.values() if f.permissions}


def test_documents_are_shared_only_with_a_curator_account_over_the_association(drive_app, tmp_path):
    """A workbook's «E-mail куратора» is any text a head types: documents are opened on
    Drive only to an active curator account whose territory holds the association, each
    share journaled; a data bank with personal columns is never shared."""
    app, drive = drive_app
    drive.outside_sharing = True
    client, ws = signed_in_client(app), app.extensions["workspace"]
    ws.settings["GOOGLE_SHARE_WITH_CURATOR"] = True
    book = protocol_book()
    book.info["E-mail куратора"] = "outsider@gmail.com"
    a = add(ws, tmp_path, book)
    follow(client, protocol(client, a))
    assert "outsider@gmail.com" not in str(shared_addresses(drive))
    make_account(ws.sf, "curator", email="outsider@gmail.com", territories=["Чулымский район"])
    follow(client, submit(client, f"/a/{a.slug}/documents", {"kind": "protocol", "meeting": "1"}, page=f"/a/{a.slug}"))
    assert "outsider@gmail.com" not in str(shared_addresses(drive))          # a curator, of another territory

    book.info["E-mail куратора"] = "kurator@school.edu.ru"
    book.save(Path(a.source))
    ws.check(a.id, "тест")
    make_account(ws.sf, "curator", email="kurator@school.edu.ru", territories=[a.territory])
    follow(client, submit(client, f"/a/{a.slug}/documents", {"kind": "protocol", "meeting": "3"}, page=f"/a/{a.slug}"))
    r = client.post(f"/api/v1/associations/{a.slug}/documents", json={"kind": "data-bank", "personal": True})
    assert r.status_code == 202 and r.json["job"]["state"] == "done", r.json
    shared = shared_addresses(drive)
    assert [name for name, who in shared.items() if "kurator@school.edu.ru" in who]
    assert [f for f in drive.files.values() if "банк" in f.name.lower()]              # filed on Drive ...
    assert not [name for name in shared if "банк" in name.lower()], shared            # ... and not shared
    journal = [e.details for e in ws.audit(a.id, 100) if e.action == "document.share"]
    assert journal and all(d["email"] == "kurator@school.edu.ru" for d in journal)
