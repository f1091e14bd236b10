"""The shape every source produces: tabs of raw cell values with true positions.

Positions are kept as the person sees them in the sheet (1-based rows and
columns), because every finding we report must be findable by a teacher.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol



def column_letter(col: int) -> str:
    """Letters of a 1-based column: 1 → «A», 27 → «AA», 16384 → «XFD».  Our own, so that
    reading a workbook never imports openpyxl (its import alone costs a tenth of a second)."""
    letters = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """1-based column of its letters: «A» → 1, «xfd» → 16384."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def a1(row: int, col: int) -> str:
    """A1 address of a 1-based (row, column) pair, e.g. (6, 7) -> «G6»."""
    return f"{column_letter(col)}{row}"


@dataclass
class RawTab:
    """One tab: its title and its non-empty rows, each with its sheet row number.

    `rows` holds (row_number, values) with values[0] being column A.  Empty rows
    are dropped here already: they carry nothing and only cost time later.
    `truncated_at` is the row where reading stopped because of the row limit.
    """

    title: str
    rows: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)
    truncated_at: int | None = None


@dataclass
class RawWorkbook:
    """A whole workbook as read from its source, before any interpretation."""

    name: str
    tabs: list[RawTab]

    def titles(self) -> list[str]:
        return [t.title for t in self.tabs]


class SourceError(Exception):
    """The workbook cannot be read at all.

    `code` is stable for programs (a finding code), `message` is Russian for people.
    """

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class Source(Protocol):
    """Anything that can produce a RawWorkbook (an .xlsx file, a Google Sheet)."""

    name: str

    def read(self) -> RawWorkbook: ...


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


SHEETS_URL_ID = re.compile(r"/spreadsheets/(?:u/\d+/)?d/([a-zA-Z0-9_-]{10,})")


def is_gsheet_location(location: object) -> bool:
    """`gsheet:<id>` or a Google Sheets link.  Here, not in the Google adapter, so that
    telling a file from a sheet never imports the Google libraries."""
    text = str(location).strip()
    return text.startswith("gsheet:") or bool(SHEETS_URL_ID.search(text)) or (
        text.startswith(("http://", "https://")) and "docs.google.com" in text)


def open_source(location: str | Path, limits=None, google=None) -> Source:
    """Pick the adapter for a location: `gsheet:<id>` or a Google Sheets link through
    `google` (service.google.config.GoogleServices), anything else as a workbook file
    (.xlsx, .xlsm, .xls, .ods)."""
    from service.sources.workbook_file import WorkbookFileSource

    text = str(location)
    if is_gsheet_location(text):
        if google is None:
            raise SourceError("workbook.unreadable",
                              "Чтение Google Таблиц на этом сервере не включено (это настраивает администратор "
                              "службы). Скачайте таблицу как .xlsx («Файл» → «Скачать» → «Microsoft Excel») "
                              "и загрузите файлом.")
        return google.source(text, limits=limits)
    return WorkbookFileSource(Path(text), limits=limits)
