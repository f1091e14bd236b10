"""Signing in as a person does: the sign-in page, wrong passwords, throttling, sign-out,
expired and forged sessions, invitations and resets read from the outbox, API tokens."""
from __future__ import annotations

import datetime as dt
import email
import re
from pathlib import Path

import pytest

from service.accounts import directory, tokens
from service.db import utcnow
from tests.accounts.factories import make_account
from tests.web.helpers import csrf_token, main, no_traceback, visible

PASSWORD = "пароль для входа 2025"


def login(client, email_addr: str, password: str, next_path: str | None = None):
    data = {"csrf_token": csrf_token(client, "/login"), "email": email_addr, "password": password}
    if next_path:
        data["next"] = next_path
    return client.post("/login", data=data)


def test_a_person_signs_in_sees_their_name_and_signs_out(app, ws, anonymous):
    make_account(ws.sf, "head", email="belova@zdvinsk-edu.ru", name="Белова Марина Николаевна", password=PASSWORD)
    r = anonymous.get("/")
    assert r.status_code == 302 and r.headers["Location"].startswith("/login")
    page = anonymous.get("/login").get_data(as_text=True)
    assert "Вход в службу" in page and 'name="password"' in page
    r = login(anonymous, " Belova@Zdvinsk-Edu.RU", PASSWORD)
    assert r.status_code == 302 and r.headers["Location"] == "/"
    body = anonymous.get("/").get_data(as_text=True)
    assert "Белова Марина Николаевна" in body and "руководитель МО" in body
    r = anonymous.post("/logout", data={"csrf_token": csrf_token(anonymous, "/")})
    assert r.status_code == 200 and "Вы вышли" in r.get_data(as_text=True)
    assert anonymous.get("/").status_code == 302


def test_signing_in_goes_back_to_the_page_asked_for_but_never_to_another_site(ws, anonymous):
    make_account(ws.sf, "admin", email="a@mo.example", password=PASSWORD)
    r = anonymous.get("/upload?x=1")
    assert r.headers["Location"] == "/login?next=%2Fupload%3Fx%3D1"
    assert login(anonymous, "a@mo.example", PASSWORD, "/upload?x=1").headers["Location"] == "/upload?x=1"
    for evil in ("//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"):
        anonymous.post("/logout", data={"csrf_token": csrf_token(anonymous, "/")})
        assert login(anonymous, "a@mo.example", PASSWORD, evil).headers["Location"] == "/"


@pytest.mark.parametrize("evil", ["/\t/evil.example", "/\r/evil.example", "/\n/evil.example", "/\x0b/evil.example",
                                  "/\\evil.example", "/\t\\evil.example", "http:/evil.example", "/\x7f/evil.example"])
def test_no_control_character_or_backslash_leads_off_site(app, ws, anonymous, client_as, evil):
    """Browsers drop tabs and newlines from a Location («/<tab>/evil.example» is
    «//evil.example»); a carriage return in a header was a 500."""
    make_account(ws.sf, "admin", email="a@mo.example", password=PASSWORD)
    r = login(anonymous, "a@mo.example", PASSWORD, evil)
    assert r.status_code == 302 and r.headers["Location"] == "/", r.headers.get("Location")
    signed_in = client_as("head")                           # one click on a link for someone signed in
    r = signed_in.get("/login", query_string={"next": evil})
    assert r.status_code == 302 and r.headers["Location"] == "/", r.headers.get("Location")


@pytest.mark.parametrize("address, password, status, words", [
    ("a@mo.example", "неверный пароль", 401, "Неверный адрес электронной почты или пароль"),
    ("nobody@mo.example", PASSWORD, 401, "Неверный адрес электронной почты или пароль"),
    ("x" * 300 + "@mo.example", PASSWORD, 400, "слишком длинный"),
    ("not an address", PASSWORD, 400, "не адрес"),
    ("a@mo.example", "", 401, "Неверный"),
])
def test_wrong_sign_ins_are_refused_in_russian(ws, anonymous, address, password, status, words):
    make_account(ws.sf, "admin", email="a@mo.example", password=PASSWORD)
    r = login(anonymous, address, password)
    text = r.get_data(as_text=True)
    assert r.status_code == status and words in visible(main(text))
    no_traceback(text)
    assert anonymous.get("/").status_code == 302                     # still not signed in


