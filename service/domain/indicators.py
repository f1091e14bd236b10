"""The year's figures of an association in one fixed set (Залесово п. 4.4 портфолио,
п. 5.7 самооценка): the same indicators, in the same order, with the same codes, for
every association, so a curator can put them side by side.  An indicator the workbook
cannot tell (no attendance marks) has the value None and is shown as «нет данных».
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from service.domain import statistics
from service.domain.attestation import CATEGORIES
from service.domain.calendar import periods
from service.schema.cells import SchoolYear
from service.schema.records import Workbook

PRACTICE = "практика"
LEVEL_CODES = {"международный": "international", "всероссийский": "federal", "региональный": "regional",
               "муниципальный": "municipal", "ОО": "school"}
OPEN_EVENT_DONE = "выполнено"


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    value: int | None
    unit: str = ""          # "%" or ""
    part: bool = False      # a part of the indicator above it («в том числе …»)

    def as_dict(self) -> dict:
        return {"code": self.code, "label": self.label, "value": self.value, "unit": self.unit, "part": self.part}


def required_meetings(rules: list[dict], year: SchoolYear) -> int | None:
    """Meetings the regulation asks for in the whole school year (the largest of its
    frequency rules), None where it sets none."""
    totals = [r["min"] * len(periods(year, r["per"])) for r in rules]
    return max(totals) if totals else None


def attested_in(wb: Workbook, on: dt.date, year: SchoolYear) -> tuple[int, int]:
    """(granted a category, passed СЗД) during the school year, among the members on `on`."""
    members = wb.members_on(on)
    category = sum(1 for m in members
                   if m.category in CATEGORIES and m.category_date and year.contains(m.category_date))
    szd = sum(1 for m in members if m.category not in CATEGORIES and m.szd_date and year.contains(m.szd_date))
    return category, szd


def year_indicators(wb: Workbook, year: SchoolYear, as_of: dt.date, frequency_rules: list[dict]) -> list[Indicator]:
    on = min(as_of, year.last_day)
    members = wb.members_on(on)
    staff = statistics.staff(members, on)
    held = statistics.meetings_held(wb, as_of)
    attendance = [r["percent"] for r in held if r["percent"] is not None]
    plan = statistics.plan_execution(wb, as_of)
    events = statistics.events(wb)
    achievements = wb.achievements
    by_level = {level: sum(1 for a in achievements if a.level == level) for level in statistics.LEVELS}
    granted, szd = attested_in(wb, on, year)
    out = [
        Indicator("members", "Членов объединения", staff["total"]),
        Indicator("with_category", "Имеют квалификационную категорию",
                  round(100 * staff["with_category"] / staff["total"]) if staff["total"] else None, "%"),
        Indicator("young", "Молодых специалистов (стаж менее 3 лет)", len(statistics.young_specialists(members))),
        Indicator("meetings_required", "Заседаний требуется по Положению", required_meetings(frequency_rules, year)),
        Indicator("meetings_held", "Заседаний проведено", len(held)),
        Indicator("attendance", "Средняя посещаемость заседаний",
                  round(sum(attendance) / len(attendance)) if attendance else None, "%"),
        Indicator("plan_items", "Мероприятий в плане", plan["total"]),
        Indicator("plan_done", "Выполнение плана", plan["percent_done"] if plan["total"] else None, "%"),
        Indicator("open_events", "Открытых мероприятий проведено (семинары, открытые уроки, мастер-классы и др.)",
                  sum(1 for e in events if e["mark"] == OPEN_EVENT_DONE)),
        Indicator("achievements", "Достижений педагогов", len(achievements)),
    ]
    out += [Indicator(f"achievements_{LEVEL_CODES[level]}",
                      "в том числе " + ("уровень ОО" if level == "ОО" else f"{level} уровень"), by_level[level],
                      part=True)
            for level in statistics.LEVELS]
    out += [
        Indicator("practices", "из них эффективных педагогических практик",
                  sum(1 for a in achievements if a.kind == PRACTICE), part=True),
        Indicator("attested_category", "Аттестовано на квалификационную категорию в учебном году", granted),
        Indicator("attested_szd", "Аттестовано на соответствие занимаемой должности в учебном году", szd),
        Indicator("attestation_ahead", "Сроков аттестации истекает до конца следующего учебного года",
                  len(statistics.attestation_ahead(members, year, as_of))),
    ]
    return out
