"""Scope beyond single routes: «Состав» offers an association to the accounts it names
(confirmed once by an admin), members' personal data is shown only to those allowed and
every view is in the journal, a curator's bulk job covers only their territory, and a
request authenticated by other means (the add-on) acts as its account with `act_as`."""
from __future__ import annotations

from flask import Blueprint, jsonify

from service.accounts import directory
from service.accounts.principal import principal_for_account, principal_for_email
from tests.accounts.factories import make_account, signed_in_client
from tests.factories import association
from tests.web.helpers import add, csrf_token, submit


def test_the_workbook_offers_its_association_to_the_head_and_an_admin_confirms(client, ws, tmp_path):
    book = association("zdvinsky-mmo")
    head_row = next(m for m in book.members if m["Роль в МО"] == "руководитель")
    head_row["E-mail"] = "Head.Of.Math@MO.example"
    account = make_account(ws.sf, "head", email="head.of.math@mo.example")
    stranger = make_account(ws.sf, "head", email="someone@mo.example")
    a = add(ws, tmp_path, book)
    principal = principal_for_account(ws.sf, account.id)
    assert not principal.sees(a)                                            # offered, not granted
    [view] = [v for v in directory.listing(ws.sf) if v.id == account.id]
    assert view.offered == (a.slug,) and view.associations == ()
    assert [v.offered for v in directory.listing(ws.sf) if v.id == stranger.id] == [()]
    page = client.get("/admin/accounts").get_data(as_text=True)
    assert "«Состав» называет" in page and "Подтвердить" in page
    r = client.post(f"/admin/accounts/{account.id}", data={"csrf_token": csrf_token(client, "/admin/accounts"),
                                                           "do": "confirm", "association": a.slug})
    assert r.status_code == 302
    assert principal_for_account(ws.sf, account.id).sees(a)
    ws.check(a.id)                                                          # a later check offers nothing again
    assert [v.offered for v in directory.listing(ws.sf) if v.id == account.id] == [()]


def test_the_curator_of_the_territory_confirms_an_offer_a_head_cannot(app, ws, tmp_path):
    book = association("zdvinsky-mmo")
    next(m for m in book.members if m["Роль в МО"] == "секретарь")["E-mail"] = "secretary@mo.example"
    secretary = make_account(ws.sf, "head", email="secretary@mo.example")
    a = add(ws, tmp_path, book)
    head = signed_in_client(app, "head", associations=[a])
    curator = signed_in_client(app, "curator", territories=[a.territory])
    url = f"/a/{a.slug}/people/{secretary.id}"
    r = head.post(url, data={"csrf_token": csrf_token(head, f"/a/{a.slug}/people"), "do": "confirm"})
    assert r.status_code == 403 and not principal_for_account(ws.sf, secretary.id).sees(a)
    page = curator.get(f"/a/{a.slug}/people").get_data(as_text=True)
    assert "«Состав» называет его" in page and "Подтвердить" in page
    r = curator.post(url, data={"csrf_token": csrf_token(curator, f"/a/{a.slug}/people"), "do": "confirm"})
    assert r.status_code == 302 and principal_for_account(ws.sf, secretary.id).sees(a)
    r = curator.post(url, data={"csrf_token": csrf_token(curator, f"/a/{a.slug}/people"), "do": "confirm"})
    assert r.status_code == 404                                                  # confirmed once: no offer left


def test_personal_data_only_for_head_curator_admin_and_every_view_journaled(app, ws, tmp_path):
    a = add(ws, tmp_path, association("zdvinsky-mmo"))
    head = signed_in_client(app, "head", associations=[a], name="Белова М.Н.")
    curator = signed_in_client(app, "curator", territories=[a.territory], name="Куратор К.К.")
    member = signed_in_client(app, "member", associations=[a], name="Член Ч.Ч.")
    for client in (head, curator):
        page = client.get(f"/a/{a.slug}/members").get_data(as_text=True)
        assert "Дата рождения" in page and "@" in page and "записан в журнал" in page
        body = client.get(f"/api/v1/associations/{a.slug}/members").json
        assert body["personal"] is True and body["members"][0]["birth_date"]
    page = member.get(f"/a/{a.slug}/members").get_data(as_text=True)
    assert "Дата рождения" not in page
    body = member.get(f"/api/v1/associations/{a.slug}/members").json
    assert body["personal"] is False and "birth_date" not in body["members"][0] and "phone" not in body["members"][0]
    views = [e for e in ws.audit(a.id) if e.action == "personal.view"]
    assert sorted(e.actor for e in views) == ["Белова М.Н.", "Белова М.Н.", "Куратор К.К.", "Куратор К.К."]
    assert {e.details["what"] for e in views} == {"members page", "api members"}
    journal = head.get(f"/a/{a.slug}").get_data(as_text=True)
    assert "просмотрены личные данные членов" in journal


