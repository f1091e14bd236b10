"""The Sheets add-on's API (service/web/addon.py) through Flask's test client, signed in by
real RS256 ID tokens from a provider that signs as Google does and serves its
certificates on 127.0.0.1: who may check, generate and connect; what a bad token, a bad
payload or too big a spreadsheet gets (a Russian sentence, 4xx, never a 500); documents
made from the sheet as sent, filed and linked; the per-account rate limit."""
from __future__ import annotations

import datetime as dt
import io
import json
import time
from pathlib import Path

import docx
import pytest

from service.pipeline import check
from service.sources.base import open_source
from tests.accounts.factories import make_account
from tests.addon.conftest import addon_app, google  # noqa: F401  (a provider signing as Google, an app trusting it)
from tests.addon.harness import CLIENT_ID, addon_settings
from tests.factories import association

EMAIL = "belova@zdvinsk-edu.ru"


@pytest.fixture
def workspace(addon_app):
    return addon_app.extensions["workspace"]


def token_for(google, email=EMAIL, **claims) -> str:
    return google.id_token({**google.claims(email), **claims})


def post(app, path, body, token, **kw):
    return app.test_client().post(f"/api/v1/addon/{path}", data=json.dumps(body, ensure_ascii=False),
                                  content_type="application/json", headers={"Authorization": f"Bearer {token}"}, **kw)


