"""What is due next for an association: dated duties from its regulation, planned
meetings and plan items.  Pure: the dashboard shows the first one."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from service.domain.calendar import deadline_in
from service.schema.cells import SchoolYear
from service.schema.records import PLANNED, Workbook

_WHAT = {
    "composition_deadline": "утверждение состава и руководителя",
    "databank_deadline": "актуализация банка данных",
    "report_deadline": "анализ работы и план на новый учебный год",
}


@dataclass(frozen=True)
class Due:
    day: dt.date
    what: str
    clause: str | None = None


def upcoming(wb: Workbook, rules: list[dict], year: SchoolYear, as_of: dt.date) -> list[Due]:
    found = []
    for rule in rules:
        if rule["kind"] in _WHAT:
            month, day = (int(p) for p in str(rule["by"]).split("-"))
            found.append(Due(deadline_in(year, month, day), _WHAT[rule["kind"]], rule.get("clause")))
    for m in wb.meetings:
        if m.state(as_of) == PLANNED:
            found.append(Due(m.date, f"заседание №{m.number}"))
    for p in wb.plan:
        if p.due and not p.due.whole_year and p.mark is None:
            found.append(Due(p.due.last, f"план: {p.event[:80]}"))
    return sorted((d for d in found if d.day >= as_of), key=lambda d: d.day)
