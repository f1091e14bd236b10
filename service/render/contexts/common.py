"""Requisites shared by every document: the organisation, the regulation, the year."""
from __future__ import annotations

import datetime as dt

from service.pipeline import Report
from service.schema.records import DEPUTY, HEAD, SECRETARY, Member


def person(m: Member | None) -> dict | None:
    if m is None:
        return None
    return {"full_name": m.full_name, "position": m.position or "", "organisation": m.organisation or "",
            "role": m.role}


def named(name: str | None, position: str | None = None) -> dict | None:
    """Someone outside Состав (the curator, the founder's head)."""
    if not name:
        return None
    return {"full_name": name, "position": position or "", "organisation": "", "role": ""}


def first_with_role(report: Report, role: str, on: dt.date) -> Member | None:
    return next((m for m in report.data.members_on(on) if m.role == role), None)


def _ablt_first(text: str, word: str, instrumental: str) -> str:
    """The title of an act in the instrumental case: only its first word declines
    («Положение о …» → «Положением о …»); anything else is left out rather than guessed."""
    if text.lower().startswith(word.lower() + " "):
        return instrumental + text[len(word):]
    return ""


def common_context(report: Report, today: dt.date, warnings: list[str]) -> dict:
    info, reg = report.data.info, report.regulation
    on = min(today, report.year.last_day)
    return {
        "org": {
            "name": info.name or "", "short_name": info.short_name or "", "territory": info.territory or "",
            "founder": info.founder or (reg.founder if reg else "") or "",
            "body": reg.body if reg else "МО",
        },
        "regulation": {
            "title": " ".join(reg.title.split()) if reg else "", "approved_by": (reg.approved_by or "") if reg else "",
            "id": reg.id if reg else "",
            # «В соответствии с Положением о …, утверждённым приказом …»
            "title_ablt": _ablt_first(" ".join(reg.title.split()), "Положение", "Положением") if reg else "",
            "approved_by_ablt": _ablt_first(reg.approved_by or "", "приказ", "приказом") if reg else "",
        },
        "year": report.year.label,
        "today": today,
        "head": person(first_with_role(report, HEAD, on)),
        "deputy": person(first_with_role(report, DEPUTY, on)),
        "secretary": person(first_with_role(report, SECRETARY, on)),
        "curator": named(info.curator, info.curator_position),
        "founder_head": named(info.founder_head, info.founder_head_position),
        "warnings": list(warnings),
    }
