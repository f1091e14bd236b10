"""Циклограмма (Бийск п. 6.1): the year's meetings and events month by month, one
landscape table; the events «в течение года» in a last row of their own."""
from __future__ import annotations

import datetime as dt

from service.domain import cyclogram
from service.pipeline import Report
from service.render.contexts.common import common_context
from service.render.contexts.stamps import stamps_context
from service.schema.records import PlanItem


def _event(p: PlanItem, month_span: bool) -> dict:
    """An event as the cyclogram shows it; its due text only where it says more than the
    month it stands in (a date, or a span of months)."""
    exact = p.due is not None and p.due.first == p.due.last
    return {"number": p.number, "event": p.event, "form": p.form or "", "responsible": p.responsible or "",
            "due": p.due.text if p.due and (exact or month_span) else ""}


def cyclogram_context(report: Report, today: dt.date, warnings: list[str] = ()) -> dict:
    months, whole = cyclogram.months(report.data, report.year, today)
    rows = []
    for m in months:
        rows.append({
            "month": f"{m.name.capitalize()} {m.year}",
            "meetings": [{"number": x.number, "date": x.date, "topic": x.topic or ""} for x in m.meetings],
            "events": [_event(p, p.due.first.month != p.due.last.month) for p in m.items],
        })
    ctx = common_context(report, today, list(warnings))
    ctx.update(stamps_context(report, "cyclogram", ctx, today))
    ctx.update({"months": rows, "whole_year": [_event(p, False) for p in whole]})
    return ctx
