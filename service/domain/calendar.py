"""Periods of a school year that regulations count meetings in.

Readings (the regulation files cite them):
- school year: 1 September to 31 August;
- half-year: calendar half-years, July–December and January–June; the second is
  judged from 1 July, once the teaching year is over (Каменск-Уральский п. 5.2);
- quarter: calendar quarters, four a school year: July–September, October–December,
  January–March, April–June (Здвинский п. 5.1(5)); a meeting on 30 September covers
  July–September, not October–December.
Meetings of July and August after the school year belong to the next year's
workbook; a July–August meeting typed into this one still counts for July–September
or July–December, because the calendar says so.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from service.russian.dates import month_name
from service.schema.cells import SchoolYear


@dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date
    label: str                 # «январь – март 2025 г.»

    def contains(self, day: dt.date) -> bool:
        return self.first <= day <= self.last

    def ended_by(self, as_of: dt.date) -> bool:
        return self.last < as_of

    def started_by(self, as_of: dt.date) -> bool:
        return self.first <= as_of


def _label(first: dt.date, last: dt.date) -> str:
    # the months spelled out (checked against babel's CLDR names by a test): babel's
    # locale data cost a check 20 ms in a fresh process
    a, b = month_name(first.month), month_name(last.month)
    if first.year == last.year:
        return f"{a} – {b} {last.year} г."
    return f"{a} {first.year} г. – {b} {last.year} г."


def periods(year: SchoolYear, per: str) -> list[Period]:
    s = year.start
    spans = {
        "school_year": [(dt.date(s, 9, 1), dt.date(s + 1, 8, 31))],
        "half_year": [(dt.date(s, 7, 1), dt.date(s, 12, 31)), (dt.date(s + 1, 1, 1), dt.date(s + 1, 6, 30))],
        "quarter": [(dt.date(s, 7, 1), dt.date(s, 9, 30)), (dt.date(s, 10, 1), dt.date(s, 12, 31)),
                    (dt.date(s + 1, 1, 1), dt.date(s + 1, 3, 31)), (dt.date(s + 1, 4, 1), dt.date(s + 1, 6, 30))],
    }
    if per not in spans:
        raise ValueError(f"unknown period kind {per!r}")
    if per == "school_year":
        return [Period(a, b, f"{year.title} учебный год") for a, b in spans[per]]
    return [Period(a, b, _label(a, b)) for a, b in spans[per]]


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:                      # 29 February
        return day.replace(year=day.year + years, month=3, day=1)


def deadline_in(year: SchoolYear, month: int, day: int) -> dt.date:
    """«до 1 октября текущего года» inside the school year: Sep–Dec of the start year,
    Jan–Aug of the next."""
    return dt.date(year.start if month >= 9 else year.start + 1, month, day)
