"""The documents each regulation requires, through the web: the association page's buttons
(required first, with the clause), the API's list of kinds for the add-on, the data bank in
two formats, and personal data only for those allowed to see it."""
from __future__ import annotations

import io
import re

import openpyxl
import pytest

from service.kinds import CATALOGUE
from service.web import auth
from tests.factories import association
from tests.web.helpers import XSS, Contract, add, follow, forms, main, submit, visible

API = "/api/v1"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def contract(client) -> Contract:
    return Contract(client.get(f"{API}/openapi.json").get_json())


@pytest.fixture
def not_allowed(monkeypatch):
    """The person asking may not see personal data (what accounts will decide)."""
    monkeypatch.setattr(auth, "may_view_personal", lambda association: False)


def year_buttons(body: str, group: str) -> dict[str, dict]:
    section = body.split(f'id="{group}"', 1)[1].split("</div>", 1)[0]
    return {f["button"]: f["fields"] for f in forms(section)}


def test_the_page_offers_what_the_regulation_requires_first_with_the_clause(client, ws, tmp_path):
    a = add(ws, tmp_path, association("kamensk-uralsky-cpmss"))
    body = main(client.get(f"/a/{a.slug}").get_data(as_text=True))
    required = year_buttons(body, "required-kinds")
    assert list(required) == ["Приказ о составе", "Анализ работы", "План работы", "Банк данных педагогов (.xlsx)",
                              "Банк данных педагогов (.docx)", "Банк эффективных практик"]
    assert required["Банк данных педагогов (.docx)"] == {"kind": "data-bank", "format": "docx",
                                                         "csrf_token": required["Банк данных педагогов (.docx)"]
                                                         ["csrf_token"]}
    text = visible(body.split('id="required-kinds"', 1)[1].split("</div>", 1)[0])
    assert "п. 9.4 Положения: Банк данных о педагогах МО (в электронном виде)" in text
    assert "п. 9.5 Положения: Банк эффективных педагогических практик" in text
    others = year_buttons(body, "other-kinds")
    assert set(others) == {CATALOGUE[k].title for k in ("attestation-schedule", "cyclogram", "young-specialists-plan",
                                                        "needs", "portfolio", "self-assessment")}
    assert body.count('name="personal"') == 2                            # both data bank buttons


def test_personal_data_is_offered_only_to_those_allowed(client, ws, tmp_path, not_allowed):
    a = add(ws, tmp_path, association("kamensk-uralsky-cpmss"))
    body = main(client.get(f"/a/{a.slug}").get_data(as_text=True))
    assert 'name="personal"' not in body and "Банк данных педагогов (.xlsx)" in visible(body)


def test_a_data_bank_from_its_button_to_a_table_preview(client, ws, tmp_path):
    b = association("kamensk-uralsky-cpmss")
    b.members[5]["ФИО"] = f"Лебедева {XSS} Николаевна"
    a = add(ws, tmp_path, b)
    r = submit(client, f"/a/{a.slug}/documents", {"kind": "data-bank", "format": "xlsx"}, page=f"/a/{a.slug}")
    job_page = follow(client, r).get_data(as_text=True)
    assert "Документ готов: Банк данных педагогов на 2024-2025 учебный год.xlsx" in visible(main(job_page))
    link = re.search(r'id="download" href="([^"]+)">Скачать \.xlsx</a>', job_page).group(1)
    got = client.get(link)
    assert got.status_code == 200 and got.mimetype == XLSX
    assert openpyxl.load_workbook(io.BytesIO(got.data)).sheetnames == ["Банк данных", "Состав по показателям"]
    preview = client.get(link + "/preview").get_data(as_text=True)
    assert XSS not in preview and "&lt;script&gt;" in preview               # the cell is text, escaped
    table = main(preview).split('id="sheet"', 1)[1]
    assert "Иванова Мария Петровна" in visible(table) and "Квалификационная категория" in visible(table)
    assert "Скачать .xlsx" in preview


def test_a_data_bank_with_personal_data_is_only_for_those_allowed(client, ws, tmp_path, monkeypatch):
    a = add(ws, tmp_path, association("kamensk-uralsky-cpmss"))
    r = submit(client, f"/a/{a.slug}/documents", {"kind": "data-bank", "format": "docx", "personal": "on"},
               page=f"/a/{a.slug}")
    follow(client, r)
    [version] = ws.documents(a)
    assert version.number == "docx-personal"
    page = visible(main(client.get(f"/a/{a.slug}").get_data(as_text=True)))
    assert "(с личными данными).docx (личные данные)" in page
    download = f"/a/{a.slug}/documents/{version.id}"
    assert client.get(download).status_code == 200
    assert "открыт документ с личными данными" in visible(main(client.get(f"/a/{a.slug}").get_data(as_text=True)))

    monkeypatch.setattr(auth, "may_view_personal", lambda association: False)
    for url in (download, download + "/preview"):
        denied = client.get(url)
        assert denied.status_code == 403
        assert "личные данные педагогов" in visible(main(denied.get_data(as_text=True)))
        assert "teacher0@school.ru" not in denied.get_data(as_text=True)
    refused = submit(client, f"/a/{a.slug}/documents", {"kind": "data-bank", "personal": "on"}, page=f"/a/{a.slug}")
    assert refused.status_code == 403 and len(ws.documents(a)) == 1


