"""The .xlsx adapter: openpyxl in read-only mode, values not formulas.

Read-only mode streams rows, so memory stays flat however large the sheet; the
guard in `guard.py` runs first so that no parser sees a bomb.
"""
from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree.ElementTree import ParseError

import openpyxl
from defusedxml import DefusedXmlException

from service.sources.base import RawTab, RawWorkbook, SourceError
from service.sources.guard import check_xlsx_file, require_defusedxml
from service.sources.limits import Limits


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
        except DefusedXmlException:
            raise SourceError(
                "workbook.unreadable",
                "Файл содержит недопустимые XML-конструкции (возможна атака) и не будет обработан.",
            )
        except (zipfile.BadZipFile, KeyError, ParseError, ValueError, TypeError, OSError) as exc:
            raise SourceError("workbook.unreadable", f"Файл повреждён и не открывается как книга Excel ({_short(exc)}).")
        try:
            return RawWorkbook(name=self.name, tabs=[self._read_tab(ws) for ws in wb.worksheets])
        except DefusedXmlException:
            raise SourceError(
                "workbook.unreadable",
                "Файл содержит недопустимые XML-конструкции (возможна атака) и не будет обработан.",
            )
        except (zipfile.BadZipFile, KeyError, ParseError, ValueError, TypeError, OSError) as exc:
            raise SourceError("workbook.unreadable", f"Лист книги повреждён и не читается ({_short(exc)}).")
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


def _short(exc: Exception) -> str:
    text = str(exc) or exc.__class__.__name__
    return text[:120]
