"""The JSON API (for the Sheets add-on and scripts): every answer is checked against the
OpenAPI description the service itself serves at /api/v1/openapi.json."""
from __future__ import annotations

import datetime as dt
import re

import openapi_spec_validator
import pytest

from service.workspace.demo import ensure_demo
from service.workspace.models import Association
from tests.accounts.factories import signed_in_client
from tests.factories import association
from tests.web.helpers import CYRILLIC, Contract, add, docx_text

API = "/api/v1"


@pytest.fixture
def contract(client) -> Contract:
    r = client.get(f"{API}/openapi.json")
    assert r.status_code == 200 and r.mimetype == "application/json"
    return Contract(r.get_json())


def book(**info):
    b = association("zdvinsky-mmo")
    b.info.update(info)
    return b


def get(client, contract, path: str, template: str, status: int = 200):
    r = client.get(f"{API}{path}")
    assert r.status_code == status, r.get_data(as_text=True)
    assert r.mimetype == "application/json"
    contract.response(template, "get", status, r.get_json())
    return r.get_json()


def post(client, contract, path: str, template: str, body, status: int = 202):
    if status == 202 and template.endswith("/documents"):
        contract.schema("DocumentRequest", body)                          # the test asks as documented
    r = client.post(f"{API}{path}", json=body)
    assert r.status_code == status, r.get_data(as_text=True)
    contract.response(template, "post", status, r.get_json())
    return r.get_json()


# ---------------------------------------------------------------- the description

def test_the_description_is_valid_openapi_and_covers_every_route(client, contract):
    openapi_spec_validator.validate(contract.spec)
    documented = {(path, method) for path, ops in contract.spec["paths"].items() for method in ops}
    served = set()
    for rule in client.application.url_map.iter_rules():
        if rule.rule.startswith(API):
            path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule[len(API):])
            served |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert served == documented


# ---------------------------------------------------------------- reading

def test_list_and_one_association(client, ws, contract):
    ensure_demo(ws)
    body = get(client, contract, "/associations", "/associations")
    listed = body["associations"]
    assert [a["slug"] for a in listed] == [a.slug for a in ws.associations()]
    assert len(listed) == 3
    gpmo = next(a for a in listed if a["slug"] == "gpmo-istorikov")
    row = ws.association("gpmo-istorikov")
    assert gpmo["short_name"] == "ГПМО историков" and gpmo["regulation"] == "novokuznetsk-gpmo"
    assert gpmo["status"] == {"errors": row.errors, "warnings": row.warnings, "unreadable": None}
    assert row.errors > 0
    for a in listed:
        one = get(client, contract, f"/associations/{a['slug']}", "/associations/{slug}")
        assert one == a
        assert client.get(a["links"]["page"]).status_code == 200
        assert client.get(a["links"]["findings"]).status_code == 200
        assert client.get(a["links"]["documents"]).status_code == 200
    raw = client.get(f"{API}/associations").data
    assert "ГПМО историков".encode() in raw                               # Russian as it is, not \u escapes


def test_next_deadline_and_an_unreadable_book(client, ws, contract, tmp_path):
    a = add(ws, tmp_path, book(), today=dt.date(2025, 3, 1))
    one = get(client, contract, f"/associations/{a.slug}", "/associations/{slug}")
    assert one["next_deadline"] == {"date": "2025-05-20", "what": "заседание №4: Тема заседания 4"}
    (tmp_path / "book.xlsx").write_bytes(b"")
    ws.check(a.id)
    one = get(client, contract, f"/associations/{a.slug}", "/associations/{slug}")
    assert one["status"]["unreadable"] == "Файл пуст." and one["status"]["errors"] is None


def test_findings(client, ws, contract):
    ensure_demo(ws)
    a = ws.association("gpmo-istorikov")
    body = get(client, contract, f"/associations/{a.slug}/findings", "/associations/{slug}/findings")
    assert body["association"] == a.slug and body["regulation"] == "novokuznetsk-gpmo"
    assert body["counts"]["error"] == a.errors and body["counts"]["warning"] == a.warnings
    assert sum(f["severity"] == "error" for f in body["findings"]) == a.errors
    assert all(CYRILLIC.search(f["message"]) for f in body["findings"])
    assert any(f["cell"] and f["sheet"] for f in body["findings"])


def test_findings_of_an_association_never_checked(client, ws, contract):
    with ws.sf() as s, s.begin():
        s.add(Association(slug="novoe", name="Новое МО", source="/nowhere.xlsx"))
    body = get(client, contract, "/associations/novoe/findings", "/associations/{slug}/findings")
    assert body == {"association": "novoe", "checked_at": None, "findings": [], "counts": None}
    one = get(client, contract, "/associations/novoe", "/associations/{slug}")
    assert one["status"] == {"errors": None, "warnings": None, "unreadable": None}


# ---------------------------------------------------------------- asking for work

