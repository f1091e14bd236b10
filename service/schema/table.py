"""Finding the header row and reading a table tab into typed row dictionaries.

Teachers put title rows above the table, reorder columns and add their own; we
look for the header among the first rows and map columns by their header text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from service.schema import personal
from service.schema.cells import (
    CellError, Choices, SchoolYear, parse_date, parse_due, parse_email, parse_int, parse_lines,
    parse_phone, parse_school_year, parse_url,
)
from service.schema.findings import Finding, finding
from service.schema.layout import Column, Layout, Tab
from service.schema.text import clean, key, shown
from service.sources.base import RawTab, a1, column_letter, is_blank

HEADER_SCAN_ROWS = 20
_SZD = {"сзд", "соответствие", "соответствиезанимаемойдолжности", "соответствиедолжности"}


@dataclass
class Row:
    """One data row: typed values by field, their A1 cells, and the sheet row."""

    number: int
    values: dict[str, Any] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)
    failed: dict[str, Any] = field(default_factory=dict)   # fields present but unreadable: what was typed


@dataclass
class Header:
    row: int
    columns: dict[str, int]                          # field key -> 0-based index
    extra: dict[int, Any]                            # unmatched header cells by index


def find_header(raw: RawTab, tab: Tab, findings: list[Finding]) -> Header | None:
    """The first row (among the first few) holding every required header, else the
    best partial match; None when no header is recognised at all."""
    required = {c.key for c in tab.columns if c.required}
    best: Header | None = None
    best_score = 0
    for number, values in raw.rows[:HEADER_SCAN_ROWS]:
        columns: dict[str, int] = {}
        extra: dict[int, Any] = {}
        duplicates: list[tuple[Column, int]] = []
        for idx, value in enumerate(values):
            if is_blank(value):
                continue
            column = tab.header_index.get(key(value))
            if column is None:
                extra[idx] = value
            elif column.key in columns:
                duplicates.append((column, idx))
            else:
                columns[column.key] = idx
        score = len(columns)
        if score and required <= columns.keys():
            for column, idx in duplicates:
                findings.append(finding(
                    "column.duplicate",
                    f"Столбец «{column.header}» встречается дважды; используется первый, "
                    f"столбец {column_letter(idx + 1)} пропущен.",
                    sheet=raw.title, cell=a1(number, idx + 1)))
            return Header(number, columns, extra)
        if score > best_score:
            best, best_score = Header(number, columns, extra), score
    missing = [c for c in tab.columns if c.required and (best is None or c.key not in best.columns)]
    for column in missing:
        findings.append(finding(
            "column.missing",
            f"На листе «{raw.title}» нет столбца «{column.header}»"
            + (f" (можно назвать: {', '.join('«' + s + '»' for s in column.synonyms[:3])})" if column.synonyms else "")
            + ".",
            sheet=raw.title))
    return best


class CellReader:
    """Reads one cell by its column type; knows the enumerations and the school year."""

    def __init__(self, layout: Layout, year: SchoolYear):
        self.enums: dict[str, Choices] = layout.enums
        self.year = year
        self._readers: dict[str, Callable[[Any, Column], Any]] = {
            "text": lambda v, c: _text(v),
            "person": lambda v, c: _text(v),
            "date": lambda v, c: parse_date(v),
            "integer": lambda v, c: parse_int(v),
            "meeting": lambda v, c: parse_meeting_ref(v),
            "choice": lambda v, c: self.enums[c.choices].read_open(v) if c.open else self.enums[c.choices].read(v),
            "email": lambda v, c: parse_email(v),
            "phone": lambda v, c: parse_phone(v),
            "due": lambda v, c: parse_due(v, self.year),
            "school_year": lambda v, c: parse_school_year(v),
            "text_list": lambda v, c: parse_lines(v),
            "url": lambda v, c: parse_url(v),
        }

    def read(self, value: Any, column: Column) -> Any:
        return self._readers[column.type](value, column)


def read_rows(raw: RawTab, tab: Tab, header: Header, reader: CellReader,
              findings: list[Finding]) -> list[Row]:
    rows = []
    mapped = [(field_key, idx, tab.column(field_key), column_letter(idx + 1))
              for field_key, idx in header.columns.items()]
    for number, values in raw.rows:
        if number <= header.row:
            continue
        row = Row(number)
        seen_any = False
        width = len(values)
        for field_key, idx, column, letter in mapped:
            value = values[idx] if idx < width else None
            cell = f"{letter}{number}"
            row.cells[field_key] = cell
            if value is None or (value.__class__ is str and not value.strip()):
                row.values[field_key] = column.default
                continue
            seen_any = True
            if column.choices == "category" and key(value) in _SZD:
                findings.append(finding(
                    "cell.not_a_category",
                    f"{cell}: «{clean(str(value))}» — это аттестация на соответствие занимаемой должности, "
                    "а не категория; учтено как «нет». Дату аттестации укажите в столбце «Дата аттестации на СЗД».",
                    sheet=raw.title, cell=cell))
                row.values[field_key] = "нет"
                continue
            try:
                row.values[field_key] = reader.read(value, column)
            except CellError as err:
                row.failed[field_key] = value
                row.values[field_key] = None
                message = personal.cell_message(err.code, cell, column.header) \
                    if tab.key == "members" and field_key in personal.FIELDS else f"{cell}: {err.message}"
                findings.append(finding(err.code, message, sheet=raw.title, cell=cell))
        if not seen_any:
            continue          # a row with text only in unmapped columns (notes, totals)
        for column in tab.columns:
            if column.required and column.key in header.columns and row.values.get(column.key) is None \
                    and column.key not in row.failed:
                cell = row.cells[column.key]
                findings.append(finding(
                    "cell.required", f"{cell}: не заполнено «{column.header}».",
                    sheet=raw.title, cell=cell))
        rows.append(row)
    return rows


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean(str(value))


def parse_meeting_ref(value: Any) -> int:
    """«1», «№1», «Заседание 1», «Заседание №1» → 1."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return parse_int(value)
    m = re.fullmatch(r"(?:заседание)?\s*№?\s*(\d{1,3})", clean(str(value)).lower())
    if not m:
        raise CellError("cell.bad_number", f"«{shown(value)}» — не номер заседания.")
    return int(m.group(1))