def test_repeated_failures_are_delayed_then_locked_out(make_app):
    app = make_app(LOGIN_LOCKOUT_FAILURES=5, LOGIN_LOCKOUT_MINUTES=15)
    ws, client = app.extensions["workspace"], app.test_client()
    make_account(ws.sf, "head", email="h@mo.example", password=PASSWORD)
    statuses = [login(client, "h@mo.example", "не тот").status_code for _ in range(3)]
    assert statuses == [401, 401, 401]
    r = login(client, "h@mo.example", PASSWORD)                      # even the right password must wait
    assert r.status_code == 429 and "Повторите через" in r.get_data(as_text=True) and r.headers["Retry-After"]
    from service.accounts.models import LoginFailure
    with ws.sf() as s, s.begin():                                   # let the delays pass
        for row in s.query(LoginFailure):
            row.last_at = utcnow() - dt.timedelta(minutes=5)
    login(client, "h@mo.example", "не тот")
    with ws.sf() as s, s.begin():
        for row in s.query(LoginFailure):
            row.last_at = utcnow() - dt.timedelta(minutes=5)
    r = login(client, "h@mo.example", "не тот")                       # the 5th: locked
    assert r.status_code == 401 and "временно заблокирован" in r.get_data(as_text=True)
    r = login(client, "h@mo.example", PASSWORD)
    assert r.status_code == 429 and "15 минут" in r.get_data(as_text=True)


def test_guesses_sent_at_the_same_moment_get_no_more_checks_than_one_after_another(app, ws):
    """The throttle read the counts, checked the password, then wrote the failure: of 200
    simultaneous guesses from many addresses 17 were checked and 11 counted."""
    from service.accounts.models import LoginFailure
    from service.accounts.throttle import FREE
    from tests.workspace.test_jobs import in_parallel

    make_account(ws.sf, "head", email="v@mo.example", password=PASSWORD)
    n = 40
    clients = []
    for i in range(n):
        c = app.test_client()
        clients.append((c, csrf_token(c, "/login"), f"10.0.{i}.1"))
    todo = iter(clients)

    def guess():
        c, token, address = next(todo)
        return c.post("/login", data={"csrf_token": token, "email": "v@mo.example", "password": f"догадка {address}"},
                      environ_base={"REMOTE_ADDR": address}).status_code

    statuses, errors = in_parallel(n, guess)
    assert errors == [] and sorted(statuses) == [401] * FREE + [429] * (n - FREE)
    with ws.sf() as s:
        assert s.get(LoginFailure, "account:v@mo.example").failures == FREE


def test_a_deleted_or_deactivated_account_is_signed_out_at_once(ws, client_as):
    head = client_as("head")
    assert head.get("/").status_code == 200
    directory.set_active(ws.sf, head.account.id, False)
    assert head.get("/").status_code == 302
    other = client_as("head")
    directory.remove(ws.sf, other.account.id)
    r = other.get("/api/v1/associations")
    assert r.status_code == 401 and r.json["error"]["code"] == "auth.required"


def test_a_forged_or_tampered_session_cookie_signs_nobody_in(app, client):
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None and client.get("/").status_code == 200
    forged = app.test_client()
    value = cookie.value
    forged.set_cookie(app.config["SESSION_COOKIE_NAME"], value[:-4] + ("AAAA" if not value.endswith("AAAA") else "BBBB"))
    assert forged.get("/").status_code == 302
    other_key = app.test_client()
    from itsdangerous import URLSafeTimedSerializer
    fake = URLSafeTimedSerializer("not-the-key", salt="cookie-session", signer_kwargs={"key_derivation": "hmac",
                                                                                      "digest_method": "sha1"})
    other_key.set_cookie(app.config["SESSION_COOKIE_NAME"], fake.dumps({"sid": "x"}))
    assert other_key.get("/").status_code == 302


def test_a_post_without_csrf_changes_nothing(ws, client, tmp_path):
    from tests.web.helpers import add
    from tests.factories import association
    a = add(ws, tmp_path, association())
    r = client.post(f"/a/{a.slug}/archive")
    assert r.status_code == 400 and "Форма устарела" in r.get_data(as_text=True)
    assert ws.by_id(a.id).archived_at is None
    r = client.post("/logout")
    assert r.status_code == 400 and client.get("/").status_code == 200


def _outbox(app) -> list[email.message.Message]:
    folder = Path(app.config["OUTBOX_DIR"])
    return [email.message_from_bytes(p.read_bytes()) for p in sorted(folder.glob("*.eml"))]


