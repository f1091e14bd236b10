"""What an association's page shows of its workbook, taken from a check once and
kept in the snapshot: the meetings (number, date, status as typed, topic) and a
summary of the members.  A meeting's state is worked out when the page is viewed
(an unmarked meeting becomes «проведено» on its day), with the same rule the
domain uses, so a snapshot never goes stale by the calendar."""
from __future__ import annotations

import datetime as dt
from collections import Counter

from service.schema.personal import FIELDS
from service.schema.records import HEAD, SECRETARY, Meeting, Workbook

VERSION = 1


def summarize(wb: Workbook, as_of: dt.date) -> dict:
    members = [m for m in wb.members if m.active_on(as_of)]
    roles = Counter(m.role for m in members)
    named = {}
    for m in members:
        named.setdefault(m.role, m.short)
    return {
        "version": VERSION,
        "meetings": [{"number": m.number, "date": m.date.isoformat(), "status": m.status, "topic": m.topic}
                     for m in sorted(wb.meetings, key=lambda m: m.number)],
        "members": {"total": len(wb.members), "active": len(members), "roles": dict(roles),
                    "head": named.get(HEAD), "secretary": named.get(SECRETARY)},
    }


def meetings_on(summary: dict | None, today: dt.date) -> list[dict] | None:
    """The page's rows of meetings as of `today`; None when the snapshot has no summary."""
    if not summary:
        return None
    rows = []
    for m in summary.get("meetings") or []:
        day = dt.date.fromisoformat(m["date"])
        state = Meeting(row=0, number=m["number"], date=day, status=m.get("status")).state(today)
        rows.append({"number": m["number"], "date": day, "state": state, "topic": m.get("topic")})
    return rows


ROSTER = ("full_name", "organisation", "position", "role", "category", "joined", "left")
PERSONAL = FIELDS                                    # birth date, e-mail, phone


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def roster(wb: Workbook) -> tuple[list[dict], list[dict]]:
    """The members as the members page lists them, and their personal columns (same order)
    kept apart: the first is shown to everyone who sees the association, the second only
    to those who may see personal data."""
    return ([{k: _plain(getattr(m, k)) for k in ROSTER} for m in wb.members],
            [{k: _plain(getattr(m, k)) for k in PERSONAL} for m in wb.members])


def members_from(snapshot_roster: list[dict], personal: list[dict] | None) -> list[dict]:
    """Rows of the members page from a snapshot (dates back as dates); personal columns
    only when `personal` is given."""
    def typed(k, v):
        return dt.date.fromisoformat(v) if k in ("joined", "left", "birth_date") and isinstance(v, str) else v
    rows = [{k: typed(k, v) for k, v in m.items()} for m in snapshot_roster]
    if personal is not None:
        for row, extra in zip(rows, personal):
            row.update({k: typed(k, v) for k, v in extra.items()})
    return rows
