"""Who chairs a meeting and who signs its protocol."""
from __future__ import annotations

from service.domain.rules.base import Context, Rule
from service.russian.lists import join_or
from service.schema.findings import finding


def _roles(roles) -> str:
    return join_or(roles, quote=False)


class Signers(Rule):
    """A held meeting names its chair and secretary; where the regulation says who
    they must be (e.g. «подписываются руководителем и секретарём»), their roles on
    Состав must match."""

    kind = "signers"
    params = ("chair_roles", "secretary_roles")

    def check(self, ctx: Context):
        sheet = ctx.sheet("meetings", "Заседания")
        for m in ctx.held():
            missing = [w for w, v in (("председатель", m.chair_name), ("секретарь", m.secretary_name)) if not v]
            if missing:
                cell = m.cells.get("chair" if not m.chair_name else "secretary")
                yield finding("meeting.no_signers", self.cite(
                    f"Заседание №{m.number} от {m.date:%d.%m.%Y}: не указан {' и '.join(missing)} — "
                    "протокол некому подписать"), sheet=sheet, cell=cell, clause=self.clause, meeting=m.number)
            if self.chair_roles and m.chair is not None and m.chair.role not in self.chair_roles:
                yield finding("meeting.wrong_chair", self.cite(
                    f"{m.cells.get('chair')}: заседание №{m.number} ведёт {m.chair.full_name} ({m.chair.role}), "
                    f"а председательствовать должен {_roles(self.chair_roles)}"),
                    sheet=sheet, cell=m.cells.get("chair"), clause=self.clause, meeting=m.number)
            if self.secretary_roles and m.secretary is not None and m.secretary.role not in self.secretary_roles:
                yield finding("meeting.wrong_secretary", self.cite(
                    f"{m.cells.get('secretary')}: протокол заседания №{m.number} ведёт {m.secretary.full_name} "
                    f"({m.secretary.role}), а подписывать его должен {_roles(self.secretary_roles)}"),
                    sheet=sheet, cell=m.cells.get("secretary"), clause=self.clause, meeting=m.number)
