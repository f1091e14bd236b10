"""The association's officers: head, deputy, secretary, and what the head must be."""
from __future__ import annotations

import re

from service.domain.attestation import category_state
from service.domain.rules.base import Context, Rule
from service.schema.findings import WARNING, finding
from service.russian.lists import join_or
from service.schema.records import DEPUTY, HEAD, SECRETARY

ROLE_CODES = {HEAD: "role.no_head", SECRETARY: "role.no_secretary", DEPUTY: "role.no_deputy"}
ROLE_GENITIVE = {HEAD: "руководителя", SECRETARY: "секретаря", DEPUTY: "заместителя руководителя"}


class RoleRequired(Rule):
    kind = "role_required"
    params = ("role",)

    def check(self, ctx: Context):
        holders = [m for m in ctx.members_now() if m.role == self.role]
        sheet = ctx.sheet("members", "Состав")
        if not holders:
            yield finding(ROLE_CODES[self.role], self.cite(
                f"В составе нет {ROLE_GENITIVE[self.role]}: укажите «{self.role}» в столбце «Роль в МО»"),
                sheet=sheet, clause=self.clause)
        elif self.role == HEAD and len(holders) > 1:
            names = ", ".join(m.full_name for m in holders)
            yield finding("role.several_heads", self.cite(f"Руководителей несколько: {names}"),
                          sheet=sheet, cell=holders[1].cells.get("role"), clause=self.clause)


def heads(ctx: Context):
    return [m for m in ctx.members_now() if m.role == HEAD]


class HeadCategory(Rule):
    kind = "head_category"
    params = ("allowed",)

    def check(self, ctx: Context):
        sheet = ctx.sheet("members", "Состав")
        allowed = join_or(self.allowed)
        for head in heads(ctx):
            state = category_state(head, ctx.as_of)
            cell = head.cells.get("category")
            if state.category not in self.allowed:
                yield finding("head.category", self.cite(
                    f"{cell}: руководитель {head.full_name} — категория «{state.category}», а требуется {allowed}"),
                    sheet=sheet, cell=cell, clause=self.clause, member=head.full_name)
            elif state.expired:
                yield finding("head.category", self.cite(
                    f"{head.cells.get('category_date')}: руководитель {head.full_name} — категория «{state.category}» истекла "
                    f"{state.expires:%d.%m.%Y}, а требуется действующая {allowed}"),
                    sheet=sheet, cell=head.cells.get("category_date"), clause=self.clause, member=head.full_name)
            elif not state.date_known:
                yield finding("head.category", self.cite(
                    f"{cell}: руководитель {head.full_name} — не указана дата присвоения категории, "
                    "срок её действия не проверить"), severity=WARNING,
                    sheet=sheet, cell=head.cells.get("category_date") or cell, clause=self.clause,
                    member=head.full_name)


class HeadPosition(Rule):
    kind = "head_position"
    params = ("pattern", "position")

    def check(self, ctx: Context):
        for head in heads(ctx):
            if not re.search(self.pattern, (head.position or "").lower().replace("ё", "е")):
                cell = head.cells.get("position")
                yield finding("head.position", self.cite(
                    f"{cell}: руководитель {head.full_name} — «{head.position or 'должность не указана'}», "
                    f"а руководителем должен быть {self.position}"),
                    sheet=ctx.sheet("members", "Состав"), cell=cell, clause=self.clause, member=head.full_name)


class MemberPosition(Rule):
    kind = "member_position"
    params = ("pattern", "position")

    def check(self, ctx: Context):
        for m in ctx.members_now():
            if m.role == HEAD:
                continue              # the head's position is judged by head_position
            if m.position and not re.search(self.pattern, m.position.lower().replace("ё", "е")):
                cell = m.cells.get("position")
                yield finding("member.position", self.cite(
                    f"{cell}: {m.full_name} — «{m.position}», а объединение формируется из числа: {self.position}"),
                    sheet=ctx.sheet("members", "Состав"), cell=cell, clause=self.clause, member=m.full_name)
