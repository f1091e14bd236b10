"""Weekly digests delivered to a real SMTP server (aiosmtpd on a free 127.0.0.1 port):
curators get the new errors, overdue and next deadlines of their associations, heads
their findings, next meeting and documents to prepare; HTML with a text twin; never
twice in a week; nothing for those who turned it off."""
from __future__ import annotations

import datetime as dt

import pytest

from service.desk.digests import send_all, week_of
from service.russian.plural import count
from tests.accounts.factories import make_account
from tests.factories import association
from tests.mail.test_mail import certs, smtp_server  # noqa: F401 — the real SMTP server and its certificates
from tests.web.helpers import add, submit

D = dt.date
MOSCOW = dt.timezone(dt.timedelta(hours=3))
MONDAY_9 = dt.datetime(2025, 6, 2, 9, 0, tzinfo=MOSCOW)          # a Monday after 15 May 2025


@pytest.fixture
def mailed(make_app, smtp_server, tmp_path):   # noqa: F811
    inbox, port = smtp_server("plain")
    app = make_app(MAIL_URL=f"smtp+plain://127.0.0.1:{port}", PUBLIC_URL="https://mo.example",
                   MAIL_FROM="mo-docs@mo.example")
    ws = app.extensions["workspace"]
    day = D(2025, 6, 1)
    physics = association("zdvinsky-mmo")
    physics.info["Краткое наименование"] = "ММО физиков"
    physics.mark(2, present=3)                                      # no quorum: an error
    a = add(ws, tmp_path, physics, "physics.xlsx", today=day)
    history = association("novokuznetsk-gpmo")
    history.info.update({"Краткое наименование": "ГПМО историков", "Территория": "г. Новокузнецк",
                         "Дата представления анализа работы": None})
    b = add(ws, tmp_path, history, "history.xlsx", today=day)
    people = {
        "curator": make_account(ws.sf, "curator", "curator@mo.example", "Петрова Анна Ивановна",
                                territories=["Здвинский район", "г. Новокузнецк"]),
        "head": make_account(ws.sf, "head", "head@mo.example", "Иванова Мария Петровна", associations=[a]),
        "member": make_account(ws.sf, "member", "member@mo.example", associations=[a]),
        "quiet": make_account(ws.sf, "curator", "quiet@mo.example", territories=["Здвинский район"]),
    }
    from service.accounts.models import Account
    with ws.sf() as s, s.begin():
        s.get(Account, people["quiet"].id).digest = False                # turned off: nothing for them
    return app, ws, inbox, port, people, a, b


def _by_to(inbox):
    return {m["To"]: m for m in inbox.messages}


def test_curators_and_heads_get_their_digest_once_a_week(mailed):
    app, ws, inbox, _port, people, physics, history = mailed

    out = send_all(ws, now=MONDAY_9)
    assert sorted(out["sent"]) == ["curator@mo.example", "head@mo.example"]
    mails = _by_to(inbox)
    assert set(mails) == {"curator@mo.example", "head@mo.example"}

    curator = mails["curator@mo.example"]
    errors = ws.latest_snapshot(physics.id).counts["error"]
    assert errors >= 1
    new = count(errors, "новая ошибка", "новые ошибки", "новых ошибок")
    assert curator["Subject"] == f"Сводка за неделю по методическим объединениям: {new}, 1 просроченный срок"
    text = curator.get_body(("plain",)).get_content()
    html = curator.get_body(("html",)).get_content()
    assert "Здравствуйте, Петрова Анна Ивановна!" in text
    assert f"Новые ошибки ({errors}):" in text and "ММО физиков:" in text and "кворум" in text.lower()
    assert "Просроченные сроки" in text
    assert "ГПМО историков: анализ работы и план на новый учебный год — просрочено на 18 дней" in text
    assert f'<a href="https://mo.example/a/{physics.slug}">ММО физиков</a>' in html
    assert "https://mo.example/me#digest" in text and "https://mo.example/me#digest" in html

    head = mails["head@mo.example"]
    assert head["Subject"].startswith("Сводка за неделю по методическим объединениям: "
                                      + count(errors, "ошибка в книге", "ошибки в книге", "ошибок в книге"))
    text = head.get_body(("plain",)).get_content()
    assert "Новые ошибки" not in text                                     # a head sees all of theirs instead
    assert "ГПМО историков" not in text                                   # only the head's own association
    assert "Ошибки в книге" in text and "Документы, которые нужно подготовить:" in text
    assert "ММО физиков: Протокол заседания №1" in text                   # held, no protocol yet
    assert "Анализ работы (разд. 6 Положения)" in text

    assert send_all(ws, now=MONDAY_9 + dt.timedelta(hours=5)) == {"sent": [], "failed": [], "skipped": 2}
    assert len(inbox.messages) == 2                                        # never twice in the same week
    again = send_all(ws, now=MONDAY_9 + dt.timedelta(days=7))
    assert sorted(again["sent"]) == ["curator@mo.example", "head@mo.example"] and len(inbox.messages) == 4
    assert "новая ошибка" not in inbox.messages[-1]["Subject"] + inbox.messages[-2]["Subject"]   # nothing new


def test_not_before_the_hour_and_retried_after_a_mail_failure(mailed, smtp_server):  # noqa: F811
    app, ws, inbox, port, _people, _a, _b = mailed
    assert send_all(ws, now=MONDAY_9.replace(hour=6)) == {"sent": [], "failed": [], "skipped": 0}
    assert week_of(D(2025, 6, 2)) == "2025-W23"
    ws.settings["MAIL_URL"] = "smtp+plain://127.0.0.1:9"                     # nobody listens there
    ws.settings["MAIL_TIMEOUT_SECONDS"] = 2
    out = send_all(ws, now=MONDAY_9)
    assert out["sent"] == [] and {f["code"] for f in out["failed"]} == {"mail.unreachable"}
    ws.settings["MAIL_URL"] = f"smtp+plain://127.0.0.1:{port}"
    assert len(send_all(ws, now=MONDAY_9)["sent"]) == 2                      # the failed week was given back
    assert len(inbox.messages) == 2


def test_the_person_turns_the_digest_off_on_their_page(mailed):
    app, ws, inbox, _port, people, _a, _b = mailed
    from tests.accounts.factories import sign_in

    client = app.test_client()
    sign_in(app, client, people["curator"])
    page = client.get("/me").get_data(as_text=True)
    assert 'name="digest" value="on" checked' in page
    r = submit(client, "/account/digest", {}, page="/me")                  # the box unticked
    assert r.status_code == 302
    assert 'name="digest" value="on" checked' not in client.get("/me").get_data(as_text=True)
    assert send_all(ws, now=MONDAY_9)["sent"] == ["head@mo.example"]
