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


def test_other_host_names_are_refused(anonymous):
    assert anonymous.get("/login", headers={"Host": "attacker.example:8000"}).status_code == 400
    assert anonymous.get("/login", headers={"Host": "127.0.0.1:8000"}).status_code == 200


def test_api_shows_file_names_not_server_paths(client, ws, tmp_path):
    ws.add_association(str(association().save(tmp_path / "mmo.xlsx")), "тест")
    body = client.get("/api/v1/associations").json["associations"][0]
    assert body["source"] == "mmo.xlsx"
    slug = body["slug"]
    job = client.post(f"/api/v1/associations/{slug}/documents", json={"kind": "work-plan"}).json["job"]
    assert job["result"]["location"] == "План работы на 2024-2025 учебный год.docx"
    assert str(tmp_path) not in client.get(job["links"]["self"]).get_data(as_text=True)


def test_the_same_register_uploaded_twice_points_to_the_existing_association(client, ws, tmp_path):
    from tests.web.helpers import submit

    path = association().save(tmp_path / "mmo.xlsx")
    stored_before = None
    for attempt in (1, 2):
        with open(path, "rb") as fh:
            r = submit(client, "/upload", {"workbook": (fh, "mmo.xlsx")}, page="/upload",
                       content_type="multipart/form-data")
        if attempt == 1:
            assert r.status_code == 302
            stored_before = sorted(p.name for p in (tmp_path / "instance" / "workbooks").glob("*.xlsx")) \
                if (tmp_path / "instance" / "workbooks").exists() else None
    assert r.status_code == 409
    page = r.get_data(as_text=True)
    assert "уже есть" in page and "Заменить книгу" in page and 'href="/a/' in page
    assert len(ws.associations()) == 1
    workbooks = sorted(p.name for p in __import__("pathlib").Path(ws.settings["WORKBOOKS_DIR"]).glob("*.xlsx"))
    assert len(workbooks) == 1                                   # the second copy was not kept


def test_a_copy_of_another_territorys_register_does_not_name_it(app, ws, tmp_path):
    """The head of B uploaded a copy of A's workbook and got A's name, year, address and
    link: an association outside one's scope must not exist for them."""
    from tests.accounts.factories import signed_in_client
    from tests.web.helpers import add, main, upload, visible

    a = add(ws, tmp_path, association("zdvinsky-mmo"), name="a.xlsx")
    other = association("zdvinsky-mmo")
    other.info["Территория"] = "Чулымский район"
    other.info["Наименование МО"] = "ММО учителей математики Чулымского района"
    b = add(ws, tmp_path, other, name="b.xlsx")
    head_b = signed_in_client(app, "head", associations=[b])
    r = upload(head_b, (tmp_path / "a.xlsx").read_bytes(), "копия.xlsx")
    page = r.get_data(as_text=True)
    assert r.status_code == 409 and a.slug not in page and a.name not in page and a.short_name not in page
    assert "Такая книга уже зарегистрирована в службе" in visible(main(page)) and "куратору" in page
    curator = signed_in_client(app, "curator", territories=[a.territory])           # who sees it is shown the way
    page = upload(curator, (tmp_path / "a.xlsx").read_bytes(), "копия.xlsx").get_data(as_text=True)
    assert f'href="/a/{a.slug}"' in page and "Заменить книгу" in page
    assert len(ws.associations()) == 2
