"""A workbook to write, described once and saved as .xlsx (openpyxl) or .ods (our own
OpenDocument writer), so the blank workbook is the same for Excel and LibreOffice users.

The description holds what both formats can carry: cell values, bold header rows,
column widths, date formats, drop-down lists taken from a range of another sheet,
a frozen first row, hidden sheets.  Saving is atomic: a temporary file, then a rename.
"""
from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from service.sources.base import column_letter


@dataclass(frozen=True)
class DropDown:
    """Cells `first_row..last_row` × `first_col..last_col` choose from the values in
    column `source_col`, rows `source_first..source_last` of sheet `source`."""
    first_row: int
    first_col: int
    last_row: int
    last_col: int
    source: str
    source_col: int
    source_first: int
    source_last: int
    title: str = ""
    strict: bool = True             # refuse other values (else warn and accept)


@dataclass
class OutSheet:
    title: str
    rows: list[list[Any]] = field(default_factory=list)
    header_rows: set[int] = field(default_factory=set)       # 1-based rows shown bold on a tint
    bold_cells: set[tuple[int, int]] = field(default_factory=set)
    wrapped_cells: set[tuple[int, int]] = field(default_factory=set)   # lists typed one item per line
    widths: dict[int, float] = field(default_factory=dict)   # column → width in characters
    date_ranges: list[tuple[int, int, int]] = field(default_factory=list)    # (column, first row, last row)
    drop_downs: list[DropDown] = field(default_factory=list)
    frozen_rows: int = 0
    hidden: bool = False
    title_size: int | None = None                            # font size of A1 (a heading)


HEADER_COLOR = "DDEBF7"
ERROR_TEXT = "Выберите значение из списка."


def _atomic(path: Path, write) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    try:
        write(tmp)
        tmp.replace(path)                  # never a half-written workbook under the real name
    finally:
        tmp.unlink(missing_ok=True)
    return path


# ---------------------------------------------------------------- .xlsx

def save_xlsx(sheets: list[OutSheet], path: Path) -> Path:
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    fill, bold = PatternFill("solid", fgColor=HEADER_COLOR), Font(bold=True)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title)
        for values in sheet.rows:
            ws.append(list(values))
        for r in sheet.header_rows:
            for cell in ws[r]:
                cell.font, cell.fill = bold, fill
                cell.alignment = Alignment(wrap_text=True, vertical="center")
        for r, c in sheet.bold_cells:
            ws.cell(row=r, column=c).font = bold
        for r, c in sheet.wrapped_cells:
            ws.cell(row=r, column=c).alignment = Alignment(wrap_text=True, vertical="top")
        if sheet.title_size:
            ws["A1"].font = Font(bold=True, size=sheet.title_size)
        for col, width in sheet.widths.items():
            ws.column_dimensions[column_letter(col)].width = width
        for col, first, last in sheet.date_ranges:
            for r in range(first, last + 1):
                ws.cell(row=r, column=col).number_format = "DD.MM.YYYY"
        for d in sheet.drop_downs:
            source = (f"{quote_sheetname(d.source)}!${column_letter(d.source_col)}${d.source_first}:"
                      f"${column_letter(d.source_col)}${d.source_last}")
            dv = DataValidation(type="list", formula1=source, allow_blank=True, showDropDown=False)
            dv.error, dv.errorTitle = ERROR_TEXT, d.title or None
            dv.errorStyle = "stop" if d.strict else "warning"
            dv.add(f"{column_letter(d.first_col)}{d.first_row}:{column_letter(d.last_col)}{d.last_row}")
            ws.add_data_validation(dv)
        if sheet.frozen_rows:
            ws.freeze_panes = f"A{sheet.frozen_rows + 1}"
        if sheet.hidden:
            ws.sheet_state = "hidden"
    return _atomic(path, wb.save)


# ---------------------------------------------------------------- .ods

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "number": "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0",
    "of": "urn:oasis:names:tc:opendocument:xmlns:of:1.2",
    "config": "urn:oasis:names:tc:opendocument:xmlns:config:1.0",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
}
MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
CM_PER_CHAR = 0.2                       # an Excel «character» of width, in centimetres


def _ns(*names: str) -> str:
    return " ".join(f'xmlns:{n}="{NS[n]}"' for n in names)


def _ref(sheet: str, col: int, row: int) -> str:
    return f"$'{sheet.replace(chr(39), chr(39) * 2)}'.${column_letter(col)}${row}"