def test_request_a_protocol_and_follow_its_job(client, ws, contract, tmp_path):
    a = add(ws, tmp_path, book())
    accepted = post(client, contract, f"/associations/{a.slug}/documents", "/associations/{slug}/documents",
                    {"kind": "protocol", "meeting": 2})
    assert accepted["created"] is True
    job = accepted["job"]
    assert job["kind"] == "generate" and job["state"] == "done"          # the queue ran it inline
    assert job["params"]["kind"] == "protocol" and job["params"]["meeting"] == 2
    assert job["links"]["page"] == f"/jobs/{job['id']}"
    again = get(client, contract, f"/jobs/{job['id']}", "/jobs/{job_id}")
    assert again["state"] == "done" and again["result"]["location"].endswith("Протокол №2 от 10.12.2024.docx")
    assert again["result"]["version"] == 1 and again["result"]["changed"] is True

    docs = get(client, contract, f"/associations/{a.slug}/documents", "/associations/{slug}/documents")
    [doc] = docs["documents"]
    assert (doc["kind"], doc["year"], doc["number"], doc["version"]) == ("protocol", "2024-2025", "2", 1)
    t = docx_text(client.get(doc["download"]).data)
    assert "ПРОТОКОЛ" in t and "Секретарь – Е.С. Смирнова" in t

    second = post(client, contract, f"/associations/{a.slug}/documents", "/associations/{slug}/documents",
                  {"kind": "protocol", "meeting": 2})
    assert second["job"]["result"]["changed"] is False                   # the same document, not a second one
    assert [d["version"] for d in get(client, contract, f"/associations/{a.slug}/documents",
                                      "/associations/{slug}/documents")["documents"]] == [1]


def test_the_same_request_while_queued_is_the_same_job(queued_app, tmp_path):
    client, ws = signed_in_client(queued_app), queued_app.extensions["workspace"]
    contract = Contract(client.get(f"{API}/openapi.json").get_json())
    a = add(ws, tmp_path, book())
    body = {"kind": "order", "number": "45-ОД", "date": "2024-09-02"}
    first = post(client, contract, f"/associations/{a.slug}/documents", "/associations/{slug}/documents", body)
    second = post(client, contract, f"/associations/{a.slug}/documents", "/associations/{slug}/documents", body)
    assert (first["created"], second["created"]) == (True, False)
    assert first["job"]["id"] == second["job"]["id"] and second["job"]["state"] == "queued"
    other = post(client, contract, f"/associations/{a.slug}/documents", "/associations/{slug}/documents",
                 {**body, "number": "46-ОД"})
    assert other["created"] is True and other["job"]["id"] != first["job"]["id"]


def test_a_refused_document_says_why_and_force_makes_it(client, ws, contract, tmp_path):
    b = book()
    b.meeting(2)["Секретарь"] = None
    a = add(ws, tmp_path, b)
    refused = post(client, contract, f"/associations/{a.slug}/documents", "/associations/{slug}/documents",
                   {"kind": "protocol", "meeting": 2})["job"]
    assert refused["state"] == "failed" and refused["error"]["code"] == "document.refused"
    assert CYRILLIC.search(refused["error"]["message"])
    assert [f["code"] for f in refused["error"]["findings"]] == ["meeting.no_signers"]
    contract.schema("Finding", refused["error"]["findings"][0])
    forced = post(client, contract, f"/associations/{a.slug}/documents", "/associations/{slug}/documents",
                  {"kind": "protocol", "meeting": 2, "force": True})["job"]
    assert forced["state"] == "done" and any("не указан секретарь" in m for m in forced["result"]["forced"])


def test_a_meeting_that_does_not_exist_fails_its_job_plainly(client, ws, contract, tmp_path):
    a = add(ws, tmp_path, book())
    job = post(client, contract, f"/associations/{a.slug}/documents", "/associations/{slug}/documents",
               {"kind": "protocol", "meeting": 9})["job"]
    assert job["state"] == "failed" and "заседания №9 нет" in job["error"]["message"]


def test_check_again(client, ws, contract, tmp_path):
    a = add(ws, tmp_path, book())
    job = post(client, contract, f"/associations/{a.slug}/check", "/associations/{slug}/check", {})["job"]
    assert job["kind"] == "check" and job["state"] == "done"
    assert job["result"]["counts"] == {"error": 0, "warning": 0, "info": 0}


def test_annual_reports_for_every_association(client, ws, contract, tmp_path):
    for i, short in enumerate(("ММО математиков", "ММО физиков")):
        add(ws, tmp_path, book(**{"Краткое наименование": short}), f"{i}.xlsx")
    job = post(client, contract, "/reports/annual", "/reports/annual", {})["job"]
    assert job["kind"] == "annual-all" and job["state"] == "done"
    assert job["progress"] == {"done": 2, "total": 2}
    assert [d["association"] for d in job["result"]["documents"]] == [a.name for a in ws.associations()]
    assert all(d["location"].endswith("Анализ работы за 2024-2025 учебный год.docx")
               for d in job["result"]["documents"])


# ---------------------------------------------------------------- refusals

@pytest.fixture
def slug(ws, tmp_path):
    return add(ws, tmp_path, book()).slug


