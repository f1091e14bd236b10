"""Generating a document: check what it needs, build its context, render, file.

The CLI, the web service and the jobs all call `Generator.generate()`; which findings
stop which document is decided in `service.refusals`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from service.filing.base import DocumentKey, Filed, Filer
from service.pipeline import Report
from service.refusals import BadRequest, problems
from service.render.contexts import (
    annual_report_context, order_context, protocol_context, registration_context, work_plan_context,
)
from service.render.docx import TemplateCache, render_with_docxtpl
from service.render.numbering import images
from service.schema.findings import Finding

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "doc_templates"
KINDS = ("protocol", "registration-sheet", "order", "work-plan", "annual-report")

__all__ = ["BadRequest", "DocumentRefused", "Generator", "KINDS", "Outcome", "Request", "source_hash"]


@dataclass
class Request:
    kind: str
    meeting: int | None = None
    plan_item: int | None = None
    order_number: str | None = None
    order_date: dt.date | None = None
    force: bool = False
    requested_by: str = ""


@dataclass
class Outcome:
    filed: Filed | None
    blocking: list[Finding] = field(default_factory=list)     # what --force overrode (in red inside)
    filename: str = ""
    notes: list[Finding] = field(default_factory=list)        # problems elsewhere in the workbook: said, not printed
    content: bytes = b""                                      # the .docx as filed (for its PDF/A copy)


class DocumentRefused(Exception):
    """The workbook has errors about this document; `findings` says which.  `final`:
    no --force makes this document (a cancelled meeting, a meeting without a date)."""

    def __init__(self, findings: list[Finding], final: bool = False):
        super().__init__(f"{len(findings)} errors")
        self.findings = findings
        self.final = final


class Generator:
    """Holds the template cache; one per process (the bench renders 200 protocols with it)."""

    def __init__(self, templates: Path = TEMPLATES_DIR):
        self.templates = Path(templates)
        self.cache = TemplateCache()

    def generate(self, report: Report, request: Request, filer: Filer, today: dt.date | None = None,
                 association: str | None = None, share_with: str | None = None) -> Outcome:
        """`association` names the folder and key the document is filed under; by default
        the workbook's short name (the workspace passes its unique label).  `share_with`:
        an e-mail the filer gives read access where it can (Google Drive)."""
        today = today or dt.date.today()
        if request.kind not in KINDS:
            raise BadRequest(f"неизвестный вид документа: {request.kind}")
        found = problems(report, request.kind, today, meeting=request.meeting, plan_item=request.plan_item,
                         order_date=request.order_date)
        if found.final:
            raise DocumentRefused(found.final, final=True)
        if found.blocking and not request.force:
            raise DocumentRefused(found.blocking)
        warnings = [f.message for f in found.blocking]
        context, filename, number = self.context(report, request, today, warnings)
        content = self.render(request.kind, context)
        key = DocumentKey(association or report.data.info.short_name or report.data.info.name or report.workbook,
                          request.kind, report.year.label, number)
        filed = filer.file(key, filename, content, source_hash(context), request.requested_by, share_with=share_with)
        return Outcome(filed=filed, blocking=found.blocking, filename=filename, notes=found.notes, content=content)

    def context(self, report: Report, request: Request, today: dt.date, warnings: list[str]):
        year = report.year.label
        wb = report.data
        if request.kind == "protocol":
            m = wb.meeting(request.meeting)
            return (protocol_context(report, request.meeting, today, warnings),
                    f"Протокол №{m.number} от {m.date:%d.%m.%Y}.docx", str(m.number))
        if request.kind == "registration-sheet":
            ctx = registration_context(report, today, meeting=request.meeting, plan_item=request.plan_item,
                                       warnings=warnings)
            if request.meeting is not None:
                m = wb.meeting(request.meeting)
                return ctx, f"Лист регистрации, заседание №{m.number} от {m.date:%d.%m.%Y}.docx", f"m{m.number}"
            return ctx, f"Лист регистрации, мероприятие №{request.plan_item}.docx", f"p{request.plan_item}"
        if request.kind == "order":
            return (order_context(report, today, request.order_number, request.order_date, warnings),
                    f"Приказ о составе на {year} учебный год.docx", "")
        if request.kind == "work-plan":
            return work_plan_context(report, today, warnings), f"План работы на {year} учебный год.docx", ""
        return annual_report_context(report, today, warnings), f"Анализ работы за {year} учебный год.docx", ""

    def render(self, kind: str, context: dict) -> bytes:
        path = self.templates / f"{kind.replace('-', '_')}.docx"
        if context.get("figures"):
            return render_with_docxtpl(path, context, self.cache.env, images=images(context["figures"]))
        return self.cache.get(path).render(context)


def source_hash(context: dict) -> str:
    """Hash of the data a document was made from (not of its bytes): tells whether a
    regenerated document reflects changed data."""
    data = {k: v for k, v in context.items() if k not in ("today", "warnings")}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()
