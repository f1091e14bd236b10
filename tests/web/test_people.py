"""The people of an association (registers.invite, registers.confirm_offer): a role is given
per association and never more than the one chosen in the form; the invite form answers the
same whoever the address belongs to; a head takes access away or changes a role on their own
association, and each change is in the journal."""
from __future__ import annotations

from service.accounts import directory
from service.accounts.principal import principal_for_account
from tests.accounts.factories import make_account, signed_in_client
from tests.factories import association
from tests.web.helpers import add, csrf_token, main, submit


def two_associations(ws, tmp_path):
    a = add(ws, tmp_path, association("zdvinsky-mmo"), name="a.xlsx")
    other = association("zdvinsky-mmo")
    other.info["Территория"] = "Чулымский район"
    other.info["Наименование МО"] = "ММО учителей математики Чулымского района"
    return a, add(ws, tmp_path, other, name="b.xlsx")


def test_a_head_elsewhere_invited_as_a_member_may_only_view_here(app, ws, tmp_path):
    a, b = two_associations(ws, tmp_path)
    head_a = signed_in_client(app, "head", associations=[a])
    head_b = make_account(ws.sf, "head", email="head.b@test.example", associations=[b])
    r = submit(head_a, f"/a/{a.slug}/people", {"email": "head.b@test.example", "role": "member"},
               page=f"/a/{a.slug}/people")
    assert r.status_code == 200
    p = principal_for_account(ws.sf, head_b.id)
    assert p.sees(a) and p.may("view", a)
    assert not any(p.may(act, a) for act in ("view_personal", "generate", "replace", "check", "manage_members"))
    assert p.may("view_personal", b) and p.may("generate", b)                    # still heads their own
    page = r.get_data(as_text=True)
    assert "head.b@test.example" in page and "член МО" in page
    other = app.test_client()
    from tests.accounts.factories import sign_in
    sign_in(app, other, head_b)
    assert other.get(f"/a/{a.slug}/members").status_code == 200
    assert "Дата рождения" not in other.get(f"/a/{a.slug}/members").get_data(as_text=True)
    assert other.get(f"/a/{a.slug}/people").status_code == 403


def test_a_member_invited_as_a_head_heads_only_that_association(app, ws, tmp_path):
    a, b = two_associations(ws, tmp_path)
    head_a = signed_in_client(app, "head", associations=[a])
    member = make_account(ws.sf, "member", email="member.b@test.example", associations=[b])
    submit(head_a, f"/a/{a.slug}/people", {"email": "member.b@test.example", "role": "head"},
           page=f"/a/{a.slug}/people")
    p = principal_for_account(ws.sf, member.id)
    assert p.may("generate", a) and p.may("view", b) and not p.may("generate", b)


def test_the_invite_form_answers_the_same_for_admins_curators_heads_and_new_addresses(app, ws, tmp_path):
    a, b = two_associations(ws, tmp_path)
    make_account(ws.sf, "admin", email="chief@test.example", name="Иванов И.И.")
    make_account(ws.sf, "curator", email="petrov@test.example", name="Петров П.П.",
                 territories=["Чулымский район"])
    make_account(ws.sf, "head", email="head.b@test.example", name="Сидорова С.С.", associations=[b])
    head = signed_in_client(app, "head", associations=[a])
    answers = []
    for email in ("chief@test.example", "petrov@test.example", "head.b@test.example", "nobody@test.example"):
        r = submit(head, f"/a/{a.slug}/people", {"email": email, "role": "member"}, page=f"/a/{a.slug}/people")
        page = main(r.get_data(as_text=True))
        assert r.status_code == 200 and not any(w in page for w in ("admin", "curator", "администратор"))
        answers.append(page.split('<table')[0])
    assert len(set(answers)) == 1 and "Готово" in answers[0]


def test_a_head_takes_access_away_and_changes_a_role_on_their_association(app, ws, tmp_path):
    a, b = two_associations(ws, tmp_path)
    head = signed_in_client(app, "head", associations=[a])
    deputy = make_account(ws.sf, "head", email="deputy@test.example", associations=[a, b])
    url = f"/a/{a.slug}/people/{deputy.id}"
    page = head.get(f"/a/{a.slug}/people").get_data(as_text=True)
    assert "Убрать доступ" in page and "Только просмотр" in page
    r = submit(head, url, {"do": "role", "role": "member"}, page=f"/a/{a.slug}/people")
    assert r.status_code == 302
    p = principal_for_account(ws.sf, deputy.id)
    assert p.may("view", a) and not p.may("generate", a) and p.may("generate", b)
    r = submit(head, url, {"do": "revoke"}, page=f"/a/{a.slug}/people")
    assert r.status_code == 302
    p = principal_for_account(ws.sf, deputy.id)
    assert not p.sees(a) and p.may("generate", b)
    assert submit(head, url, {"do": "revoke"}, page=f"/a/{a.slug}/people").status_code == 404
    assert submit(head, f"/a/{a.slug}/people/{head.account.id}", {"do": "revoke"},
                  page=f"/a/{a.slug}/people").status_code == 409                 # not oneself
    assert principal_for_account(ws.sf, head.account.id).sees(a)
    journal = [(e.action, e.details.get("email"), e.details.get("by_email")) for e in ws.audit(a.id, 50)
               if e.action.startswith("access.")]
    assert ("access.role", "deputy@test.example", head.account.email) in journal
    assert ("access.revoke", "deputy@test.example", head.account.email) in journal


