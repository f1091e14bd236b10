"""What one read of a workbook may spend, and the one way rows become a RawTab.

Every source — a file read by calamine, a Google Sheet, the Sheets add-on's JSON —
hands its rows to `fill_tab`, so the row and column limits, the dropping of empty
rows and the budget (cells read, wall time) are the same whatever produced them.
The budget is charged row by row inside the read, so a huge or hostile workbook
stops at the first row past its allowance, not after it was read whole.
`held_to_limits` re-applies the limits to a finished RawWorkbook: a producer that built its
tabs by hand is held to them too (pipeline.check calls it on every read).
"""
from __future__ import annotations

import time
from typing import Any, Callable, Iterable, Sequence

from service.sources.base import RawTab, RawWorkbook, SourceError, is_blank
from service.sources.limits import Limits

TOO_LARGE = "workbook.too_large"


class Budget:
    """Cells and seconds left for one read.  Not thread-safe: one per read."""

    def __init__(self, limits: Limits, clock: Callable[[], float] = time.monotonic):
        self.limits = limits
        self.clock = clock
        self.started = clock()
        self.cells = 0

    def charge(self, cells: int) -> None:
        self.cells += cells
        if self.cells > self.limits.max_cells:
            raise SourceError(TOO_LARGE, f"В книге больше {self.limits.max_cells:,} ячеек".replace(",", " ")
                              + ": такая книга не обрабатывается. Удалите из неё лишние листы и строки.")
        self.check_time()

    def check_time(self) -> None:
        if self.clock() - self.started > self.limits.max_seconds:
            raise SourceError(TOO_LARGE, f"Книга не прочитана за {_seconds(self.limits.max_seconds)}: она слишком "
                              "велика или сложна. Удалите из неё лишние листы и строки.")

    def sheet_area(self, title: str | None, rows: int, columns: int, weight: int = 1) -> None:
        """Refuse a sheet whose cells span more than `max_sheet_cells` (a reader would
        allocate the whole rectangle before giving us its first row); `weight`: what a
        cell of this format costs the reader against one of .xlsx."""
        if rows * columns * weight > self.limits.max_sheet_cells:
            which = f"Лист «{title[:60]}»" if title else "Один из листов"
            raise SourceError(TOO_LARGE, f"{which} занимает {rows:,} строк × {columns:,} столбцов".replace(",", " ")
                              + ": такой лист не обрабатывается. Удалите лишние ячейки далеко за пределами таблицы.")


def fill_tab(tab: RawTab, rows: Iterable[tuple[int, Sequence[Any]]], limits: Limits, budget: Budget) -> RawTab:
    """Put `rows` — (sheet row number, values from column A) in ascending order — into
    `tab`: at most `max_rows` rows (a non-empty row past them sets `truncated_at`) and
    `max_columns` values per row; empty rows are dropped; every kept cell is charged."""
    max_rows, max_cols = limits.max_rows, limits.max_columns
    for number, values in rows:
        if number > max_rows:
            if not all(is_blank(v) for v in values):
                tab.truncated_at = max_rows + 1
                break
            budget.check_time()
            continue
        if len(values) > max_cols:
            values = values[:max_cols]
        budget.charge(len(values))
        for v in values:
            if v is not None and not (isinstance(v, str) and not v.strip()):
                tab.rows.append((number, tuple(values)))
                break
    return tab


def held_to_limits(raw: RawWorkbook, limits: Limits, budget: Budget | None = None) -> RawWorkbook:
    """`raw` held to the limits (unchanged, and not copied, when it already keeps them)."""
    budget = budget or Budget(limits)
    if all(len(t.rows) <= limits.max_rows and all(len(v) <= limits.max_columns and n <= limits.max_rows
                                                  for n, v in t.rows) for t in raw.tabs):
        budget.charge(sum(len(v) for t in raw.tabs for _, v in t.rows))
        return raw
    tabs = []
    for t in raw.tabs:
        tab = fill_tab(RawTab(title=t.title), sorted(t.rows, key=lambda r: r[0]), limits, budget)
        tab.truncated_at = tab.truncated_at or t.truncated_at
        tabs.append(tab)
    return RawWorkbook(name=raw.name, tabs=tabs)


def _seconds(s: float) -> str:
    return f"{s:g} с".replace(".", ",")