def test_a_curators_bulk_job_covers_only_their_territory(app, ws, tmp_path):
    mine = add(ws, tmp_path, association("zdvinsky-mmo"), name="a.xlsx")
    other_book = association("zdvinsky-mmo")
    other_book.info["Территория"] = "Чулымский район"
    other_book.info["Наименование МО"] = "ММО учителей математики Чулымского района"
    other = add(ws, tmp_path, other_book, name="b.xlsx")
    curator = signed_in_client(app, "curator", territories=[mine.territory])
    r = curator.post("/api/v1/reports/annual", json={})
    job = r.json["job"]
    assert job["state"] == "done", job
    assert [d["association"] for d in job["result"]["documents"]] == [mine.name]
    assert ws.documents(other) == [] and len(ws.documents(mine)) == 1
    assert signed_in_client(app, "head", associations=[other]).get(f"/api/v1/jobs/{job['id']}").status_code == 404


def test_act_as_lets_another_authentication_act_for_an_account(make_app, tmp_path):
    """The add-on's shape: a route that authenticates its own way, then acts as the account."""
    from service.web.access import PUBLIC, register
    from service.web.auth import act_as, current_user, require

    app = make_app()
    bp = Blueprint("addon_probe", __name__)

    @bp.post("/api/v1/probe/<slug>")
    def probe(slug):
        from flask import g
        assert g.foreign_bearer == "eyJ.google-id-token.sig"          # left for the route to verify
        principal = principal_for_email(app.extensions["workspace"].sf, "Head@Mo.Example")
        if principal is None:
            from service.web.auth import not_signed_in
            raise not_signed_in()
        act_as(principal)
        a = app.extensions["workspace"].association(slug)
        require("generate", a) if a else require("generate")
        return jsonify({"as": current_user().email})

    register("addon_probe.probe", PUBLIC)
    app.register_blueprint(bp)
    ws = app.extensions["workspace"]
    a = add(ws, tmp_path, association())
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = "Bearer eyJ.google-id-token.sig"
    assert client.post(f"/api/v1/probe/{a.slug}", json={}).status_code == 401          # no such account yet
    r = client.get("/api/v1/associations")                                             # not ours elsewhere
    assert r.status_code == 401 and r.json["error"]["code"] == "auth.invalid_token"
    account = make_account(ws.sf, "head", email="head@mo.example")
    r = client.post(f"/api/v1/probe/{a.slug}", json={})
    assert r.status_code == 404 and r.json["error"]["code"] == "association.not_found"  # not theirs
    directory.grant(ws.sf, account.id, a.id)
    assert client.post(f"/api/v1/probe/{a.slug}", json={}).json == {"as": "head@mo.example"}
    directory.set_active(ws.sf, account.id, False)
    assert client.post(f"/api/v1/probe/{a.slug}", json={}).status_code == 401


def test_demo_accounts_cover_each_role_once(make_app):
    from service.workspace.demo import ensure_demo, ensure_demo_accounts

    app = make_app()
    ws = app.extensions["workspace"]
    assert ensure_demo(ws) == 3
    demo = ensure_demo_accounts(ws)
    roles = {v.email: v for v in directory.listing(ws.sf)}
    assert sorted(v.role for v in roles.values()) == ["admin", "curator", "curator", "curator", "head", "head", "head"]
    assert all(directory.authenticate(ws.sf, email, demo.password) for email, _ in demo.accounts)
    heads = [v for v in roles.values() if v.role == "head"]
    assert sorted(h.associations for h in heads) == sorted((a.slug,) for a in ws.associations())
    assert ensure_demo_accounts(ws) is None                                 # once: the password is shown once
    assert len(demo.password) >= 14