def _link(message) -> str:
    body = message.get_payload(decode=True).decode("utf-8") if not message.is_multipart() \
        else message.get_payload(0).get_payload(decode=True).decode("utf-8")
    return re.search(r"http://localhost(/\S+)", body).group(1)


def test_an_invitation_by_e_mail_sets_a_password_once(app, ws, client, anonymous):
    r = client.post("/admin/accounts", data={"csrf_token": csrf_token(client, "/admin/accounts"),
                                             "email": "Novaya@Mo.Example", "role": "member", "name": "",
                                             "territories": "", "associations": ""})
    assert r.status_code == 201 and "отправлено" in r.get_data(as_text=True)
    [message] = _outbox(app)
    assert message["To"] == "novaya@mo.example" and "Приглашение" in str(email.header.make_header(
        email.header.decode_header(message["Subject"])))
    link = _link(message)
    page = anonymous.get(link)
    assert page.status_code == 200 and "novaya@mo.example" in page.get_data(as_text=True)
    form = {"csrf_token": csrf_token(anonymous, link), "name": "Новая Анна Петровна"}
    r = anonymous.post(link, data={**form, "password": "короткий", "password2": "короткий"})
    assert r.status_code == 400 and "не короче 10" in r.get_data(as_text=True)
    r = anonymous.post(link, data={**form, "password": PASSWORD, "password2": PASSWORD + "x"})
    assert r.status_code == 400 and "не совпадают" in r.get_data(as_text=True)
    r = anonymous.post(link, data={**form, "password": PASSWORD, "password2": PASSWORD})
    assert r.status_code == 302 and anonymous.get("/").status_code == 200          # signed in
    assert "Новая Анна Петровна" in anonymous.get("/").get_data(as_text=True)
    again = app.test_client()
    r = again.get(link)
    assert r.status_code == 410 and "уже была использована" in r.get_data(as_text=True)
    assert login(app.test_client(), "novaya@mo.example", PASSWORD).status_code == 302


def test_a_password_reset_by_e_mail(app, ws, anonymous):
    account = make_account(ws.sf, "head", email="h@mo.example", password=PASSWORD)
    r = anonymous.post("/reset", data={"csrf_token": csrf_token(anonymous, "/reset"), "email": "nobody@mo.example"})
    assert r.status_code == 200 and "Если для адреса" in r.get_data(as_text=True)    # the same answer, no mail
    assert _outbox(app) == []
    anonymous.post("/reset", data={"csrf_token": csrf_token(anonymous, "/reset"), "email": "H@mo.example"})
    [message] = _outbox(app)
    link = _link(message)
    new = "новый пароль после сброса"
    r = anonymous.post(link, data={"csrf_token": csrf_token(anonymous, link), "password": new, "password2": new})
    assert r.status_code == 302
    assert directory.authenticate(ws.sf, "h@mo.example", new).id == account.id
    assert directory.authenticate(ws.sf, "h@mo.example", PASSWORD) is None
    r = app.test_client().get("/reset/" + "x" * 40)
    assert r.status_code == 404 and "неверна" in r.get_data(as_text=True)


def _ask_reset(client, address: str, remote: str = "127.0.0.1"):
    return client.post("/reset", data={"csrf_token": csrf_token(client, "/reset"), "email": address},
                       environ_base={"REMOTE_ADDR": remote})


def test_asking_for_resets_again_and_again_sends_one_letter_and_keeps_its_link(app, ws, anonymous):
    """30 requests were 30 letters, each one killing the link of the one before."""
    make_account(ws.sf, "head", email="victim@mo.example", password=PASSWORD)
    statuses = [_ask_reset(app.test_client(), "victim@mo.example", f"10.2.{i}.1").status_code for i in range(30)]
    assert statuses[:3] == [200, 200, 200] and set(statuses[3:]) == {429}      # counted per address asked about
    [message] = _outbox(app)
    link = _link(message)
    assert anonymous.get(link).status_code == 200                              # still works
    r = _ask_reset(app.test_client(), "victim@mo.example", "10.3.0.1")
    assert r.status_code == 429 and "Слишком много запросов на восстановление пароля" in visible(main(
        r.get_data(as_text=True))) and r.headers["Retry-After"]


