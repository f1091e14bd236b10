"""The documents a regulation requires, against the data the workbook holds for them.

For each required document (`required_documents` of the regulation file) one function
says what the workbook has for it (`summary`, for the annual analysis's list of the
association's documentation) and what is missing (`gaps`, warnings of the check:
no «Потребности» tab under Здвинский, no practices under Каменск-Уральский).  Gaps the
rules already report (no plan, no head) are not repeated here.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from service.domain import attestation_plan, cyclogram
from service.domain.attestation import CATEGORIES
from service.domain.needs import by_need
from service.domain.young import items_for_young, newcomers
from service.kinds import CATALOGUE
from service.russian.plural import count
from service.schema.cells import SchoolYear
from service.schema.findings import WARNING, Finding, finding
from service.schema.layout import load_layout
from service.schema.records import CANCELLED, HELD, Workbook
from service.schema.regulations import DATA_BANK_FIELDS, Regulation

PRACTICE = "практика"
SHOWN_NAMES = 3


@dataclass(frozen=True)
class Gap:
    message: str                  # what is missing and what it costs the document
    tab: str                      # the tab key to fix it in
    cell: str | None = None


@dataclass(frozen=True)
class Evidence:
    kind: str
    summary: str                  # what the workbook holds for it, for people
    gaps: tuple[Gap, ...] = ()


@dataclass
class Scope:
    wb: Workbook
    year: SchoolYear
    as_of: dt.date
    settings: dict

    @property
    def day(self) -> dt.date:
        return min(self.as_of, self.year.last_day)

    def title(self, tab: str) -> str:
        return self.wb.sheets.get(tab) or load_layout().tabs[tab].title

    def has_tab(self, tab: str) -> bool:
        return tab in self.wb.sheets

    def missing_columns(self, tab: str, keys: list[str]) -> list[str]:
        """Columns of `keys` that the tab's header lacks (judged from the rows read: every
        mapped column leaves its cell address, even when empty).  Nothing is said of an
        empty tab."""
        rows = {"members": self.wb.members, "plan": self.wb.plan, "achievements": self.wb.achievements}[tab]
        if not rows:
            return []
        return [k for k in keys if not any(k in r.cells for r in rows)]


def _header(tab: str, key: str) -> str:
    return load_layout().tabs[tab].column(key).header


def _quoted(headers: list[str]) -> str:
    return ", ".join(f"«{h}»" for h in headers)


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:SHOWN_NAMES])
    return shown + (f" и ещё {len(names) - SHOWN_NAMES}" if len(names) > SHOWN_NAMES else "")


# ---------------------------------------------------------------- one function per kind

def _protocol(s: Scope) -> Evidence:
    held = [m for m in s.wb.meetings if m.state(s.as_of) == HELD]
    return Evidence("protocol", f"проведено заседаний: {len(held)}")


def _registration(s: Scope) -> Evidence:
    meetings = [m for m in s.wb.meetings if m.state(s.as_of) != CANCELLED]
    return Evidence("registration-sheet", f"заседаний: {len(meetings)}, мероприятий плана: {len(s.wb.plan)}")


def _order(s: Scope) -> Evidence:
    return Evidence("order", f"в составе {count(len(s.wb.members_on(s.day)), 'человек', 'человека', 'человек')}")


def _work_plan(s: Scope) -> Evidence:
    return Evidence("work-plan", f"мероприятий в плане: {len(s.wb.plan)}")


def _annual_report(s: Scope) -> Evidence:
    return Evidence("annual-report", "настоящий анализ")


_BANK_COLUMNS = {"birth_date": ["birth_date"], "education": ["education"], "position": ["position"],
                 "experience": ["experience"], "category": ["category"], "titles_awards": ["titles_awards"],
                 "authored_works": ["authored_works"], "contacts": ["email", "phone"]}


def _data_bank(s: Scope) -> Evidence:
    gaps = []
    fields = s.settings.get("fields") or []
    lacking = []
    for f in fields:
        keys = _BANK_COLUMNS.get(f)
        if keys and len(s.missing_columns("members", keys)) == len(keys):
            lacking.append(f"{_quoted([_header('members', k) for k in keys])} ({DATA_BANK_FIELDS[f]})")
    if lacking:
        gaps.append(Gap(f"на листе «{s.title('members')}» нет столбцов " + ", ".join(lacking)
                        + ": этих сведений в банке данных не будет", "members"))
    if "achievements" in fields and not s.has_tab("achievements"):
        gaps.append(Gap(f"нет листа «{s.title('achievements')}»: участия в конкурсах и публикаций в банке данных "
                        "не будет", "achievements"))
    return Evidence("data-bank", f"педагогов: {len(s.wb.members_on(s.day))}", tuple(gaps))


def _practices(s: Scope) -> Evidence:
    found = [a for a in s.wb.achievements if a.kind == PRACTICE]
    if not s.has_tab("achievements"):
        gap = Gap(f"нет листа «{s.title('achievements')}»: добавьте его и запишите практики с видом «практика»",
                  "achievements")
    elif not found:
        gap = Gap(f"на листе «{s.title('achievements')}» нет записей вида «практика»", "achievements")
    else:
        gap = None
    return Evidence("practices", f"практик: {len(found)}", (gap,) if gap else ())


def _attestation(s: Scope) -> Evidence:
    members = s.wb.members_on(s.day)
    gaps = []
    missing = s.missing_columns("members", ["category", "category_date", "szd_date"])
    if missing:
        headers = _quoted([_header("members", k) for k in missing])
        gaps.append(Gap(f"на листе «{s.title('members')}» нет столбцов {headers}: сроки аттестации не определить",
                        "members"))
    for key, what, picks in (
            ("category_date", "с категорией", lambda m: m.category in CATEGORIES and m.category_date is None),
            ("szd_date", "без категории", lambda m: attestation_plan.term(m).state == attestation_plan.UNKNOWN
             and m.category not in CATEGORIES)):
        if key in missing:
            continue
        lacking = [m for m in members if picks(m)]
        if lacking:
            gaps.append(Gap(f"у {count(len(lacking), 'педагога', 'педагогов', 'педагогов')} {what} не указана "
                            f"«{_header('members', key)}» ({_names([m.full_name for m in lacking])}): их срок "
                            "аттестации не определить", "members", lacking[0].cells.get(key)))
    due = attestation_plan.schedule(members, s.year)
    return Evidence("attestation-schedule", f"аттестаций в учебном году: {len(due)}", tuple(gaps))


def _needs(s: Scope) -> Evidence:
    if not s.has_tab("needs"):
        gap = Gap("нет листа «Потребности» (столбцы «ФИО», «Затруднение / потребность», «Форма помощи», «Срок»)",
                  "needs")
    elif not s.wb.needs:
        gap = Gap(f"лист «{s.title('needs')}» пуст", "needs")
    else:
        gap = None
    people = {n.member.full_name if n.member else n.full_name for n in s.wb.needs}
    return Evidence("needs", f"педагогов: {len(people)}, затруднений: {len(by_need(s.wb.needs))}",
                    (gap,) if gap else ())


def _young(s: Scope) -> Evidence:
    who = newcomers(s.wb.members_on(s.day), s.year)
    items = items_for_young(s.wb)
    gaps = ()
    if who and not items:
        gaps = (Gap(f"в «{s.title('plan')}» нет мероприятий для молодых и вновь прибывших специалистов (в составе их "
                    f"{len(who)}): отметьте такие мероприятия в столбце «{_header('plan', 'audience')}»", "plan"),)
    return Evidence("young-specialists-plan", f"молодых и вновь прибывших: {len(who)}, мероприятий для них: "
                                              f"{len(items)}", gaps)


def _cyclogram(s: Scope) -> Evidence:
    months, whole = cyclogram.months(s.wb, s.year, s.as_of)
    events = {p.number for m in months for p in m.items} | {p.number for p in whole}
    held = sum(len(m.meetings) for m in months)
    return Evidence("cyclogram", f"заседаний: {held}, мероприятий: {len(events)}")


def _year_figures(kind: str) -> Callable[[Scope], Evidence]:
    def evidence(s: Scope) -> Evidence:
        gaps = ()
        if not s.has_tab("achievements"):
            gaps = (Gap(f"нет листа «{s.title('achievements')}»: достижений педагогов в показателях не будет",
                        "achievements"),)
        return Evidence(kind, "показатели учебного года", gaps)
    return evidence


EVIDENCE: dict[str, Callable[[Scope], Evidence]] = {
    "protocol": _protocol, "registration-sheet": _registration, "order": _order, "work-plan": _work_plan,
    "annual-report": _annual_report, "data-bank": _data_bank, "practices": _practices,
    "attestation-schedule": _attestation, "needs": _needs, "young-specialists-plan": _young,
    "cyclogram": _cyclogram, "portfolio": _year_figures("portfolio"),
    "self-assessment": _year_figures("self-assessment"),
}
assert set(EVIDENCE) == set(CATALOGUE), set(EVIDENCE) ^ set(CATALOGUE)


def evidence(regulation: Regulation, wb: Workbook, year: SchoolYear, as_of: dt.date) -> list[tuple]:
    """(required document, its evidence) for each document the regulation requires."""
    return [(doc, EVIDENCE[doc.kind](Scope(wb, year, as_of, regulation.settings(doc.kind))))
            for doc in regulation.required_documents]


def findings(regulation: Regulation, wb: Workbook, year: SchoolYear, as_of: dt.date) -> list[Finding]:
    """A warning for each gap of a required document, citing the clause that requires it."""
    out = []
    titles = Scope(wb, year, as_of, {})
    for doc, ev in evidence(regulation, wb, year, as_of):
        for gap in ev.gaps:
            out.append(finding("documentation.no_data",
                               f"{gap.cell + ': ' if gap.cell else ''}«{CATALOGUE[doc.kind].title}»: {gap.message} "
                               f"({doc.clause} Положения).", severity=WARNING, sheet=titles.title(gap.tab),
                               cell=gap.cell, clause=doc.clause))
    return out
