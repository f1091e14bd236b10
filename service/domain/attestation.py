"""Qualification categories and attestation terms (order No. 196 of 24.03.2023).

Categories granted before 1 September 2023 last five years; those granted since
do not expire.  Attestation for «соответствие занимаемой должности» (СЗД) is held
every five years.  Педагог-методист and педагог-наставник require высшая, so they
count as at least высшая wherever a regulation asks for a category.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from service.domain.calendar import add_years
from service.schema.records import Member

NO_EXPIRY_SINCE = dt.date(2023, 9, 1)
TERM_YEARS = 5
CATEGORIES = ("первая", "высшая", "педагог-методист", "педагог-наставник")


@dataclass(frozen=True)
class CategoryState:
    category: str                 # as recorded
    expires: dt.date | None       # None: does not expire, or no date to tell
    expired: bool
    date_known: bool

    @property
    def effective(self) -> str:
        return "нет" if self.expired else self.category


def category_state(member: Member, on: dt.date) -> CategoryState:
    if member.category not in CATEGORIES:
        return CategoryState(member.category, None, False, member.category_date is not None)
    granted = member.category_date
    if granted is None:
        return CategoryState(member.category, None, False, False)
    if granted >= NO_EXPIRY_SINCE:
        return CategoryState(member.category, None, False, True)
    expires = add_years(granted, TERM_YEARS)
    return CategoryState(member.category, expires, expires <= on, True)


def szd_due(member: Member) -> dt.date | None:
    """When the next СЗД attestation is due, for members without a category."""
    if member.szd_date is None or member.category in CATEGORIES:
        return None
    return add_years(member.szd_date, TERM_YEARS)