def _cell(value: Any, style: str | None = None, validation: str | None = None) -> str:
    attrs = ""
    if style:
        attrs += f' table:style-name="{style}"'
    if validation:
        attrs += f' table:content-validation-name="{validation}"'
    if value is None or value == "":
        return f"<table:table-cell{attrs}/>"
    if isinstance(value, bool):
        return (f'<table:table-cell{attrs} office:value-type="boolean" office:boolean-value="{str(value).lower()}">'
                f"<text:p>{'ИСТИНА' if value else 'ЛОЖЬ'}</text:p></table:table-cell>")
    if isinstance(value, (int, float)):
        return (f'<table:table-cell{attrs} office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    if isinstance(value, dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        return (f'<table:table-cell{attrs} office:value-type="date" office:date-value="{day.isoformat()}">'
                f"<text:p>{day:%d.%m.%Y}</text:p></table:table-cell>")
    return f'<table:table-cell{attrs} office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


def _runs(items: list[str], tag: str, attribute: str) -> list[str]:
    """Runs of identical elements written once, with `attribute` counting them
    (number-columns-repeated for cells, number-rows-repeated for rows)."""
    out, i = [], 0
    while i < len(items):
        j = i
        while j + 1 < len(items) and items[j + 1] == items[i]:
            j += 1
        item = items[i]
        if j > i:
            item = item.replace(tag, f'{tag} table:{attribute}="{j - i + 1}"', 1)
        out.append(item)
        i = j + 1
    return out


def _row(cells: list[str]) -> str:
    return "<table:table-row>" + "".join(_runs(cells, "<table:table-cell", "number-columns-repeated")) \
        + "</table:table-row>"


def _width(sheet: OutSheet) -> int:
    return max([len(r) for r in sheet.rows] + list(sheet.widths) + [d.last_col for d in sheet.drop_downs]
               + [c for c, _, _ in sheet.date_ranges] + [1])


def _sheet_xml(index: int, sheet: OutSheet, validations: dict[DropDown, str]) -> str:
    width = _width(sheet)
    height = max([len(sheet.rows)] + [d.last_row for d in sheet.drop_downs] + [last for _, _, last in sheet.date_ranges])
    columns = "".join(f'<table:table-column table:style-name="co{index}-{c}"/>' for c in range(1, width + 1))
    by_column: dict[int, list[tuple[int, int, str]]] = {}
    for d in sheet.drop_downs:
        for c in range(d.first_col, d.last_col + 1):
            by_column.setdefault(c, []).append((d.first_row, d.last_row, validations[d]))
    rendered = []
    for r in range(1, height + 1):
        values = sheet.rows[r - 1] if r <= len(sheet.rows) else []
        cells = []
        for c in range(1, width + 1):
            value = values[c - 1] if c <= len(values) else None
            style = "ce-head" if r in sheet.header_rows else "ce-bold" if (r, c) in sheet.bold_cells else None
            if r == 1 and c == 1 and sheet.title_size:
                style = "ce-title"
            if style is None and any(col == c and first <= r <= last for col, first, last in sheet.date_ranges):
                style = "ce-date"
            if style is None and (r, c) in sheet.wrapped_cells:
                style = "ce-wrap"
            validation = next((name for first, last, name in by_column.get(c, ()) if first <= r <= last), None)
            cells.append(_cell(value, style, validation))
        while cells and cells[-1] == "<table:table-cell/>":
            cells.pop()
        rendered.append(_row(cells or ["<table:table-cell/>"]))
    rows = _runs(rendered, "<table:table-row", "number-rows-repeated")
    style = "ta-hidden" if sheet.hidden else "ta"
    return f'<table:table table:name={quoteattr(sheet.title)} table:style-name="{style}">{columns}{"".join(rows)}</table:table>'


