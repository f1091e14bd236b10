"""Which meeting's protocol records a decision: documents cite it as their basis.

An order appointing officers whom the members elected cites «протокол заседания ММО
от … № …» (Здвинский п. 5.2(2), ГПМО п. 4.3, РПМО п. 10.2); a plan «рассмотрен на
заседании МО» cites the protocol of the meeting that considered it (Каменск-Уральский
п. 5.1).  The workbook has no field for either, so the agenda is read the way a person
reads it: the question or the decision says «избрать секретаря», «план работы».
Pure functions; None means «not recorded», and the document leaves blanks.
"""
from __future__ import annotations

import datetime as dt
import re

from service.schema.cells import SchoolYear
from service.schema.records import DEPUTY, HELD, HEAD, SECRETARY, Meeting, Workbook

_ELECTION = re.compile(r"избра|избира|выбор|выбра|переизбр")
_DEPUTY = re.compile(r"заместител\w*(\s+(руководител|председател)\w*)?")
_HEAD = re.compile(r"руководител|председател")
_SECRETARY = re.compile(r"секретар")
_PLAN = re.compile(r"план\w*\s+(работы|деятельности)")
_OTHER_YEAR = re.compile(r"(\d{4})\s*[-/–—]\s*(\d{2}|\d{4})")
_NEXT_YEAR = re.compile(r"(следующ|нов|предстоящ)\w*\s+(учебн\w+\s+)?год")


def _text(wb: Workbook, meeting: Meeting) -> list[str]:
    return [f"{a.question} {a.decided or ''}".lower().replace("ё", "е") for a in wb.agenda_of(meeting.number)]


def _held_in_order(wb: Workbook, as_of: dt.date, until: dt.date | None) -> list[Meeting]:
    held = [m for m in wb.meetings if m.state(as_of) == HELD and (until is None or m.date <= until)]
    return sorted(held, key=lambda m: (m.date, m.number))


def roles_elected(text: str) -> set[str]:
    """Officers an agenda item elects: «Об избрании руководителя и заместителя
    руководителя» → {руководитель, заместитель руководителя}."""
    text = text.lower().replace("ё", "е")
    if not _ELECTION.search(text):
        return set()
    roles = set()
    if _DEPUTY.search(text):
        roles.add(DEPUTY)
    if _HEAD.search(_DEPUTY.sub(" ", text)):
        roles.add(HEAD)
    if _SECRETARY.search(text):
        roles.add(SECRETARY)
    return roles


def election_meeting(wb: Workbook, roles: tuple[str, ...] | list[str], as_of: dt.date,
                     until: dt.date | None = None) -> Meeting | None:
    """The first held meeting (on or before `until`, an order's date) that elected any of `roles`."""
    wanted = set(roles)
    for m in _held_in_order(wb, as_of, until):
        if any(roles_elected(t) & wanted for t in _text(wb, m)):
            return m
    return None


def plan_meeting(wb: Workbook, year: SchoolYear, as_of: dt.date) -> Meeting | None:
    """The first held meeting that considered this school year's plan of work («Об
    утверждении плана работы ММО на 2024-2025 учебный год»); a plan for the next year,
    discussed in May, is not this one."""
    for m in _held_in_order(wb, as_of, None):
        for t in _text(wb, m):
            if not _PLAN.search(t) or _NEXT_YEAR.search(t):
                continue
            years = [int(a) for a, _ in _OTHER_YEAR.findall(t)]
            if any(y != year.start for y in years):
                continue
            return m
    return None
