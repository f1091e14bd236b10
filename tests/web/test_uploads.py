"""Uploading a workbook: a good one becomes an association; anything else is refused
with a Russian reason, and nothing of it is kept."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from service.workspace.models import Association, AuditEvent, Snapshot
from tests.accounts.factories import signed_in_client
from tests.factories import association
from tests.sources.test_hostile import CASES, MAIN_NS, MB, XML_HEAD, cfb, pseudo_random, write_xlsx
from tests.support.formats import SYSTEM
from tests.web.helpers import add, follow, main, upload, visible


def workbook_bytes(tmp_path: Path, book=None, name: str = "book.xlsx") -> bytes:
    return (book or association("zdvinsky-mmo")).save(tmp_path / name).read_bytes()


def stored_files(ws) -> list[Path]:
    folder = Path(ws.settings["WORKBOOKS_DIR"])
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def rows(ws, model) -> int:
    with ws.sf() as s:
        return s.scalar(select(func.count()).select_from(model))


def assert_nothing_stored(ws) -> None:
    assert stored_files(ws) == []
    assert (rows(ws, Association), rows(ws, Snapshot), rows(ws, AuditEvent)) == (0, 0, 0)


# ---------------------------------------------------------------- good uploads

def test_a_workbook_becomes_an_association(client, ws, tmp_path):
    r = upload(client, workbook_bytes(tmp_path), "ММО математиков 2024.xlsx")
    assert r.status_code == 302 and r.headers["Location"] == "/a/mmo-matematikov"
    [a] = ws.associations()
    [stored] = stored_files(ws)
    assert a.source == str(stored) and stored.suffix == ".xlsx"
    assert (a.short_name, a.regulation_id, a.school_year, a.errors, a.warnings) == (
        "ММО математиков", "zdvinsky-mmo", "2024-2025", 0, 0)
    text = visible(main(follow(client, r).get_data(as_text=True)))
    assert "Муниципальное методическое объединение учителей математики" in text
    assert "Замечаний нет." in text and "Сформировать протокол" in text
    assert "ММО математиков" in visible(main(client.get("/").get_data(as_text=True)))


def test_the_regulation_chosen_on_the_form_is_used(client, ws, tmp_path):
    book = association("zdvinsky-mmo")
    del book.info["Положение"]
    r = upload(client, workbook_bytes(tmp_path, book), regulation="zalesovo-mmo")
    assert r.status_code == 302
    [a] = ws.associations()
    assert a.regulation_id == "zalesovo-mmo"
    assert ws.latest_snapshot(a.id).regulation_id == "zalesovo-mmo"


def test_an_unknown_regulation_on_the_form_is_refused(client, ws, tmp_path):
    r = upload(client, workbook_bytes(tmp_path), regulation="no-such-regulation")
    assert r.status_code == 400
    assert "Положение «no-such-regulation» неизвестно." in visible(main(r.get_data(as_text=True)))
    assert_nothing_stored(ws)


def test_a_workbook_naming_a_regulation_no_file_could_have_is_added_with_the_finding(client, ws, tmp_path):
    """A «Положение» of 300 characters made the file system answer ENAMETOOLONG: a 500."""
    book = association("zdvinsky-mmo")
    book.info["Положение"] = "z" * 300
    r = upload(client, workbook_bytes(tmp_path, book))
    assert r.status_code == 302, r.status_code
    page = visible(main(follow(client, r).get_data(as_text=True)))
    assert "Положение «" + "z" * 60 + "» неизвестно" in page and "z" * 61 not in page


def test_replacing_the_workbook_of_an_association(client, ws, tmp_path):
    a = add(ws, tmp_path, association("zdvinsky-mmo"))
    changed = association("zdvinsky-mmo")
    changed.members[5]["Квалификационная категория"] = "главная"
    assert "Заменить книгу" in visible(main(client.get(f"/upload?replace={a.slug}").get_data(as_text=True)))
    r = upload(client, workbook_bytes(tmp_path, changed, "new.xlsx"), "new.xlsx", replace=a.slug)
    assert r.status_code == 302 and r.headers["Location"] == f"/a/{a.slug}"
    [again] = ws.associations()
    [stored] = stored_files(ws)
    assert again.id == a.id and again.source == str(stored) != a.source
    assert again.errors == 1
    text = visible(main(follow(client, r).get_data(as_text=True)))
    assert "«главная» — недопустимое значение" in text
    assert any(e.action == "association.replace_source" for e in ws.audit(a.id))


def test_a_file_name_cannot_place_the_workbook_elsewhere(client, ws, tmp_path):
    r = upload(client, workbook_bytes(tmp_path), "../../../etc/passwd.xlsx")
    assert r.status_code == 302
    [stored] = stored_files(ws)
    assert stored.parent == Path(ws.settings["WORKBOOKS_DIR"]) and stored.name.startswith("passwd-")


def test_a_bad_replacement_leaves_the_association_as_it_was(client, ws, tmp_path):
    a = add(ws, tmp_path, association("zdvinsky-mmo"))
    r = upload(client, b"not a workbook", "new.xlsx", replace=a.slug)
    assert r.status_code == 400
    assert "Это не книга электронной таблицы." in visible(main(r.get_data(as_text=True)))
    again = ws.by_id(a.id)
    assert (again.source, again.errors, again.checked_at) == (a.source, a.errors, a.checked_at)
    assert stored_files(ws) == []


def test_the_blank_workbook_can_be_uploaded_back(client, ws):
    blank = client.get("/blank.xlsx?regulation=zdvinsky-mmo").data
    r = upload(client, blank, "пустая.xlsx")
    assert r.status_code == 302
    [a] = ws.associations()
    assert a.unreadable is None and a.checked_at is not None


# ---------------------------------------------------------------- refused uploads

def _text_renamed(tmp_path):
    return "ФИО;Должность\nИванова Мария Петровна;учитель\n".encode("utf-8")


def _zip_bomb(tmp_path):
    def sheet():                                                         # 8 MB of spaces: ~8 KB on disk
        yield f'{XML_HEAD}<worksheet xmlns="{MAIN_NS}"><sheetData>'.encode()
        for _ in range(8):
            yield b" " * MB
        yield b"</sheetData></worksheet>"

    data = write_xlsx(tmp_path / "bomb.xlsx", {"Состав": sheet}, level=9).read_bytes()
    assert len(data) < 64 * 1024
    return data


def _password(tmp_path):
    return cfb([("EncryptionInfo", b"\x04\x00\x04\x00\x40\x00\x00\x00" + pseudo_random(600)),
                ("EncryptedPackage", pseudo_random(20_000))])


def _legacy_xls(tmp_path):
    return cfb([("Workbook", pseudo_random(9000))])


def _empty(tmp_path):
    return b""


def _zip_of_photos(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("IMG_0001.jpg", pseudo_random(3000))
    return buf.getvalue()


def _encrypted_entries(tmp_path):
    data = bytearray(workbook_bytes(tmp_path))
    i = data.find(b"PK\x01\x02")                                     # set the «encrypted» flag everywhere
    while i != -1:
        data[i + 8] |= 0x1
        i = data.find(b"PK\x01\x02", i + 4)
    return bytes(data)


HOSTILE = {
    "text renamed .xlsx": (_text_renamed, 400, "Это не книга электронной таблицы."),
    "zip bomb": (_zip_bomb, 413, "возможна «zip-бомба»"),
    "password-protected": (_password, 400, "Файл защищён паролем."),
    "damaged .xls": (_legacy_xls, 400, "Файл повреждён"),
    "empty file": (_empty, 400, "Файл пуст."),
    "zip of photos": (_zip_of_photos, 400, "Это zip-архив, а не книга."),
    "encrypted zip entries": (_encrypted_entries, 400, "Части файла зашифрованы"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_file_that_is_not_a_sane_workbook_is_refused_and_not_kept(client, ws, tmp_path, case):
    build, status, reason = HOSTILE[case]
    r = upload(client, build(tmp_path), "книга.xlsx")
    assert r.status_code == status
    body = r.get_data(as_text=True)
    assert r.mimetype == "text/html" and '<html lang="ru">' in body
    assert reason in visible(main(body))
    assert "Traceback" not in body
    assert_nothing_stored(ws)


# Every hostile file of the reader's suite, in all four formats, through the upload page:
# 400 (or 413 for too large) with the same Russian reason, nothing stored.
THROUGH_UPLOAD = [name for name in CASES if name not in {"zip bomb 300 MB", "file over 20 MB"}]


@pytest.mark.parametrize("name", THROUGH_UPLOAD)
def test_every_hostile_file_of_every_format_is_refused_by_the_upload_page(client, ws, tmp_path, name):
    case = CASES[name]
    path = case.build(tmp_path)
    r = upload(client, path.read_bytes(), path.name)
    assert r.status_code == (413 if case.code == "workbook.too_large" else 400), name
    body = r.get_data(as_text=True)
    assert case.says in visible(main(body)) and "Traceback" not in body
    assert_nothing_stored(ws)


def test_no_file_is_a_bad_request(client, ws):
    from tests.web.helpers import submit
    r = submit(client, "/upload", {}, page="/upload", content_type="multipart/form-data")
    assert r.status_code == 400
    assert "Выберите файл книги (.xlsx" in visible(main(r.get_data(as_text=True)))
    r = upload(client, b"", "")                                          # the field sent without a file
    assert r.status_code == 400
    assert_nothing_stored(ws)


@pytest.fixture
def small(make_app):
    """An app that accepts uploads of at most 20 000 bytes."""
    app = make_app(MAX_UPLOAD_BYTES=20_000)
    return signed_in_client(app), app.extensions["workspace"]


def test_an_upload_far_over_the_limit_gets_413(small, tmp_path):
    client, ws = small
    r = upload(client, pseudo_random(200_000), "книга.xlsx")
    assert r.status_code == 413
    assert "Файл слишком большой" in visible(main(r.get_data(as_text=True)))
    assert_nothing_stored(ws)


def test_the_413_page_states_the_limit_that_applies(small):
    client, ws = small
    message = visible(main(upload(client, pseudo_random(200_000)).get_data(as_text=True)))
    assert "до 0 МБ" not in message
    assert re.search(r"до (0[.,]02 МБ|19[.,]5 КБ|20 ?000 байт)", message), message


def test_a_workbook_within_the_limit_is_accepted(small, tmp_path):
    client, ws = small
    data = workbook_bytes(tmp_path)
    assert len(data) < 20_000
    assert upload(client, data).status_code == 302


def test_a_workbook_just_over_the_limit_gets_413(make_app, tmp_path):
    data = workbook_bytes(tmp_path)                                      # a real, valid workbook
    app = make_app(MAX_UPLOAD_BYTES=len(data) - 1)                       # one byte too big
    client, ws = signed_in_client(app), app.extensions["workspace"]
    r = upload(client, data)
    assert r.status_code == 413
    assert "Файл слишком большой" in visible(main(r.get_data(as_text=True)))
    assert_nothing_stored(ws)


def test_replacing_an_unknown_association_keeps_nothing(client, ws, tmp_path):
    r = upload(client, workbook_bytes(tmp_path), replace="no-such-association")
    assert r.status_code == 404
    assert_nothing_stored(ws)


# ---------------------------------------------------------------- LibreOffice and old Excel

@SYSTEM
@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_a_workbook_saved_by_libreoffice_or_old_excel_becomes_an_association(client, ws, tmp_path, converter, fmt):
    [path] = converter.convert([association("zdvinsky-mmo").save(tmp_path / "mmo.xlsx")], fmt)
    r = upload(client, path.read_bytes(), f"ММО математиков.{fmt}")
    assert r.status_code == 302 and r.headers["Location"] == "/a/mmo-matematikov"
    [a] = ws.associations()
    [stored] = stored_files(ws)
    assert stored.suffix == f".{fmt}" and stored.read_bytes() == path.read_bytes()     # kept as it came
    assert (a.source, a.errors, a.warnings, a.school_year) == (str(stored), 0, 0, "2024-2025")
    assert "Сформировать протокол" in visible(main(follow(client, r).get_data(as_text=True)))


def test_a_workbook_named_wrongly_is_stored_under_the_name_of_its_format(client, ws, tmp_path):
    r = upload(client, workbook_bytes(tmp_path), "книга.xls")            # an .xlsx called .xls
    assert r.status_code == 302
    [stored] = stored_files(ws)
    assert stored.suffix == ".xlsx"


@pytest.mark.parametrize("sent, served", [
    ("книга.ods", "книга.xlsx"),                             # an .xlsx called .ods comes back as .xlsx
    ("книга", "книга.xlsx"),
    (".xlsx", "книга.xlsx"),
    ("\u202eslx.exe.xlsx", "slx.exe.xlsx"),                   # no right-to-left override
    ("книга\x00.xlsx", "книга.xlsx"),
    ("x\tSet-Cookie: a=b\x85.xlsx", "x Set-Cookie a=b.xlsx"),
    ("../../../etc/passwd.xlsx", "passwd.xlsx"),
    ("con.xlsx", "_con.xlsx"),
    ("а" * 5000 + ".xlsx", "а" * 120 + ".xlsx"),
])
def test_an_uploaded_workbook_comes_back_under_a_safe_name_of_what_it_is(client, ws, tmp_path, sent, served):
    from urllib.parse import unquote

    r = upload(client, workbook_bytes(tmp_path), sent)
    assert r.status_code == 302
    [a] = ws.associations()
    [version] = ws.workbook_versions(a.id)
    assert version.original_name == served
    page = visible(main(client.get(f"/a/{a.slug}/workbooks").get_data(as_text=True)))
    assert served[:60] in page
    d = client.get(f"/a/{a.slug}/workbooks/{version.id}")
    assert d.status_code == 200 and download_name(d) == served
    assert not any(ord(c) < 0x20 or c == "\u202e" for c in unquote(d.headers["Content-Disposition"]))


def download_name(response) -> str:
    """The file name a browser saves a download under (RFC 6266: filename* wins)."""
    from urllib.parse import unquote

    disposition = response.headers["Content-Disposition"]
    if "filename*=UTF-8''" in disposition:
        return unquote(disposition.split("filename*=UTF-8''", 1)[1].split(";", 1)[0])
    return disposition.split("filename=", 1)[1].split(";", 1)[0].strip('"')


def test_a_name_kept_before_names_were_made_safe_is_made_safe_when_downloaded(client, ws, tmp_path):
    from sqlalchemy import update
    from service.workspace.models import WorkbookVersion

    upload(client, workbook_bytes(tmp_path), "книга.xlsx")
    [a] = ws.associations()
    with ws.sf() as s, s.begin():
        s.execute(update(WorkbookVersion).values(original_name="\u202eslx.exe.ods"))
    [version] = ws.workbook_versions(a.id)
    assert download_name(client.get(f"/a/{a.slug}/workbooks/{version.id}")) == "slx.exe.xlsx"


def test_a_macro_enabled_workbook_keeps_its_name(client, ws, tmp_path):
    r = upload(client, workbook_bytes(tmp_path), "книга с макросами.xlsm")
    assert r.status_code == 302
    [stored] = stored_files(ws)
    assert stored.suffix == ".xlsm"


def test_a_busy_database_during_the_first_check_leaves_nothing_behind_and_a_retry_works(client, ws, tmp_path,
                                                                                        monkeypatch):
    """The association, its first workbook version and its first snapshot are one
    transaction: a failure in the check's part leaves no association pointing at a
    deleted file, and the retry the person is told to make adds it."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from service.workspace.service import Workspace

    def busy(self, *args, **kw):
        raise OperationalError("UPDATE associations ...", {}, sqlite3.OperationalError("database is locked"))
    monkeypatch.setattr(Workspace, "_record", busy)
    content = association("zdvinsky-mmo").save(tmp_path / "b.xlsx").read_bytes()
    r = upload(client, content, "Книга.xlsx")
    assert r.status_code == 503 and ws.associations() == []
    assert not [p for p in Path(ws.settings["WORKBOOKS_DIR"]).glob("*") if p.is_file()]
    monkeypatch.undo()
    again = upload(client, content, "Книга.xlsx")
    assert again.status_code == 302
    [a] = ws.associations()
    assert Path(a.source).is_file() and ws.latest_snapshot(a.id) is not None
