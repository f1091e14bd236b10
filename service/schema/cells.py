"""Readers of single cell values.  Pure functions: value in, typed value out.

Each raises `CellError(code, message)` when the value cannot be read; the caller
adds the sheet and the A1 address.  Nothing here guesses silently: a value that
is read is either exactly what was typed or a documented reading of it.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from service.schema.text import clean, key, shown as as_typed

EXCEL_EPOCH = dt.date(1899, 12, 30)      # serial 1 = 1900-01-01 (with Excel's 1900 leap bug)
MIN_DATE, MAX_DATE = dt.date(1920, 1, 1), dt.date(2100, 12, 31)

MONTHS = {  # month stems in every case a teacher may write them
    1: ("январ",), 2: ("феврал",), 3: ("март",), 4: ("апрел",), 5: ("май", "мая", "мае"),
    6: ("июн",), 7: ("июл",), 8: ("август",), 9: ("сентябр",), 10: ("октябр",),
    11: ("ноябр",), 12: ("декабр",),
}
MONTH_NAMES = ("", "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
               "сентябрь", "октябрь", "ноябрь", "декабрь")


class CellError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def shown(value: object) -> str:
    """A value as the person sees it, for messages: «главная»."""
    return f"«{as_typed(value)[:60]}»"


# ---------------------------------------------------------------- dates

_DMY = re.compile(r"^(\d{1,2})[./\-](\d{1,2})[./\-](\d{2}|\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDS = re.compile(r"^(\d{1,2})\s+([а-яё]+)\s+(\d{4})$")
_TAIL = re.compile(r"\s*(г\.?|года?|гг\.?)$")


def parse_date(value: object) -> dt.date:
    """Date cells, Excel/Sheets serial numbers, or text «12.11.2024», «12.11.24»,
    «2024-11-12», «12 ноября 2024 г.».  Two-digit years: 00–49 → 20xx, 50–99 → 19xx."""
    if isinstance(value, dt.datetime):
        return _in_range(value.date(), value)
    if isinstance(value, dt.date):
        return _in_range(value, value)
    if isinstance(value, bool):
        raise CellError("cell.bad_date", f"{shown(value)} — не дата.")
    if isinstance(value, (int, float)):
        return from_serial(value)
    text = clean(str(value)).lower()
    text = text.split(" ")[0] if re.match(r"^\d{1,2}[./]\d{1,2}[./]\d{2,4}\s+\d{1,2}:\d{2}", text) else text
    text = _TAIL.sub("", text).strip()
    try:
        if m := _DMY.match(text):
            d, mth, y = (int(g) for g in m.groups())
            if len(m.group(3)) == 2:
                y += 2000 if y < 50 else 1900
            return _in_range(dt.date(y, mth, d), value)
        if m := _YMD.match(text):
            y, mth, d = (int(g) for g in m.groups())
            return _in_range(dt.date(y, mth, d), value)
        if m := _WORDS.match(text):
            month = month_of(m.group(2))
            if month:
                return _in_range(dt.date(int(m.group(3)), month, int(m.group(1))), value)
    except CellError:
        raise                   # out of range: say so, not «no such date»
    except ValueError:
        raise CellError("cell.bad_date", f"{shown(value)} — такой даты нет в календаре.")
    raise CellError(
        "cell.bad_date",
        f"{shown(value)} — не дата. Введите дату как 12.11.2024.",
    )


def from_serial(value: float) -> dt.date:
    """Serial day numbers as Excel and Google Sheets store dates (days since 1899-12-30)."""
    if not 1 <= value < 2958466 or (isinstance(value, float) and value != value):
        raise CellError("cell.bad_date", f"{shown(value)} — не дата.")
    return _in_range(EXCEL_EPOCH + dt.timedelta(days=int(value)), value)


def _in_range(d: dt.date, original: object) -> dt.date:
    if not MIN_DATE <= d <= MAX_DATE:
        raise CellError("cell.bad_date", f"{shown(original)} — дата вне допустимого диапазона (1920–2100).")
    return d


def month_of(word: str) -> int | None:
    w = word.lower().replace("ё", "е")
    for number, stems in MONTHS.items():
        if any(w.startswith(s) for s in stems):
            return number
    return None


# ---------------------------------------------------------------- school year

@dataclass(frozen=True, order=True)
class SchoolYear:
    """1 September of `start` to 31 August of `start + 1`."""

    start: int

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.start, 9, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.start + 1, 8, 31)

    @property
    def label(self) -> str:
        """«2024-2025»: the key of folders, registers and settings."""
        return f"{self.start}-{self.start + 1}"

    @property
    def title(self) -> str:
        """«2024/2025»: as people and documents write it («2024/2025 учебный год»)."""
        return f"{self.start}/{self.start + 1}"

    def contains(self, day: dt.date) -> bool:
        return self.first_day <= day <= self.last_day

    def month_date(self, month: int) -> tuple[dt.date, dt.date]:
        """First and last day of a month name inside this school year."""
        year = self.start if month >= 9 else self.start + 1
        first = dt.date(year, month, 1)
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
        return first, nxt - dt.timedelta(days=1)

    @classmethod
    def of(cls, day: dt.date) -> "SchoolYear":
        return cls(day.year if day.month >= 9 else day.year - 1)


_YEAR_PAIR = re.compile(r"^(\d{4})\s*[-/–—]\s*(\d{2}|\d{4})(\s*(уч\.?|учебный)?\s*(г\.?|год|гг\.?)?)?$")


def parse_school_year(value: object) -> SchoolYear:
    """«2024-2025», «2024/2025», «2024–25 уч. г.»."""
    text = clean(str(value)).lower()
    m = _YEAR_PAIR.match(text)
    if m:
        first, second = int(m.group(1)), int(m.group(2))
        if second < 100:
            second += first - first % 100
            if second < first:          # «1999–00»
                second += 100
        if second == first + 1 and 1990 < first < 2100:
            return SchoolYear(first)
    raise CellError("cell.bad_date", f"{shown(value)} — не учебный год. Введите как 2024-2025.")


# ---------------------------------------------------------------- numbers

_INT_TEXT = re.compile(r"^(\d{1,4})(\s*(год|года|лет|г\.?|л\.?))?$")


def parse_int(value: object) -> int:
    """Whole non-negative numbers: 12, 12.0, «12», «12 лет»."""
    if isinstance(value, bool):
        raise CellError("cell.bad_number", f"{shown(value)} — не число.")
    if isinstance(value, int):
        if value < 0:
            raise CellError("cell.bad_number", f"{shown(value)} — отрицательное число.")
        return value
    if isinstance(value, float):
        if value.is_integer() and value >= 0:
            return int(value)
        raise CellError("cell.bad_number", f"{shown(value)} — нужно целое неотрицательное число.")
    text = clean(str(value)).lower()
    m = _INT_TEXT.match(text)
    if m:
        return int(m.group(1))
    raise CellError("cell.bad_number", f"{shown(value)} — не целое число.")


# ---------------------------------------------------------------- lists in one cell

_NEWLINES = re.compile(r"\r\n|\r|\n|\u2028|\u2029")
_MARKER = re.compile(r"^(?:\d{1,2}\s*[.)]|[-–—•·*▪●])\s*")
_INLINE_NUMBERS = re.compile(r"(?:^|\s)\d{1,2}\)\s")


def parse_lines(value: object) -> list[str]:
    """Tasks or problems typed in one cell: one per line (Alt+Enter), or separated by «;»,
    or numbered «1) … 2) …» on one line.  Numbers and bullets are dropped (documents
    number the items themselves), as are the «;» and «,» that ended list items."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    lines = [x for x in _NEWLINES.split(text) if clean(x)]
    if len(lines) == 1:
        line = lines[0]
        if len(_INLINE_NUMBERS.findall(line)) > 1:
            lines = [x for x in re.split(r"(?:^|\s)(?=\d{1,2}\)\s)", line) if clean(x)]
        elif ";" in line:
            lines = [x for x in line.split(";") if clean(x)]
    items = []
    for line in lines:
        item = clean(_MARKER.sub("", clean(line))).rstrip(";, ")
        if item:
            items.append(item)
    return items


