"""The text form of a validation report: a table a person reads, grouped by sheet
in the order of the workbook's tabs."""
from __future__ import annotations

from service.pipeline import Report
from service.russian.plural import count
from service.schema.findings import without_cell
from service.schema.layout import load_layout

_MARK = {"error": "ошибка", "warning": "предупреждение", "info": "справка"}   # one word per severity everywhere
WHOLE_BOOK = "Книга в целом"


def _sheet_order(report: Report) -> list[str]:
    titles = [report.data.sheets.get(k, tab.title) for k, tab in load_layout().tabs.items()]
    return [WHOLE_BOOK, *titles]


def render_text(report: Report) -> str:
    reg = report.regulation
    lines = [
        f"Книга: {report.workbook}",
        f"Положение: {' '.join(reg.title.split())}" if reg else "Положение: не определено",
        f"Учебный год: {report.year.title if report.year else '—'}; дата проверки: {report.as_of:%d.%m.%Y}",
        "",
    ]
    groups: dict[str, list] = {}
    for f in report.findings:
        groups.setdefault(f.sheet or WHOLE_BOOK, []).append(f)
    order = _sheet_order(report)
    for sheet in sorted(groups, key=lambda s: order.index(s) if s in order else len(order)):
        items = groups[sheet]
        lines.append(f"== {sheet} ==")
        width = max(len(f.cell or "") for f in items)
        for f in items:
            message = without_cell(f.message, f.cell)      # the cell is already in its own column
            lines.append(f"  {(f.cell or '').ljust(width)}  {_MARK[f.severity]:<14}  {message}  [{f.code}]")
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
