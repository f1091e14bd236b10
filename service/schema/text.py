"""Text keys for matching what teachers type against what the layout declares.

«Ф.И.О.», «ф и о » and «ФИО» are the same header; «Ёлкина» and «Елкина» the same
name.  One key function serves headers, tab titles and enumeration values.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

_NON_WORD = re.compile(r"[^\w№+✓✔\-]+", re.UNICODE)
_SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    """Visible text as a person meant it: NFC, no non-breaking spaces, single spaces."""
    return _clean(text if text.__class__ is str else str(text))


@lru_cache(maxsize=16_384)          # a register repeats its words: roles, forms, schools, marks
def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\u200b", "")
    return _SPACES.sub(" ", text).strip()


def key(text: object) -> str:
    """Comparison key: case-folded, «ё»→«е», punctuation and spaces removed.

    Hyphens, «+», «-» and check marks survive because they carry meaning in marks
    («+», «-») and in values such as «педагог-методист».
    """
    if text is None:
        return ""
    s = clean(str(text)).casefold().replace("ё", "е").replace("–", "-").replace("—", "-")
    return _NON_WORD.sub("", s)


def shown(value: object) -> str:
    """A cell's value as the person sees it in their table: a date «27.05.2026» (not
    «2026-05-27 00:00:00»), a time-of-day kept only when there is one, a whole number
    «5» (not «5.0»); text cleaned of stray spaces."""
    if isinstance(value, dt.datetime):
        return f"{value:%d.%m.%Y}" if value.time() == dt.time() else f"{value:%d.%m.%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean(str(value))
