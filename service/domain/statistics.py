"""The numbers of the year's analysis (Анализ работы за учебный год): staff, meetings,
attendance, plan execution, achievements, attestation ahead.  Pure functions."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from service.domain.attestation import category_state, szd_due
from service.domain.calendar import periods
from service.domain.rules.quorum import presence
from service.schema.cells import SchoolYear
from service.schema.records import HELD, Member, Workbook

EXPERIENCE_BANDS = [(0, 4, "до 5 лет"), (5, 9, "5–9 лет"), (10, 19, "10–19 лет"), (20, 29, "20–29 лет"),
                    (30, 200, "30 лет и более")]
AGE_BANDS = [(0, 29, "до 30 лет"), (30, 39, "30–39 лет"), (40, 49, "40–49 лет"), (50, 59, "50–59 лет"),
             (60, 200, "60 лет и старше")]
EDUCATION = ["высшее", "среднее профессиональное", "среднее общее"]
CATEGORIES = ["высшая", "педагог-методист", "педагог-наставник", "первая", "нет"]
LEVELS = ["международный", "всероссийский", "региональный", "муниципальный", "ОО"]
UNKNOWN = "не указано"


@dataclass(frozen=True)
class Share:
    label: str
    count: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.count / self.total) if self.total else 0

    def as_dict(self) -> dict:
        return {"label": self.label, "count": self.count, "percent": self.percent}


def _shares(values: list[str | None], order: list[str], total: int) -> list[dict]:
    """Counts and percentages in a stable order; a value the reader could not read (None,
    e.g. the category «главная») is counted as «не указано»."""
    counts = Counter(UNKNOWN if v is None else v for v in values)
    labels = [o for o in order if counts.get(o)] + sorted(k for k in counts if k not in order)
    return [Share(label, counts[label], total).as_dict() for label in labels]


def _band(value: int | None, bands) -> str:
    if value is None:
        return UNKNOWN
    return next(label for low, high, label in bands if low <= value <= high)


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def staff(members: list[Member], on: dt.date) -> dict:
    total = len(members)
    return {
        "total": total,
        "education": _shares([m.education or UNKNOWN for m in members], EDUCATION + [UNKNOWN], total),
        "categories": _shares([category_state(m, on).effective for m in members], CATEGORIES, total),
        "experience": _shares([_band(m.experience, EXPERIENCE_BANDS) for m in members],
                              [b[2] for b in EXPERIENCE_BANDS] + [UNKNOWN], total),
        "age": _shares([_band(age_on(m.birth_date, on) if m.birth_date else None, AGE_BANDS) for m in members],
                       [b[2] for b in AGE_BANDS] + [UNKNOWN], total),
    }


def meetings_by_period(wb: Workbook, year: SchoolYear, as_of: dt.date, rules: list[dict]) -> list[dict]:
    """Held meetings against each frequency requirement of the regulation, period by period."""
    held = [m for m in wb.meetings if m.state(as_of) == HELD]
    rows = []
    for rule in rules:
        for period in periods(year, rule["per"]):
            count = sum(period.contains(m.date) for m in held)
            rows.append({"period": period.label, "required": rule["min"], "held": count,
                         "met": count >= rule["min"], "ended": period.ended_by(as_of), "clause": rule.get("clause")})
    return rows


def attendance(wb: Workbook, as_of: dt.date) -> list[dict]:
    rows = []
    for m in sorted(wb.meetings, key=lambda m: m.number):
        if m.state(as_of) != HELD or m.number not in wb.attendance_columns:
            continue
        present, total = presence(wb, m)
        rows.append({"number": m.number, "date": m.date, "present": present, "total": total,
                     "percent": round(100 * present / total) if total else 0})
    return rows


def plan_execution(wb: Workbook, as_of: dt.date) -> dict:
    marks = Counter(p.mark or "нет отметки" for p in wb.plan)
    total = len(wb.plan)
    due = [p for p in wb.plan if p.due and p.due.last < as_of]
    return {
        "total": total,
        "rows": _shares([p.mark or "нет отметки" for p in wb.plan],
                        ["выполнено", "перенесено", "не выполнено", "нет отметки"], total),
        "done": marks.get("выполнено", 0),
        "percent_done": round(100 * marks.get("выполнено", 0) / total) if total else 0,
        "overdue": [{"number": p.number, "event": p.event, "due": p.due.text, "mark": p.mark or ""}
                    for p in due if p.mark in (None, "не выполнено")],
    }


def achievements(wb: Workbook) -> dict:
    total = len(wb.achievements)
    return {
        "total": total,
        "by_level": _shares([a.level or UNKNOWN for a in wb.achievements], LEVELS + [UNKNOWN], total),
        "by_kind": _shares([a.kind for a in wb.achievements], [], total),
        "entries": [{"full_name": a.full_name, "kind": a.kind, "title": a.title or "", "level": a.level or "",
                   "result": a.result or "", "date": a.date} for a in wb.achievements],
    }


def attestation_ahead(members: list[Member], year: SchoolYear, on: dt.date) -> list[dict]:
    """Categories and СЗД attestations that run out by the end of the next school year."""
    horizon = dt.date(year.start + 2, 8, 31)
    rows = []
    for m in members:
        state = category_state(m, on)
        if state.expires and state.expires <= horizon:
            rows.append({"full_name": m.full_name, "what": f"категория «{m.category}»", "due": state.expires,
                         "expired": state.expired})
        due = szd_due(m)
        if due and due <= horizon:
            rows.append({"full_name": m.full_name, "what": "соответствие занимаемой должности", "due": due,
                         "expired": due <= on})
    return sorted(rows, key=lambda r: r["due"])
