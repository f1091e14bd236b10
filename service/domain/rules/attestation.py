"""Categories and СЗД attestations that run out this or next school year."""
from __future__ import annotations

from service.domain.attestation import category_state, szd_due
from service.domain.rules.base import Context, Rule
from service.schema.findings import finding


class Attestation(Rule):
    kind = "attestation"

    def check(self, ctx: Context):
        horizon = ctx.year.last_day.replace(year=ctx.year.last_day.year + 1)   # end of next school year
        sheet = ctx.sheet("members", "Состав")
        for m in ctx.members_now():
            state = category_state(m, ctx.as_of)
            cell = m.cells.get("category_date")
            if state.expired:
                yield finding("attestation.expired", self.cite(
                    f"{cell}: {m.full_name} — категория «{m.category}» истекла {state.expires:%d.%m.%Y}"),
                    sheet=sheet, cell=cell, clause=self.clause, member=m.full_name)
            elif state.expires and state.expires <= horizon:
                yield finding("attestation.due", self.cite(
                    f"{cell}: {m.full_name} — категория «{m.category}» действует до {state.expires:%d.%m.%Y}, "
                    "запланируйте аттестацию"), sheet=sheet, cell=cell, clause=self.clause, member=m.full_name)
            due = szd_due(m)
            if due and due <= horizon:
                szd_cell = m.cells.get("szd_date")
                when = "истёк" if due <= ctx.as_of else "истекает"
                yield finding("attestation.due", self.cite(
                    f"{szd_cell}: {m.full_name} — срок аттестации на СЗД {when} {due:%d.%m.%Y}"),
                    sheet=sheet, cell=szd_cell, clause=self.clause, member=m.full_name)
