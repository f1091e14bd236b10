"""Протокол заседания: who was there, whether they could decide, what they decided."""
from __future__ import annotations

import datetime as dt
from fractions import Fraction

from service.domain.rules.quorum import has_quorum, presence
from service.pipeline import Report
from service.render import speakers
from service.render.contexts.common import common_context, person
from service.russian.collation import sort_key
from service.russian.sentence import lower_first
from service.schema.records import DEPUTY, HEAD, PRESENT, SECRETARY

LIST_ATTACHED_OVER = 15          # a longer list goes to the registration sheet


def protocol_context(report: Report, number: int, today: dt.date, warnings: list[str] = ()) -> dict:
    wb = report.data
    meeting = wb.meeting(number)
    if meeting is None:
        raise KeyError(number)
    on_day = wb.members_on(meeting.date)
    members = {id(m) for m in on_day}
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
    names = speakers.Names(wb.members)
    for item in wb.agenda_of(number):
        votes = None
        if item.has_votes:
            votes = {"yes": item.votes_for or 0, "no": item.votes_against or 0,
                     "abstained": item.votes_abstained or 0}
        heard = speakers.accusative(item.heard, names) if item.heard else ""
        agenda.append({"number": item.number, "question": item.question, "heard": heard,
                       "heard_comma": speakers.ends_with_apposition(heard),
                       "about": lower_first(item.question) if heard else item.question,
                       "spoke": item.spoke or "", "decided": item.decided or "", "votes": votes})
    ctx = common_context(report, today, list(warnings))
    body = ctx["org"]["body"]
    head_present = any(m.role == HEAD for m in present)
    signatures = report.regulation.protocol_signatures if report.regulation else {}
    ctx.update({
        "meeting": {"number": meeting.number, "date": meeting.date, "place": meeting.place or "",
                    "form": meeting.form or "", "topic": meeting.topic or ""},
        "chair": person(meeting.chair) or _typed(meeting.chair_name),
        "chair_role": _role(meeting.chair, body, chairing=True, head_present=head_present),
        "secretary_of_meeting": person(meeting.secretary) or _typed(meeting.secretary_name),
        "secretary_role": _role(meeting.secretary, body),
        "signatures": {"chair": signatures.get("chair") or "Председатель",
                       "secretary": signatures.get("secretary") or "Секретарь"},
        "present": [person(m) for m in present],
        "present_count": present_count,
        "members_count": total,
        "list_attached": present_count > LIST_ATTACHED_OVER,
        "guests": guests,
        "quorum": quorum,
        "agenda": agenda,
    })
    return ctx


def _role(m, body: str, chairing: bool = False, head_present: bool = True) -> str:
    """«руководитель ММО»; a deputy chairing is stated with the reason where the head
    was not there: «заместитель руководителя ММО (в отсутствие руководителя)»."""
    if m is None:
        return ""
    if m.role == HEAD:
        return f"руководитель {body}"
    if m.role == DEPUTY:
        absent = chairing and not head_present
        return f"заместитель руководителя {body}" + (" (в отсутствие руководителя)" if absent else "")
    if m.role == SECRETARY:
        return f"секретарь {body}"
    return ""


def _typed(name: str | None) -> dict:
    return {"full_name": name or "", "position": "", "organisation": "", "role": ""}
