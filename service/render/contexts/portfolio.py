"""Портфолио объединения (Залесово п. 4.4): presented with the report on the year's work
to the education department by the end of May — who the association is, the year's
figures in the form shared by every association, its open events, achievements and
attestations, and the analysis's conclusions as the report."""
from __future__ import annotations

import datetime as dt

from service.domain import statistics
from service.domain.attestation import CATEGORIES
from service.pipeline import Report
from service.render.contexts.annual import year_conclusions
from service.render.contexts.common import common_context, reference_day
from service.render.contexts.figures import figures_context
from service.render.contexts.stamps import stamps_context
from service.render.numbering import Numbering
from service.russian.collation import sort_key


def portfolio_context(report: Report, today: dt.date, warnings: list[str] = ()) -> dict:
    wb, year = report.data, report.year
    on = reference_day(report, today)
    members = wb.members_on(on)
    attested = sorted(
        ({"full_name": m.full_name, "what": f"квалификационная категория «{m.category}»", "date": m.category_date}
         for m in members if m.category in CATEGORIES and m.category_date and year.contains(m.category_date)),
        key=lambda r: sort_key(r["full_name"]))
    attested += sorted(
        ({"full_name": m.full_name, "what": "соответствие занимаемой должности", "date": m.szd_date}
         for m in members if m.category not in CATEGORIES and m.szd_date and year.contains(m.szd_date)),
        key=lambda r: sort_key(r["full_name"]))
    achievements = statistics.achievements(wb)
    n = Numbering()
    ctx = common_context(report, today, list(warnings))
    ctx.update(stamps_context(report, "portfolio", ctx, today))
    ctx.update(figures_context(report, today))
    head = ctx["head"]
    head_member = next((m for m in members if head and m.full_name == head["full_name"]), None)
    ctx.update({
        "to": (report.regulation.settings("portfolio").get("to") if report.regulation else None) or "",
        "members_count": len(members),
        "theme": wb.info.theme or "",
        "head_category": head_member.category if head_member and head_member.category in CATEGORIES else "",
        "tables": {
            "indicators": n.table("Показатели работы за учебный год", ctx["indicators"]),
            "events": n.table("Открытые мероприятия", statistics.events(wb)),
            "achievements": n.table("Достижения педагогов", achievements["entries"]),
            "attested": n.table("Аттестация педагогов в учебном году", attested),
        },
        "conclusions": year_conclusions(report, today),
    })
    del ctx["indicators"]
    return ctx
