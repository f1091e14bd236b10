"""График прохождения аттестации на текущий год и перспективный план аттестации
(Здвинский разд. 6), from category dates and СЗД attestations: a category granted since
1 September 2023 does not expire and needs no mandatory attestation."""
from __future__ import annotations

import datetime as dt

from service.domain import attestation_plan as plan
from service.domain.attestation import CATEGORIES, NO_EXPIRY_SINCE
from service.pipeline import Report
from service.render.contexts.common import common_context, reference_day
from service.render.contexts.stamps import stamps_context
from service.render.numbering import Numbering
from service.russian.collation import sort_key


def _what(t: plan.Term) -> str:
    if t.member.category in CATEGORIES:
        return "на квалификационную категорию"
    return "на соответствие занимаемой должности"


def attestation_context(report: Report, today: dt.date, warnings: list[str] = ()) -> dict:
    on = reference_day(report, today)
    members = sorted(report.data.members_on(on), key=lambda m: sort_key(m.full_name))
    year = report.year
    schedule = [{"number": i, "full_name": t.member.full_name, "position": t.member.position or "",
                 "organisation": t.member.organisation or "", "what": _what(t), "basis": t.basis, "due": t.due,
                 "overdue": t.due <= on}
                for i, t in enumerate(plan.schedule(members, year), start=1)]
    years, terms = plan.perspective(members, year)
    perspective = []
    for i, (t, column) in enumerate(sorted(terms, key=lambda x: sort_key(x[0].member.full_name)), start=1):
        marks = [{"what": "", "due": None, "overdue": False} for _ in years]
        if column is not None:
            marks[column] = {"what": "категория" if t.member.category in CATEGORIES else "СЗД", "due": t.due,
                             "overdue": t.due <= on}
        perspective.append({"number": i, "full_name": t.member.full_name, "basis": t.basis, "note": t.note,
                            "marks": marks})
    labels = [y.label.replace("-", "/") for y in years]
    n = Numbering()
    ctx = common_context(report, today, list(warnings))
    ctx.update(stamps_context(report, "attestation-schedule", ctx, today))
    ctx.update({
        "on": on,
        "no_expiry_since": NO_EXPIRY_SINCE,
        "years": labels,
        "tables": {"schedule": n.table(f"Аттестация в {labels[0]} учебном году", schedule),
                   "perspective": n.table(f"Перспективный план аттестации на {labels[0]} – {labels[-1]} учебные годы",
                                          perspective)},
        "no_expiry": sum(1 for t, _ in terms if t.state == plan.NO_EXPIRY),
    })
    return ctx