def added(workspace, book, tmp_path, name="register.xlsx"):
    folder = Path(workspace.settings["WORKBOOKS_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    return workspace.add_association(str(book.save(folder / name)), "тест")


# ---------------------------------------------------------------- checking

def test_any_account_checks_what_it_sent_and_nothing_is_stored(addon_app, workspace, google, tmp_path):
    book = association("zdvinsky-mmo")
    book.members[4]["Дата присвоения категории"] = "31.02.2024"
    make_account(workspace.sf, "member", email=EMAIL)
    r = post(addon_app, "check", book.sheet_payload(), token_for(google))
    assert r.status_code == 200, r.json
    expected = check(open_source(book.save(tmp_path / "same.xlsx")),
                     as_of=dt.date.fromisoformat(r.json["as_of"]))
    assert r.json["findings"] == [f.as_dict() for f in expected.findings]
    assert r.json["counts"] == expected.counts and r.json["regulation"] == "zdvinsky-mmo"
    info = r.json["addon"]
    assert info["association"] is None and info["may_generate"] is False and info["may_connect"] is False
    assert [m["number"] for m in info["meetings"]] == [1, 2, 3, 4]
    assert {k["kind"]: k["title"] for k in info["kinds"]}["protocol"] == "Протокол"
    assert info["meetings_sheet"] == {"title": "Заседания", "header_row": 1, "number_column": 1}
    assert workspace.associations() == []
    assert not any(Path(workspace.settings["WORKBOOKS_DIR"]).glob("**/*.json"))


def test_a_head_is_offered_to_connect_a_sheet_the_service_does_not_have(addon_app, workspace, google):
    make_account(workspace.sf, "head", email=EMAIL)
    info = post(addon_app, "check", association("zdvinsky-mmo").sheet_payload(), token_for(google)).json["addon"]
    assert info["may_connect"] is True and info["association"] is None


def test_the_sheet_is_known_by_its_register(addon_app, workspace, google, tmp_path):
    book = association("zdvinsky-mmo")
    a = added(workspace, book, tmp_path)
    make_account(workspace.sf, "head", email=EMAIL, associations=[a])
    book.meetings[0]["Тема"] = "Изменено в Google Таблице"
    info = post(addon_app, "check", book.sheet_payload(), token_for(google)).json["addon"]
    assert info["association"]["slug"] == a.slug and info["may_generate"] is True
    assert info["association"]["page"].endswith(f"/a/{a.slug}")
    assert info["meetings"][0]["topic"] == "Изменено в Google Таблице"


def test_the_header_below_title_rows_is_found_for_links(addon_app, workspace, google):
    book = association("zdvinsky-mmo")
    book.title_rows = 3
    make_account(workspace.sf, "head", email=EMAIL)
    info = post(addon_app, "check", book.sheet_payload(), token_for(google)).json["addon"]
    assert info["meetings_sheet"] == {"title": "Заседания", "header_row": 4, "number_column": 1}
    assert info["meetings"][0]["row"] == 5


def test_today_is_the_spreadsheets_today(addon_app, workspace, google):
    make_account(workspace.sf, "head", email=EMAIL)
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):        # UTC+14 and UTC−11: always two days apart
        payload = association("zdvinsky-mmo").sheet_payload(time_zone=zone)
        r = post(addon_app, "check", payload, token_for(google))
        from zoneinfo import ZoneInfo
        assert r.json["as_of"] == dt.datetime.now(ZoneInfo(zone)).date().isoformat()


# ---------------------------------------------------------------- who is asking

@pytest.mark.parametrize("claims, status, code", [
    ({"aud": "someone-else.apps.googleusercontent.com"}, 401, "auth.invalid_token"),
    ({"exp": int(time.time()) - 900, "iat": int(time.time()) - 4500}, 401, "auth.token_expired"),
    ({"email_verified": False}, 401, "auth.email_unverified"),
    ({"iss": "https://evil.example"}, 401, "auth.invalid_token"),
    ({"email": "nobody@zdvinsk-edu.ru"}, 401, "auth.unknown_account"),
])
def test_a_token_that_does_not_name_an_account_is_refused(addon_app, workspace, google, claims, status, code):
    make_account(workspace.sf, "head", email=EMAIL)
    r = post(addon_app, "check", association("zdvinsky-mmo").sheet_payload(), token_for(google, **claims))
    assert (r.status_code, r.json["error"]["code"]) == (status, code)
    assert r.headers["WWW-Authenticate"].startswith("Bearer")
    assert any(ch in r.json["error"]["message"] for ch in "аеиоу")                  # a Russian sentence


def test_a_deactivated_account_is_unknown(addon_app, workspace, google):
    from service.accounts import directory

    account = make_account(workspace.sf, "head", email=EMAIL)
    directory.set_active(workspace.sf, account.id, False)
    r = post(addon_app, "check", association("zdvinsky-mmo").sheet_payload(), token_for(google))
    assert (r.status_code, r.json["error"]["code"]) == (401, "auth.unknown_account")


def test_without_the_client_id_the_addon_is_not_configured(make_app, google):
    app = make_app()
    make_account(app.extensions["workspace"].sf, "head", email=EMAIL)
    r = post(app, "check", association("zdvinsky-mmo").sheet_payload(), token_for(google))
    assert (r.status_code, r.json["error"]["code"]) == (503, "addon.not_configured")
    assert "MO_DOCS_GOOGLE_ID_TOKEN_AUDIENCE" in r.json["error"]["message"]


def test_an_id_token_opens_only_the_addons_routes(addon_app, workspace, google, tmp_path):
    a = added(workspace, association("zdvinsky-mmo"), tmp_path)
    make_account(workspace.sf, "admin", email=EMAIL)
    client = addon_app.test_client()
    headers = {"Authorization": f"Bearer {token_for(google)}"}
    assert client.get("/api/v1/associations", headers=headers).json["error"]["code"] == "auth.invalid_token"
    assert client.get(f"/api/v1/associations/{a.slug}/members", headers=headers).status_code == 401
    assert client.get("/", headers=headers).status_code == 302                     # pages: the sign-in page


def test_the_hosted_domain_allow_list_is_applied(make_app, google):
    app = make_app(**addon_settings(google, GOOGLE_ID_TOKEN_HOSTED_DOMAINS="zdvinsk-edu.ru, school.ru"))
    make_account(app.extensions["workspace"].sf, "head", email=EMAIL)
    payload = association("zdvinsky-mmo").sheet_payload()
    assert post(app, "check", payload, token_for(google, hd="zdvinsk-edu.ru")).status_code == 200
    r = post(app, "check", payload, token_for(google))
    assert (r.status_code, r.json["error"]["code"]) == (401, "auth.domain_not_allowed")


def test_unreachable_certificates_are_503_with_a_sentence(make_app, google):
    app = make_app(GOOGLE_ID_TOKEN_AUDIENCE=CLIENT_ID, GOOGLE_ID_TOKEN_CERTS_URL="http://127.0.0.1:9/certs")
    make_account(app.extensions["workspace"].sf, "head", email=EMAIL)
    r = post(app, "check", association("zdvinsky-mmo").sheet_payload(), token_for(google))
    assert (r.status_code, r.json["error"]["code"]) == (503, "auth.certs_unavailable")


# ---------------------------------------------------------------- documents

def _follow(app, token, job_id):
    r = app.test_client().get(f"/api/v1/jobs/{job_id}", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.json
    return r.json


def test_a_head_makes_a_protocol_from_the_sheet_as_sent(addon_app, workspace, google, tmp_path, client_for_admin):
    book = association("zdvinsky-mmo")
    a = added(workspace, book, tmp_path)
    make_account(workspace.sf, "head", email=EMAIL, associations=[a])
    book.agenda[2]["Решили"] = "Решение, записанное в Google Таблице"        # meeting 2, question 1
    token = token_for(google)
    r = post(addon_app, "documents", {"kind": "protocol", "meeting": 2, **book.sheet_payload()}, token)
    assert r.status_code == 202, r.json
    assert r.json["link"] == {"meeting": 2, "kind_title": "Протокол",
                              "sheet": {"title": "Заседания", "header_row": 1, "number_column": 1}}
    assert "sheet" not in r.json["job"]["params"]
    job = _follow(addon_app, token, r.json["job"]["id"])
    assert job["state"] == "done", job
    assert job["result"]["name"] == "Протокол №2 от 10.12.2024.docx"
    assert job["links"]["document"].startswith("http://localhost/a/")
    download = client_for_admin.get(job["links"]["document"].removeprefix("http://localhost"))
    assert download.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(download.data)).paragraphs)
    assert "Решение, записанное в Google Таблице" in text
    assert not any((Path(workspace.settings["WORKBOOKS_DIR"]) / ".sent").glob("*.json")), "the copy is removed"
    # the sidebar now shows the protocol under its meeting
    info = post(addon_app, "check", book.sheet_payload(), token).json["addon"]
    [doc] = next(m for m in info["meetings"] if m["number"] == 2)["documents"]
    assert doc["name"] == "Протокол №2 от 10.12.2024.docx" and doc["url"] == job["links"]["document"]


