"""План работы на учебный год: theme, aim and tasks, the directions the regulation
sets, the year's meetings with their questions, the events of «План», and the
approval marks the regulation calls for."""
from __future__ import annotations

import datetime as dt

from service.pipeline import Report
from service.render.contexts.common import common_context
from service.render.contexts.stamps import stamps_context
from service.render.speakers import Names, named_members
from service.russian.initials import initials_after
from service.russian.sentence import as_sentence
from service.schema.records import CANCELLED


def aims_context(report: Report) -> dict:
    info = report.data.info
    return {"theme": info.theme or "", "aim": as_sentence(info.aim or ""),
            "tasks": [as_sentence(t) for t in info.tasks]}


def planned_meetings(report: Report, today: dt.date, head: dict | None) -> list[dict]:
    """The year's meetings (not the cancelled ones) by date: topic, questions, and the
    members heard on them as responsible (else the head)."""
    wb = report.data
    rows = []
    members = Names(wb.members)
    for m in sorted((m for m in wb.meetings if m.state(today) != CANCELLED), key=lambda m: (m.date, m.number)):
        items = wb.agenda_of(m.number)
        speakers: list[str] = []
        for a in items:
            for name in named_members(a.heard or "", members):
                if name not in speakers:
                    speakers.append(name)
        if not speakers and head:
            speakers = [initials_after(head["full_name"])]
        rows.append({"number": m.number, "date": m.date, "topic": m.topic or "",
                     "questions": [a.question for a in items if a.question], "responsible": ", ".join(speakers)})
    return rows


def work_plan_context(report: Report, today: dt.date, warnings: list[str] = ()) -> dict:
    ctx = common_context(report, today, list(warnings))
    directions = report.regulation.plan_directions if report.regulation else {}
    ctx.update(aims_context(report))
    ctx.update(stamps_context(report, "work-plan", ctx, today))
    ctx.update({
        "directions": {"points": list(directions.get("items", ())), "clause": directions.get("clause", "")}
        if directions else None,
        "meetings": planned_meetings(report, today, ctx["head"]),
        "items": [{"number": p.number, "event": p.event, "form": p.form or "",
                   "due": p.due.text if p.due else "", "responsible": p.responsible or "", "mark": p.mark or ""}
                  for p in sorted(report.data.plan, key=lambda p: p.number)],
    })
    return ctx