def test_a_head_invites_a_member_of_their_association_by_e_mail(app, ws, tmp_path):
    a = add(ws, tmp_path, association())
    head = signed_in_client(app, "head", associations=[a], name="Белова М.Н.")
    page = head.get(f"/a/{a.slug}/people")
    assert page.status_code == 200 and "Пригласить" in page.get_data(as_text=True)
    r = head.post(f"/a/{a.slug}/people", data={"csrf_token": csrf_token(head, f"/a/{a.slug}/people"),
                                               "email": "Orlova@Mo.Example", "name": "Орлова Е.В.", "role": "member"})
    assert r.status_code == 200 and "отправлено приглашение" in r.get_data(as_text=True)
    invited = directory.by_email(ws.sf, "orlova@mo.example")
    assert invited.role == "member" and principal_for_account(ws.sf, invited.id).sees(a)
    from pathlib import Path
    [mail] = list(Path(app.config["OUTBOX_DIR"]).glob("*.eml"))
    import email
    import email.policy
    message = email.message_from_bytes(mail.read_bytes(), policy=email.policy.default)
    assert message["To"] == "orlova@mo.example" and "Белова М.Н. приглашает вас" in message.get_content()
    r = head.post(f"/a/{a.slug}/people", data={"csrf_token": csrf_token(head, f"/a/{a.slug}/people"),
                                               "email": "boss@mo.example", "role": "admin"})
    assert r.status_code == 400 and directory.by_email(ws.sf, "boss@mo.example") is None


def test_a_member_sees_no_personal_value_through_findings_on_the_page_the_api_or_a_job(app, ws, tmp_path):
    book = association("zdvinsky-mmo")
    book.members[4]["Телефон"] = "+7 913 555-12-34 (мобильный)"
    book.members[5]["E-mail"] = "popova.natalya(at)mail.ru"
    book.members[6]["Дата рождения"] = "31.02.1979"
    a = add(ws, tmp_path, book)
    member = signed_in_client(app, "member", associations=[a])
    page = member.get(f"/a/{a.slug}").get_data(as_text=True)
    api = member.get(f"/api/v1/associations/{a.slug}/findings").get_data(as_text=True)
    assert "Телефон" in page and "личные данные" in page                    # the cell is named
    for seen in (page, api):
        assert not any(s in seen for s in ("555-12-34", "popova.natalya(at)mail.ru", "31.02.1979"))


def test_a_territory_changed_in_the_workbook_moves_the_association_only_when_a_curator_confirms(app, ws, tmp_path):
    from pathlib import Path

    book = association("zdvinsky-mmo")
    a = add(ws, tmp_path, book, name="live.xlsx")
    mine = signed_in_client(app, "curator", territories=[a.territory])
    other = signed_in_client(app, "curator", territories=["Чулымский район"])
    head = signed_in_client(app, "head", associations=[a])
    book.info["Территория"] = "Чулымский район"
    book.save(Path(a.source))                          # edited in place, as a shared Google Sheet is
    ws.check(a.id, "наблюдение")
    assert mine.get(f"/a/{a.slug}/members").status_code == 200
    assert other.get(f"/a/{a.slug}/members").status_code == 404
    page = head.get(f"/a/{a.slug}").get_data(as_text=True)
    assert "другая территория: «Чулымский район»" in page and "Подтвердить переход" not in page
    assert submit(head, f"/a/{a.slug}/territory", page=f"/a/{a.slug}").status_code == 403
    assert "Подтвердить переход" in mine.get(f"/a/{a.slug}").get_data(as_text=True)
    assert submit(mine, f"/a/{a.slug}/territory", page=f"/a/{a.slug}").status_code == 302
    assert other.get(f"/a/{a.slug}/members").status_code == 200
    assert mine.get(f"/a/{a.slug}/members").status_code == 404


def test_the_members_page_and_api_serve_the_last_check_without_reading_the_workbook(app, ws, tmp_path, monkeypatch):
    from pathlib import Path

    from service.sources import workbook_file

    book = association("zdvinsky-mmo")
    book.members[0]["Телефон"] = "+7 913 111-22-33"
    a = add(ws, tmp_path, book)
    reads = []
    real = workbook_file.WorkbookFileSource.read
    monkeypatch.setattr(workbook_file.WorkbookFileSource, "read", lambda self: reads.append(1) or real(self))
    Path(a.source).unlink()                                        # unreadable now: the page still answers
    member = signed_in_client(app, "member", associations=[a])
    head = signed_in_client(app, "head", associations=[a])
    for _ in range(3):
        page = member.get(f"/a/{a.slug}/members")
        body = member.get(f"/api/v1/associations/{a.slug}/members").json
        assert page.status_code == 200 and book.members[0]["ФИО"] in page.get_data(as_text=True)
        assert len(body["members"]) == len(book.members) and "phone" not in body["members"][0]
        assert "111-22-33" not in page.get_data(as_text=True)
    body = head.get(f"/api/v1/associations/{a.slug}/members").json
    assert body["personal"] and any(m["phone"] and "111-22-33" in m["phone"] for m in body["members"])
    assert "111-22-33" in head.get(f"/a/{a.slug}/members").get_data(as_text=True)
    assert reads == []
