"""Generating a document: check what it needs, build its context, render, file.

The CLI, the web service and the jobs all call `Generator.generate()`; which findings
stop which document is decided in `service.refusals`; the kinds themselves are listed
once in `service.kinds`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from service.filing.base import PERSONAL, DocumentKey, Filed, Filer
from service.kinds import CATALOGUE, DOCX, KINDS, XLSX, Kind
from service.pipeline import Report
from service.refusals import BadRequest, problems
from service.render.contexts import (
    annual_report_context, attestation_context, cyclogram_context, data_bank_context, needs_context, order_context,
    portfolio_context, practices_context, protocol_context, registration_context, self_assessment_context,
    work_plan_context, young_specialists_context,
)
from service.render.data_bank_xlsx import data_bank_xlsx
from service.render.docx import TemplateCache
from service.render.numbering import pictures
from service.schema.findings import Finding

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "doc_templates"

__all__ = ["BadRequest", "DocumentRefused", "Generator", "KINDS", "Outcome", "Request", "is_personal", "source_hash"]


@dataclass
class Request:
    kind: str
    meeting: int | None = None
    plan_item: int | None = None
    order_number: str | None = None
    order_date: dt.date | None = None
    force: bool = False
    requested_by: str = ""
    format: str | None = None        # one of the kind's formats; None: its first (.xlsx for the data bank)
    # Birth dates, phones and e-mails in the data bank.  Only for those allowed to see
    # them: the web and API layer decide (service.web.auth.may_view_personal); False by default.
    personal: bool = False


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


def is_personal(number: str) -> bool:
    """Whether a filed document (by its key's number) holds personal data: who may download
    or preview it is decided like who may make it."""
    return number.endswith(PERSONAL)


def _check(request: Request) -> tuple[Kind, str]:
    """The kind and format asked for, or BadRequest in words a person understands."""
    if request.kind not in CATALOGUE:
        raise BadRequest(f"неизвестный вид документа: {request.kind}")
    kind = CATALOGUE[request.kind]
    fmt = (request.format or kind.formats[0]).lower().lstrip(".")
    if fmt not in kind.formats:
        raise BadRequest(f"«{kind.title}» формируется только в формате "
                         + " или ".join(f".{f}" for f in kind.formats) + f", не .{fmt}")
    if request.personal and PERSONAL not in kind.options:
        raise BadRequest(f"личные данные (дата рождения, телефон, e-mail) бывают только в банке данных, "
                         f"не в документе «{kind.title}»")
    return kind, fmt


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
        kind, fmt = _check(request)
        found = problems(report, request.kind, today, meeting=request.meeting, plan_item=request.plan_item,
                         order_date=request.order_date)
        if found.final:
            raise DocumentRefused(found.final, final=True)
        if found.blocking and not request.force:
            raise DocumentRefused(found.blocking)
        warnings = [f.message for f in found.blocking]
        context, filename, number = self.context(report, request, today, warnings)
        content = self.render(kind.id, context, fmt)
        key = DocumentKey(association or report.data.info.short_name or report.data.info.name or report.workbook,
                          request.kind, report.year.label, number)
        filed = filer.file(key, filename, content, source_hash(context), request.requested_by, share_with=share_with)
        return Outcome(filed=filed, blocking=found.blocking, filename=filename, notes=found.notes, content=content)

    def context(self, report: Report, request: Request, today: dt.date, warnings: list[str]):
        """(the template's data, the file name, the key's number) of the document asked for."""
        year = report.year.label
        wb = report.data
        kind = request.kind
        if kind == "protocol":
            m = wb.meeting(request.meeting)
            return (protocol_context(report, request.meeting, today, warnings),
                    f"Протокол №{m.number} от {m.date:%d.%m.%Y}.docx", str(m.number))
        if kind == "registration-sheet":
            ctx = registration_context(report, today, meeting=request.meeting, plan_item=request.plan_item,
                                       warnings=warnings)
            if request.meeting is not None:
                m = wb.meeting(request.meeting)
                return ctx, f"Лист регистрации, заседание №{m.number} от {m.date:%d.%m.%Y}.docx", f"m{m.number}"
            return ctx, f"Лист регистрации, мероприятие №{request.plan_item}.docx", f"p{request.plan_item}"
        if kind == "order":
            return (order_context(report, today, request.order_number, request.order_date, warnings),
                    f"Приказ о составе на {year} учебный год.docx", "")
        if kind == "data-bank":              # two formats, with or without personal data: four documents
            fmt = _check(request)[1]
            personal = " (с личными данными)" if request.personal else ""
            return (data_bank_context(report, today, request.personal, warnings),
                    f"Банк данных педагогов на {year} учебный год{personal}.{fmt}",
                    f"{fmt}-{PERSONAL}" if request.personal else fmt)
        build, name = YEAR_DOCUMENTS[kind]
        return build(report, today, warnings), name.format(year=year), ""

    def render(self, kind: str, context: dict, fmt: str = DOCX) -> bytes:
        if fmt == XLSX:
            return data_bank_xlsx(context)
        path = self.templates / CATALOGUE[kind].template
        return self.cache.get(path).render(context, pictures=pictures(context["figures"]) if context.get("figures")
                                           else None)


# Documents of the year that need nothing but the workbook: builder and file name.
YEAR_DOCUMENTS = {
    "work-plan": (work_plan_context, "План работы на {year} учебный год.docx"),
    "annual-report": (annual_report_context, "Анализ работы за {year} учебный год.docx"),
    "attestation-schedule": (attestation_context, "График аттестации на {year} учебный год.docx"),
    "cyclogram": (cyclogram_context, "Циклограмма на {year} учебный год.docx"),
    "young-specialists-plan": (young_specialists_context,
                               "План работы с молодыми специалистами на {year} учебный год.docx"),
    "needs": (needs_context, "Сведения о профессиональных потребностях на {year} учебный год.docx"),
    "portfolio": (portfolio_context, "Портфолио за {year} учебный год.docx"),
    "self-assessment": (self_assessment_context, "Самооценка качества работы за {year} учебный год.docx"),
    "practices": (practices_context, "Банк эффективных практик на {year} учебный год.docx"),
}


def source_hash(context: dict) -> str:
    """Hash of the data a document was made from (not of its bytes): tells whether a
    regenerated document reflects changed data."""
    data = {k: v for k, v in context.items() if k not in ("today", "warnings")}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()
