"""Every dated obligation of an association's year, with whether the workbook shows it
done: meetings planned, the plan's events, the composition, the data bank and the
year's analysis by the regulation's dates, the members' attestation terms.  Pure:
computed when a check is recorded and kept, so the desk, the calendar feed and the
digests read them without the workbook.  Whether one is overdue depends on the day it
is looked at (`state`), not on the day of the check."""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from service.domain.attestation import category_state, szd_due
from service.domain.calendar import deadline_in
from service.schema.cells import SchoolYear
from service.schema.records import CANCELLED, HEAD, HELD, PLANNED, Workbook

DONE, OVERDUE, UPCOMING = "done", "overdue", "upcoming"
STATE_WORDS = {DONE: "выполнено", OVERDUE: "просрочено", UPCOMING: "предстоит"}

_WHAT = {
    "composition_deadline": "утверждение состава и руководителя",
    "databank_deadline": "актуализация банка данных",
    "report_deadline": "анализ работы за учебный год",
}
_PLAN_DONE = "выполнено"


@dataclass(frozen=True)
class Obligation:
    day: dt.date
    what: str
    kind: str                      # meeting | plan | composition | databank | report | attestation
    clause: str | None = None
    # True: the workbook shows it done; False: not done; None: a meeting with an empty
    # status, which counts as held from its day on (README «Reading a workbook»)
    done: bool | None = False
    meeting: int | None = None     # the meeting's number, for a meeting

    def state(self, today: dt.date) -> str:
        if self.done or (self.done is None and self.day <= today):
            return DONE
        return OVERDUE if self.day < today else UPCOMING

    def overdue_days(self, today: dt.date) -> int:
        return (today - self.day).days if self.state(today) == OVERDUE else 0

    def as_dict(self) -> dict:
        d = asdict(self)
        d["day"] = self.day.isoformat()
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Obligation":
        return cls(dt.date.fromisoformat(d["day"]), d["what"], d["kind"], d.get("clause"), d.get("done"),
                   d.get("meeting"))


def _md(text: str) -> tuple[int, int]:
    month, day = (int(p) for p in str(text).split("-"))
    return month, day


def of_year(wb: Workbook, rules: list[dict], year: SchoolYear) -> list[Obligation]:
    """The year's obligations in date order."""
    found: list[Obligation] = []
    for rule in rules:
        kind = rule["kind"]
        if kind not in _WHAT:
            continue
        deadline = deadline_in(year, *_md(rule["by"]))
        if kind == "composition_deadline":
            done = any(m.role == HEAD and m.active_on(deadline) for m in wb.members)
        elif kind == "databank_deadline":
            done = wb.info.databank_updated is not None and wb.info.databank_updated >= year.first_day
        else:
            done = wb.info.analysis_submitted is not None and wb.info.analysis_submitted >= year.first_day
            if kind == "report_deadline" and "план" in str(rule.get("what", "")):
                what = "анализ работы и план на новый учебный год"
                found.append(Obligation(deadline, what, "report", rule.get("clause"), done))
                continue
        found.append(Obligation(deadline, _WHAT[kind], kind.split("_")[0], rule.get("clause"), done))
    for m in wb.meetings:
        if m.status == CANCELLED:
            continue
        done = True if m.status == HELD else False if m.status == PLANNED else None
        found.append(Obligation(m.date, f"заседание №{m.number}" + (f": {m.topic}" if m.topic else ""),
                                "meeting", None, done, m.number))
    for p in wb.plan:
        if p.due is None:
            continue
        day = year.last_day if p.due.whole_year else p.due.last
        found.append(Obligation(day, f"план, п. {p.number}: {p.event[:120]}", "plan", None, p.mark == _PLAN_DONE))
    found += _attestations(wb, year)
    return sorted(found, key=lambda o: (o.day, o.what))


def _attestations(wb: Workbook, year: SchoolYear) -> list[Obligation]:
    """Categories that run out and СЗД attestations that fall due by the end of the school
    year (those already overdue too): the person must be attested by that day."""
    out = []
    for m in wb.members_on(year.first_day) or wb.members:
        if m.left is not None:
            continue
        state = category_state(m, year.last_day)
        if state.expires is not None and state.expires <= year.last_day:
            out.append(Obligation(state.expires, f"аттестация: {m.short} (категория «{m.category}» истекает)",
                                  "attestation"))
        due = szd_due(m)
        if due is not None and due <= year.last_day:
            out.append(Obligation(due, f"аттестация на СЗД: {m.short}", "attestation"))
    return out


def stored(rows: list[dict] | None) -> list[Obligation]:
    return [Obligation.from_dict(r) for r in rows or []]


def next_due(obligations: list[Obligation], today: dt.date) -> Obligation | None:
    """What the dashboard shows: the oldest overdue obligation, else the next one."""
    overdue = [o for o in obligations if o.state(today) == OVERDUE]
    if overdue:
        return overdue[0]
    return next((o for o in obligations if o.state(today) == UPCOMING), None)

