"""One row of the curator's compliance matrix: for each requirement a curator asks
about (meetings per period, quorum, signers, decisions, composition, the head's
category, the plan, the analysis, the data bank, the documents the regulation
requires) whether the association meets it, from the findings of its check and the
regulation's rules.  Pure: computed when a check is recorded and kept with the
association, so the matrix of a thousand associations is read, never recomputed.

A cell is
- `na` (не требуется): the association's regulation has no such requirement;
- `breach` (нарушение): an error among the findings of that requirement, or a date of it
  passed without the workbook showing it met (the analysis not submitted by 15 May is
  overdue even though its finding is a warning: the approval itself is outside the book);
- `pending` (ожидается): no error, but warnings (an open period that cannot meet its
  count, a document whose data is missing) or a date of that requirement not yet come
  and not yet met;
- `ok` (выполнено): nothing found."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from service.domain.calendar import deadline_in
from service.domain.rules.describe import rule_codes
from service.schema.cells import SchoolYear
from service.schema.findings import ERROR, WARNING, Finding

OK, BREACH, PENDING, NA = "ok", "breach", "pending", "na"
STATUSES = (BREACH, PENDING, OK, NA)
STATUS_WORDS = {OK: "выполнено", BREACH: "нарушение", PENDING: "ожидается", NA: "не требуется"}
DOCUMENTS_CODE = "documentation.no_data"


@dataclass(frozen=True)
class Column:
    id: str
    title: str
    kinds: frozenset[str]          # rule kinds of the regulation files it gathers


COLUMNS: tuple[Column, ...] = (
    Column("meetings", "Заседания за период", frozenset({"meeting_frequency"})),
    Column("quorum", "Кворум", frozenset({"quorum"})),
    Column("signers", "Председатель и секретарь", frozenset({"signers"})),
    Column("decisions", "Повестка и решения", frozenset({"agenda_present", "decision_per_item", "simple_majority"})),
    Column("composition", "Состав и руководитель", frozenset({"role_required", "composition_deadline",
                                                              "head_position", "member_position"})),
    Column("head_category", "Категория руководителя", frozenset({"head_category"})),
    Column("plan", "План работы", frozenset({"plan_required", "plan_deadlines"})),
    Column("analysis", "Анализ работы в срок", frozenset({"report_deadline"})),
    Column("databank", "Банк данных", frozenset({"databank_deadline"})),
    Column("documents", "Документы по Положению", frozenset()),
)
BY_ID = {c.id: c for c in COLUMNS}
_DATED = {"composition_deadline", "databank_deadline", "report_deadline"}


def _belongs(f: Finding, spec: dict, codes: list[str]) -> bool:
    return f.code in codes and (f.clause is None or f.clause == spec.get("clause"))


def row(rules: list[dict], required_documents: list, findings: list[Finding], year: SchoolYear,
        as_of: dt.date, obligations_done: dict[str, bool] | None = None) -> dict:
    """{"cells": {column id: cell}, "status": the worst cell}.  A cell: {"status",
    "errors", "warnings", "codes", "clauses"}; `obligations_done` says, per dated rule kind,
    whether the workbook shows it done (from service.domain.obligations)."""
    done = obligations_done or {}
    cells = {}
    for col in COLUMNS:
        if col.id == "documents":
            specs = [{"clause": d.clause} for d in required_documents]
            mine = [f for f in findings if f.code == DOCUMENTS_CODE]
        else:
            specs = [r for r in rules if r["kind"] in col.kinds]
            mine = [f for f in findings if any(_belongs(f, r, rule_codes(r)) for r in specs)]
        if not specs:
            cells[col.id] = {"status": NA, "errors": 0, "warnings": 0, "codes": [], "clauses": []}
            continue
        errors = sum(1 for f in mine if f.severity == ERROR)
        warnings = sum(1 for f in mine if f.severity == WARNING)
        undone = [deadline_in(year, *(int(p) for p in str(r["by"]).split("-"))) for r in specs
                  if r.get("kind") in _DATED and not done.get(r["kind"], False)]
        late = any(as_of > day for day in undone)           # overdue, whatever the finding's severity
        waiting = any(as_of <= day for day in undone)
        status = BREACH if errors or late else PENDING if (mine or waiting) else OK
        clauses = list(dict.fromkeys(s.get("clause") for s in specs if s.get("clause")))
        cells[col.id] = {"status": status, "errors": errors, "warnings": warnings,
                         "codes": sorted({f.code for f in mine}), "clauses": clauses}
    return {"cells": cells, "status": overall(cells)}


def overall(cells: dict) -> str:
    statuses = {c["status"] for c in cells.values()}
    for s in (BREACH, PENDING, OK):
        if s in statuses:
            return s
    return NA


def codes_of(column_id: str, rules: list[dict]) -> set[str]:
    """The finding codes behind one column under a regulation (to list the findings of a cell)."""
    if column_id == "documents":
        return {DOCUMENTS_CODE}
    col = BY_ID[column_id]
    return {c for r in rules if r["kind"] in col.kinds for c in rule_codes(r)}


# ---------------------------------------------------------------- as kept with the association
# A thousand rows are read for one view of the matrix, so the stored form is small: one list
# per column in COLUMNS order — [state letter, errors, warnings, codes…] — and no clauses
# (they are the regulation's own, see clauses_of).
_LETTER = {OK: "o", BREACH: "b", PENDING: "p", NA: "n"}
_STATE = {v: k for k, v in _LETTER.items()}


def pack(r: dict, as_of: dt.date) -> dict:
    return {"v": 1, "status": r["status"], "as_of": as_of.isoformat(),
            "cells": [[_LETTER[c["status"]], c["errors"], c["warnings"], *c["codes"]]
                      for c in (r["cells"][col.id] for col in COLUMNS)]}


def unpack(stored: dict | None, clauses: dict[str, list[str]]) -> dict:
    """{"status", "as_of", "cells": {column id: cell}} from the stored form; `clauses`: the
    regulation's clauses per column (clauses_of).  An empty dict for nothing stored."""
    if not stored or stored.get("v") != 1:
        return {}
    cells = {}
    for col, packed in zip(COLUMNS, stored["cells"]):
        cells[col.id] = {"status": _STATE[packed[0]], "errors": packed[1], "warnings": packed[2],
                         "codes": list(packed[3:]), "clauses": clauses.get(col.id, [])}
    return {"status": stored["status"], "as_of": stored.get("as_of"), "cells": cells}


def clauses_of(rules: list[dict], required_documents: list) -> dict[str, list[str]]:
    """The clauses behind each column under one regulation."""
    out = {}
    for col in COLUMNS:
        specs = [{"clause": d.clause} for d in required_documents] if col.id == "documents" else \
            [r for r in rules if r["kind"] in col.kinds]
        out[col.id] = list(dict.fromkeys(x.get("clause") for x in specs if x.get("clause")))
    return out
