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
from service.domain.rules.describe import RULE_CODES, RULE_TEXT, rule_codes
from service.kinds import CATALOGUE
from service.schema.findings import CODES
from service.schema.layout import load_layout
from service.schema.regulations import load_all

README = Path(__file__).resolve().parents[1] / "README.md"

def layout_table() -> str:
    layout = load_layout()
    out = []
    for tab in layout.tabs.values():
        req = "обязательный" if tab.required else "необязательный"
        also = f" (также: {'; '.join(tab.synonyms)})" if tab.synonyms else ""
        used = f"; для: {', '.join(f'`{k}`' for k in tab.documents)}" if tab.documents else ""
        out.append(f"**{tab.title}**{also} — {req} лист{used}.\n")
        out.append("| столбец | тип | обяз. | также называют | значения |")
        out.append("|---|---|---|---|---|")
        for c in tab.columns:
            values = ""
            if c.choices:
                values = ", ".join(layout.enums[c.choices].values)
                if c.default:
                    values += f" (пусто = {c.default})"
                if c.open:
                    values += " (или своё значение)"
            if c.documents:
                values += ("; " if values else "") + "для: " + ", ".join(f"`{k}`" for k in c.documents)
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
            out.append(f"| {r.get('clause') or '—'} | {RULE_TEXT[r['kind']](r)} | {', '.join(rule_codes(r))} |")
        if reg.readings:
            out.append("")
            out.append("Толкования:")
            out.extend(f"- {x}" for x in reg.readings)
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def documents_table() -> str:
    """«Положение → документы»: what each regulation requires the association to keep, with the
    clause, and the `mo-docs generate` kind that makes it (or that it is kept outside the service)."""
    out = ["| Положение | пункт | документ | формирует |", "|---|---|---|---|"]
    for reg in load_all():
        rows = [(d.clause, d.title, f"`{d.kind}` — {CATALOGUE[d.kind].title}"
                 + (" (" + ", ".join(f".{f}" for f in CATALOGUE[d.kind].formats) + ")"
                    if len(CATALOGUE[d.kind].formats) > 1 else "")) for d in reg.required_documents]
        rows += [(d.clause, d.title, "ведётся вне службы") for d in reg.other_documents]
        for i, (clause, title, how) in enumerate(rows):
            name = f"{reg.short_title} (`{reg.id}`)" if i == 0 else ""
            out.append(f"| {name} | {clause} | {title} | {how} |")
    return "\n".join(out) + "\n"


def settings_table() -> str:
    from service.settings import SETTINGS

    out = ["| variable | default | meaning |", "|---|---|---|"]
    for s in SETTINGS:
        default = "—" if s.default is None else f"`{s.default}`"
        out.append(f"| `MO_DOCS_{s.name}` | {default} | {s.help} |")
    return "\n".join(out) + "\n"


SECTIONS = {"layout": layout_table, "codes": codes_table, "regulations": regulations_table,
            "documents": documents_table, "settings": settings_table}


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
