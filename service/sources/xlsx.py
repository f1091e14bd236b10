"""The .xlsx adapter: openpyxl in read-only mode, values not formulas.

Read-only mode streams rows, so memory stays flat however large the sheet; the
guard in `guard.py` runs first so that no parser sees a bomb.
"""
from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from xml.etree.ElementTree import ParseError

import openpyxl
from defusedxml import DefusedXmlException

from service.sources.base import RawTab, RawWorkbook, SourceError
from service.sources.guard import check_xlsx_file, require_defusedxml
from service.sources.limits import Limits


# What openpyxl and zipfile raise on a damaged or hostile file: an index past the
# shared strings, a corrupt deflate stream, an unknown compression method, and
# openpyxl's ValueError wrapping the parser's own error.
_BROKEN = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, LookupError, ParseError,
           ValueError, TypeError, AttributeError, OSError)
_DANGEROUS = "Файл содержит недопустимые XML-конструкции (возможна атака) и не будет обработан."


class XlsxSource:
    def __init__(self, path: Path, limits: Limits | None = None):
        self.path = Path(path)
        self.name = self.path.name
        self.limits = limits or Limits()

    def read(self) -> RawWorkbook:
        require_defusedxml()
        check_xlsx_file(self.path, self.limits)
        try:
            wb = openpyxl.load_workbook(self.path, read_only=True, data_only=True, keep_links=False)
        except _BROKEN as exc:
            raise _unreadable(exc, "Файл повреждён и не открывается как книга Excel") from exc
        try:
            return RawWorkbook(name=self.name, tabs=[self._read_tab(ws) for ws in wb.worksheets])
        except _BROKEN as exc:
            raise _unreadable(exc, "Лист книги повреждён и не читается") from exc
        finally:
            wb.close()

    def _read_tab(self, ws) -> RawTab:
        tab = RawTab(title=ws.title)
        if not hasattr(ws, "iter_rows"):          # a chartsheet has no cells
            return tab
        ws.reset_dimensions()                      # declared dimensions are often wrong
        max_rows, max_cols = self.limits.max_rows, self.limits.max_columns
        for number, values in enumerate(ws.iter_rows(min_row=1, min_col=1, values_only=True), start=1):
            if number > max_rows:
                tab.truncated_at = number
                break
            if len(values) > max_cols:
                values = values[:max_cols]
            for v in values:
                if v is not None and not (isinstance(v, str) and not v.strip()):
                    tab.rows.append((number, tuple(values)))
                    break
        return tab


def _unreadable(exc: BaseException, what: str) -> SourceError:
    """openpyxl wraps the parser's error in a ValueError naming the server's path on
    several lines: report the cause, on one line, and call a defused bomb an attack."""
    causes = [exc]
    while causes[-1].__cause__ is not None and len(causes) < 10:
        causes.append(causes[-1].__cause__)
    if any(isinstance(c, DefusedXmlException) for c in causes):
        return SourceError("workbook.unreadable", _DANGEROUS)
    # the technical cause is English and may name server paths: people get the Russian sentence only
    return SourceError("workbook.unreadable", f"{what}. Откройте файл в Excel или LibreOffice и сохраните его заново.")