@pytest.fixture
def client_for_admin(addon_app):
    from tests.accounts.factories import signed_in_client

    return signed_in_client(addon_app, "admin", email="admin@test.example")


def test_errors_that_would_be_in_the_document_refuse_it_with_their_cells(addon_app, workspace, google, tmp_path):
    book = association("zdvinsky-mmo")
    a = added(workspace, book, tmp_path)
    make_account(workspace.sf, "head", email=EMAIL, associations=[a])
    book.meetings[1]["Секретарь"] = None
    token = token_for(google)
    r = post(addon_app, "documents", {"kind": "protocol", "meeting": 2, **book.sheet_payload()}, token)
    job = _follow(addon_app, token, r.json["job"]["id"])
    assert job["state"] == "failed" and job["error"]["code"] == "document.refused"
    assert any(f["sheet"] == "Заседания" and f["cell"] for f in job["error"]["findings"])
    forced = post(addon_app, "documents", {"kind": "protocol", "meeting": 2, "force": True, **book.sheet_payload()},
                  token)
    assert _follow(addon_app, token, forced.json["job"]["id"])["state"] == "done"


def test_two_clicks_make_one_job(queued_app, google):
    app = queued_app
    app.config.update(addon_settings(google))
    ws = app.extensions["workspace"]
    folder = Path(ws.settings["WORKBOOKS_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    book = association("zdvinsky-mmo")
    a = ws.add_association(str(book.save(folder / "r.xlsx")), "тест")
    make_account(ws.sf, "head", email=EMAIL, associations=[a])
    body = {"kind": "work-plan", **book.sheet_payload()}
    first = post(app, "documents", body, token_for(google))
    second = post(app, "documents", body, token_for(google))
    assert (first.status_code, second.status_code) == (202, 202)
    assert first.json["job"]["id"] == second.json["job"]["id"] and second.json["created"] is False
    assert len(list((folder / ".sent").glob("*.json"))) == 1, "one kept copy for one job"
    book.plan[0]["Мероприятие"] = "Другое"
    third = post(app, "documents", {"kind": "work-plan", **book.sheet_payload()}, token_for(google))
    assert third.json["job"]["id"] != first.json["job"]["id"], "another sheet content is another job"


@pytest.mark.parametrize("role, status, code", [("member", 403, "auth.forbidden"),
                                                ("other-head", 404, "association.not_found")])
def test_who_may_not_generate_for_the_sheet(addon_app, workspace, google, tmp_path, role, status, code):
    book = association("zdvinsky-mmo")
    a = added(workspace, book, tmp_path)
    other_book = association("zdvinsky-mmo")
    other_book.info["Территория"] = "Чулымский район"
    other = added(workspace, other_book, tmp_path, "other.xlsx")
    make_account(workspace.sf, "member" if role == "member" else "head", email=EMAIL,
                 associations=[a if role == "member" else other])
    r = post(addon_app, "documents", {"kind": "protocol", "meeting": 1, **book.sheet_payload()}, token_for(google))
    assert (r.status_code, r.json["error"]["code"]) == (status, code)
    if status == 404:
        assert r.json["error"]["details"] == {"may_connect": False}
    assert not any((Path(workspace.settings["WORKBOOKS_DIR"]) / ".sent").glob("*.json"))


def test_an_archived_association_does_no_new_work(addon_app, workspace, google, tmp_path):
    book = association("zdvinsky-mmo")
    a = added(workspace, book, tmp_path)
    make_account(workspace.sf, "head", email=EMAIL, associations=[a])
    workspace.set_archived(a.id, True, "тест")
    r = post(addon_app, "documents", {"kind": "work-plan", **book.sheet_payload()}, token_for(google))
    assert (r.status_code, r.json["error"]["code"]) == (409, "association.archived")


@pytest.mark.parametrize("body, words", [
    ({"kind": "letter"}, "Вид документа"),
    ({"kind": "protocol"}, "номер заседания"),
    ({"kind": "order", "date": "02.09.2025"}, "ГГГГ-ММ-ДД"),
])
def test_a_bad_document_request_is_400(addon_app, workspace, google, tmp_path, body, words):
    book = association("zdvinsky-mmo")
    a = added(workspace, book, tmp_path)
    make_account(workspace.sf, "head", email=EMAIL, associations=[a])
    r = post(addon_app, "documents", {**body, **book.sheet_payload()}, token_for(google))
    assert r.status_code == 400 and words in r.json["error"]["message"]


# ---------------------------------------------------------------- connecting

def test_a_head_connects_the_sheet_and_then_generates_from_it(addon_app, workspace, google):
    head = make_account(workspace.sf, "head", email=EMAIL)
    book = association("zdvinsky-mmo")
    token = token_for(google)
    r = post(addon_app, "connect", book.sheet_payload(), token)
    assert r.status_code == 201, r.json
    [a] = workspace.associations()
    assert r.json["association"]["slug"] == a.slug and Path(a.source).name.startswith("gsheet-1FactoryBookSheet")
    assert workspace.latest_snapshot(a.id) is not None, "checked when added"
    info = post(addon_app, "check", book.sheet_payload(), token).json["addon"]
    assert info["association"]["slug"] == a.slug and info["may_generate"] is True
    again = post(addon_app, "connect", book.sheet_payload(), token)
    assert (again.status_code, again.json["error"]["code"]) == (409, "association.exists")
    # a document from a changed sheet makes the changed sheet the association's workbook
    book.meetings[0]["Тема"] = "Новая тема"
    post(addon_app, "documents", {"kind": "work-plan", **book.sheet_payload()}, token)
    versions = workspace.workbook_versions(a.id)
    assert len(versions) == 2 and versions[0].source != versions[1].source
    post(addon_app, "documents", {"kind": "work-plan", **book.sheet_payload()}, token)
    assert len(workspace.workbook_versions(a.id)) == 2, "an unchanged sheet is not copied again"
    assert head.id


def test_a_member_may_not_connect(addon_app, workspace, google):
    make_account(workspace.sf, "member", email=EMAIL)
    r = post(addon_app, "connect", association("zdvinsky-mmo").sheet_payload(), token_for(google))
    assert (r.status_code, r.json["error"]["code"]) == (403, "auth.forbidden")
    assert workspace.associations() == []


def test_the_copy_keeps_text_as_text(addon_app, workspace, google):
    make_account(workspace.sf, "head", email=EMAIL)
    book = association("zdvinsky-mmo")
    book.meetings[0]["Тема"] = "=HYPERLINK(\"http://evil.example\";\"нажми\")"
    post(addon_app, "connect", book.sheet_payload(), token_for(google))
    [a] = workspace.associations()
    import openpyxl
    cell = next(c for row in openpyxl.load_workbook(a.source)["Заседания"].iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("=HYPERLINK"))
    assert cell.data_type == "s"


# ---------------------------------------------------------------- limits and hostile requests

def test_too_many_bytes_is_413_before_reading(make_app, google):
    app = make_app(**addon_settings(google, ADDON_MAX_BYTES=2000))
    make_account(app.extensions["workspace"].sf, "head", email=EMAIL)
    r = post(app, "check", association("zdvinsky-mmo").sheet_payload(), token_for(google))
    assert (r.status_code, r.json["error"]["code"]) == (413, "addon.too_large")
    assert "МБ" in r.json["error"]["message"]


def test_too_many_tabs_rows_columns_or_cells_is_413_naming_what_to_remove(make_app, google, monkeypatch):
    monkeypatch.setenv("MO_DOCS_LIMIT_MAX_ROWS", "40")
    monkeypatch.setenv("MO_DOCS_LIMIT_MAX_COLUMNS", "30")
    monkeypatch.setenv("MO_DOCS_LIMIT_MAX_CELLS", "3000")
    tabs_of_a_register = len(association("zdvinsky-mmo").sheet_payload()["sheets"])
    app = make_app(**addon_settings(google, ADDON_MAX_TABS=tabs_of_a_register + 3))
    make_account(app.extensions["workspace"].sf, "head", email=EMAIL)
    token = token_for(google)
    payload = association("zdvinsky-mmo").sheet_payload()

    tabs = json.loads(json.dumps(payload))
    tabs["sheets"] += [{"name": f"Лист{i}", "values": [["x"]], "display_values": [["x"]]} for i in range(5)]
    rows = json.loads(json.dumps(payload))
    rows["sheets"][1]["values"] += [[""]] * 40 + [["Забытая строка"]]
    rows["sheets"][1]["display_values"] = None
    wide = json.loads(json.dumps(payload))
    wide["sheets"][1]["values"][0] += [""] * 30 + ["лишнее"]
    wide["sheets"][1]["display_values"] = None
    cells = json.loads(json.dumps(payload))
    cells["sheets"] += [{"name": f"Архив{i}", "values": [["x"] * 30 for _ in range(39)], "display_values": None}
                        for i in range(3)]
    from service.sources.base import column_letter
    last = column_letter(len(wide["sheets"][1]["values"][0]))
    for body, words in ((tabs, "листов"), (rows, "до строки 54"), (wide, f"до столбца {last}"), (cells, "ячеек")):
        r = post(app, "check", body, token)
        assert (r.status_code, r.json["error"]["code"]) == (413, "addon.too_large"), (words, r.json)
        assert words in r.json["error"]["message"]


@pytest.mark.parametrize("body, field", [
    ({"sheets": []}, "spreadsheet"),
    ({"spreadsheet": {"id": "short"}, "sheets": []}, "spreadsheet.id"),
    ({"spreadsheet": {"id": "1FactoryBookSheet_abcdefghijklmnop"}, "sheets": {}}, "sheets"),
    ({"spreadsheet": {"id": "1FactoryBookSheet_abcdefghijklmnop"}, "sheets": [{"name": "", "values": []}]},
     "sheets[0]"),
    ({"spreadsheet": {"id": "1FactoryBookSheet_abcdefghijklmnop"},
      "sheets": [{"name": "A", "values": [["x"]]}, {"name": "A", "values": [["y"]]}]}, "sheets[1]"),
    ({"spreadsheet": {"id": "1FactoryBookSheet_abcdefghijklmnop"},
      "sheets": [{"name": "A", "values": [[["nested"]]]}]}, "A"),
    ({"spreadsheet": {"id": "1FactoryBookSheet_abcdefghijklmnop"},
      "sheets": [{"name": "A", "values": [[{"date": 1}]]}]}, "A"),
    ({"spreadsheet": {"id": "1FactoryBookSheet_abcdefghijklmnop"},
      "sheets": [{"name": "A", "values": [["x", "y"]], "display_values": [["x"]]}]}, "sheets[0]"),
    ({"spreadsheet": {"id": "1FactoryBookSheet_abcdefghijklmnop"},
      "sheets": [{"name": "A", "values": "not rows"}]}, "sheets[0].values"),
])
def test_a_malformed_payload_is_400_saying_where(addon_app, workspace, google, body, field):
    make_account(workspace.sf, "head", email=EMAIL)
    r = post(addon_app, "check", body, token_for(google))
    assert (r.status_code, r.json["error"]["code"]) == (400, "request.invalid"), r.json
    assert r.json["error"]["details"]["field"] == field


@pytest.mark.parametrize("raw", [b"[]", b"not json", b"{" * 5000 + b"}" * 5000, b'"\\ud800"',
                                 '{"spreadsheet": {"id": "1FactoryBookSheet_abcdefghijklmnop", "name": "\\ud800"}, '
                                 '"sheets": []}'.encode()])
def test_hostile_bodies_get_a_sentence_never_a_500(addon_app, workspace, google, raw):
    make_account(workspace.sf, "head", email=EMAIL)
    r = addon_app.test_client().post("/api/v1/addon/check", data=raw, content_type="application/json",
                                     headers={"Authorization": f"Bearer {token_for(google)}"})
    assert r.status_code == 400 and r.json["error"]["message"]


def test_a_lone_surrogate_in_a_cell_is_refused(addon_app, workspace, google):
    make_account(workspace.sf, "head", email=EMAIL)
    payload = association("zdvinsky-mmo").sheet_payload()
    raw = json.dumps(payload, ensure_ascii=False).replace("Иванова", "\\ud800", 1).encode()
    r = addon_app.test_client().post("/api/v1/addon/check", data=raw, content_type="application/json",
                                     headers={"Authorization": f"Bearer {token_for(google)}"})
    assert r.status_code == 400 and "суррогат" in r.json["error"]["message"]


def test_each_account_has_its_own_rate_limit(make_app, google):
    app = make_app(**addon_settings(google, ADDON_REQUESTS_PER_MINUTE=2))
    make_account(app.extensions["workspace"].sf, "head", email=EMAIL)
    make_account(app.extensions["workspace"].sf, "head", email="other@zdvinsk-edu.ru")
    payload = association("zdvinsky-mmo").sheet_payload()
    assert [post(app, "check", payload, token_for(google)).status_code for _ in range(2)] == [200, 200]
    r = post(app, "check", payload, token_for(google))
    assert (r.status_code, r.json["error"]["code"]) == (429, "addon.rate_limited")
    assert 1 <= int(r.headers["Retry-After"]) <= 60 and "в минуту" in r.json["error"]["message"]
    assert post(app, "check", payload, token_for(google, "other@zdvinsk-edu.ru")).status_code == 200



def test_an_order_number_typed_as_a_number_is_a_number_of_the_order(addon_app, workspace, google, tmp_path):
    book = association("zdvinsky-mmo")
    a = added(workspace, book, tmp_path)
    make_account(workspace.sf, "head", email=EMAIL, associations=[a])
    token = token_for(google)
    r = post(addon_app, "documents", {"kind": "order", "number": 45, "date": "2024-09-02", **book.sheet_payload()},
             token)
    assert r.status_code == 202 and r.json["job"]["params"]["number"] == "45"
    bad = post(addon_app, "documents", {"kind": "order", "number": ["45"], **book.sheet_payload()}, token)
    assert (bad.status_code, bad.json["error"]["details"]) == (400, {"field": "number"})
    assert not any((Path(workspace.settings["WORKBOOKS_DIR"]) / ".sent").glob("*.json"))


def test_a_job_is_followed_only_by_those_who_see_its_association(addon_app, workspace, google, tmp_path):
    book = association("zdvinsky-mmo")
    a = added(workspace, book, tmp_path)
    make_account(workspace.sf, "head", email=EMAIL, associations=[a])
    make_account(workspace.sf, "head", email="stranger@zdvinsk-edu.ru")
    r = post(addon_app, "documents", {"kind": "work-plan", **book.sheet_payload()}, token_for(google))
    job_id = r.json["job"]["id"]
    stranger = addon_app.test_client().get(
        f"/api/v1/jobs/{job_id}", headers={"Authorization": f"Bearer {token_for(google, 'stranger@zdvinsk-edu.ru')}"})
    assert (stranger.status_code, stranger.json["error"]["code"]) == (404, "job.not_found")
    expired = addon_app.test_client().get(f"/api/v1/jobs/{job_id}", headers={
        "Authorization": f"Bearer {token_for(google, exp=int(time.time()) - 900, iat=int(time.time()) - 4500)}"})
    assert (expired.status_code, expired.json["error"]["code"]) == (401, "auth.token_expired")
