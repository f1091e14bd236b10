"""Regressions from the code review: regulation changes, bad input to the API, Host
names, server paths."""
from tests.factories import association


def test_a_changed_regulation_in_the_workbook_is_followed(ws, tmp_path):
    a = ws.add_association(str(association("zdvinsky-mmo").save(tmp_path / "a.xlsx")), "тест")
    assert a.regulation_id == "zdvinsky-mmo"
    ws.replace_source(a.id, str(association("zalesovo-mmo").save(tmp_path / "b.xlsx")), "тест")
    ws.check(a.id)
    assert ws.by_id(a.id).regulation_id == "zalesovo-mmo"
    assert ws.latest_snapshot(a.id).regulation_id == "zalesovo-mmo"


def test_a_regulation_chosen_at_upload_still_wins(ws, tmp_path):
    a = ws.add_association(str(association("zdvinsky-mmo").save(tmp_path / "a.xlsx")), "тест",
                           regulation_id="kamensk-uralsky-cpmss")
    ws.check(a.id)
    assert ws.by_id(a.id).regulation_id == "kamensk-uralsky-cpmss"


def test_api_refuses_an_unknown_regulation_with_400(client):
    for bad in ("nope", 5, ["zdvinsky-mmo"]):
        r = client.post("/api/v1/associations", json={"source": "gsheet:1AbC", "regulation": bad})
        assert r.status_code == 400 and r.json["error"]["code"] == "regulation.unknown"


def test_other_host_names_are_refused(client):
    assert client.get("/", headers={"Host": "attacker.example:8000"}).status_code == 400
    assert client.get("/", headers={"Host": "127.0.0.1:8000"}).status_code == 200


def test_api_shows_file_names_not_server_paths(client, ws, tmp_path):
    ws.add_association(str(association().save(tmp_path / "mmo.xlsx")), "тест")
    body = client.get("/api/v1/associations").json["associations"][0]
    assert body["source"] == "mmo.xlsx"
    slug = body["slug"]
    job = client.post(f"/api/v1/associations/{slug}/documents", json={"kind": "work-plan"}).json["job"]
    assert job["result"]["location"] == "План работы на 2024-2025 учебный год.docx"
    assert str(tmp_path) not in client.get(job["links"]["self"]).get_data(as_text=True)
