"""Quorum: «правомочны при участии более половины членов»."""
from __future__ import annotations

from fractions import Fraction

from service.domain.rules.base import Context, Rule
from service.russian.plural import count, plural
from service.schema.findings import finding
from service.schema.records import PRESENT, Meeting, Workbook


def presence(wb: Workbook, meeting: Meeting) -> tuple[int, int]:
    """(members present, members of the association on the meeting's date).
    Guests are not counted; an excused absence is an absence."""
    members = wb.members_on(meeting.date)
    ids = {id(m) for m in members}
    present = {id(a.member) for a in wb.marks_of(meeting.number)
               if a.mark == PRESENT and a.member is not None and id(a.member) in ids}
    return len(present), len(members)


def has_quorum(present: int, total: int, more_than: Fraction) -> bool:
    return total > 0 and Fraction(present, total) > more_than


class Quorum(Rule):
    kind = "quorum"
    params = ("more_than",)

    def check(self, ctx: Context):
        threshold = Fraction(str(self.more_than or "1/2"))
        sheet = ctx.sheet("meetings", "Заседания")
        for m in ctx.held():
            if m.number not in ctx.wb.attendance_columns:
                yield finding("meeting.no_attendance", self.cite(
                    f"Заседание №{m.number} от {m.date:%d.%m.%Y}: нет столбца на листе «Посещаемость», "
                    "кворум проверить нельзя"), sheet=ctx.sheet("attendance", "Посещаемость"),
                    clause=self.clause, meeting=m.number)
                continue
            present, total = ctx.presence(m)
            if not has_quorum(present, total, threshold):
                verb = plural(present, "присутствовал", "присутствовали", "присутствовали")
                yield finding("meeting.no_quorum", self.cite(
                    f"Заседание №{m.number} от {m.date:%d.%m.%Y}: {verb} {present} из "
                    f"{count(total, 'члена', 'членов', 'членов')}, нужно больше половины — кворума нет, "
                    "решения неправомочны"),
                    sheet=sheet, cell=m.cells.get("number"), clause=self.clause, meeting=m.number)
