"""Tables of the README generated from the layout, the finding codes and the regulation
files, so the documentation cannot drift from what the service does.

    python -m service.readme_tables          # rewrite README.md between the markers
A test fails when README.md is out of date.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from service.domain.rules import RULES
from service.domain.rules.roles import ROLE_CODES
from service.schema.records import HEAD
from service.schema.findings import CODES
from service.schema.layout import load_layout
from service.schema.regulations import load_all

README = Path(__file__).resolve().parents[1] / "README.md"

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


def layout_table() -> str:
    layout = load_layout()
    out = []
    for tab in layout.tabs.values():
        req = "обязательный" if tab.required else "необязательный"
        also = f" (также: {'; '.join(tab.synonyms)})" if tab.synonyms else ""
        out.append(f"**{tab.title}**{also} — {req} лист.\n")
        out.append("| столбец | тип | обяз. | также называют | значения |")
        out.append("|---|---|---|---|---|")
        for c in tab.columns:
            values = ""
            if c.choices:
                values = ", ".join(layout.enums[c.choices].values)
                if c.default:
                    values += f" (пусто = {c.default})"
            out.append(f"| {c.header} | {c.type} | {'да' if c.required else ''} | {'; '.join(c.synonyms)} | {values} |")
        if tab.kind == "attendance":
            marks = layout.enums["mark"]
            out.append("| «№1», «Заседание 1», «Заседание №1» или дата | отметки | | | "
                       + "; ".join(f"{k}: {' '.join(marks_values(marks, k))}" for k in marks.values) + " |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def marks_values(choices, canonical: str) -> list[str]:
    return [w for w, c in choices._index.items() if c == canonical]


def codes_table() -> str:
    out = ["| код | важность | что значит |", "|---|---|---|"]
    for code, (severity, text) in CODES.items():
        out.append(f"| `{code}` | {severity} | {text} |")
    return "\n".join(out) + "\n"


def regulations_table() -> str:
    out = []
    for reg in load_all():
        title = " ".join(reg.title.split())
        out.append(f"**`{reg.id}`** — {title} (seed {reg.seed}, {reg.body}).\n")
        out.append("| пункт | правило | коды |")
        out.append("|---|---|---|")
        for r in reg.rules:
            codes = RULE_CODES[r["kind"]]
            if r["kind"] == "role_required":
                codes = ROLE_CODES[r["role"]] + (", role.several_heads" if r["role"] == HEAD else "")
            out.append(f"| {r.get('clause') or '—'} | {RULE_TEXT[r['kind']](r)} | {codes} |")
        if reg.readings:
            out.append("")
            out.append("Толкования:")
            out.extend(f"- {x}" for x in reg.readings)
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def settings_table() -> str:
    from service.settings import SETTINGS

    out = ["| variable | default | meaning |", "|---|---|---|"]
    for s in SETTINGS:
        default = "—" if s.default is None else f"`{s.default}`"
        out.append(f"| `MO_DOCS_{s.name}` | {default} | {s.help} |")
    return "\n".join(out) + "\n"


SECTIONS = {"layout": layout_table, "codes": codes_table, "regulations": regulations_table,
            "settings": settings_table}


def render(text: str) -> str:
    for name, make in SECTIONS.items():
        pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
        if not pattern.search(text):
            raise ValueError(f"README.md has no markers for {name}")
        text = pattern.sub(lambda m: m.group(1) + make() + m.group(2), text)
    return text


def main() -> int:
    README.write_text(render(README.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    assert set(RULE_TEXT) == set(RULES), set(RULES) ^ set(RULE_TEXT)
    sys.exit(main())
