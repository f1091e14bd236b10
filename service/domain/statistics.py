"""The numbers of the year's analysis (Анализ работы за учебный год): staff, meetings,
attendance, plan execution, events, young specialists, achievements, attestation
ahead.  Pure functions; the analysis' wording is built on them in render.contexts.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from service.domain.attestation import CATEGORIES as REAL_CATEGORIES, category_state, szd_due
from service.domain.calendar import periods
from service.domain.rules.quorum import presence
from service.domain.young import is_young, items_for_young
from service.schema.cells import SchoolYear
from service.schema.records import HELD, Member, PlanItem, Workbook

EXPERIENCE_BANDS = [(0, 2, "до 3 лет"), (3, 4, "3–4 года"), (5, 9, "5–9 лет"), (10, 19, "10–19 лет"),
                    (20, 29, "20–29 лет"), (30, 200, "30 лет и более")]
AGE_BANDS = [(0, 29, "до 30 лет"), (30, 39, "30–39 лет"), (40, 49, "40–49 лет"), (50, 59, "50–59 лет"),
             (60, 200, "60 лет и старше")]
EDUCATION = ["высшее", "среднее профессиональное", "среднее общее"]
CATEGORIES = ["высшая", "педагог-методист", "педагог-наставник", "первая", "нет"]
CATEGORY_LABELS = {"нет": "без категории"}
LEVELS = ["международный", "всероссийский", "региональный", "муниципальный", "ОО"]
PLAN_MARKS = ["выполнено", "перенесено", "не выполнено", "нет отметки"]
UNKNOWN = "не указано"
MEETING_FORMS = ("заседание",)


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


def shares(values: list[str | None], order: list[str], labels: dict[str, str] | None = None) -> list[dict]:
    """Counts and percentages in a stable order; a value the reader could not read (None,
    e.g. the category «главная») is counted as «не указано».  A column nobody filled in
    gives no rows at all: «не указано — 100%» tells a curator nothing."""
    if all(v is None for v in values):
        return []
    total = len(values)
    counts = Counter(UNKNOWN if v is None else v for v in values)
    keys = [o for o in order if counts.get(o)] + sorted(k for k in counts if k not in order and k != UNKNOWN)
    if counts.get(UNKNOWN):
        keys.append(UNKNOWN)
    names = labels or {}
    return [Share(names.get(k, k), counts[k], total).as_dict() for k in keys]


def _band(value: int | None, bands) -> str | None:
    if value is None:
        return None
    return next(label for low, high, label in bands if low <= value <= high)


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def staff(members: list[Member], on: dt.date) -> dict:
    """Education, category, experience and age of the members on `on`.  `with_category`
    counts real qualification categories only: «нет», an expired one and an unreadable
    one are not categories."""
    states = [category_state(m, on) for m in members]
    effective = [None if m.category is None else s.effective for m, s in zip(members, states)]
    return {
        "total": len(members),
        "with_category": sum(1 for c in effective if c in REAL_CATEGORIES),
        "education": shares([m.education for m in members], EDUCATION),
        "categories": shares(effective, CATEGORIES, CATEGORY_LABELS),
        "experience": shares([_band(m.experience, EXPERIENCE_BANDS) for m in members],
                             [b[2] for b in EXPERIENCE_BANDS]),
        "age": shares([_band(age_on(m.birth_date, on), AGE_BANDS) if m.birth_date else None for m in members],
                      [b[2] for b in AGE_BANDS]),
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


def meetings_held(wb: Workbook, as_of: dt.date) -> list[dict]:
    """Each held meeting with its topic, the questions it considered and who came."""
    rows = []
    for m in sorted((m for m in wb.meetings if m.state(as_of) == HELD), key=lambda m: (m.date, m.number)):
        present, total = presence(wb, m) if m.number in wb.attendance_columns else (None, None)
        rows.append({"number": m.number, "date": m.date, "topic": m.topic or "",
                     "questions": [a.question for a in wb.agenda_of(m.number) if a.question],
                     "present": present, "total": total,
                     "percent": round(100 * present / total) if present is not None and total else None})
    return rows


def attendance(wb: Workbook, as_of: dt.date) -> list[dict]:
    return [r for r in meetings_held(wb, as_of) if r["present"] is not None]


def _late(p: PlanItem, as_of: dt.date) -> bool:
    """Not done on time: put off («перенесено» is a plan not kept), not done, or due
    and still unmarked."""
    if p.mark in ("перенесено", "не выполнено"):
        return True
    return p.mark is None and p.due is not None and p.due.last < as_of


def plan_execution(wb: Workbook, as_of: dt.date) -> dict:
    total = len(wb.plan)
    done = sum(1 for p in wb.plan if p.mark == "выполнено")
    late = [p for p in sorted(wb.plan, key=lambda p: p.number) if _late(p, as_of)]
    return {
        "total": total,
        "rows": shares([p.mark or "нет отметки" for p in wb.plan], PLAN_MARKS) if total else [],
        "done": done,
        "percent_done": round(100 * done / total) if total else 0,
        "late": [{"number": p.number, "event": p.event, "due": p.due.text if p.due else "",
                  "mark": p.mark or "нет отметки"} for p in late],
    }


def events(wb: Workbook) -> list[dict]:
    """Methodological events of the plan (seminars, open lessons, master classes…): plan
    items with a form other than a meeting, with whether they took place."""
    return [{"number": p.number, "event": p.event, "form": p.form, "due": p.due.text if p.due else "",
             "mark": p.mark or "нет отметки"}
            for p in sorted(wb.plan, key=lambda p: p.number)
            if p.form and p.form.strip().lower() not in MEETING_FORMS]


def young_specialists(members: list[Member]) -> list[dict]:
    """Members with less than three years of teaching experience."""
    young = [m for m in members if is_young(m)]
    return [{"full_name": m.full_name, "organisation": m.organisation or "", "position": m.position or "",
             "experience": m.experience} for m in sorted(young, key=lambda m: m.full_name)]


def for_young_specialists(wb: Workbook) -> list[dict]:
    """Plan items meant for young specialists (see service.domain.young)."""
    return [{"number": p.number, "event": p.event, "due": p.due.text if p.due else "", "mark": p.mark or "нет отметки"}
            for p in items_for_young(wb)]


def achievements(wb: Workbook) -> dict:
    total = len(wb.achievements)
    return {
        "total": total,
        "by_level": shares([a.level for a in wb.achievements], LEVELS) if total else [],
        "by_kind": shares([a.kind for a in wb.achievements], []) if total else [],
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
