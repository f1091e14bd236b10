"""A workbook file — .xlsx, .xlsm, .xls or .ods — read by calamine (python-calamine).

calamine reads a whole register in tens of milliseconds (openpyxl needed most of a
second) and parses XML with quick-xml, which expands no DTD.  Before it runs, the
guard (guard.py) checks the container and scan.py every part; the read itself is
charged to a Budget row by row.  The result is the same RawWorkbook the other
sources make: rows keep the numbers the person sees even when a sheet's data starts
below or right of A1 (calamine reports where its used range starts).

Values as calamine gives them, made to look as the schema stage has always seen
them: whole numbers as int (calamine gives 5.0 for «5» in .xlsx and .ods), empty
strings as None, dates as `datetime.date` / `datetime.datetime`, times as
`datetime.time`, booleans as bool.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from service.sources.base import RawTab, RawWorkbook, SourceError
from service.sources.budget import Budget, fill_tab
from service.sources.cfb import CompoundFile
from service.sources.guard import PASSWORD, XLS, read_checked
from service.sources.limits import Limits
from service.sources.scan import scan_xls, scan_zip

BROKEN = "Файл повреждён и не открывается как книга. Откройте его в Excel или LibreOffice и сохраните заново."
SHEET_BROKEN = "Лист книги повреждён и не читается. Откройте файл в Excel или LibreOffice и сохраните его заново."


class WorkbookFileSource:
    def __init__(self, path: Path, limits: Limits | None = None):
        self.path = Path(path)
        self.name = self.path.name
        self.limits = limits or Limits()
        self.format: str | None = None

    def read(self) -> RawWorkbook:
        import python_calamine as calamine

        budget = Budget(self.limits)
        kind, data = read_checked(self.path, self.limits)
        self.format = kind
        if kind == XLS:
            scan_xls(CompoundFile(data), budget)
        else:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                scan_zip(zf, kind, budget)
        with _parser_failures(calamine, BROKEN):
            wb = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        try:
            tabs = []
            for meta in wb.sheets_metadata:
                if str(meta.typ).endswith(("ChartSheet", "Vba")):
                    continue                                  # a chart has no cells
                tab = RawTab(title=meta.name)
                with _parser_failures(calamine, SHEET_BROKEN):
                    sheet = wb.get_sheet_by_name(meta.name)
                    fill_tab(tab, _rows(sheet, self.limits.max_rows), self.limits, budget)
                if sheet.end is not None and sheet.end[0] + 1 > self.limits.max_rows:
                    tab.truncated_at = self.limits.max_rows + 1      # the used range goes on below
                tabs.append(tab)
                budget.check_time()
            return RawWorkbook(name=self.name, tabs=tabs)
        finally:
            wb.close()


@contextmanager
def _parser_failures(calamine, message: str) -> Iterator[None]:
    """What the parser raises on a damaged file, as one Russian sentence.  A Rust panic
    arrives as pyo3's PanicException, which derives from BaseException: it is a damaged
    file too, not a reason to stop the process."""
    try:
        yield
    except SourceError:
        raise
    except calamine.PasswordError as exc:
        raise SourceError("workbook.unreadable", PASSWORD) from exc
    except (calamine.CalamineError, ValueError, OSError, UnicodeError, IndexError, OverflowError) as exc:
        raise SourceError("workbook.unreadable", message) from exc
    except BaseException as exc:                  # noqa: BLE001 - only the parser's panic is turned into a finding
        if type(exc).__name__ == "PanicException":
            raise SourceError("workbook.unreadable", message) from exc
        raise


def _rows(sheet, max_rows: int) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """Rows with their sheet numbers, up to `max_rows`.  calamine's `iter_rows` starts at
    row 1 (rows above the used range come empty) and at the used range's first column."""
    start = sheet.start
    if start is None:
        return
    pad = (None,) * start[1]
    value = _value
    for number, values in enumerate(sheet.iter_rows(), start=1):
        if number > max_rows:
            break
        if number > start[0]:
            row = tuple(map(value, values))
            yield number, pad + row if pad else row


def _value(v: Any, _str=str, _float=float) -> Any:
    cls = v.__class__
    if cls is _str:
        return v if v else None
    if cls is _float:
        return int(v) if v.is_integer() and -9e15 < v < 9e15 else v
    if cls is dt.timedelta:                       # a duration cell: as Excel shows it, «1:30:00»
        return _str(v)
    return v