def _content(sheets: list[OutSheet]) -> str:
    validations: dict[DropDown, str] = {}
    checks = []
    for sheet in sheets:
        for d in sheet.drop_downs:
            name = f"val{len(validations) + 1}"
            validations[d] = name
            source = f"{_ref(d.source, d.source_col, d.source_first)}:{_ref(d.source, d.source_col, d.source_last).split('.', 1)[1]}"
            kind = "stop" if d.strict else "warning"
            checks.append(
                f'<table:content-validation table:name="{name}" '
                f'table:condition={quoteattr(f"of:cell-content-is-in-list([{source}])")} '
                f'table:allow-empty-cell="true" table:display-list="unsorted" '
                f'table:base-cell-address={quoteattr(_ref(sheet.title, d.first_col, d.first_row))}>'
                f'<table:error-message table:message-type="{kind}" table:title={quoteattr(d.title)} table:display="true">'
                f"<text:p>{ERROR_TEXT}</text:p></table:error-message></table:content-validation>")
    columns = []
    for i, sheet in enumerate(sheets):
        width = _width(sheet)
        for c in range(1, width + 1):
            cm = sheet.widths.get(c, 10) * CM_PER_CHAR
            columns.append(f'<style:style style:name="co{i}-{c}" style:family="table-column">'
                           f'<style:table-column-properties style:column-width="{cm:.2f}cm"/></style:style>')
    styles = (
        '<style:style style:name="ta" style:family="table"><style:table-properties table:display="true"/></style:style>'
        '<style:style style:name="ta-hidden" style:family="table"><style:table-properties table:display="false"/>'
        "</style:style>"
        '<number:date-style style:name="N-date"><number:day number:style="long"/><number:text>.</number:text>'
        '<number:month number:style="long"/><number:text>.</number:text><number:year number:style="long"/>'
        "</number:date-style>"
        '<style:style style:name="ce-date" style:family="table-cell" style:data-style-name="N-date"/>'
        '<style:style style:name="ce-wrap" style:family="table-cell"><style:table-cell-properties '
        'fo:wrap-option="wrap" style:vertical-align="top"/></style:style>'
        '<style:style style:name="ce-bold" style:family="table-cell"><style:text-properties fo:font-weight="bold"/>'
        "</style:style>"
        '<style:style style:name="ce-title" style:family="table-cell"><style:text-properties fo:font-weight="bold" '
        'fo:font-size="13pt"/></style:style>'
        f'<style:style style:name="ce-head" style:family="table-cell"><style:table-cell-properties '
        f'fo:background-color="#{HEADER_COLOR.lower()}" fo:wrap-option="wrap" style:vertical-align="middle"/>'
        '<style:text-properties fo:font-weight="bold"/></style:style>' + "".join(columns))
    tables = "".join(_sheet_xml(i, s, validations) for i, s in enumerate(sheets))
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            f'<office:document-content {_ns("office", "style", "text", "table", "fo", "number", "of")} '
            'office:version="1.3">'
            f"<office:automatic-styles>{styles}</office:automatic-styles><office:body><office:spreadsheet>"
            f"<table:content-validations>{''.join(checks)}</table:content-validations>"
            f"{tables}</office:spreadsheet></office:body></office:document-content>")


def _settings(sheets: list[OutSheet]) -> str:
    """Frozen header rows, as LibreOffice keeps them: per sheet, a horizontal split fixed
    below the header."""
    entries = []
    for sheet in sheets:
        if not sheet.frozen_rows:
            continue
        n = sheet.frozen_rows
        items = {"VerticalSplitMode": ("short", 2), "VerticalSplitPosition": ("int", n),
                 "ActiveSplitRange": ("short", 2), "PositionTop": ("int", 0), "PositionBottom": ("int", n)}
        body = "".join(f'<config:config-item config:name="{k}" config:type="{t}">{v}</config:config-item>'
                       for k, (t, v) in items.items())
        entries.append(f"<config:config-item-map-entry config:name={quoteattr(sheet.title)}>{body}"
                       "</config:config-item-map-entry>")
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            f'<office:document-settings {_ns("office", "config")} office:version="1.3"><office:settings>'
            '<config:config-item-set config:name="ooo:view-settings"><config:config-item-map-indexed '
            'config:name="Views"><config:config-item-map-entry>'
            '<config:config-item config:name="ViewId" config:type="string">view1</config:config-item>'
            '<config:config-item-map-named config:name="Tables">'
            f'{"".join(entries)}</config:config-item-map-named></config:config-item-map-entry>'
            "</config:config-item-map-indexed></config:config-item-set></office:settings></office:document-settings>")


def _manifest() -> str:
    files = "".join(f'<manifest:file-entry manifest:full-path="{p}" manifest:media-type="text/xml"/>'
                    for p in ("content.xml", "settings.xml"))
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            f'<manifest:manifest {_ns("manifest")} manifest:version="1.3">'
            f'<manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="{MIMETYPE}"/>'
            f"{files}</manifest:manifest>")


def save_ods(sheets: list[OutSheet], path: Path) -> Path:
    def write(target: Path) -> None:
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE)            # first and stored, as ODF requires
            zf.writestr("content.xml", _content(sheets))
            zf.writestr("settings.xml", _settings(sheets))
            zf.writestr("META-INF/manifest.xml", _manifest())

    return _atomic(path, write)


SAVERS = {"xlsx": save_xlsx, "ods": save_ods}
