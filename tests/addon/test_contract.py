"""The contract between the add-on and the service: the payload the real addon/Code.gs
builds from a spreadsheet (a fake one, in a time zone seven hours from UTC), sent over
HTTP with a real RS256 ID token to the real Flask app, gives exactly the findings that
the same data saved as .xlsx gives to `mo-docs validate --format json` — and every
finding with a cell is marked in that cell."""
from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest

from service.cli import main as mo_docs
from tests.addon.harness import head_of, run_code, tabs_of, with_mistakes

pytestmark = [pytest.mark.system("node"), pytest.mark.timeout(240)]

TIME_ZONE = "Asia/Novosibirsk"


def validate_json(book, path, as_of: dt.date, capsys) -> dict:
    book.save(path)
    capsys.readouterr()
    code = mo_docs(["validate", str(path), "--format", "json", "--as-of", as_of.isoformat()])
    assert code in (0, 1)
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("regulation, title_rows", [
    ("zdvinsky-mmo", 0), ("zdvinsky-mmo", 2), ("kamensk-uralsky-cpmss", 0), ("novokuznetsk-gpmo", 1),
    ("zalesovo-mmo", 0),
])
def test_the_addon_finds_what_validate_finds_in_the_same_data(addon_app, served, google, node, tmp_path, capsys,
                                                              regulation, title_rows):
    book = with_mistakes(regulation, title_rows)
    today = dt.datetime.now(ZoneInfo(TIME_ZONE)).date()
    expected = validate_json(book, tmp_path / "register.xlsx", today, capsys)
    assert expected["counts"]["error"] > 3, "the register must have mistakes to compare"
    head_of(addon_app)
    token = google.id_token(google.claims("belova@zdvinsk-edu.ru"))

    run = run_code(node, served.url, token, tabs_of(book), [{"fn": "checkSheet"}], time_zone=TIME_ZONE)

    answer = run.results[0]
    assert "error" not in answer, answer
    assert answer["findings"] == expected["findings"]
    for key in ("regulation", "school_year", "as_of", "counts"):
        assert answer[key] == expected[key], key
    [request] = run.requests
    assert request["method"] == "post" and request["url"] == served.url + "/api/v1/addon/check"
    assert request["headers"]["Authorization"] == f"Bearer {token}"
    marked = {(f["sheet"], f["cell"]) for f in expected["findings"] if f["sheet"] and f["cell"]}
    assert answer["marked"] == len(marked)
    for sheet, cell in marked:
        note = run.cells[f"{sheet}!{cell}"]["note"]
        assert all(f["message"] in note for f in expected["findings"] if (f["sheet"], f["cell"]) == (sheet, cell))


def test_the_python_factory_sends_what_code_gs_sends(addon_app, served, google, node, tmp_path):
    """tests/factories.Book.sheet_payload() — used by the API tests and the bench — is the
    payload the real add-on builds for the same book."""
    book = with_mistakes("zdvinsky-mmo", title_rows=1)
    seen = []

    @addon_app.before_request
    def _keep():
        from flask import request
        seen.append(request.get_json(silent=True))

    head_of(addon_app)
    run_code(node, served.url, google.id_token(google.claims("belova@zdvinsk-edu.ru")), tabs_of(book),
             [{"fn": "checkSheet"}], time_zone=TIME_ZONE, spreadsheet_id="1FactoryBookSheet_abcdefghijklmnop",
             name="test")
    sent = seen[0]
    mine = book.sheet_payload(time_zone=TIME_ZONE)
    assert sent["spreadsheet"]["id"] == mine["spreadsheet"]["id"]
    assert [s["name"] for s in sent["sheets"]] == [s["name"] for s in mine["sheets"]]
    for theirs, ours in zip(sent["sheets"], mine["sheets"]):
        assert theirs["values"] == ours["values"], theirs["name"]
        assert theirs["display_values"] == ours["display_values"], theirs["name"]


def test_a_protocol_asked_for_by_the_addon_is_filed_followed_and_linked_in_the_sheet(addon_app, served, google, node,
                                                                                      tmp_path):
    """The real Code.gs asks for a protocol, follows its job at /api/v1/jobs/{id} with the same
    Google ID token, and writes the document's link into «Заседания» on its meeting's row."""
    from pathlib import Path

    from tests.factories import association

    ws = addon_app.extensions["workspace"]
    book = association("zdvinsky-mmo")
    folder = Path(ws.settings["WORKBOOKS_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    a = ws.add_association(str(book.save(folder / "r.xlsx")), "тест")
    head_of(addon_app, a)
    token = google.id_token(google.claims("belova@zdvinsk-edu.ru"))
    run = run_code(node, served.url, token, tabs_of(book), [
        {"fn": "requestDocument", "args": [{"kind": "protocol", "meeting": 3}]},
        {"fn": "jobStatus", "args": [{"$from": -1, "path": "job.id"}]},
    ], time_zone=TIME_ZONE)
    accepted, job = run.results
    assert job["state"] == "done", job
    assert job["result"]["name"] == "Протокол №3 от 18.02.2025.docx"
    assert job["links"]["document"] == f"{served.url}/a/{a.slug}/documents/{job['result']['document_id']}"
    assert [r["method"] for r in run.requests] == ["post", "get"]
    assert all(r["headers"]["Authorization"] == f"Bearer {token}" for r in run.requests)
    link = {**accepted["link"], "name": "Протокол №3 от 18.02.2025", "url": job["links"]["document"]}
    written = run_code(node, served.url, token, tabs_of(book), [{"fn": "writeDocumentLink", "args": [link]}],
                       time_zone=TIME_ZONE).results[0]
    assert written == {"sheet": "Заседания", "cell": "I4"}, "the first free column, meeting 3's row"
