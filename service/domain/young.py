"""Young and newly arrived specialists, and the plan items meant for them
(Здвинский разд. 6: «план работы с молодыми и вновь прибывшими специалистами»).

Young: less than three years of teaching experience.  Newly arrived: included in the
composition during the school year, later than the composition was formed (the earliest
«Дата включения» of the year) — associations are formed anew each year (Здвинский
п. 5.1(1)), so the yearly inclusion of everyone makes nobody «new».
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from service.schema.cells import SchoolYear
from service.schema.records import Member, PlanItem, Workbook

YOUNG_YEARS = 3
FOR_YOUNG = "молодые и вновь прибывшие специалисты"     # the value of «Для кого» (enum `audience`)
_WORDS = ("молод", "наставни", "вновь прибывш", "начинающ")


@dataclass(frozen=True)
class Newcomer:
    member: Member
    young: bool            # experience under three years
    arrived: dt.date | None  # included during the year, after the composition was formed

    @property
    def why(self) -> str:
        parts = []
        if self.young:
            parts.append("молодой специалист")
        if self.arrived:
            parts.append(f"вновь прибывший (в составе с {self.arrived:%d.%m.%Y})")
        return "; ".join(parts)


def is_young(m: Member) -> bool:
    return m.experience is not None and m.experience < YOUNG_YEARS


def composition_day(members: list[Member], year: SchoolYear) -> dt.date | None:
    """The day the year's composition was formed: the earliest «Дата включения» inside
    the school year (None when nobody was included during it)."""
    days = [m.joined for m in members if m.joined and year.contains(m.joined)]
    return min(days) if days else None


def newcomers(members: list[Member], year: SchoolYear) -> list[Newcomer]:
    """Young and newly arrived members, by name."""
    formed = composition_day(members, year)
    out = []
    for m in members:
        arrived = m.joined if formed and m.joined and year.contains(m.joined) and m.joined > formed else None
        if is_young(m) or arrived:
            out.append(Newcomer(m, is_young(m), arrived))
    return sorted(out, key=lambda n: n.member.full_name)


def items_for_young(wb: Workbook) -> list[PlanItem]:
    """Plan items meant for them: marked «молодые и вновь прибывшие специалисты» in «Для
    кого»; where nobody uses that column, those whose name speaks of young specialists
    or mentoring."""
    plan = sorted(wb.plan, key=lambda p: p.number)
    if any(p.audience for p in plan):
        return [p for p in plan if p.audience == FOR_YOUNG]
    return [p for p in plan if any(w in p.event.lower().replace("ё", "е") for w in _WORDS)]
