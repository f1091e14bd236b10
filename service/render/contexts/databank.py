"""Банк данных педагогов (Каменск-Уральский п. 9.4; Новокузнецк п. 4.5–4.6, 10.3–10.4):
the association's members on the document's day with what the regulation lists — age,
education, position, experience, category, contests, publications, awards, titles,
authored works — and, only when `personal` is asked for by someone allowed to see it,
birth dates, phones and e-mails.  One context for the .xlsx and the .docx table.

Without `personal` the context does not hold those values at all: what is not in the
context cannot leak into a document, its hash or a preview.
"""
from __future__ import annotations

import datetime as dt

from service.domain import statistics
from service.domain.attestation import CATEGORIES, category_state
from service.domain.attestation_plan import NO_EXPIRY, UNKNOWN, term
from service.pipeline import Report
from service.render.contexts.common import common_context, reference_day
from service.render.contexts.order import members_in_order
from service.render.contexts.stamps import stamps_context
from service.render.numbering import Numbering
from service.schema.records import MEMBER, Achievement, Member

CONTESTS, PUBLICATIONS, AWARDS = "конкурс", "публикация", "награда"


def _achievement(a: Achievement) -> str:
    """«Учитель года (муниципальный, призёр, 2025)»."""
    details = [x for x in (a.level, a.result, str(a.date.year) if a.date else None) if x]
    title = a.title or a.kind
    return f"{title} ({', '.join(details)})" if details else title


def _category(m: Member, on: dt.date) -> dict:
    state = category_state(m, on)
    t = term(m)
    if m.category not in CATEGORIES:
        return {"category": "без категории" if m.category == "нет" else (m.category or "не указана"),
                "granted": None, "valid": "", "szd": m.szd_date}
    valid = ("бессрочно" if t.state == NO_EXPIRY else "срок не определить" if t.state == UNKNOWN
             else f"истекла {state.expires:%d.%m.%Y}" if state.expired else f"до {state.expires:%d.%m.%Y}")
    return {"category": m.category, "granted": m.category_date, "valid": valid, "szd": None}


def bank_rows(report: Report, members: list[Member], on: dt.date, personal: bool) -> list[dict]:
    by_member: dict[int, list[Achievement]] = {}
    for a in report.data.achievements:
        if a.member is not None:
            by_member.setdefault(id(a.member), []).append(a)
    rows = []
    for i, m in enumerate(members_in_order(members), start=1):
        mine = by_member.get(id(m), [])
        awards = [x for x in (m.titles_awards,) if x] + [_achievement(a) for a in mine if a.kind == AWARDS]
        rows.append({
            "number": i, "full_name": m.full_name, "organisation": m.organisation or "", "position": m.position or "",
            "role": m.role if m.role != MEMBER else "",
            "age": statistics.age_on(m.birth_date, on) if m.birth_date else None,
            "education": m.education or "", "experience": m.experience,
            **_category(m, on),
            "contests": [_achievement(a) for a in mine if a.kind == CONTESTS],
            "publications": [_achievement(a) for a in mine if a.kind == PUBLICATIONS],
            "awards": awards,
            "authored": m.authored_works or "",
            "birth_date": m.birth_date if personal else None,
            "phone": (m.phone or "") if personal else "",
            "email": (m.email or "") if personal else "",
        })
    return rows


def data_bank_context(report: Report, today: dt.date, personal: bool = False, warnings: list[str] = ()) -> dict:
    on = reference_day(report, today)
    members = report.data.members_on(on)
    staff = statistics.staff(members, on)
    n = Numbering()
    tables = {
        "education": n.table("Уровень образования педагогов", staff["education"]),
        "categories": n.table("Квалификационные категории педагогов", staff["categories"]),
        "experience": n.table("Педагогический стаж", staff["experience"]),
        "age": n.table("Возраст педагогов", staff["age"]),
    }
    tables["members"] = n.table("Сведения о педагогах", bank_rows(report, members, on, personal))
    ctx = common_context(report, today, list(warnings))
    ctx.update(stamps_context(report, "data-bank", ctx, today))
    ctx.update({
        "on": on,
        "updated": report.data.info.databank_updated,
        "personal": personal,
        "total": staff["total"],
        "tables": tables,
    })
    return ctx
