"""Приказ о составе: issued by the founder; appoints the head, deputy and secretary."""
from __future__ import annotations

import datetime as dt

from service.pipeline import Report
from service.russian.collation import sort_key
from service.render.contexts.common import common_context, person


def order_context(report: Report, today: dt.date, number: str | None = None, date: dt.date | None = None,
                  warnings: list[str] = ()) -> dict:
    ctx = common_context(report, today, list(warnings))
    on = min(today, report.year.last_day)
    members = sorted(report.data.members_on(max(on, report.year.first_day)), key=lambda m: sort_key(m.full_name))
    ctx.update({
        "order": {"number": number or "", "date": date, "place": ctx["org"]["territory"]},
        "members": [{"number": i, **person(m)} for i, m in enumerate(members, start=1)],
        "control": ctx["curator"] or ctx["founder_head"],
    })
    return ctx
