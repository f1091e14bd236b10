"""The compliance matrix as a person asks for it: the associations in their scope, each
with the row computed when its last check was recorded (Association.compliance), narrowed
by territory, regulation, status, school year and a search by name, sorted by any column,
with totals per column.  Reads a handful of columns of one table: nothing is recomputed
per view (1,000 associations well under 150 ms, see bench/desk_matrix.py)."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import select

from service.domain.compliance_matrix import BREACH, COLUMNS, NA, OK, PENDING, STATUS_WORDS, clauses_of, unpack
from service.schema.regulations import UnknownRegulation, load_all, load_regulation
from service.schema.text import key

UNREADABLE, UNCHECKED = "unreadable", "unchecked"
ROW_STATUS_WORDS = {**STATUS_WORDS, BREACH: "есть нарушения", OK: "всё выполнено", PENDING: "есть ожидаемое",
                    UNREADABLE: "книга не читается", UNCHECKED: "не проверено"}
SORTS = ("name", "territory", "regulation", "status") + tuple(c.id for c in COLUMNS)
_RANK = {BREACH: 0, PENDING: 1, OK: 2, NA: 3, UNREADABLE: -1, UNCHECKED: 4}


@dataclass(frozen=True)
class Query:
    territory: str = ""
    regulation: str = ""
    status: str = ""
    year: str = ""
    q: str = ""
    sort: str = "name"
    descending: bool = False

    @classmethod
    def from_args(cls, args) -> "Query":
        """From a query string: unknown values are ignored (a filter that matches nothing
        is still a filter: an unknown sort falls back to the name)."""
        def get(name, limit=200):
            value = args.get(name) or ""
            return value.strip()[:limit] if isinstance(value, str) else ""
        sort = get("sort", 40)
        return cls(territory=get("territory"), regulation=get("regulation", 80), status=get("status", 20),
                   year=get("year", 9), q=get("q"), sort=sort if sort in SORTS else "name",
                   descending=get("dir", 4) == "desc")

    def args(self, **change) -> dict:
        """The query string of this view with some values changed (links of the headers)."""
        values = {"territory": self.territory, "regulation": self.regulation, "status": self.status,
                  "year": self.year, "q": self.q, "sort": self.sort, "dir": "desc" if self.descending else ""}
        values.update(change)
        return {k: v for k, v in values.items() if v}


@dataclass
class Row:
    slug: str
    name: str
    short_name: str
    territory: str
    regulation_id: str | None
    regulation: str                  # its title as people name it
    school_year: str | None
    status: str
    cells: dict                      # column id -> cell (see compliance_matrix.row)
    errors: int | None
    warnings: int | None
    as_of: str | None

    def as_dict(self) -> dict:
        return {"slug": self.slug, "name": self.name, "short_name": self.short_name, "territory": self.territory,
                "regulation": self.regulation_id, "regulation_title": self.regulation,
                "school_year": self.school_year, "status": self.status, "as_of": self.as_of,
                "counts": {"error": self.errors, "warning": self.warnings}, "cells": self.cells}


@dataclass
class Matrix:
    rows: list[Row]
    totals: dict                     # column id -> {status: count}
    territories: list[str] = field(default_factory=list)
    regulations: list[tuple[str, str]] = field(default_factory=list)
    years: list[str] = field(default_factory=list)
    scope_size: int = 0


def _columns():
    from service.workspace.models import Association

    return (Association.slug, Association.name, Association.short_name, Association.territory,
            Association.regulation_id, Association.school_year, Association.compliance, Association.unreadable,
            Association.errors, Association.warnings)


def load(ws, principal, query: Query) -> Matrix:
    from service.accounts.principal import visible
    from service.workspace.models import Association

    titles = {r.id: r.short_title for r in load_all()}
    stmt = select(*_columns()).where(Association.archived_at.is_(None))
    if principal is not None:
        stmt = visible(principal, stmt)
    with ws.sf() as s:
        raw = s.execute(stmt).all()
    everything = [_row(r, titles) for r in raw]
    rows = [r for r in everything if _matches(r, query)]
    rows.sort(key=_sort_key(query.sort), reverse=query.descending)
    totals = {c.id: {s: 0 for s in (BREACH, PENDING, OK, NA)} for c in COLUMNS}
    for r in rows:
        for c in COLUMNS:
            cell = r.cells.get(c.id)
            if cell:
                totals[c.id][cell["status"]] += 1
    return Matrix(rows=rows, totals=totals, scope_size=len(everything),
                  territories=sorted({r.territory for r in everything if r.territory}, key=str.casefold),
                  regulations=sorted({(r.regulation_id, r.regulation) for r in everything if r.regulation_id},
                                     key=lambda t: t[1].casefold()),
                  years=sorted({r.school_year for r in everything if r.school_year}, reverse=True))


def _row(r, titles: dict) -> Row:
    comp = unpack(r.compliance, regulation_clauses(r.regulation_id))
    status = UNREADABLE if r.unreadable else comp.get("status") or UNCHECKED
    return Row(slug=r.slug, name=r.name, short_name=r.short_name or "", territory=r.territory or "",
               regulation_id=r.regulation_id, regulation=titles.get(r.regulation_id, r.regulation_id or ""),
               school_year=r.school_year, status=status, cells=comp.get("cells") or {} if not r.unreadable else {},
               errors=r.errors, warnings=r.warnings, as_of=comp.get("as_of"))


@lru_cache(maxsize=64)
def regulation_clauses(regulation_id: str | None) -> dict[str, list[str]]:
    """The clauses behind each column of one regulation (its files do not change while the
    service runs)."""
    try:
        reg = load_regulation(regulation_id) if regulation_id else None
    except UnknownRegulation:
        reg = None
    return clauses_of(list(reg.rules), list(reg.required_documents)) if reg else {}


def _matches(r: Row, q: Query) -> bool:
    if q.territory and key(r.territory) != key(q.territory):
        return False
    if q.regulation and r.regulation_id != q.regulation:
        return False
    if q.year and r.school_year != q.year:
        return False
    if q.status and r.status != q.status:
        return False
    if q.q:
        needle = key(q.q)
        if needle not in key(r.name) and needle not in key(r.short_name):
            return False
    return True


def _sort_key(sort: str):
    by_name = lambda r: (r.short_name or r.name).casefold()          # noqa: E731
    if sort == "name":
        return by_name
    if sort == "territory":
        return lambda r: (r.territory.casefold(), by_name(r))
    if sort == "regulation":
        return lambda r: (r.regulation.casefold(), by_name(r))
    if sort == "status":
        return lambda r: (_RANK.get(r.status, 9), by_name(r))
    return lambda r: (_RANK.get((r.cells.get(sort) or {}).get("status", UNCHECKED), 9),
                      -(r.cells.get(sort) or {}).get("errors", 0), by_name(r))
