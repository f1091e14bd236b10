"""Самооценка качества работы (Залесово п. 5.7, май – июнь): the year's figures in the
shared form and each requirement of the regulation met or not, judged by the check's
own findings — the association assesses itself by the rules it is held to, not by a
score nobody set."""
from __future__ import annotations

import datetime as dt

from service.domain.compliance import MET, NOT_MET, REMARKS, requirements
from service.pipeline import Report
from service.render.contexts.annual import year_conclusions
from service.render.contexts.common import common_context
from service.render.contexts.figures import figures_context
from service.render.contexts.stamps import stamps_context
from service.render.numbering import Numbering


def _summary(reqs) -> list[str]:
    if not reqs:
        return []
    met = [r for r in reqs if r.status != NOT_MET]
    out = [f"Выполнено требований Положения: {len(met)} из {len(reqs)}."]
    missed = [r for r in reqs if r.status == NOT_MET]
    if missed:
        out.append("Не выполнены: " + "; ".join(f"{r.clause} — {r.text}" for r in missed) + ".")
    remarks = [r for r in reqs if r.status == REMARKS]
    if remarks:
        out.append("Выполнены с замечаниями: " + "; ".join(f"{r.clause} — {r.text}" for r in remarks) + ".")
    return out


def self_assessment_context(report: Report, today: dt.date, warnings: list[str] = ()) -> dict:
    reqs = requirements(report.regulation.rules if report.regulation else (), report.findings)
    n = Numbering()
    ctx = common_context(report, today, list(warnings))
    ctx.update(stamps_context(report, "self-assessment", ctx, today))
    ctx.update(figures_context(report, today))
    ctx.update({
        "tables": {
            "indicators": n.table("Показатели работы за учебный год", ctx["indicators"]),
            "requirements": n.table("Выполнение требований Положения",
                                    [{"number": i, "clause": r.clause, "text": r.text, "status": r.status,
                                      "met": r.status == MET} for i, r in enumerate(reqs, start=1)]),
        },
        "conclusions": _summary(reqs) + year_conclusions(report, today),
    })
    del ctx["indicators"]
    return ctx
