"""Dates as they are written in Russian office documents.

ГОСТ Р 7.0.97 allows two forms: numeric «05.06.2025» (registers, tables) and
verbal-numeric «5 июня 2025 г.» (the text of a document). Approval stamps and
order headers keep the old printed-form habit of a zero-padded day in
quotation marks: «от «05» июня 2025 г.».
"""
from __future__ import annotations

import datetime as dt

# Spelled out rather than taken from babel: these are pure data, needed at
# import time by callers that build headings, and never change.  A test checks
# them against babel's CLDR data so the two cannot drift apart.
MONTHS_NOMN = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)
# «5 июня»: a day of the month is followed by the month in the genitive.
MONTHS_GENT = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)

_MONTHS = {"nomn": MONTHS_NOMN, "gent": MONTHS_GENT}


def month_name(month: int, case: str = "nomn") -> str:
    """Nominative for headings and plans («июнь»), genitive after a day
    number («5 июня»); `case` uses pymorphy3 tag names like declension.py."""
    try:
        months = _MONTHS[case]
    except KeyError:
        raise ValueError(f"case must be 'nomn' or 'gent', not {case!r}") from None
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, not {month!r}")
    return months[month - 1]


def date_numeric(d: dt.date) -> str:
    """«05.06.2025».  Formatted by hand: strftime('%Y') does not zero-pad
    years before 1000 on every platform, and documents must not depend on
    the C library."""
    return f"{d.day:02d}.{d.month:02d}.{d.year:04d}"


def date_words(d: dt.date) -> str:
    """«5 июня 2025 г.» — babel with the pattern from the project reference,
    so that the same CLDR month names are used everywhere babel is."""
    from babel.dates import format_date          # loaded on use: a check that writes no document needs none

    return format_date(d, "d MMMM y 'г.'", locale="ru")


def date_quoted(d: dt.date, quotes: str = "«»") -> str:
    """«05» июня 2025 г. — the approval-stamp / order-header form.

    Russian typography uses guillemets; pass quotes='""' for a system that
    needs straight quotes (plain-text exports)."""
    if len(quotes) != 2:
        raise ValueError("quotes must be two characters: opening and closing")
    return f"{quotes[0]}{d.day:02d}{quotes[1]} {MONTHS_GENT[d.month - 1]} {d.year} г."
