"""The shape every source produces: tabs of raw cell values with true positions.

Positions are kept as the person sees them in the sheet (1-based rows and
columns), because every finding we report must be findable by a teacher.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from openpyxl.utils import get_column_letter


def a1(row: int, col: int) -> str:
    """A1 address of a 1-based (row, column) pair, e.g. (6, 7) -> «G6»."""
    return f"{get_column_letter(col)}{row}"


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


def open_source(location: str | Path, limits=None, google=None) -> Source:
    """Pick the adapter for a location: `gsheet:<id>` or a Google Sheets link through
    `google` (service.google.config.GoogleServices), anything else as an .xlsx path."""
    from service.sources.gsheets import is_gsheet_location
    from service.sources.xlsx import XlsxSource

    text = str(location)
    if is_gsheet_location(text):
        if google is None:
            raise SourceError("workbook.unreadable",
                              "Чтение Google Таблиц не настроено (MO_DOCS_GOOGLE_ENABLED): укажите файл .xlsx.")
        return google.source(text, limits=limits)
    return XlsxSource(Path(text), limits=limits)
