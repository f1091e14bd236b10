"""The Google Sheets adapter: a spreadsheet by id or URL becomes the same RawWorkbook
the .xlsx adapter makes.

A read costs exactly two Sheets requests, whatever the number of tabs (a third
only when dozens of long tab titles would make the batchGet URL too long):

1. `spreadsheets.get` with `fields` limited to the title and each tab's title,
   type and grid size (no cell data);
2. one `values:batchGet` for every grid tab, with `valueRenderOption=UNFORMATTED_VALUE`
   and `dateTimeRenderOption=SERIAL_NUMBER` (dates arrive as serial day numbers,
   which `service.schema.cells.parse_date` reads).

Each range is bounded by the limits (`Limits.max_columns` columns, `max_rows + 1`
rows: the extra row tells that the tab goes on, which becomes `truncated_at`).
The API trims trailing empty rows and cells and reports in `range` where the values
start; row numbers are taken from it, so they stay the ones the teacher sees.

Nothing is read again while the file's Drive `version` is unchanged: sources share
a `WorkbookCache` of (version, RawWorkbook) per spreadsheet id.  The version comes
from the caller (the change feed knows it), or from Drive `files.get` when a
`versions` lookup is given.  The version is taken *before* reading, so a cached
workbook is never newer-labelled than its content.
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import Any, Callable, Protocol
from urllib.parse import quote

import requests
from google.auth.exceptions import RefreshError
from gspread.exceptions import APIError

from service.google.http import RATE_LIMIT_REASONS, http_error_info
from service.google.ratelimit import RateLimitTimeout
from service.sources.base import SHEETS_URL_ID, RawTab, RawWorkbook, SourceError, column_index, column_letter
from service.sources.base import is_gsheet_location  # noqa: F401  (callers import it from here)
from service.sources.budget import Budget, fill_tab
from service.sources.limits import Limits

SPREADSHEET_FIELDS = ("spreadsheetId,properties.title,"
                      "sheets.properties(sheetId,title,index,sheetType,gridProperties(rowCount,columnCount))")
VALUE_PARAMS = {"valueRenderOption": "UNFORMATTED_VALUE", "dateTimeRenderOption": "SERIAL_NUMBER",
                "majorDimension": "ROWS"}

CODE = "workbook.unreadable"
RATE_LIMITED = ("Google ограничивает число запросов к таблицам, и лимит сейчас исчерпан. "
                "Попробуйте через минуту.")
UNAVAILABLE = "Google Таблицы сейчас не отвечают. Попробуйте ещё раз через несколько минут."
NOT_A_SHEET = ("Это файл Excel, загруженный на Google Диск, а не Google Таблица. Откройте его и выберите "
               "«Файл → Сохранить как Google Таблицу», затем дайте ссылку на новую таблицу.")


class GoogleSourceError(SourceError):
    """A SourceError with the reason it happened: `access`, `rate_limited`,
    `unavailable`, `not_a_sheet`, `bad_location`, `unreadable`.  The code stays
    `workbook.unreadable` (the registered code for «cannot be read at all»)."""

    def __init__(self, reason: str, message: str, code: str = CODE):
        super().__init__(code, message)
        self.reason = reason


# ---------------------------------------------------------------- locations

_URL_ID = SHEETS_URL_ID
_KEY_PARAM = re.compile(r"[?&#](?:key|id)=([a-zA-Z0-9_-]{10,})")
_BARE_ID = re.compile(r"^[a-zA-Z0-9_-]{20,}$")


def parse_spreadsheet_id(location: str) -> str:
    """The spreadsheet id of `gsheet:<id>`, a docs.google.com URL (any form: /edit,
    /u/1/d/..., #gid=...) or a bare id."""
    text = str(location).strip()
    if text.startswith("gsheet:"):
        text = text[len("gsheet:"):].strip()
    m = _URL_ID.search(text) or _KEY_PARAM.search(text)
    if m:
        return m.group(1)
    if _BARE_ID.match(text):
        return text
    raise GoogleSourceError(
        "bad_location",
        "Не удалось понять, какая это Google Таблица. Скопируйте ссылку из адресной строки браузера "
        "(вида https://docs.google.com/spreadsheets/d/…/edit).")


# ---------------------------------------------------------------- ranges

def quote_title(title: str) -> str:
    """A tab title as A1 notation wants it: always in single quotes, quotes doubled
    («План работы» → «'План работы'», «Мама's» → «'Мама''s'»)."""
    return "'" + title.replace("'", "''") + "'"


_CELL = re.compile(r"^\$?([A-Za-z]{1,3})?\$?(\d+)?$")


def range_start(a1_range: str) -> tuple[int, int]:
    """(row, column) where a returned range starts: «'Состав'!C3:N30» → (3, 3).
    The title may itself hold «!», so the cell part is after the last one."""
    cells = a1_range.rsplit("!", 1)[1] if "!" in a1_range else ""
    first = cells.split(":", 1)[0]
    m = _CELL.match(first)
    if not first or not m:
        return 1, 1
    letters, digits = m.groups()
    col = column_index(letters) if letters else 1
    row = int(digits) if digits else 1
    return row, col


MAX_QUERY = 6000   # characters of ranges per batchGet URL; Google refuses URLs past about 8 KB


def url_chunks(ranges: list[str], limit: int = MAX_QUERY) -> list[list[str]]:
    """The ranges split so that no batchGet URL grows too long: one request for any
    ordinary workbook, more only for dozens of tabs with long Cyrillic titles (each
    Cyrillic letter is 6 characters once percent-encoded)."""
    chunks: list[list[str]] = []
    size = 0
    for r in ranges:
        cost = len("&ranges=") + len(quote(r, safe=""))
        if not chunks or size + cost > limit:
            chunks.append([])
            size = 0
        chunks[-1].append(r)
        size += cost
    return chunks


def tab_range(title: str, rows: int, columns: int) -> str:
    return f"{quote_title(title)}!A1:{column_letter(max(1, columns))}{max(1, rows)}"


# ---------------------------------------------------------------- the cache

class WorkbookCache(Protocol):
    def get(self, spreadsheet_id: str) -> tuple[str, RawWorkbook] | None: ...

    def put(self, spreadsheet_id: str, version: str, workbook: RawWorkbook) -> None: ...

    def version(self, spreadsheet_id: str) -> str | None: ...


class MemoryWorkbookCache:
    """The last read of each spreadsheet with its Drive version; least recently used
    entries go first when full.  Thread-safe.  Cached workbooks are shared: callers
    must not change them (the schema reader does not)."""

    def __init__(self, max_items: int = 256):
        self.max_items = max_items
        self._items: OrderedDict[str, tuple[str, RawWorkbook]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, spreadsheet_id: str) -> tuple[str, RawWorkbook] | None:
        with self._lock:
            item = self._items.get(spreadsheet_id)
            if item is not None:
                self._items.move_to_end(spreadsheet_id)
            return item

    def put(self, spreadsheet_id: str, version: str, workbook: RawWorkbook) -> None:
        with self._lock:
            old = self._items.get(spreadsheet_id)
            if old is not None and _newer(old[0], version):
                return                      # a slower reader must not replace a newer read
            self._items[spreadsheet_id] = (str(version), workbook)
            self._items.move_to_end(spreadsheet_id)
            while len(self._items) > self.max_items:
                self._items.popitem(last=False)

    def version(self, spreadsheet_id: str) -> str | None:
        item = self.get(spreadsheet_id)
        return item[0] if item else None

    def __len__(self) -> int:
        return len(self._items)


def _newer(a: str, b: str) -> bool:
    """Is version `a` newer than `b`?  Drive versions are int64 strings."""
    try:
        return int(a) > int(b)
    except (TypeError, ValueError):
        return False


# ---------------------------------------------------------------- reading

class GSheetReader:
    """Reads whole spreadsheets with a gspread Client (two requests per read).

    `client` is a `gspread.Client`, best made with `RetryingHTTPClient` as its
    `http_client` (see `service.google.config.sheets_client`).  `service_account_email`
    is named in the message telling the head whom to share the sheet with."""

    def __init__(self, client, *, limits: Limits | None = None, service_account_email: str = ""):
        self.client = client
        self.limits = limits or Limits()
        self.service_account_email = service_account_email

    def read(self, spreadsheet_id: str) -> RawWorkbook:
        http = self.client.http_client
        try:
            meta = http.spreadsheets_get(spreadsheet_id, params={"fields": SPREADSHEET_FIELDS})
            title = (meta.get("properties") or {}).get("title") or spreadsheet_id
            plan = []                                   # (title, range or None)
            for sheet in meta.get("sheets") or []:
                props = sheet.get("properties") or {}
                tab_title = str(props.get("title", ""))
                grid = props.get("gridProperties") or {}
                if props.get("sheetType", "GRID") != "GRID" or not grid.get("rowCount") or not grid.get("columnCount"):
                    plan.append((tab_title, None))      # a chart or data-source sheet has no cells
                    continue
                rows = min(int(grid["rowCount"]), self.limits.max_rows + 1)
                columns = min(int(grid["columnCount"]), self.limits.max_columns)
                plan.append((tab_title, tab_range(tab_title, rows, columns)))
            value_ranges = []
            for chunk in url_chunks([r for _, r in plan if r]):
                got = http.values_batch_get(spreadsheet_id, chunk, params=dict(VALUE_PARAMS))
                value_ranges.extend(got.get("valueRanges") or [])
        except Exception as exc:  # noqa: BLE001 - mapped to one Russian sentence or re-raised
            err = self.error(exc, spreadsheet_id)
            if err is exc:
                raise
            raise err from exc
        by_request = iter(value_ranges)
        budget = Budget(self.limits)
        tabs = []
        for tab_title, requested in plan:
            tab = RawTab(title=tab_title)
            if requested:
                value_range = next(by_request, None) or {}
                self._fill(tab, value_range.get("range") or requested, value_range.get("values") or [], budget)
            tabs.append(tab)
        return RawWorkbook(name=str(title), tabs=tabs)

    def _fill(self, tab: RawTab, returned_range: str, values: list[list[Any]], budget: Budget) -> None:
        first_row, first_col = range_start(returned_range)
        pad = (None,) * (first_col - 1)
        rows = ((first_row + offset, pad + tuple(None if v == "" else v for v in row))
                for offset, row in enumerate(values))
        fill_tab(tab, rows, self.limits, budget)

    def error(self, exc: BaseException, spreadsheet_id: str = "") -> SourceError:
        return source_error(exc, self.service_account_email, spreadsheet_id)


def source_error(exc: BaseException, service_account_email: str = "", spreadsheet_id: str = "") -> SourceError:
    """One Russian sentence for a failed Google read; unexpected errors are returned
    as they are (to be re-raised: a programming error must not look like «no access»)."""
    if isinstance(exc, SourceError):
        return exc
    if isinstance(exc, RateLimitTimeout):
        return GoogleSourceError("rate_limited", RATE_LIMITED)
    status, reasons = http_error_info(exc)
    if status == 401 or isinstance(exc, RefreshError):
        return GoogleSourceError("auth", "Служба не смогла войти в Google: ключ служебного аккаунта недействителен "
                                         "или отозван. Сообщите администратору службы.")
    if status in (403, 404) and not reasons & RATE_LIMIT_REASONS:
        return GoogleSourceError("access", access_message(service_account_email, spreadsheet_id))
    if status == 429 or reasons & RATE_LIMIT_REASONS:
        return GoogleSourceError("rate_limited", RATE_LIMITED)
    if status == 400 and _not_a_native_sheet(exc):
        return GoogleSourceError("not_a_sheet", NOT_A_SHEET)
    if status >= 500 or status == 408 or isinstance(exc, (requests.exceptions.ConnectionError,
                                                           requests.exceptions.Timeout, TimeoutError,
                                                           ConnectionError)):
        return GoogleSourceError("unavailable", UNAVAILABLE)
    if status:
        return GoogleSourceError("unreadable", "Google Таблица не читается: Google ответил ошибкой "
                                               f"{status}. Проверьте ссылку на таблицу.")
    return exc  # type: ignore[return-value]


def access_message(email: str, spreadsheet_id: str = "") -> str:
    who = f"служебному адресу {email}" if email else "служебному аккаунту сервиса"
    return ("Служба не может открыть Google Таблицу: таблица не найдена или к ней нет доступа. "
            f"Откройте таблицу, нажмите «Настройки доступа» («Поделиться») и дайте доступ {who} "
            "(достаточно роли «Читатель»)."
            + (f" Идентификатор таблицы: {spreadsheet_id}." if spreadsheet_id else ""))


def _not_a_native_sheet(exc: BaseException) -> bool:
    if isinstance(exc, APIError):
        error = exc.error if isinstance(exc.error, dict) else {}
        return error.get("status") == "FAILED_PRECONDITION" or "not supported for this document" in str(
            error.get("message", ""))
    return False


# ---------------------------------------------------------------- the Source

class GSheetSource:
    """A Source for one spreadsheet: `GSheetSource("gsheet:<id>" | url | id, reader, ...)`.

    `version`: the file's Drive version when the caller knows it (from the change
    feed); else `versions(spreadsheet_id)` is asked (e.g. `drive_versions(drive)`);
    with neither, every read goes to Google and nothing is cached."""

    def __init__(self, location: str, reader: GSheetReader, *, cache: WorkbookCache | None = None,
                 version: str | int | None = None, versions: Callable[[str], str | None] | None = None):
        self.spreadsheet_id = parse_spreadsheet_id(location)
        self.name = f"gsheet:{self.spreadsheet_id}"
        self.reader = reader
        self.cache = cache
        self.version = None if version is None else str(version)
        self.versions = versions
        self.from_cache = False

    def read(self) -> RawWorkbook:
        version = self.version
        if version is None and self.versions is not None:
            try:
                version = self.versions(self.spreadsheet_id)
            except Exception as exc:  # noqa: BLE001
                err = self.reader.error(exc, self.spreadsheet_id)
                if err is exc:
                    raise
                raise err from exc
        if version is not None and self.cache is not None:
            hit = self.cache.get(self.spreadsheet_id)
            if hit is not None and hit[0] == str(version):
                self.from_cache = True
                self.name = hit[1].name
                return hit[1]
        workbook = self.reader.read(self.spreadsheet_id)
        self.from_cache = False
        self.name = workbook.name
        if version is not None and self.cache is not None:
            self.cache.put(self.spreadsheet_id, str(version), workbook)
        return workbook


def drive_versions(drive, *, execute: Callable | None = None) -> Callable[[str], str | None]:
    """A `versions` lookup for GSheetSource: Drive `files.get(fields="version,modifiedTime")`
    (one Drive request; Drive's quota is separate from Sheets')."""
    from service.google.http import execute as default_execute

    run = execute or default_execute

    def lookup(file_id: str) -> str | None:
        got = run(drive.files().get(fileId=file_id, fields="version,modifiedTime", supportsAllDrives=True))
        return got.get("version")

    return lookup