def test_the_api_lists_the_kinds_for_the_add_on(client, contract):
    body = client.get(f"{API}/kinds").get_json()
    contract.response("/kinds", "get", 200, body)
    assert [k["kind"] for k in body["kinds"]] == list(CATALOGUE)
    bank = next(k for k in body["kinds"] if k["kind"] == "data-bank")
    assert bank == {"kind": "data-bank", "title": "Банк данных педагогов", "formats": ["xlsx", "docx"],
                    "needs": None, "options": ["personal"], "required": None}
    protocol = next(k for k in body["kinds"] if k["kind"] == "protocol")
    assert protocol["needs"] == "meeting"
    zdvinsky = client.get(f"{API}/kinds?regulation=zdvinsky-mmo").get_json()
    contract.response("/kinds", "get", 200, zdvinsky)
    required = {k["kind"]: k["required"] for k in zdvinsky["kinds"] if k["required"]}
    assert required["needs"] == {"clause": "разд. 6", "title": "Сведения о профессиональных потребностях "
                                                               "педагогических работников ММО"}
    assert "data-bank" not in required and zdvinsky["regulation"] == "zdvinsky-mmo"
    for typed in ("../../etc", "a" * 300, "я" * 200):            # 300 bytes were ENAMETOOLONG: a 500
        unknown = client.get(f"{API}/kinds", query_string={"regulation": typed})
        assert unknown.status_code == 400 and unknown.get_json()["error"]["code"] == "regulation.unknown"
        contract.response("/kinds", "get", 400, unknown.get_json())


def test_the_api_makes_each_format_and_refuses_what_the_kind_does_not_have(client, ws, contract, tmp_path):
    a = add(ws, tmp_path, association("novokuznetsk-gpmo"))
    path = "/associations/{slug}/documents"
    for body in ({"kind": "data-bank"}, {"kind": "data-bank", "format": "docx", "personal": True}):
        contract.schema("DocumentRequest", body)
        r = client.post(f"{API}/associations/{a.slug}/documents", json=body)
        assert r.status_code == 202 and r.get_json()["job"]["state"] == "done", r.get_json()
        contract.response(path, "post", 202, r.get_json())
    listed = client.get(f"{API}/associations/{a.slug}/documents").get_json()["documents"]
    assert sorted((d["number"], d["personal"]) for d in listed) == [("docx-personal", True), ("xlsx", False)]
    for bad, message in (({"kind": "needs", "format": "xlsx"}, "формате docx"),
                         ({"kind": "needs", "personal": True}, "только в банке данных"),
                         ({"kind": "data-bank", "format": ["xlsx"]}, "xlsx или docx")):
        r = client.post(f"{API}/associations/{a.slug}/documents", json=bad)
        assert r.status_code == 400 and message in r.get_json()["error"]["message"], r.get_json()
        contract.response(path, "post", 400, r.get_json())


def test_the_api_refuses_personal_data_to_those_not_allowed(client, ws, contract, tmp_path, not_allowed):
    a = add(ws, tmp_path, association("novokuznetsk-gpmo"))
    r = client.post(f"{API}/associations/{a.slug}/documents", json={"kind": "data-bank", "personal": True})
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "personal.forbidden"
    contract.response("/associations/{slug}/documents", "post", 403, r.get_json())
    assert ws.documents(a) == []


def test_an_order_number_typed_as_a_number_is_taken_as_text(client, ws, contract, tmp_path):
    """JSON {"number": 45} used to fail with 500: it is the order's number «45»."""
    a = add(ws, tmp_path, association("zdvinsky-mmo"))
    r = client.post(f"{API}/associations/{a.slug}/documents", json={"kind": "order", "number": 45})
    assert r.status_code == 202 and r.get_json()["job"]["params"]["number"] == "45"


@pytest.mark.parametrize("kind", ["attestation-schedule", "needs", "young-specialists-plan"])
def test_zdvinsky_documents_through_the_queue(client, ws, tmp_path, kind):
    a = add(ws, tmp_path, association("zdvinsky-mmo"))
    r = submit(client, f"/a/{a.slug}/documents", {"kind": kind}, page=f"/a/{a.slug}")
    page = main(follow(client, r).get_data(as_text=True))
    assert CATALOGUE[kind].title in visible(page) and "Документ готов" in visible(page)
    assert ">Скачать .docx</a>" in page
