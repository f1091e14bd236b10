"""План работы с молодыми и вновь прибывшими специалистами (Здвинский разд. 6): who they
are and the plan's events meant for them (see service.domain.young)."""
from __future__ import annotations

import datetime as dt

from service.domain.young import items_for_young, newcomers
from service.pipeline import Report
from service.render.contexts.common import common_context, reference_day
from service.render.contexts.stamps import stamps_context


def young_specialists_context(report: Report, today: dt.date, warnings: list[str] = ()) -> dict:
    on = reference_day(report, today)
    who = newcomers(report.data.members_on(on), report.year)
    ctx = common_context(report, today, list(warnings))
    ctx.update(stamps_context(report, "young-specialists-plan", ctx, today))
    ctx.update({
        "specialists": [{"number": i, "full_name": n.member.full_name, "organisation": n.member.organisation or "",
                         "position": n.member.position or "", "experience": n.member.experience, "why": n.why}
                        for i, n in enumerate(who, start=1)],
        "items": [{"number": i, "event": p.event, "form": p.form or "", "due": p.due.text if p.due else "",
                   "responsible": p.responsible or ""}
                  for i, p in enumerate(items_for_young(report.data), start=1)],
    })
    return ctx
