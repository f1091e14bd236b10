"""The one pipeline every shell (CLI, web, jobs) calls: source → schema → domain.

Rendering and filing build on `check()`'s result; nothing here knows about Flask,
argparse or huey.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from service.domain import documentation
from service.domain.rules import Context, build
from service.schema.cells import SchoolYear
from service.schema.findings import ERROR, Finding, bounded, counts, finding
from service.schema.reader import read_workbook
from service.schema.records import Workbook
from service.schema.regulations import Regulation, UnknownRegulation, load_regulation
from service.sources.base import Source
from service.sources.budget import held_to_limits
from service.sources.limits import Limits


@dataclass
class Report:
    workbook: str
    regulation: Regulation | None
    as_of: dt.date
    findings: list[Finding]
    data: Workbook = field(repr=False)
    year: SchoolYear | None = None

    @property
    def counts(self) -> dict[str, int]:
        return counts(self.findings)

    @property
    def has_errors(self) -> bool:
        return any(f.severity == ERROR for f in self.findings)

    def as_dict(self) -> dict:
        return {
            "workbook": self.workbook,
            "regulation": self.regulation.id if self.regulation else None,
            "school_year": self.year.label if self.year else None,
            "as_of": self.as_of.isoformat(),
            "findings": [f.as_dict() for f in self.findings],
            "counts": self.counts,
        }


def check(source: Source, *, regulation_id: str | None = None, as_of: dt.date | None = None,
          limits: Limits | None = None) -> Report:
    """Read and judge a workbook.  Raises SourceError when the file cannot be read at
    all and UnknownRegulation when `regulation_id` (an argument) is unknown; every
    problem inside the workbook is a finding."""
    as_of = as_of or dt.date.today()
    limits = limits or getattr(source, "limits", None) or Limits()     # the source's own, as configured
    regulation = load_regulation(regulation_id) if regulation_id else None
    raw = held_to_limits(source.read(), limits)   # whatever produced it, held to the same limits
    wb, findings = read_workbook(raw, as_of)
    if regulation is None:
        regulation = _regulation_of(wb, findings)
    year = wb.info.school_year or SchoolYear.of(as_of)
    if regulation is not None:
        ctx = Context(wb=wb, year=year, as_of=as_of)
        for rule in build(list(regulation.rules)):
            findings.extend(rule.check(ctx))
        findings.extend(documentation.findings(regulation, wb, year, as_of))
    return Report(workbook=raw.name, regulation=regulation, as_of=as_of,
                  findings=bounded(findings, limits.max_findings), data=wb, year=year)


def _regulation_of(wb: Workbook, findings: list[Finding]) -> Regulation | None:
    reg_id = (wb.info.regulation or "").strip().lower()
    sheet = wb.sheets.get("info", "Сведения")
    cell = wb.info.cells.get("regulation")
    if not reg_id:
        findings.append(finding(
            "regulation.unknown",
            "В «Сведениях» не указано Положение (например, «zdvinsky-mmo»): правила Положения не проверены.",
            sheet=sheet, cell=cell))
        return None
    try:
        return load_regulation(reg_id)
    except UnknownRegulation as err:
        findings.append(finding("regulation.unknown", f"{cell}: {err.message}", sheet=sheet, cell=cell))
        return None
