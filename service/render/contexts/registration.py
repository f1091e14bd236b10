"""Лист регистрации: a table pre-filled with the members expected, signatures by hand."""
from __future__ import annotations

import datetime as dt

from service.pipeline import Report
from service.russian.collation import sort_key
from service.render.contexts.common import common_context, person

SPARE_ROWS = 5                   # for guests and late arrivals


def registration_context(report: Report, today: dt.date, meeting: int | None = None,
                         plan_item: int | None = None, warnings: list[str] = ()) -> dict:
    wb = report.data
    ctx = common_context(report, today, list(warnings))
    if meeting is not None:
        m = wb.meeting(meeting)
        if m is None:
            raise KeyError(meeting)
        day = m.date
        event = {"title": f"Заседание {ctx['org']['short_name'] or ctx['org']['body']} №{m.number}",
                 "topic": m.topic or "", "form": m.form or "", "date": m.date, "place": m.place or "",
                 "number": m.number}
        responsible = person(m.secretary) or ctx["secretary"] or ctx["head"]
    else:
        item = next((p for p in wb.plan if p.number == plan_item), None)
        if item is None:
            raise KeyError(plan_item)
        day = item.due.first if item.due and item.due.first == item.due.last else min(today, report.year.last_day)
        event = {"title": item.event, "topic": "", "form": item.form or "", "date": item.due.first if item.due and
                 item.due.first == item.due.last else None, "place": "", "number": item.number}
        responsible = ctx["head"]
    members = sorted(wb.members_on(day), key=lambda m: sort_key(m.full_name))
    rows = [{"number": i, **person(m)} for i, m in enumerate(members, start=1)]
    ctx.update({
        "event": event,
        "organiser": ctx["org"]["name"],
        "rows": rows,
        "spare_rows": list(range(len(rows) + 1, len(rows) + 1 + SPARE_ROWS)),
        "responsible": responsible,
    })
    return ctx
