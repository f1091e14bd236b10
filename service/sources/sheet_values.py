"""A workbook from the values of a Google Sheet as the Sheets add-on sends them.

The add-on reads each tab's data range once — `getValues()` and `getDisplayValues()` —
and sends `{"spreadsheet": {"id", "name", "url", "time_zone"}, "sheets": [{"name",
"values", "display_values"}]}`, dates already turned into ISO strings in the
spreadsheet's time zone (the day the person sees).  A data range always starts at A1,
so row i of `values` is sheet row i + 1 and value j is column j + 1: the positions are
the person's, as in every other source.

Values become what the file reader makes of the same cells, so a sheet and its .xlsx
copy give the same findings: "" is an empty cell, whole numbers are int, ISO dates are
`date` / `datetime`, and a time-only cell (Sheets' day zero, 1899-12-30) is a `time`.
`display_values` tell what `values` cannot: a time-only cell from a date on that day
zero (its display shows no day).

Nothing here trusts the sender: the shape is checked (400 with the place that is
wrong), the size against the limits before any row is used (tabs, rows, columns,
cells: `workbook.too_large`, which the web layer answers with 413), and the rows go
through `fill_tab`, the one door every source uses, under the same per-read budget.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from service.sources.base import RawTab, RawWorkbook, SourceError, column_letter
from service.sources.budget import TOO_LARGE, Budget, fill_tab
from service.sources.limits import Limits

INVALID = "request.invalid"
MAX_TABS = 200                     # Google Sheets itself allows 200 tabs
MAX_TITLE = 100                    # characters of a tab title (Sheets' own limit)
MAX_CELL_CHARS = 50_000            # characters in one cell (Sheets' own limit)
DAY_ZERO = dt.date(1899, 12, 30)   # a time-only cell is a Date on this day in Apps Script

_SHOWS_DAY = re.compile(r"\d[./-]\d|1899")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?)?$")


class PayloadError(SourceError):
    """The add-on's request is not a spreadsheet we can read (400), saying where."""

    def __init__(self, message: str, where: str | None = None):
        super().__init__(INVALID, message)
        self.where = where


class SheetValuesSource:
    """A Source over one add-on payload (a dict parsed from JSON)."""

    def __init__(self, payload: Any, limits: Limits | None = None, max_tabs: int = MAX_TABS):
        self.limits = limits or Limits()
        self.max_tabs = max_tabs
        self.spreadsheet = _spreadsheet(payload)
        self.sheets = _sheets(payload)
        self.name = self.spreadsheet["name"] or "Google Таблица"

    def read(self) -> RawWorkbook:
        self._check_size()
        budget = Budget(self.limits)
        tabs = []
        for sheet in self.sheets:
            title, values, shown = sheet["name"], sheet["values"], sheet["display_values"]
            rows = ((i + 1, tuple(_value(v, shown[i][j] if shown is not None else None, title, i, j)
                                  for j, v in enumerate(row)))
                    for i, row in enumerate(values))
            tabs.append(fill_tab(RawTab(title=title), rows, self.limits, budget))
        return RawWorkbook(name=self.name, tabs=tabs)

    def _check_size(self) -> None:
        """Refuse a spreadsheet past the limits before reading a row of it, naming what to remove."""
        if len(self.sheets) > self.max_tabs:
            raise SourceError(TOO_LARGE, f"В таблице {len(self.sheets)} листов: служба принимает не больше "
                                         f"{self.max_tabs}. Удалите лишние листы или перенесите их в другую таблицу.")
        cells = 0
        for sheet in self.sheets:
            values, title = sheet["values"], sheet["name"]
            if len(values) > self.limits.max_rows:
                raise SourceError(TOO_LARGE, f"Данные листа «{title}» доходят до строки {_n(len(values))}, а служба "
                                             f"читает не больше {_n(self.limits.max_rows)} строк. Удалите лишнее ниже "
                                             "таблицы (или перенесите старые записи на другой лист).")
            width = max((len(r) for r in values), default=0)
            if width > self.limits.max_columns:
                raise SourceError(TOO_LARGE, f"Данные листа «{title}» доходят до столбца {column_letter(width)}, а "
                                             f"служба читает не больше {_n(self.limits.max_columns)} столбцов. Удалите "
                                             "лишнее справа от таблицы.")
            cells += sum(len(r) for r in values)
        if cells > self.limits.max_cells:
            raise SourceError(TOO_LARGE, f"В таблице {_n(cells)} ячеек с данными, а служба читает не больше "
                                         f"{_n(self.limits.max_cells)}. Удалите лишние листы и строки.")


# ---------------------------------------------------------------- the shape