# ---------------------------------------------------------------- contacts

_EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;.]{2,}$")


def parse_email(value: object) -> str:
    text = clean(str(value))
    if _EMAIL.match(text):
        return text
    raise CellError("cell.bad_email", f"{shown(value)} — не адрес электронной почты.")


_PHONE_ALLOWED = re.compile(r"^\+?[\d\s()\-.]+$")


def parse_phone(value: object) -> str:
    """Russian phone numbers as people write them; kept as typed, checked by digits."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = clean(str(value))
    digits = re.sub(r"\D", "", text)
    if _PHONE_ALLOWED.match(text) and 5 <= len(digits) <= 15:
        return text
    raise CellError("cell.bad_phone", f"{shown(value)} — не номер телефона.")


_URL = re.compile(r"^https?://[^\s/?#<>\"'`]+\.[^\s/?#<>\"'`]+(?:[/?#][^\s<>\"'`]*)?$", re.I)
_BARE_URL = re.compile(r"^(?:www\.)?[a-zа-яё0-9-]+(?:\.[a-zа-яё0-9-]+)*\.[a-zа-яё]{2,}(?:[/?#][^\s<>\"'`]*)?$", re.I)
MAX_URL = 2000


def parse_url(value: object) -> str:
    """A web link to a practice's materials: http(s) only («javascript:», «file:» and
    text with spaces are refused); «www.site.ru/page» and «site.ru/page» get https://."""
    text = clean(str(value))
    if len(text) <= MAX_URL:
        if _URL.match(text):
            return text
        if _BARE_URL.match(text):
            return "https://" + text
    raise CellError("cell.bad_url", f"{shown(value)} — не ссылка. Укажите адрес страницы, например "
                                    "https://nsportal.ru/… (только http или https).")


