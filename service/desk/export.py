"""The matrix as a curator takes it away: an .xlsx with the page's colours (a filtered,
frozen table a curator sorts further in Excel) and the period's summary as a .docx
«Справка о деятельности МО» for the education department."""
from __future__ import annotations

import datetime as dt
import io

from service.domain.compliance_matrix import BREACH, COLUMNS, NA, OK, PENDING, STATUS_WORDS
from service.desk.matrix import ROW_STATUS_WORDS, Matrix, Query
from service.russian.dates import date_words
from service.russian.plural import count

# The page's colours (service/web/static/style.css .cell-*), as Excel fills.
FILLS = {OK: "D9F2DD", BREACH: "F8D2D0", PENDING: "FCEFC4", NA: "EDEDED"}
INK = {OK: "1E5E2B", BREACH: "8A1C16", PENDING: "6B4E00", NA: "555555"}
HEADERS = ["Объединение", "Территория", "Положение", "Учебный год", "Итог"] + [c.title for c in COLUMNS]


def cell_text(cell: dict | None) -> str:
    if not cell:
        return "—"
    text = STATUS_WORDS[cell["status"]]
    if cell["status"] in (BREACH, PENDING):
        parts = []
        if cell.get("errors"):
            parts.append(count(cell["errors"], "ошибка", "ошибки", "ошибок"))
        if cell.get("warnings"):
            parts.append(count(cell["warnings"], "предупреждение", "предупреждения", "предупреждений"))
        if parts:
            text += f" ({', '.join(parts)})"
    return text


def filters_line(query: Query, matrix: Matrix) -> str:
    parts = []
    if query.territory:
        parts.append(f"территория «{query.territory}»")
    if query.regulation:
        title = dict(matrix.regulations).get(query.regulation, query.regulation)
        parts.append(f"Положение «{title}»")
    if query.year:
        parts.append(f"{query.year.replace('-', '/')} учебный год")
    if query.status:
        parts.append(f"итог «{ROW_STATUS_WORDS.get(query.status, query.status)}»")
    if query.q:
        parts.append(f"название содержит «{query.q}»")
    return "Отбор: " + "; ".join(parts) if parts else "Все объединения"


def xlsx(matrix: Matrix, query: Query, today: dt.date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Свод")
    widths = [34, 22, 26, 12, 18] + [18] * len(COLUMNS)
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "B4"
    bold = Font(bold=True)
    fills = {s: PatternFill("solid", fgColor=c) for s, c in FILLS.items()}
    fonts = {s: Font(color=c) for s, c in INK.items()}
    wrap = Alignment(wrap_text=True, vertical="top")

    def styled(value, fill=None, font=None, align=None):
        c = WriteOnlyCell(ws, value=value)
        if fill is not None:
            c.fill = fill
        if font is not None:
            c.font = font
        if align is not None:
            c.alignment = align
        return c

    ws.append([styled(f"Соблюдение Положений методическими объединениями на {today:%d.%m.%Y}", font=bold)])
    ws.append([filters_line(query, matrix)])
    ws.append([styled(h, font=bold, align=wrap) for h in HEADERS])
    for r in matrix.rows:
        values = [styled(r.short_name or r.name), r.territory, r.regulation, (r.school_year or "").replace("-", "/"),
                  ROW_STATUS_WORDS.get(r.status, r.status)]
        for c in COLUMNS:
            cell = r.cells.get(c.id)
            status = cell["status"] if cell else None
            values.append(styled(cell_text(cell), fills.get(status), fonts.get(status)))
        ws.append(values)
    ws.append([])
    for s in (BREACH, PENDING, OK, NA):
        ws.append([styled(f"Итого: {STATUS_WORDS[s]}", font=bold), "", "", "", ""]
                  + [styled(matrix.totals[c.id][s], fills[s], fonts[s]) for c in COLUMNS])
    ws.auto_filter.ref = f"A3:{get_column_letter(len(HEADERS))}{3 + len(matrix.rows)}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def spravka(matrix: Matrix, query: Query, today: dt.date, signer: str, name: str,
            overdue: list[tuple[str, object]]) -> bytes:
    """«Справка о деятельности МО»: how many associations meet each requirement, who breaks
    which (with the clause), the overdue obligations, signed by whoever asked."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    from service.russian.initials import initials_before

    d = docx.Document()
    style = d.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(13)
    section = d.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    years = sorted({r.school_year for r in matrix.rows if r.school_year})
    period = ", ".join(f"{y.replace('-', '/')} учебный год" for y in years) or "текущий учебный год"
    title = d.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("СПРАВКА\nо деятельности методических объединений")
    run.bold = True
    sub = d.add_paragraph(f"за {period}")
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.add_paragraph(f"{date_words(today)}")
    d.add_paragraph(filters_line(query, matrix) + ".")
    total = len(matrix.rows)
    clean = sum(1 for r in matrix.rows if r.status == OK)
    breaking = [r for r in matrix.rows if r.status == BREACH]
    d.add_paragraph(
        f"Рассмотрено {count(total, 'объединение', 'объединения', 'объединений')}. Все требования своих Положений "
        f"выполняют {clean} из {total}; нарушения есть у {len(breaking)}"
        + (f", книги {sum(1 for r in matrix.rows if r.status == 'unreadable')} не читаются" if any(
            r.status == "unreadable" for r in matrix.rows) else "") + ".")
    d.add_paragraph("1. Выполнение требований Положений", style=None).runs[0].bold = True
    table = d.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["Требование", "Выполнено", "Нарушение", "Ожидается",
                                                  "Не требуется"]):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for c in COLUMNS:
        t = matrix.totals[c.id]
        for cell, text in zip(table.add_row().cells, [c.title, t[OK], t[BREACH], t[PENDING], t[NA]]):
            cell.text = str(text)
    d.add_paragraph()
    d.add_paragraph("2. Нарушения по объединениям").runs[0].bold = True
    if not breaking:
        d.add_paragraph("Нарушений не выявлено.")
    for r in breaking:
        broken = []
        for c in COLUMNS:
            cell = r.cells.get(c.id) or {}
            if cell.get("status") == BREACH:
                clauses = ", ".join(cell.get("clauses") or [])
                broken.append(f"{c.title.lower()}" + (f" ({clauses})" if clauses else ""))
        d.add_paragraph(f"{r.short_name or r.name} ({r.regulation}): " + "; ".join(broken) + ".",
                        style="List Bullet")
    d.add_paragraph()
    d.add_paragraph("3. Просроченные сроки").runs[0].bold = True
    if not overdue:
        d.add_paragraph("Просроченных сроков нет.")
    for association, o in overdue:
        days = o.overdue_days(today)
        d.add_paragraph(f"{association}: {o.what} — срок {o.day:%d.%m.%Y}, просрочено на "
                        f"{count(days, 'день', 'дня', 'дней')}.", style="List Bullet")
    d.add_paragraph()
    signature = initials_before(name) if len(name.split()) >= 2 else name
    d.add_paragraph(f"{signer[:1].upper()}{signer[1:]}\t\t______________\t\t{signature}")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()
