"""What each kind of rule requires, in a curator's words, and which finding codes it
emits: for the README's regulation tables and the self-assessment (п. 5.7 Залесово),
which reports each requirement as met or not."""
from __future__ import annotations

from service.domain.rules.roles import ROLE_CODES
from service.schema.records import HEAD

RULE_TEXT = {
    "meeting_frequency": lambda r: f"заседаний не менее {r['min']} за {_PER[r['per']]}",
    "quorum": lambda r: f"кворум: присутствует больше {r['more_than']} членов",
    "simple_majority": lambda r: "решения простым большинством голосов",
    "decision_per_item": lambda r: "решение по каждому вопросу",
    "signers": lambda r: "председатель и секретарь у каждого заседания"
    + (f"; председатель — {' или '.join(r['chair_roles'])}" if r.get("chair_roles") else "")
    + (f" (в его отсутствие — {' или '.join(r['stand_in_roles'])})" if r.get("stand_in_roles") else "")
    + (f"; секретарь — {' или '.join(r['secretary_roles'])}" if r.get("secretary_roles") else "")
    + ("; оба — члены МО на дату заседания" if r.get("chair_roles") or r.get("secretary_roles") else ""),
    "role_required": lambda r: f"в составе есть: {r['role']}",
    "head_category": lambda r: f"категория руководителя: {', '.join(r['allowed'])}",
    "head_position": lambda r: f"руководитель — {r['position']}",
    "member_position": lambda r: f"члены — {r['position']}",
    "composition_deadline": lambda r: f"руководитель включён в состав до {_md(r['by'])}",
    "databank_deadline": lambda r: f"банк данных актуализирован до {_md(r['by'])}",
    "report_deadline": lambda r: f"анализ работы представлен до {_md(r['by'])}",
    "plan_required": lambda r: "план работы на учебный год заполнен",
    "plan_deadlines": lambda r: "мероприятия плана выполнены в срок",
    "agenda_present": lambda r: "у проведённого заседания есть повестка",
    "attestation": lambda r: "сроки категорий и аттестации на СЗД",
}
RULE_CODES = {
    "meeting_frequency": "meetings.too_few", "quorum": "meeting.no_quorum, meeting.no_attendance",
    "simple_majority": "decision.no_majority, decision.votes_exceed_present",
    "decision_per_item": "agenda.no_decision",
    "signers": "meeting.no_signers, meeting.wrong_chair, meeting.wrong_secretary",
    "role_required": "role.no_head / role.no_deputy / role.no_secretary, role.several_heads",
    "head_category": "head.category", "head_position": "head.position", "member_position": "member.position",
    "composition_deadline": "composition.late", "databank_deadline": "databank.stale",
    "report_deadline": "report.deadline", "plan_required": "plan.missing", "plan_deadlines": "plan.overdue",
    "agenda_present": "agenda.empty", "attestation": "attestation.due, attestation.expired",
}
_PER = {"half_year": "полугодие", "quarter": "квартал", "school_year": "учебный год"}
_MONTHS = ["", "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
           "октября", "ноября", "декабря"]


def _md(text: str) -> str:
    month, day = (int(p) for p in text.split("-"))
    return f"{day} {_MONTHS[month]}"


def describe(spec: dict) -> str:
    """«заседаний не менее 4 за учебный год»."""
    return RULE_TEXT[spec["kind"]](spec)


def rule_codes(spec: dict) -> list[str]:
    """The codes one rule of a regulation file emits (a role rule: its role's code)."""
    if spec["kind"] == "role_required":
        return [ROLE_CODES[spec["role"]]] + (["role.several_heads"] if spec["role"] == HEAD else [])
    return [c.strip() for c in RULE_CODES[spec["kind"]].split(",")]