def test_a_head_cannot_touch_people_of_an_association_not_theirs(app, ws, tmp_path):
    a, b = two_associations(ws, tmp_path)
    head = signed_in_client(app, "head", associations=[a])
    other = make_account(ws.sf, "head", email="head.b@test.example", associations=[b])
    r = submit(head, f"/a/{b.slug}/people/{other.id}", {"do": "revoke"}, page=f"/a/{a.slug}/people")
    assert r.status_code == 404 and principal_for_account(ws.sf, other.id).sees(b)
    r = submit(head, f"/a/{a.slug}/people/{other.id}", {"do": "revoke"}, page=f"/a/{a.slug}/people")
    assert r.status_code == 404 and principal_for_account(ws.sf, other.id).sees(b)


def test_the_journal_names_the_account_that_acted_and_no_invitee_takes_a_colleagues_name(app, ws, tmp_path):
    import email as em
    import re
    from email import policy
    from pathlib import Path

    a = add(ws, tmp_path, association("zdvinsky-mmo"))
    head = signed_in_client(app, "head", associations=[a], name="Белова М.Н.", email="belova@test.example")
    submit(head, f"/a/{a.slug}/people", {"email": "new.head@test.example", "role": "head"}, page=f"/a/{a.slug}/people")
    mail = sorted(Path(app.config["OUTBOX_DIR"]).glob("*.eml"))[-1].read_bytes()
    text = em.message_from_bytes(mail, policy=policy.default).get_body(("plain",)).get_content()
    link = re.search(r"/invitation/\S+", text).group(0)
    newbie = app.test_client()
    fields = {"password": "a long enough pw 1", "password2": "a long enough pw 1"}
    r = submit(newbie, link, {**fields, "name": "белова  м.н."}, page=link)
    assert r.status_code == 400 and "уже носит другая учётная запись" in r.get_data(as_text=True)
    assert directory.by_email(ws.sf, "new.head@test.example").password_hash is None      # the link still works
    r = submit(newbie, link, {**fields, "name": "Орлова Е.В."}, page=link)
    assert r.status_code == 302
    newbie.get(f"/a/{a.slug}/members")
    [view] = [e for e in ws.audit(a.id, 50) if e.action == "personal.view"]
    assert view.actor == "Орлова Е.В." and view.actor_email == "new.head@test.example" and view.account_id
    page = head.get(f"/a/{a.slug}").get_data(as_text=True)
    assert "Орлова Е.В. (new.head@test.example): просмотрены личные данные" in page
    assert "Белова М.Н. (belova@test.example): открыт доступ" in page
    r = submit(head, f"/a/{a.slug}/people", {"email": "third@test.example", "name": "Орлова Е.В.", "role": "member"},
               page=f"/a/{a.slug}/people")
    assert r.status_code == 400 and directory.by_email(ws.sf, "third@test.example") is None


def test_an_admin_changes_roles_associations_and_territories_and_sees_links_only_when_mail_failed(app, ws, tmp_path,
                                                                                                   client):
    a, b = two_associations(ws, tmp_path)
    head = make_account(ws.sf, "head", email="head@test.example", associations=[a, b], password="long password one")
    curator = make_account(ws.sf, "curator", email="cur@test.example", territories=["Нигде"])
    page = client.get("/admin/accounts").get_data(as_text=True)
    assert "Сменить роль" in page and "Сохранить территории" in page and "Открыть доступ" in page
    url = f"/admin/accounts/{head.id}"
    assert submit(client, url, {"do": "revoke", "association": a.slug}, page="/admin/accounts").status_code == 302
    p = principal_for_account(ws.sf, head.id)
    assert not p.sees(a) and p.may("generate", b)
    submit(client, url, {"do": "grant", "association": a.slug, "role": "member"}, page="/admin/accounts")
    p = principal_for_account(ws.sf, head.id)
    assert p.may("view", a) and not p.may("generate", a)
    submit(client, url, {"do": "role", "role": "member"}, page="/admin/accounts")
    assert not principal_for_account(ws.sf, head.id).may("generate", b)
    r = submit(client, f"/admin/accounts/{curator.id}", {"do": "territories", "territories": a.territory},
               page="/admin/accounts")
    assert r.status_code == 302 and principal_for_account(ws.sf, curator.id).may("archive", a)
    r = submit(client, url, {"do": "territories", "territories": "Где-то"}, page="/admin/accounts")
    assert r.status_code == 400 and "только куратору" in r.get_data(as_text=True)
    r = submit(client, url, {"do": "invite"}, page="/admin/accounts")          # mail delivered: no link on screen
    assert r.status_code == 200 and "/invitation/" not in r.get_data(as_text=True)
    assert "отправлено на этот адрес" in r.get_data(as_text=True)
    assert "access.revoke" in [e.action for e in ws.audit(a.id, 20)]
