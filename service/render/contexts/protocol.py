"""Протокол заседания: who was there, whether they could decide, what they decided."""
from __future__ import annotations

import datetime as dt
from fractions import Fraction

from service.domain.rules.quorum import has_quorum, presence
from service.pipeline import Report
from service.russian.collation import sort_key
from service.render.contexts.common import common_context, person
from service.schema.records import PRESENT

LIST_ATTACHED_OVER = 15          # a longer list goes to the registration sheet


def protocol_context(report: Report, number: int, today: dt.date, warnings: list[str] = ()) -> dict:
    wb = report.data
    meeting = wb.meeting(number)
    if meeting is None:
        raise KeyError(number)
    members = {id(m) for m in wb.members_on(meeting.date)}
    marks = wb.marks_of(number)
    present = [a.member for a in marks if a.mark == PRESENT and a.member is not None and id(a.member) in members]
    present.sort(key=lambda m: sort_key(m.full_name))
    guests = [a.name for a in marks if a.mark == PRESENT and a.member is None]
    if meeting.invited:
        guests += [g.strip() for g in meeting.invited.replace(";", ",").split(",") if g.strip()]
    present_count, total = presence(wb, meeting) if number in wb.attendance_columns else (len(present), len(members))
    quorum = None
    if report.regulation and report.regulation.quorum:
        threshold = Fraction(report.regulation.quorum)
        quorum = {"present": present_count, "total": total, "has": has_quorum(present_count, total, threshold)}
    agenda = []
    for item in wb.agenda_of(number):
        votes = None
        if item.has_votes:
            votes = {"yes": item.votes_for or 0, "no": item.votes_against or 0,
                     "abstained": item.votes_abstained or 0}
        agenda.append({"number": item.number, "question": item.question, "heard": item.heard or "",
                       "spoke": item.spoke or "", "decided": item.decided or "", "votes": votes})
    ctx = common_context(report, today, list(warnings))
    ctx.update({
        "meeting": {"number": meeting.number, "date": meeting.date, "place": meeting.place or "",
                    "form": meeting.form or "", "topic": meeting.topic or ""},
        "chair": person(meeting.chair) or _typed(meeting.chair_name),
        "secretary_of_meeting": person(meeting.secretary) or _typed(meeting.secretary_name),
        "present": [person(m) for m in present],
        "present_count": present_count,
        "members_count": total,
        "list_attached": present_count > LIST_ATTACHED_OVER,
        "guests": guests,
        "quorum": quorum,
        "agenda": agenda,
    })
    return ctx


def _typed(name: str | None) -> dict:
    return {"full_name": name or "", "position": "", "organisation": "", "role": ""}
