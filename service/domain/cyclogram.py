"""The year month by month (Бийск п. 6.1: «циклограмма организации методического
сопровождения»): the meetings and the plan's events of each month of the school year.

A plan item due over several months («ноябрь–декабрь») appears in each of them; one due
«в течение года» is listed once, apart.  Plan items of the form «заседание» are the
meetings themselves, which come from «Заседания».  September to May are always shown
(the teaching year); June to August only when something happens in them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from service.domain.statistics import MEETING_FORMS
from service.schema.cells import MONTH_NAMES, SchoolYear
from service.schema.records import CANCELLED, Meeting, PlanItem, Workbook

TEACHING_MONTHS = (9, 10, 11, 12, 1, 2, 3, 4, 5)
SUMMER_MONTHS = (6, 7, 8)


@dataclass
class Month:
    number: int
    year: int
    meetings: list[Meeting] = field(default_factory=list)
    items: list[PlanItem] = field(default_factory=list)

    @property
    def name(self) -> str:
        return MONTH_NAMES[self.number]

    @property
    def empty(self) -> bool:
        return not self.meetings and not self.items


def _overlaps(item: PlanItem, first: dt.date, last: dt.date) -> bool:
    return item.due is not None and item.due.first <= last and item.due.last >= first


def months(wb: Workbook, year: SchoolYear, as_of: dt.date) -> tuple[list[Month], list[PlanItem]]:
    """(the months shown, in school-year order; the items of the whole year)."""
    meetings = sorted((m for m in wb.meetings if m.state(as_of) != CANCELLED and year.contains(m.date)),
                      key=lambda m: (m.date, m.number))
    events = sorted((p for p in wb.plan if not (p.form and p.form.strip().lower() in MEETING_FORMS)),
                    key=lambda p: (p.due.first if p.due else year.last_day, p.number))
    whole_year = [p for p in events if p.due is not None and p.due.whole_year]
    out = []
    for number in TEACHING_MONTHS + SUMMER_MONTHS:
        first, last = year.month_date(number)
        month = Month(number, first.year,
                      meetings=[m for m in meetings if first <= m.date <= last],
                      items=[p for p in events if _overlaps(p, first, last) and not p.due.whole_year])
        if number in TEACHING_MONTHS or not month.empty:
            out.append(month)
    return out, whole_year
