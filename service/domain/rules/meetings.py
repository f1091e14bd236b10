"""How often meetings must be held (e.g. «не реже 1 раза в квартал»)."""
from __future__ import annotations

from service.domain.calendar import periods
from service.domain.rules.base import Context, Rule
from service.schema.findings import WARNING, finding
from service.russian.plural import plural


class MeetingFrequency(Rule):
    kind = "meeting_frequency"
    params = ("min", "per")

    def check(self, ctx: Context):
        held = ctx.held()
        planned = ctx.planned()
        sheet = ctx.sheet("meetings", "Заседания")
        for period in periods(ctx.year, self.per):
            if not period.started_by(ctx.as_of):
                continue
            count = sum(period.contains(m.date) for m in held)
            if count >= self.min:
                continue
            need = f"{self.min} {plural(self.min, 'заседания', 'заседаний', 'заседаний')}"   # «не менее» + genitive
            got = f"проведено {count}" if count else "не проведено ни одного заседания"
            if period.ended_by(ctx.as_of):
                yield finding("meetings.too_few", self.cite(
                    f"За {period.label}: {got}, а требуется не менее {need}"), sheet=sheet, clause=self.clause,
                    period=period.label)
            else:
                ahead = sum(period.contains(m.date) and m.date >= ctx.as_of for m in planned)
                if count + ahead < self.min:
                    yield finding("meetings.too_few", self.cite(
                        f"Период {period.label} ещё идёт: {got}, запланировано {ahead}, а требуется не менее {need}; "
                        "запланируйте заседание"), severity=WARNING, sheet=sheet, clause=self.clause,
                        period=period.label)
