"""The work plan for the school year and how it is carried out."""
from __future__ import annotations

from service.domain.rules.base import Context, Rule
from service.schema.findings import finding

NOT_DONE = (None, "не выполнено")


class PlanRequired(Rule):
    kind = "plan_required"

    def check(self, ctx: Context):
        if "plan" in ctx.sheets and not ctx.wb.plan:
            yield finding("plan.missing", self.cite(
                f"План работы на {ctx.year.title} учебный год не заполнен"),
                sheet=ctx.sheets["plan"], clause=self.clause)


class PlanDeadlines(Rule):
    kind = "plan_deadlines"

    def check(self, ctx: Context):
        for item in ctx.wb.plan:
            if item.due is None or item.due.last >= ctx.as_of or item.mark not in NOT_DONE:
                continue
            state = "отмечено «не выполнено»" if item.mark else "нет отметки о выполнении"
            cell = item.cells.get("mark") or item.cells.get("due")
            yield finding("plan.overdue", self.cite(
                f"{cell}: срок мероприятия №{item.number} «{item.event[:60]}» ({item.due.text}) прошёл, {state}"),
                sheet=ctx.sheet("plan", "План"), cell=cell, clause=self.clause)