# ---------------------------------------------------------------- enumerations

class Choices:
    """One enumeration: canonical values and the synonyms that mean them."""

    def __init__(self, name: str, values: dict[str, list]):
        self.name = name
        self.values = list(values)
        self._index: dict[str, str] = {}
        self._seen: dict[object, str] = {}
        for canonical, synonyms in values.items():
            for word in [canonical, *(synonyms or [])]:
                self._index.setdefault(key(word), canonical)

    def read(self, value: object) -> str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        seen = (value.__class__, value)         # True == 1 as a dict key, but not as a mark
        try:
            return self._seen[seen]             # marks repeat thousands of times: «+», «н»
        except (KeyError, TypeError):
            pass
        found = self._index.get(key(value))
        if found is None:
            allowed = ", ".join(f"«{v}»" for v in self.values)
            raise CellError("cell.bad_choice", f"{shown(value)} — недопустимое значение. Допустимо: {allowed}.")
        if len(self._seen) < 10_000:
            self._seen[seen] = found
        return found

    def __contains__(self, value: object) -> bool:
        return key(value) in self._index

    def read_open(self, value: object) -> str:
        """A known value (or synonym) as its canonical form, anything else as typed."""
        try:
            return self.read(value)
        except CellError:
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            return clean(str(value))


# ---------------------------------------------------------------- plan deadlines

@dataclass(frozen=True)
class Due:
    """When a plan item is due: a window inside the school year, and the text typed."""

    first: dt.date
    last: dt.date
    text: str
    whole_year: bool = False


_YEAR_LONG = re.compile(r"в течени[еи]|постоянно|ежемесячно|систематически|весь год|по мере|ежеквартально")
_WITHIN = re.compile(r"в течени[еи]\s+([а-я]+)")      # «в течение ноября» is November, not the year
_DATE_IN_TEXT = re.compile(r"\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})")


def parse_due(value: object, year: SchoolYear) -> Due:
    """A plan's Срок: a date, month names («ноябрь», «сентябрь–октябрь», «в марте»)
    resolved inside the school year, or «в течение года»."""
    if isinstance(value, (dt.date, int, float)) and not isinstance(value, bool):
        d = parse_date(value)
        return Due(d, d, d.strftime("%d.%m.%Y"))
    text = clean(str(value))
    low = text.lower().replace("ё", "е")
    within = _WITHIN.search(low)
    if _YEAR_LONG.search(low) and not (within and month_of(within.group(1))):
        return Due(year.first_day, year.last_day, text, whole_year=True)
    days = []
    for token in _DATE_IN_TEXT.findall(low):
        days.append(parse_date(token))
    for word in re.findall(r"[а-я]+", low):
        month = month_of(word)
        if month:
            days.extend(year.month_date(month))
    if not days:
        raise CellError(
            "cell.bad_date",
            f"{shown(value)} — срок не распознан. Укажите дату (12.11.2024), месяц («ноябрь») или «в течение года».",
        )
    return Due(min(days), max(days), text)
