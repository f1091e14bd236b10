"""When each member must next be attested: the year's schedule and the five-year
perspective plan (Здвинский разд. 6: «график прохождения аттестации на текущий год и
перспективный план аттестации»).

A category granted before 1 September 2023 must be confirmed within five years; one
granted since does not expire (order No. 196 of 24.03.2023), so its holder needs no
mandatory attestation.  A member without a category is attested for «соответствие
занимаемой должности» (СЗД) every five years.  Pure functions over typed members.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from service.domain.attestation import CATEGORIES, NO_EXPIRY_SINCE, TERM_YEARS
from service.domain.calendar import add_years
from service.domain.young import YOUNG_YEARS
from service.schema.cells import SchoolYear
from service.schema.records import Member

PERSPECTIVE_YEARS = 5
DUE, NO_EXPIRY, UNKNOWN, NOT_YET = "due", "no_expiry", "unknown", "not_yet"
SZD = "соответствие занимаемой должности"
SZD_MIN_YEARS = 2       # a first СЗД attestation not before two years in the position


@dataclass(frozen=True)
class Term:
    """A member's next mandatory attestation: `what` it is for, `due` (the day the
    category or the last СЗД attestation runs out), and `state`:
    DUE (a date is known), NO_EXPIRY (a category granted since 01.09.2023), UNKNOWN
    (the date the term runs from is missing), NOT_YET (no category, less than two years
    of experience: the first СЗД attestation comes later)."""
    member: Member
    what: str
    state: str
    due: dt.date | None = None
    since: dt.date | None = None          # when the category was granted or СЗД last passed

    @property
    def basis(self) -> str:
        """What the member holds now, for a table: «высшая, с 15.03.2021»."""
        held = f"категория «{self.member.category}»" if self.member.category in CATEGORIES else "без категории"
        if self.member.category not in CATEGORIES and self.since:
            return f"{held}, СЗД с {self.since:%d.%m.%Y}"
        return f"{held}, с {self.since:%d.%m.%Y}" if self.since else held

    @property
    def note(self) -> str:
        return {NO_EXPIRY: f"бессрочно (категория присвоена после {NO_EXPIRY_SINCE:%d.%m.%Y})",
                UNKNOWN: "срок не определить: не указана дата "
                         + ("присвоения категории" if self.member.category in CATEGORIES else "аттестации на СЗД"),
                NOT_YET: f"молодой специалист: первая аттестация на СЗД — не ранее чем через {SZD_MIN_YEARS} года "
                         "работы в должности",
                }.get(self.state, "")


def term(m: Member) -> Term:
    if m.category in CATEGORIES:
        what = f"категория «{m.category}»"
        if m.category_date is None:
            return Term(m, what, UNKNOWN)
        if m.category_date >= NO_EXPIRY_SINCE:
            return Term(m, what, NO_EXPIRY, since=m.category_date)
        return Term(m, what, DUE, add_years(m.category_date, TERM_YEARS), since=m.category_date)
    if m.szd_date is not None:
        return Term(m, SZD, DUE, add_years(m.szd_date, TERM_YEARS), since=m.szd_date)
    if m.experience is not None and m.experience < YOUNG_YEARS:
        return Term(m, SZD, NOT_YET)
    return Term(m, SZD, UNKNOWN)


def schedule(members: list[Member], year: SchoolYear) -> list[Term]:
    """Terms running out by the end of the school year (earlier ones too: overdue), by date."""
    due = [t for t in map(term, members) if t.state == DUE and t.due <= year.last_day]
    return sorted(due, key=lambda t: (t.due, t.member.full_name))


def perspective_years(year: SchoolYear, count: int = PERSPECTIVE_YEARS) -> list[SchoolYear]:
    return [SchoolYear(year.start + i) for i in range(count)]


def year_of(t: Term, years: list[SchoolYear]) -> int | None:
    """The column of the perspective plan a term falls in: its school year, the first
    one for an overdue term; None beyond the horizon or without a date."""
    if t.state != DUE:
        return None
    if t.due < years[0].first_day:
        return 0
    return next((i for i, y in enumerate(years) if y.contains(t.due)), None)


def perspective(members: list[Member], year: SchoolYear) -> tuple[list[SchoolYear], list[tuple[Term, int | None]]]:
    """Every member with the column (school year) of their next mandatory attestation."""
    years = perspective_years(year)
    terms = sorted(map(term, members), key=lambda t: t.member.full_name)
    return years, [(t, year_of(t, years)) for t in terms]
