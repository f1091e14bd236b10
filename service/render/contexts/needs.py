"""Сведения о профессиональных потребностях педагогических работников (Здвинский
разд. 6): each teacher's difficulty with the help planned, and a summary by need."""
from __future__ import annotations

import datetime as dt

from service.domain.needs import by_need
from service.pipeline import Report
from service.render.contexts.common import common_context, reference_day
from service.russian.collation import sort_key


def needs_context(report: Report, today: dt.date, warnings: list[str] = ()) -> dict:
    wb = report.data
    members = len(wb.members_on(reference_day(report, today)))
    rows = sorted(wb.needs, key=lambda n: (sort_key(n.member.full_name if n.member else n.full_name), n.row))
    groups = by_need(wb.needs)
    people = {n.member.full_name if n.member else n.full_name for n in wb.needs}
    ctx = common_context(report, today, list(warnings))
    ctx.update({
        "needs": [{"number": i, "full_name": n.member.full_name if n.member else n.full_name,
                   "organisation": (n.member.organisation or "") if n.member else "",
                   "position": (n.member.position or "") if n.member else "",
                   "need": n.need, "help": n.help or "", "due": n.due.text if n.due else ""}
                  for i, n in enumerate(rows, start=1)],
        "summary": [{"number": i, "need": g.need, "people": len(g.people), "percent": g.share(members),
                     "helps": ", ".join(g.helps)} for i, g in enumerate(groups, start=1)],
        "people": len(people),
        "members": members,
        "people_percent": round(100 * len(people) / members) if members else 0,
    })
    return ctx