BAD_REQUESTS = {
    "unknown kind": {"kind": "minutes"},
    "no kind": {"meeting": 1},
    "protocol without a meeting": {"kind": "protocol"},
    "registration sheet without meeting or plan item": {"kind": "registration-sheet"},
    "meeting not a number": {"kind": "protocol", "meeting": "второе"},
    "meeting zero": {"kind": "protocol", "meeting": 0},
    "date not a date": {"kind": "order", "date": "02.09.2024"},
    "body a list": [{"kind": "order"}],
}


@pytest.mark.parametrize("case", list(BAD_REQUESTS))
def test_a_bad_document_request_is_400(client, ws, contract, slug, case):
    body = post(client, contract, f"/associations/{slug}/documents", "/associations/{slug}/documents",
                BAD_REQUESTS[case], status=400)
    assert body["error"]["code"] == "request.invalid" and CYRILLIC.search(body["error"]["message"])
    assert ws.documents(ws.association(slug)) == []


def test_a_body_that_is_not_json_is_400(client, contract, slug):
    r = client.post(f"{API}/associations/{slug}/documents", data="{kind: protocol", content_type="application/json")
    assert r.status_code == 400
    contract.response("/associations/{slug}/documents", "post", 400, r.get_json())


@pytest.mark.parametrize("path, template", [
    ("/associations/{slug}/documents", "/associations/{slug}/documents"),
    ("/associations/{slug}/check", "/associations/{slug}/check"),
    ("/reports/annual", "/reports/annual"),
])
@pytest.mark.parametrize("how", ["form", "text", "nothing"])
def test_a_post_that_is_not_json_is_415(client, contract, slug, path, template, how):
    kwargs = {"form": {"data": {"kind": "order"}}, "text": {"data": '{"kind": "order"}', "content_type": "text/plain"},
              "nothing": {}}[how]
    r = client.post(f"{API}{path.format(slug=slug)}", **kwargs)
    assert r.status_code == 415
    body = r.get_json()
    contract.response(template, "post", 415, body)
    assert body["error"] == {"code": "request.not_json",
                             "message": "Ожидается JSON (Content-Type: application/json)."}


@pytest.mark.parametrize("method, path, template", [
    ("get", "/associations/nobody", "/associations/{slug}"),
    ("get", "/associations/nobody/findings", "/associations/{slug}/findings"),
    ("get", "/associations/nobody/documents", "/associations/{slug}/documents"),
    ("post", "/associations/nobody/documents", "/associations/{slug}/documents"),
    ("post", "/associations/nobody/check", "/associations/{slug}/check"),
    ("get", "/jobs/00000000-0000-0000-0000-000000000000", "/jobs/{job_id}"),
])
def test_unknown_association_or_job_is_404(client, contract, method, path, template):
    r = getattr(client, method)(f"{API}{path}", json={"kind": "order"} if method == "post" else None)
    assert r.status_code == 404
    contract.response(template, method, 404, r.get_json())
    assert r.get_json()["error"]["code"] in ("association.not_found", "job.not_found")
    assert CYRILLIC.search(r.get_json()["error"]["message"])


@pytest.mark.parametrize("method, path", [
    ("delete", "/associations"), ("put", "/associations/{slug}"), ("delete", "/associations/{slug}"),
    ("post", "/associations/{slug}/findings"), ("patch", "/jobs/x"), ("get", "/reports/annual"),
    ("get", "/associations/{slug}/check"), ("put", "/openapi.json"),
])
def test_a_wrong_method_is_405(client, contract, slug, method, path):
    r = getattr(client, method)(f"{API}{path.format(slug=slug)}", json={})
    assert r.status_code == 405
    contract.schema("Error", r.get_json())
    assert r.get_json()["error"] == {"code": "method_not_allowed", "message": "Этот метод здесь не поддерживается."}


@pytest.mark.parametrize("method, path, status", [("delete", "/associations/{slug}", 405),
                                                  ("delete", "/associations", 405), ("post", "/no-such-thing", 404)])
def test_a_wrong_method_without_a_body_is_still_405(client, slug, method, path, status):
    r = getattr(client, method)(f"{API}{path.format(slug=slug)}")
    assert r.status_code == status


def test_times_say_their_zone(client, ws, contract, tmp_path):
    a = add(ws, tmp_path, book())
    stamps = [get(client, contract, f"/associations/{a.slug}", "/associations/{slug}")["checked_at"],
              get(client, contract, f"/associations/{a.slug}/findings", "/associations/{slug}/findings")["checked_at"],
              post(client, contract, f"/associations/{a.slug}/check", "/associations/{slug}/check",
                   {})["job"]["created_at"]]
    for stamp in stamps:
        assert dt.datetime.fromisoformat(stamp).utcoffset() is not None, stamp


@pytest.mark.parametrize("meeting", [True, 2.5], ids=["true", "2.5"])
def test_a_meeting_that_is_not_a_whole_number_is_400(client, ws, slug, meeting):
    r = client.post(f"{API}/associations/{slug}/documents", json={"kind": "protocol", "meeting": meeting})
    assert r.status_code == 400
    assert ws.documents(ws.association(slug)) == []
