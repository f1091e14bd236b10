"""Requisites shared by every document: the organisation, the regulation, the year."""
from __future__ import annotations

import datetime as dt

from service.pipeline import Report
from service.russian.declension import decline_phrase
from service.russian.sentence import lower_first
from service.schema.records import DEPUTY, HEAD, SECRETARY, Member

ROLE_ORDER = (HEAD, DEPUTY, SECRETARY)


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


def in_text(name: str, case: str = "nomn") -> str:
    """An organisation's name inside a sentence, in `case`: «состав муниципального
    методического объединения…», «к приказу управления образования…»."""
    name = " ".join(name.split())
    return lower_first(decline_phrase(name, case) if name else "")


def _ablt_first(text: str, word: str, instrumental: str) -> str:
    """The title of an act in the instrumental case: only its first word declines
    («Положение о …» → «Положением о …»); anything else is left out rather than guessed."""
    if text.lower().startswith(word.lower() + " "):
        return instrumental + text[len(word):]
    return ""


def reference_day(report: Report, today: dt.date) -> dt.date:
    """The day a document describes the association on: today, or the year's last day
    for a past year."""
    return min(today, report.year.last_day)


def common_context(report: Report, today: dt.date, warnings: list[str], on: dt.date | None = None) -> dict:
    """`on`: the day whose officers the document names (by default the reference day)."""
    info, reg = report.data.info, report.regulation
    on = on or reference_day(report, today)
    founder = info.founder or (reg.founder if reg else "") or ""
    title = " ".join(reg.title.split()) if reg else ""
    approved = reg.approved if reg else None
    return {
        "org": {
            "name": info.name or "", "name_gent": in_text(info.name or "", "gent"),
            "short_name": info.short_name or "", "territory": info.territory or "", "place": info.place or "",
            "founder": founder, "founder_gent": in_text(founder, "gent"),
            "body": reg.body if reg else "МО",
        },
        "regulation": {
            "title": title, "id": reg.id if reg else "",
            # «В соответствии с Положением о …, утверждённым приказом … от … № …»
            "title_ablt": _ablt_first(title, "Положение", "Положением"),
            "approved": {"act": approved.act, "date": approved.date, "number": approved.number or "",
                         "note": approved.note or ""} if approved else None,
        },
        "year": report.year.label.replace("-", "/"),
        "today": today,
        "head": person(first_with_role(report, HEAD, on)),
        "deputy": person(first_with_role(report, DEPUTY, on)),
        "secretary": person(first_with_role(report, SECRETARY, on)),
        "curator": named(info.curator, info.curator_position),
        "founder_head": named(info.founder_head, info.founder_head_position),
        "warnings": list(warnings),
    }