def _spreadsheet(payload: Any) -> dict:
    if not isinstance(payload, dict):
        raise PayloadError("Надстройка прислала не таблицу: ожидался JSON-объект.")
    meta = payload.get("spreadsheet")
    if not isinstance(meta, dict):
        raise PayloadError("Нет сведений о таблице (spreadsheet).", "spreadsheet")
    out = {}
    for name, limit in (("id", 200), ("name", 500), ("url", 2000), ("time_zone", 64)):
        value = meta.get(name)
        if value is None:
            value = ""
        if not isinstance(value, str) or len(value) > limit:
            raise PayloadError(f"Поле spreadsheet.{name} должно быть строкой не длиннее {limit} символов.",
                               f"spreadsheet.{name}")
        _require_text(value, f"spreadsheet.{name}")
        out[name] = value.strip()
    if not out["id"] or not re.fullmatch(r"[A-Za-z0-9_-]{10,200}", out["id"]):
        raise PayloadError("Идентификатор таблицы (spreadsheet.id) не похож на идентификатор Google Таблицы.",
                           "spreadsheet.id")
    return out


def _sheets(payload: dict) -> list[dict]:
    sheets = payload.get("sheets")
    if not isinstance(sheets, list):
        raise PayloadError("Нет листов таблицы (sheets).", "sheets")
    seen = set()
    out = []
    for k, sheet in enumerate(sheets):
        where = f"sheets[{k}]"
        if not isinstance(sheet, dict):
            raise PayloadError("Лист таблицы должен быть JSON-объектом.", where)
        title = sheet.get("name")
        if not isinstance(title, str) or not title.strip() or len(title) > MAX_TITLE:
            raise PayloadError(f"У листа №{k + 1} нет названия (или оно длиннее {MAX_TITLE} символов).", where)
        _require_text(title, where)
        if title in seen:
            raise PayloadError(f"Два листа с названием «{title}».", where)
        seen.add(title)
        values = _grid(sheet.get("values"), title, f"{where}.values")
        shown = sheet.get("display_values")
        if shown is not None:
            shown = _grid(shown, title, f"{where}.display_values")
            if len(shown) != len(values) or any(len(a) != len(b) for a, b in zip(shown, values)):
                raise PayloadError(f"На листе «{title}» значения и их отображение (display_values) разного размера.",
                                   where)
        out.append({"name": title, "values": values, "display_values": shown})
    return out


def _grid(rows: Any, title: str, where: str) -> list[list]:
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise PayloadError(f"Ячейки листа «{title}» должны быть списком строк.", where)
    return rows


def _require_text(text: str, where: str) -> None:
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise PayloadError("В тексте недопустимые символы (одиночный суррогат Unicode).", where)


# ---------------------------------------------------------------- values

def _value(v: Any, shown: Any, title: str, i: int, j: int) -> Any:
    """One cell as the file reader would give it."""
    cls = v.__class__
    if cls is str:
        if not v:
            return None
        if len(v) > MAX_CELL_CHARS:
            raise PayloadError(f"В ячейке {column_letter(j + 1)}{i + 1} листа «{title}» больше {_n(MAX_CELL_CHARS)} "
                               "символов.", title)
        if not v.isascii():
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                raise PayloadError("В тексте недопустимые символы (одиночный суррогат Unicode).",
                                   f"«{title}»!{column_letter(j + 1)}{i + 1}")
        elif v[0].isdigit() and len(v) >= 10:
            when = _iso(v, shown)
            if when is not None:
                return when
        return v
    if cls is int:
        return v if -9e15 < v < 9e15 else float(v)
    if cls is float:
        if v != v or v in (float("inf"), float("-inf")):
            return None
        return int(v) if v.is_integer() and -9e15 < v < 9e15 else v
    if cls is bool or v is None:
        return v
    raise PayloadError(f"В ячейке {column_letter(j + 1)}{i + 1} листа «{title}» не значение ячейки (число, текст, "
                       "дата, да/нет).", title)


def _iso(text: str, shown: Any) -> Any:
    m = _ISO.match(text)
    if not m:
        return None
    y, mo, d, h, mi, s = (int(g) if g else None for g in m.groups())
    try:
        day = dt.date(y, mo, d)
        if h is None:
            return day
        moment = dt.datetime(y, mo, d, h, mi, s or 0)
    except ValueError:
        return None                                  # «2024-02-31» typed as text stays text
    if day == DAY_ZERO and not (isinstance(shown, str) and _SHOWS_DAY.search(shown)):
        return moment.time()                         # a time-only cell; its display shows no day
    return moment


def _n(number: int) -> str:
    return f"{number:,}".replace(",", "\u00a0")
