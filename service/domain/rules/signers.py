"""Who chairs a meeting and who signs its protocol."""
from __future__ import annotations

from service.domain.rules.base import Context, Rule
from service.russian.lists import join_or
from service.schema.findings import finding
from service.schema.records import PRESENT


def _roles(roles) -> str:
    return join_or(roles, quote=False)


class Signers(Rule):
    """A held meeting names its chair and secretary; where the regulation says who
    they must be (e.g. «подписываются руководителем и секретарём»), their roles on
    Состав must match."""

    kind = "signers"
    params = ("chair_roles", "secretary_roles", "stand_in_roles")

    def check(self, ctx: Context):
        sheet = ctx.sheet("meetings", "Заседания")
        for m in ctx.held():
            missing = [w for w, v in (("председатель", m.chair_name), ("секретарь", m.secretary_name)) if not v]
            if missing:
                cell = m.cells.get("chair" if not m.chair_name else "secretary")
                yield finding("meeting.no_signers", self.cite(
                    f"Заседание №{m.number} от {m.date:%d.%m.%Y}: не указан {' и '.join(missing)} — "
                    "протокол некому подписать"), sheet=sheet, cell=cell, clause=self.clause, meeting=m.number)
            yield from self._officer(m, m.chair, "chair", self.chair_roles, ctx, sheet, "ведёт",
                                     "председательствовать должен")
            yield from self._officer(m, m.secretary, "secretary", self.secretary_roles, ctx, sheet,
                                     "протокол ведёт", "подписывать протокол должен")

    def _officer(self, m, who, field, roles, ctx: Context, sheet, does: str, must: str):
        code = "meeting.wrong_chair" if field == "chair" else "meeting.wrong_secretary"
        cell = m.cells.get(field)
        if not roles or who is None:
            return
        if not who.active_on(m.date):
            gone = f"выбыл(а) из состава {who.left:%d.%m.%Y}" if who.left and who.left <= m.date \
                else f"включён(а) в состав только {who.joined:%d.%m.%Y}"
            yield finding(code, self.cite(
                f"{cell}: заседание №{m.number} от {m.date:%d.%m.%Y} — {who.full_name} {gone}, а {must} "
                f"{_roles(roles)} МО"), sheet=sheet, cell=cell, clause=self.clause, meeting=m.number)
        elif who.role not in roles and not self._stands_in(m, who, ctx):
            stand_in = ""
            if field == "chair" and self.stand_in_roles:
                stand_in = f" (в его отсутствие — {_roles(self.stand_in_roles)})"
                if who.role in self.stand_in_roles:
                    stand_in += ", а руководитель присутствовал"
            yield finding(code, self.cite(
                f"{cell}: заседание №{m.number} {does} {who.full_name} ({who.role}), а {must} {_roles(roles)}"
                f"{stand_in}"),
                sheet=sheet, cell=cell, clause=self.clause, meeting=m.number)

    def _stands_in(self, m, who, ctx: Context) -> bool:
        """A deputy may chair «в отсутствие» the head: allowed unless the head is marked present."""
        if not self.stand_in_roles or who.role not in self.stand_in_roles:
            return False
        heads = [x for x in ctx.wb.members_on(m.date) if x.role in (self.chair_roles or ())]
        present = {id(a.member) for a in ctx.wb.marks_of(m.number) if a.mark == PRESENT}
        return not any(id(h) in present for h in heads)
