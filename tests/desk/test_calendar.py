"""The calendar feed: a secret address per account that calendar programs subscribe to
(no cookie), parsed back with the icalendar library; it holds the deadlines of the
person's associations only, and a new address revokes the old one."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from icalendar import Calendar

from tests.factories import association
from tests.web.helpers import add, submit, visible

D = dt.date


@pytest.fixture
def two(ws, tmp_path):
    maths = association("novokuznetsk-gpmo")
    maths.info.update({"Краткое наименование": "ГПМО математиков", "Территория": "г. Новокузнецк",
                       "Дата представления анализа работы": None})
    physics = association("zdvinsky-mmo")
    physics.info["Краткое наименование"] = "ММО физиков"
    return (add(ws, tmp_path, maths, "m.xlsx", today=D(2025, 3, 1)),
            add(ws, tmp_path, physics, "p.xlsx", today=D(2025, 3, 1)))


def _issue(client) -> str:
    page = submit(client, "/account/calendar", {}, page="/me").get_data(as_text=True)
    return re.search(r'id="calendar-url"[^>]*value="([^"]+)"', page).group(1)


def test_a_head_subscribes_to_the_deadlines_of_their_association(client_as, anonymous, two):
    maths, physics = two
    head = client_as("head", associations=[maths])
    url = _issue(head)
    assert url.startswith("http://localhost/calendar/") and url.endswith(".ics")
    r = anonymous.get(url.removeprefix("http://localhost"))                 # a calendar program: no cookie
    assert r.status_code == 200 and r.mimetype == "text/calendar"
    cal = Calendar.from_ical(r.data)
    assert str(cal["X-WR-CALNAME"]) == "Сроки методических объединений"
    events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    assert all(s.removeprefix("✓ ").startswith("ГПМО математиков: ") for s in events)      # only their association
    report = events["ГПМО математиков: анализ работы и план на новый учебный год"]
    assert report.decoded("DTSTART") == D(2025, 5, 15)
    assert "Положение, п. 4.7" in str(report["DESCRIPTION"])
    assert f"/a/{maths.slug}" in str(report["URL"])
    databank = events["✓ ГПМО математиков: актуализация банка данных"]       # done: marked, no reminder
    assert databank.decoded("DTSTART") == D(2024, 10, 1) and not databank.walk("VALARM")
    meetings = [e for s, e in events.items() if "заседание №" in s]
    assert len(meetings) == 4
    uids = [str(e["UID"]) for e in cal.walk("VEVENT")]
    assert len(set(uids)) == len(uids) and all(u.endswith("@mo-docs") for u in uids)
    assert anonymous.get(url.removeprefix("http://localhost")).data.count(b"BEGIN:VEVENT") == len(uids)


def test_overdue_deadlines_say_by_how_many_days(client_as, anonymous, two, monkeypatch):
    maths, _ = two
    import service.web.desk as desk

    monkeypatch.setattr(desk, "_today", lambda: D(2025, 5, 25))
    head = client_as("head", associations=[maths])
    cal = Calendar.from_ical(anonymous.get(_issue(head).removeprefix("http://localhost")).data)
    report = next(e for e in cal.walk("VEVENT") if "анализ работы" in str(e["SUMMARY"]))
    assert "Просрочено на 10 дней." in str(report["DESCRIPTION"])


def test_a_curator_sees_every_association_of_their_territory(client_as, anonymous, two):
    curator = client_as("curator", territories=["Здвинский район", "г. Новокузнецк"])
    cal = Calendar.from_ical(anonymous.get(_issue(curator).removeprefix("http://localhost")).data)
    names = {str(e["SUMMARY"]).removeprefix("✓ ").split(":")[0] for e in cal.walk("VEVENT")}
    assert names == {"ГПМО математиков", "ММО физиков"}


def test_a_new_address_revokes_the_old_and_the_feed_can_be_turned_off(client_as, anonymous, two):
    head = client_as("head", associations=[two[0]])
    first = _issue(head).removeprefix("http://localhost")
    second = _issue(head).removeprefix("http://localhost")
    assert first != second
    assert anonymous.get(first).status_code == 404
    assert anonymous.get(second).status_code == 200
    assert "Календарь подключён" in visible(head.get("/me").get_data(as_text=True))
    submit(head, "/account/calendar/revoke", {}, page="/me")
    assert anonymous.get(second).status_code == 404
    for guess in ("/calendar/x.ics", "/calendar/" + "a" * 43 + ".ics", "/calendar/" + "я" * 300 + ".ics"):
        r = anonymous.get(guess)
        assert r.status_code == 404 and "Traceback" not in r.get_data(as_text=True)


def test_a_deactivated_account_has_no_calendar(client_as, anonymous, app, two):
    from service.accounts import directory

    head = client_as("head", associations=[two[0]])
    url = _issue(head).removeprefix("http://localhost")
    directory.set_active(app.extensions["workspace"].sf, head.account.id, False)
    assert anonymous.get(url).status_code == 404
