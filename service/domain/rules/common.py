"""Checks of completeness that every regulation implies, cited where a clause exists."""
from __future__ import annotations

from service.domain.rules.base import Context, Rule
from service.schema.findings import finding


class AgendaPresent(Rule):
    """A held meeting has at least one agenda question, or there is nothing to protocol."""

    kind = "agenda_present"

    def check(self, ctx: Context):
        with_items = {a.meeting for a in ctx.wb.agenda}
        for m in ctx.held():
            if m.number not in with_items:
                yield finding("agenda.empty", self.cite(
                    f"У заседания №{m.number} от {m.date:%d.%m.%Y} нет вопросов на листе «Повестка»"),
                    sheet=ctx.sheet("agenda", "Повестка"), clause=self.clause, meeting=m.number)
