"""План работы на учебный год, with the approval stamp the regulation calls for."""
from __future__ import annotations

import datetime as dt

from service.pipeline import Report
from service.render.contexts.common import common_context


def work_plan_context(report: Report, today: dt.date, warnings: list[str] = ()) -> dict:
    ctx = common_context(report, today, list(warnings))
    approval = dict(report.regulation.plan_approval) if report.regulation else {"title": "УТВЕРЖДАЮ", "by": "founder"}
    by = approval.get("by", "founder")
    if by == "head":
        approval.update(person=ctx["head"], position=f"Руководитель {ctx['org']['short_name'] or ctx['org']['body']}")
    elif by == "founder":
        founder_head = ctx["founder_head"]
        approval.update(person=founder_head, position=(founder_head or {}).get("position", ""))
    else:                                       # a position outside the workbook: its name is signed by hand
        approval.update(person=None, position=by)
    ctx.update({
        "items": [{"number": p.number, "event": p.event, "form": p.form or "",
                   "due": p.due.text if p.due else "", "responsible": p.responsible or "", "mark": p.mark or ""}
                  for p in sorted(report.data.plan, key=lambda p: p.number)],
        "approval": approval,
    })
    return ctx
