from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, ClassVar, Iterable

from service.schema.cells import SchoolYear
from service.schema.findings import Finding
from service.schema.records import CANCELLED, HELD, PLANNED, Meeting, Member, Workbook

RULES: dict[str, type["Rule"]] = {}


@dataclass
class Context:
    wb: Workbook
    year: SchoolYear
    as_of: dt.date
    _presence: dict = field(default_factory=dict, repr=False, compare=False)

    def presence(self, meeting: Meeting) -> tuple[int, int]:
        """(present, members on the day) of a meeting, counted once per check: the quorum
        and the decisions rules both ask (80 counts of 500 marks in a large register)."""
        from service.domain.rules.quorum import presence

        if meeting.number not in self._presence:
            self._presence[meeting.number] = presence(self.wb, meeting)
        return self._presence[meeting.number]

    @property
    def sheets(self) -> dict[str, str]:
        return self.wb.sheets

    def sheet(self, tab: str, fallback: str) -> str:
        return self.wb.sheets.get(tab, fallback)

    def held(self) -> list[Meeting]:
        return [m for m in self.wb.meetings if m.state(self.as_of) == HELD]

    def planned(self) -> list[Meeting]:
        return [m for m in self.wb.meetings if m.state(self.as_of) == PLANNED]

    def cancelled(self) -> list[Meeting]:
        return [m for m in self.wb.meetings if m.state(self.as_of) == CANCELLED]

    @property
    def reference_day(self) -> dt.date:
        """The day composition is judged on: today, or the year's last day for a past year."""
        return min(self.as_of, self.year.last_day)

    def members_now(self) -> list[Member]:
        return self.wb.members_on(self.reference_day)


class Rule:
    """A requirement of a regulation.  Subclasses set `kind` and implement `check`."""

    kind: ClassVar[str]
    params: ClassVar[tuple[str, ...]] = ()

    def __init__(self, clause: str | None, **params: Any):
        unknown = set(params) - set(self.params)
        if unknown:
            raise ValueError(f"rule {self.kind}: unknown parameters {sorted(unknown)}")
        self.clause = clause
        for name in self.params:
            setattr(self, name, params.get(name))

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        if getattr(cls, "kind", None):
            RULES[cls.kind] = cls

    def check(self, ctx: Context) -> Iterable[Finding]:
        raise NotImplementedError

    def cite(self, text: str) -> str:
        """Messages end with the clause, the way a curator would write it."""
        return f"{text} ({self.clause} Положения)." if self.clause else f"{text}."


def build(specs: list[dict]) -> list[Rule]:
    rules = []
    for spec in specs:
        spec = dict(spec)
        kind = spec.pop("kind")
        if kind not in RULES:
            raise ValueError(f"unknown rule kind {kind!r}")
        clause = spec.pop("clause", None)
        spec.pop("reading", None)
        rules.append(RULES[kind](clause, **spec))
    return rules
