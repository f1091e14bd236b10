"""Rules of every regulation, judged through `service.pipeline.check()`.

Each test starts from the compliant association of `tests.factories.association`,
breaks one thing, and asserts on what a person would notice: the finding's code,
its severity, the clause of the regulation file, and where to look (sheet, cell,
meeting number or period), plus the Russian message naming the date or the person.

Helpers here are shared by the test modules of this package.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import yaml

from service.pipeline import check
from service.schema.findings import Finding
from service.sources.base import RawWorkbook
from tests.factories import Book, association, year_end

D = dt.date

REGULATIONS_DIR = Path(__file__).resolve().parents[2] / "sheet_schemas" / "regulations"

KAMENSK = "kamensk-uralsky-cpmss"
BIYSK = "biysk-social-pedagogues"
ZDVINSKY = "zdvinsky-mmo"
GPMO = "novokuznetsk-gpmo"
RPMO = "novokuznetsk-rpmo"
ZALESOVO = "zalesovo-mmo"
ALL = [KAMENSK, BIYSK, ZDVINSKY, GPMO, RPMO, ZALESOVO]

# Sheet titles the factory writes.
INFO, MEMBERS, MEETINGS, AGENDA, ATTENDANCE, PLAN = (
    "Сведения", "Состав", "Заседания", "Повестка", "Посещаемость", "План")

# Rows of the factory's tables (header in row 1, no title rows): member i is on row
# i + 2, meeting n on row n + 1, question q of meeting n on row 2n + q - 1, plan item
# k on row k + 1.  Columns: Состав C «Должность», D «Роль в МО», G «Квалификационная
# категория», H «Дата присвоения категории», I «Дата аттестации на СЗД», M «Дата
# включения»; Заседания A «№», E «Председатель», F «Секретарь»; Повестка F «Решили»,
# G «За»; План F «Отметка о выполнении».  Сведения: one key per row, in the factory's order.
INFO_ROW = {"databank_updated": 11, "analysis_submitted": 12}

HEAD, DEPUTY, SECRETARY, MEMBER = "руководитель", "заместитель руководителя", "секретарь", "член"


# ---------------------------------------------------------------- the regulation files

@lru_cache(maxsize=None)
def regulation_file(reg: str) -> dict:
    return yaml.safe_load((REGULATIONS_DIR / f"{reg}.yaml").read_text(encoding="utf-8"))


def rules_of(reg: str, kind: str) -> list[dict]:
    return [r for r in regulation_file(reg)["rules"] if r["kind"] == kind]


def rule(reg: str, kind: str, **match) -> dict:
    """The one rule of `kind` (matching `match`, e.g. role=…) in the regulation file."""
    found = [r for r in rules_of(reg, kind) if all(r.get(k) == v for k, v in match.items())]
    assert len(found) == 1, f"{reg}: expected one {kind} rule matching {match}, found {found}"
    return found[0]


def clause(reg: str, kind: str, **match) -> str:
    return rule(reg, kind, **match)["clause"]


def regs_with(kind: str, **match) -> list[str]:
    return [r for r in ALL if any(all(x.get(k) == v for k, v in match.items()) for x in rules_of(r, kind))]


def regs_without(kind: str, **match) -> list[str]:
    return [r for r in ALL if r not in regs_with(kind, **match)]


# ---------------------------------------------------------------- workbooks

def compliant(reg: str, **kw) -> Book:
    """The factory's compliant association for `reg` (Бийск: social pedagogues, п. 3.1)."""
    if reg == BIYSK:
        kw.setdefault("position", "социальный педагог")
    return association(reg, **kw)


class BookSource:
    """A Source for `check()` that hands over the Book as a RawWorkbook."""

    def __init__(self, book: Book):
        self.book = book
        self.name = book.name

    def read(self) -> RawWorkbook:
        return self.book.raw()


def run(book: Book, as_of: dt.date | None = None) -> list[Finding]:
    return check(BookSource(book), as_of=as_of or year_end()).findings


def codes(findings: list[Finding]) -> list[str]:
    return sorted(f.code for f in findings)


def only(findings: list[Finding], code: str) -> Finding:
    """The single finding of the workbook, which must have `code`."""
    assert codes(findings) == [code], _show(findings)
    return findings[0]


def one(findings: list[Finding], code: str) -> Finding:
    """The single finding with `code` (others may be present)."""
    found = [f for f in findings if f.code == code]
    assert len(found) == 1, _show(findings)
    return found[0]


def of(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def _show(findings: list[Finding]) -> str:
    return "\n".join(f"{f.severity} {f.code} {f.cell} {f.message}" for f in findings) or "(no findings)"


def cited(f: Finding, reg: str, kind: str, **match) -> None:
    """The finding names the clause of the regulation file, in its field and its message."""
    c = clause(reg, kind, **match)
    assert f.clause == c
    assert f.message.endswith(f"({c} Положения)."), f.message


# ---------------------------------------------------------------- changes to a Book

def member_row(book: Book, name: str) -> int:
    return next(i for i, m in enumerate(book.members) if m["ФИО"] == name) + 2


def meeting_row(book: Book, number: int) -> int:
    return next(i for i, m in enumerate(book.meetings) if m["№"] == number) + 2


def agenda_row(book: Book, meeting: int, question: int) -> int:
    return next(i for i, a in enumerate(book.agenda)
                if a["№ заседания"] == meeting and a["№ вопроса"] == question) + 2


def plan_row(book: Book, number: int) -> int:
    return next(i for i, p in enumerate(book.plan) if p["№"] == number) + 2


def cancel(book: Book, *numbers: int, status: str = "отменено") -> None:
    for n in numbers:
        book.meeting(n)["Статус"] = status


def set_votes(book: Book, meeting: int, yes, no=0, abstained=0, question: int | None = None) -> None:
    for a in book.agenda:
        if a["№ заседания"] == meeting and (question is None or a["№ вопроса"] == question):
            a["За"], a["Против"], a["Воздержались"] = yes, no, abstained


def drop_agenda(book: Book, meeting: int) -> None:
    book.agenda = [a for a in book.agenda if a["№ заседания"] != meeting]


def remove_meeting(book: Book, number: int) -> None:
    """Take a meeting out of the workbook altogether: its row, questions and attendance column."""
    book.meetings = [m for m in book.meetings if m["№"] != number]
    drop_agenda(book, number)
    header = f"№{number}"
    if header in book.attendance_headers:
        book.attendance_headers.remove(header)


__all__ = [
    "D", "ALL", "KAMENSK", "BIYSK", "ZDVINSKY", "GPMO", "RPMO", "ZALESOVO",
    "INFO", "MEMBERS", "MEETINGS", "AGENDA", "ATTENDANCE", "PLAN",
    "INFO_ROW",
    "HEAD", "DEPUTY", "SECRETARY", "MEMBER",
    "regulation_file", "rules_of", "rule", "clause", "regs_with", "regs_without",
    "compliant", "BookSource", "run", "codes", "only", "one", "of", "cited",
    "member_row", "meeting_row", "agenda_row", "plan_row", "cancel", "set_votes", "drop_agenda",
    "remove_meeting", "year_end",
]
