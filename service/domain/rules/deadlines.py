"""Dated duties of the year: composition, the data bank, the year's analysis."""
from __future__ import annotations



from service.domain.calendar import deadline_in
from service.domain.rules.base import Context, Rule
from service.schema.findings import ERROR, INFO, WARNING, finding
from service.schema.records import HEAD


def _day(text: str) -> tuple[int, int]:
    """«09-15» → (9, 15): deadlines are written month-day in the regulation files."""
    month, day = (int(p) for p in str(text).split("-"))
    return month, day


class CompositionDeadline(Rule):
    """Heads are approved by an order before the deadline; the workbook's evidence is
    the head's «Дата включения», so this is at most a warning."""

    kind = "composition_deadline"
    params = ("by",)

    def check(self, ctx: Context):
        deadline = deadline_in(ctx.year, *_day(self.by))
        if ctx.as_of <= deadline:
            return
        if any(m.role == HEAD and m.active_on(deadline) for m in ctx.wb.members):
            return                    # a head was in place on time; a later replacement is no breach
        for head in (m for m in ctx.members_now() if m.role == HEAD):
            if head.joined and head.joined > deadline:
                cell = head.cells.get("joined")
                yield finding("composition.late", self.cite(
                    f"{cell}: руководитель {head.full_name} включён в состав {head.joined:%d.%m.%Y}, "
                    f"а состав утверждается до {deadline:%d.%m.%Y}"), severity=WARNING,
                    sheet=ctx.sheet("members", "Состав"), cell=cell, clause=self.clause, member=head.full_name)


class DatabankDeadline(Rule):
    kind = "databank_deadline"
    params = ("by",)

    def check(self, ctx: Context):
        deadline = deadline_in(ctx.year, *_day(self.by))
        updated = ctx.wb.info.databank_updated
        sheet = ctx.sheet("info", "Сведения")
        cell = ctx.wb.info.cells.get("databank_updated")
        due = f"до {deadline:%d.%m.%Y}"
        if updated is not None and updated >= ctx.year.first_day:
            if updated > deadline:
                yield finding("databank.stale", self.cite(
                    f"Банк данных актуализирован {updated:%d.%m.%Y}, позже срока ({due})"),
                    severity=WARNING, sheet=sheet, cell=cell, clause=self.clause)
            return
        if ctx.as_of <= deadline:
            yield finding("databank.stale", self.cite(
                f"Банк данных нужно актуализировать {due}"), severity=INFO, sheet=sheet, cell=cell,
                clause=self.clause)
        elif updated is None:
            yield finding("databank.stale", self.cite(
                f"Не указана дата актуализации банка данных (срок — {due}); заполните «Дата актуализации банка "
                "данных» в «Сведениях»"), severity=WARNING, sheet=sheet, cell=cell, clause=self.clause)
        else:
            yield finding("databank.stale", self.cite(
                f"Банк данных последний раз актуализирован {updated:%d.%m.%Y}, а в {ctx.year.title} учебном году "
                f"его нужно было актуализировать {due}"), severity=ERROR, sheet=sheet, cell=cell, clause=self.clause)


class ReportDeadline(Rule):
    """The year's analysis (and, where stated, next year's plan) is submitted by a date
    in May; approval happens outside the workbook, so this is at most a warning."""

    kind = "report_deadline"
    params = ("by", "what")

    def check(self, ctx: Context):
        deadline = deadline_in(ctx.year, *_day(self.by))
        if ctx.as_of <= deadline:
            return
        submitted = ctx.wb.info.analysis_submitted
        sheet = ctx.sheet("info", "Сведения")
        cell = ctx.wb.info.cells.get("analysis_submitted")
        if submitted is not None and submitted < ctx.year.first_day:
            yield finding("report.deadline", self.cite(
                f"Дата представления анализа работы {submitted:%d.%m.%Y} относится к прошлому учебному году, "
                f"а анализ за {ctx.year.title} учебный год нужно было представить до {deadline:%d.%m.%Y}"),
                sheet=sheet, cell=cell, clause=self.clause)
        elif submitted is None:
            yield finding("report.deadline", self.cite(
                f"Срок ({deadline:%d.%m.%Y}) прошёл: {self.what}; в «Сведениях» нет даты представления анализа работы"),
                sheet=sheet, cell=cell, clause=self.clause)
        elif submitted > deadline:
            yield finding("report.deadline", self.cite(
                f"Анализ работы представлен {submitted:%d.%m.%Y}, позже срока {deadline:%d.%m.%Y}"),
                sheet=sheet, cell=cell, clause=self.clause)