def test_a_reset_letter_is_sent_again_only_after_a_while_and_using_one_link_ends_the_others(app, ws, anonymous):
    from service.accounts.models import OneTimeLink

    make_account(ws.sf, "head", email="h@mo.example", password=PASSWORD)
    _ask_reset(anonymous, "h@mo.example")
    _ask_reset(anonymous, "h@mo.example")
    assert len(_outbox(app)) == 1                                              # the first link is still fresh
    with ws.sf() as s, s.begin():
        for row in s.query(OneTimeLink):
            row.created_at = utcnow() - dt.timedelta(minutes=6)
    _ask_reset(anonymous, "h@mo.example")
    first, second = (_link(m) for m in _outbox(app))
    assert first != second and anonymous.get(first).status_code == 200 and anonymous.get(second).status_code == 200
    r = anonymous.post(second, data={"csrf_token": csrf_token(anonymous, second), "password": "новый пароль 2026",
                                     "password2": "новый пароль 2026"})
    assert r.status_code == 302
    assert app.test_client().get(first).status_code == 410


def test_a_reset_request_does_the_same_work_for_any_address(make_app, tmp_path):
    """A known address took 12–15 ms (a link and a letter), an unknown one 1 ms: the page
    now only counts the request and queues it; the worker decides whether to write."""
    from service.workspace.models import Job

    app = make_app(QUEUE_URL=f"sqlite:///{tmp_path / 'queue.sqlite'}")     # queued, nobody consumes it
    ws = app.extensions["workspace"]
    make_account(ws.sf, "head", email="known@mo.example", password=PASSWORD)
    for address in ("known@mo.example", "unknown@mo.example"):
        r = _ask_reset(app.test_client(), address)
        assert r.status_code == 200 and "Если для адреса" in r.get_data(as_text=True)
    assert _outbox(app) == []
    with ws.sf() as s:
        jobs = s.query(Job).filter(Job.kind == "reset-mail").order_by(Job.created_at).all()
    assert [(j.state, j.params["email"]) for j in jobs] == [("queued", "known@mo.example"),
                                                             ("queued", "unknown@mo.example")]
    from service.workspace.runner import run
    for j in jobs:
        assert run(ws, j.id) == "done" and ws.sf().get(Job, j.id).result == {}
    [message] = _outbox(app)
    assert message["To"] == "known@mo.example"


def test_an_expired_invitation_is_refused(app, ws, anonymous):
    from service.accounts import links
    account = make_account(ws.sf, "member", email="late@mo.example")
    token = links.make(ws.sf, app.config["SECRET_KEY"], account.id, "invite", dt.timedelta(seconds=-1))
    r = anonymous.get(f"/invitation/{token}")
    assert r.status_code == 410 and "истёк" in r.get_data(as_text=True)


def test_api_tokens_act_for_their_account_until_revoked(app, ws, tmp_path):
    from tests.factories import association
    from tests.web.helpers import add
    a = add(ws, tmp_path, association())
    account = make_account(ws.sf, "member", associations=[a])
    created = tokens.create(ws.sf, account.id, "сценарий")
    api = app.test_client()
    r = api.get("/api/v1/associations", headers={"Authorization": f"Bearer {created.token}"})
    assert r.status_code == 200 and [x["slug"] for x in r.json["associations"]] == [a.slug]
    r = api.post(f"/api/v1/associations/{a.slug}/check", json={}, headers={"Authorization": f"Bearer {created.token}"})
    assert r.status_code == 403 and r.json["error"]["code"] == "auth.forbidden"       # a member only reads
    r = api.get("/api/v1/associations")
    assert r.status_code == 401 and r.json["error"]["code"] == "auth.required"
    assert r.headers["WWW-Authenticate"].startswith("Bearer")
    for header in ("Bearer mod_wrong", "bearer " + created.token[:-1], "Bearer " + "x" * 5000):
        r = api.get("/api/v1/associations", headers={"Authorization": header})
        assert r.status_code == 401 and r.json["error"]["code"] == "auth.invalid_token"
    r = api.get("/api/v1/associations", headers={"Authorization": "Basic dXNlcjpwYXNz"})   # a proxy's, not ours
    assert r.status_code == 401 and r.json["error"]["code"] == "auth.required"
    tokens.revoke(ws.sf, created.id)
    r = api.get("/api/v1/associations", headers={"Authorization": f"Bearer {created.token}"})
    assert r.status_code == 401 and "отозван" in r.json["error"]["message"]
    second = tokens.create(ws.sf, account.id)
    directory.set_active(ws.sf, account.id, False)
    assert api.get("/api/v1/associations", headers={"Authorization": f"Bearer {second.token}"}).status_code == 401
