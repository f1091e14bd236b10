"""The deadlines of a person's associations as an iCalendar feed (RFC 5545) that phones,
Yandex Calendar and Outlook subscribe to.  The address carries a secret of the account;
only its SHA-256 is stored, and making a new address revokes the old one."""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import delete, select

from service.desk.models import CalendarFeed
from service.domain.obligations import DONE, OVERDUE, stored
from service.russian.plural import count

TOKEN_BYTES = 32
_KINDS = {"meeting": "Заседание", "plan": "План", "composition": "Состав", "databank": "Банк данных",
          "report": "Анализ работы", "attestation": "Аттестация"}


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue(sf, account_id: int) -> str:
    """A new secret for the account's feed (the previous address stops working)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with sf() as s, s.begin():
        s.execute(delete(CalendarFeed).where(CalendarFeed.account_id == account_id))
        s.add(CalendarFeed(account_id=account_id, token_hash=_hash(token)))
    return token


def revoke(sf, account_id: int) -> None:
    with sf() as s, s.begin():
        s.execute(delete(CalendarFeed).where(CalendarFeed.account_id == account_id))


def has_feed(sf, account_id: int) -> bool:
    with sf() as s:
        return s.get(CalendarFeed, account_id) is not None


def account_of(sf, token: str) -> int | None:
    """The account whose feed this secret opens, or None (unknown, revoked, malformed)."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    with sf() as s:
        feed = s.scalars(select(CalendarFeed).where(CalendarFeed.token_hash == _hash(token))).first()
        return feed.account_id if feed else None


def ics(associations, today: dt.date, page_url) -> bytes:
    """One all-day event per obligation of every association given: the summary names the
    association and what is due, overdue ones say by how many days; not-done ones ring a
    day before.  `page_url(slug)` is the association's page."""
    from icalendar import Alarm, Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//mo-docs//Сроки методических объединений//RU")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "Сроки методических объединений")
    cal.add("refresh-interval;value=duration", "PT6H")
    cal.add("x-published-ttl", "PT6H")
    stamp = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    for a in associations:
        name = a.short_name or a.name
        for o in stored(a.obligations):
            state = o.state(today)
            ev = Event()
            digest = hashlib.sha1(f"{o.kind}|{o.day}|{o.what}".encode()).hexdigest()[:16]
            ev.add("uid", f"{a.slug}-{digest}@mo-docs")
            ev.add("dtstamp", stamp)
            ev.add("dtstart", o.day)
            ev.add("dtend", o.day + dt.timedelta(days=1))
            prefix = "✓ " if state == DONE else ""
            ev.add("summary", f"{prefix}{name}: {o.what}")
            lines = [f"{_KINDS.get(o.kind, o.kind)} — {name}"]
            if o.clause:
                lines.append(f"Положение, {o.clause}")
            if state == DONE:
                lines.append("Выполнено.")
            elif state == OVERDUE:
                lines.append(f"Просрочено на {count(o.overdue_days(today), 'день', 'дня', 'дней')}.")
            lines.append(page_url(a.slug))
            ev.add("description", "\n".join(lines))
            ev.add("url", page_url(a.slug))
            ev.add("transp", "TRANSPARENT")
            ev.add("categories", [_KINDS.get(o.kind, o.kind)])
            if state != DONE and o.day >= today:
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", f"{name}: {o.what}")
                alarm.add("trigger", dt.timedelta(days=-1))
                ev.add_component(alarm)
            cal.add_component(ev)
    return cal.to_ical()
