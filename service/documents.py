"""Generating a document: check what it needs, build its context, render, file.

The one place that knows which findings stop which document.  The CLI, the web
service and the jobs all call `generate()`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from service.filing.base import DocumentKey, Filed, Filer
from service.pipeline import Report
from service.render import charts
from service.render.contexts import (
    annual_report_context, order_context, protocol_context, registration_context, work_plan_context,
)
from service.render.docx import TemplateCache, render_with_docxtpl
from service.schema.findings import ERROR, Finding, finding
from service.schema.records import HELD

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "doc_templates"
KINDS = ("protocol", "registration-sheet", "order", "work-plan", "annual-report")


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
    blocking: list[Finding] = field(default_factory=list)     # why it was refused, or what --force overrode
    filename: str = ""
    content: bytes = b""                                      # the .docx as filed (for its PDF/A copy)


class DocumentRefused(Exception):
    """The workbook has errors about this document; `findings` says which."""

    def __init__(self, findings: list[Finding]):
        super().__init__(f"{len(findings)} errors")
        self.findings = findings


class BadRequest(ValueError):
    """The request names a meeting or plan item that does not exist (an argument error)."""


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
        blocking = problems(report, request, today)
        if blocking and not request.force:
            raise DocumentRefused(blocking)
        warnings = [f.message for f in blocking]
        context, filename, number = self.context(report, request, today, warnings)
        content = self.render(request.kind, context)
        key = DocumentKey(association or report.data.info.short_name or report.data.info.name or report.workbook,
                          request.kind, report.year.label, number)
        filed = filer.file(key, filename, content, source_hash(context), request.requested_by, share_with=share_with)
        return Outcome(filed=filed, blocking=blocking, filename=filename, content=content)

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
        if kind == "annual-report":
            return render_with_docxtpl(path, context, self.cache.env, images=_charts(context))
        return self.cache.get(path).render(context)


def _charts(context: dict) -> dict[str, Callable]:
    from docx.shared import Mm
    from docxtpl import InlineImage
    import io

    images: dict[str, Callable] = {"chart_categories": lambda tpl: None, "chart_attendance": lambda tpl: None}
    if context["staff"]["total"]:
        png = charts.categories_chart(context["staff"]["categories"])
        images["chart_categories"] = lambda tpl: InlineImage(tpl, io.BytesIO(png), width=Mm(150))
    if context["attendance"]:
        png2 = charts.attendance_chart(context["attendance"], context["quorum_share"])
        images["chart_attendance"] = lambda tpl: InlineImage(tpl, io.BytesIO(png2), width=Mm(150))
    return images


def source_hash(context: dict) -> str:
    """Hash of the data a document was made from (not of its bytes): tells whether a
    regenerated document reflects changed data."""
    data = {k: v for k, v in context.items() if k not in ("today", "warnings")}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


def problems(report: Report, request: Request, today: dt.date) -> list[Finding]:
    """Errors in the workbook that would make this document wrong."""
    wb = report.data
    errors = [f for f in report.findings if f.severity == ERROR]
    sheets = wb.sheets
    if request.kind in ("protocol", "registration-sheet") and request.meeting is not None:
        m = wb.meeting(request.meeting)
        if m is None:
            known = ", ".join(str(x.number) for x in sorted(wb.meetings, key=lambda x: x.number)) or "нет ни одного"
            raise BadRequest(f"заседания №{request.meeting} нет на листе «Заседания» (есть: {known})")
    if request.kind == "registration-sheet" and request.plan_item is not None:
        if not any(p.number == request.plan_item for p in wb.plan):
            raise BadRequest(f"мероприятия №{request.plan_item} нет в плане")
    if request.kind == "registration-sheet" and request.meeting is None and request.plan_item is None:
        raise BadRequest("укажите --meeting N или --plan-item N")
    if request.kind == "protocol" and request.meeting is None:
        raise BadRequest("укажите номер заседания: --meeting N")

    found: list[Finding] = []
    if request.kind == "protocol":
        m = wb.meeting(request.meeting)
        found += [f for f in errors if f.meeting == m.number]
        where = {"sheet": sheets.get("meetings"), "cell": m.cells.get("status"), "meeting": m.number}
        if m.state(today) != HELD:
            found.append(finding("document.not_held",
                                 f"Заседание №{m.number} от {m.date:%d.%m.%Y} не проведено (статус «{m.state(today)}»): "
                                 "протокол составляется после заседания.", **where))
        for role, name in (("председатель", m.chair_name), ("секретарь", m.secretary_name)):
            if not name and not any(f.code == "meeting.no_signers" and f.meeting == m.number for f in found):
                found.append(finding("meeting.no_signers",
                                     f"Заседание №{m.number}: не указан {role} — протокол некому подписать.",
                                     sheet=sheets.get("meetings"), cell=m.cells.get("chair" if role == "председатель"
                                                                                     else "secretary"),
                                     meeting=m.number))
        if not wb.agenda_of(m.number):
            found.append(finding("document.missing_data",
                                 f"У заседания №{m.number} нет вопросов на листе «Повестка»: протокол был бы пуст.",
                                 sheet=sheets.get("agenda"), meeting=m.number))
    elif request.kind == "order":
        found += [f for f in errors if f.sheet == sheets.get("members") or f.code.startswith("role.")]
        if not wb.info.founder and not (report.regulation and report.regulation.founder):
            found.append(finding("document.missing_data", "Не указан «Учредитель» в «Сведениях»: неясно, кто издаёт приказ.",
                                 sheet=sheets.get("info"), cell=wb.info.cells.get("founder")))
    elif request.kind == "work-plan":
        found += [f for f in errors if f.sheet == sheets.get("plan") or f.code == "plan.missing"]
    elif request.kind == "registration-sheet":
        if not wb.members:
            found.append(finding("document.missing_data", "Лист «Состав» пуст: некого вносить в лист регистрации.",
                                 sheet=sheets.get("members")))
    elif request.kind == "annual-report":
        found += [f for f in errors if f.code in ("sheet.missing", "column.missing")]
    seen, unique = set(), []
    for f in found:
        if (f.code, f.cell, f.meeting, f.message) not in seen:
            seen.add((f.code, f.cell, f.meeting, f.message))
            unique.append(f)
    return unique
