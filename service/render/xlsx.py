"""Documents whose natural form is a table, written as .xlsx (the data bank).

A `Sheet` is title lines, one header row and data rows; the workbook is written in
openpyxl's write-only mode (rows streamed, no cell objects kept) and made byte-for-byte
reproducible — fixed zip timestamps and document times — so regenerating a document
from unchanged data files no new version, as with .docx.  Print setup: landscape, narrow
margins, at most two pages wide (one page wide would shrink sixteen columns to an
unreadable size), the header row and the first two columns (№, ФИО) on every page, pages
ordered across then down, so each row's halves are printed one after the other.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from copy import copy
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

FIXED = dt.datetime(2025, 9, 1)
PRINT_WIDE = 8                    # more columns than this print two pages wide
DATE_FORMAT = "DD.MM.YYYY"
THIN = Side(style="thin", color="808080")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="E7E6E6")
FONT = "Times New Roman"
_TIMES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


@dataclass(frozen=True)
class Column:
    title: str
    width: float                  # in characters, as Excel measures columns
    key: str


@dataclass
class Sheet:
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    lines: list[str] = field(default_factory=list)    # title lines above the table


def _text(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        value = "\n".join(str(v) for v in value if v not in (None, ""))
    return value


class _Styles:
    """The few looks a table document has, registered with the workbook once; each cell
    takes a copy of its look's style ids.  Assigning font, fill, border and alignment cell
    by cell makes openpyxl hash each of them every time: four fifths of the time of a
    500-row data bank."""

    def __init__(self, ws):
        def look(bold=False, fill=None, border=None, wrap=True, size=11, number_format=None):
            c = WriteOnlyCell(ws)
            c.font = Font(name=FONT, bold=bold, size=size)
            c.alignment = Alignment(wrap_text=wrap, vertical="top")
            if fill:
                c.fill = fill
            if border:
                c.border = border
            if number_format:
                c.number_format = number_format
            return c._style

        self.title, self.subtitle = look(bold=True, wrap=False, size=12), look(wrap=False, size=12)
        self.head = look(bold=True, fill=HEAD_FILL, border=GRID)
        self.body, self.date = look(border=GRID), look(border=GRID, number_format=DATE_FORMAT)


def _cell(ws, value: Any, style) -> WriteOnlyCell:
    c = WriteOnlyCell(ws, value=_text(value))
    if c.data_type == "f":
        c.data_type = "s"         # openpyxl takes a string starting with «=» for a formula: text stays text
    c._style = copy(style)
    return c


def write(sheets: list[Sheet], title: str) -> bytes:
    wb = Workbook(write_only=True)
    wb.properties.title = title
    wb.properties.creator = wb.properties.lastModifiedBy = "mo-docs"
    wb.properties.created = wb.properties.modified = FIXED
    for spec in sheets:
        ws = wb.create_sheet(spec.title[:31])
        for i, col in enumerate(spec.columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = col.width
        header_row = len(spec.lines) + 1 + (1 if spec.lines else 0)
        ws.freeze_panes = f"C{header_row + 1}" if len(spec.columns) > PRINT_WIDE else f"A{header_row + 1}"
        ws.print_title_rows = f"{header_row}:{header_row}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = "9"                   # A4
        ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        wide = len(spec.columns) > PRINT_WIDE
        if wide:
            ws.print_title_cols = "A:B"
            ws.page_setup.pageOrder = "overThenDown"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = (2 if wide else 1), 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        last = get_column_letter(len(spec.columns))
        ws.auto_filter.ref = f"A{header_row}:{last}{header_row + len(spec.rows)}"
        looks = _Styles(ws)
        for k, line in enumerate(spec.lines):
            ws.append([_cell(ws, line, looks.title if k == 0 else looks.subtitle)])
        if spec.lines:
            ws.append([])
        ws.append([_cell(ws, c.title, looks.head) for c in spec.columns])
        for row in spec.rows:
            values = [row.get(c.key) for c in spec.columns]
            ws.append([_cell(ws, v, looks.date if isinstance(v, dt.date) else looks.body) for v in values])
    out = io.BytesIO()
    wb.save(out)
    return reproducible(out.getvalue())


def reproducible(data: bytes) -> bytes:
    """Same content, same bytes: fixed zip entry times and document times."""
    stamp = FIXED.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _TIMES.sub(lambda m: m.group(1) + stamp + m.group(2), content)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED.timetuple()[:6])
            fixed.compress_type, fixed.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            dst.writestr(fixed, content)
    return out.getvalue()
