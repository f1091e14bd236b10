"""Банк эффективных педагогических практик (Каменск-Уральский п. 9.5): «Достижения» of
the kind «практика» with their authors, where they were presented, and links."""
from __future__ import annotations

import datetime as dt

from service.pipeline import Report
from service.render.contexts.common import common_context
from service.russian.collation import sort_key

PRACTICE = "практика"


def practices_context(report: Report, today: dt.date, warnings: list[str] = ()) -> dict:
    found = sorted((a for a in report.data.achievements if a.kind == PRACTICE),
                   key=lambda a: (sort_key(a.member.full_name if a.member else a.full_name), a.row))
    ctx = common_context(report, today, list(warnings))
    ctx["practices"] = [{
        "number": i, "full_name": a.member.full_name if a.member else a.full_name,
        "organisation": (a.member.organisation or "") if a.member else "",
        "position": (a.member.position or "") if a.member else "",
        "title": a.title or "", "level": a.level or "", "result": a.result or "", "date": a.date, "link": a.link or "",
    } for i, a in enumerate(found, start=1)]
    return ctx
