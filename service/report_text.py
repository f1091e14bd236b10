"""The text form of a validation report: a table a person reads, grouped by sheet."""
from __future__ import annotations

from service.pipeline import Report
from service.russian.plural import count

_MARK = {"error": "ОШИБКА", "warning": "внимание", "info": "справка"}


def render_text(report: Report) -> str:
    reg = report.regulation
    lines = [
        f"Книга: {report.workbook}",
        f"Положение: {reg.id} — {' '.join(reg.title.split())}" if reg else "Положение: не определено",
        f"Учебный год: {report.year.label if report.year else '—'}; дата проверки: {report.as_of:%d.%m.%Y}",
        "",
    ]
    groups: dict[str, list] = {}
    for f in report.findings:
        groups.setdefault(f.sheet or "Книга в целом", []).append(f)
    for sheet, items in groups.items():
        lines.append(f"== {sheet} ==")
        width = max(len(f.cell or "") for f in items)
        for f in items:
            lines.append(f"  {(f.cell or '').ljust(width)}  {_MARK[f.severity]:<8} {f.code:<28} {f.message}")
        lines.append("")
    c = report.counts
    if not report.findings:
        lines.append("Замечаний нет.")
    lines.append("Итого: " + ", ".join([
        count(c["error"], "ошибка", "ошибки", "ошибок"),
        count(c["warning"], "предупреждение", "предупреждения", "предупреждений"),
        count(c["info"], "справка", "справки", "справок"),
    ]) + ".")
    return "\n".join(lines) + "\n"
