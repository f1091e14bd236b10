"""What an uploaded workbook is called when it is downloaded again: the name the person
gave it, made safe, with the suffix of what the file is.  A name is whatever the browser
sent: «../../x.xlsx», a right-to-left override, a NUL, a carriage return, 5,000
characters, or an .xlsx called «книга.ods» — none of it comes back as it came in."""
from __future__ import annotations

from service.filing.base import safe_name

FALLBACK = "книга"
LIMIT = 120


def upload_name(original: str | None, suffix: str) -> str:
    """«Книга МО.xlsx» for `original` «C:\\\\Users\\\\МО\\\\Книга МО.ods» stored as `suffix` «.xlsx»."""
    base = str(original or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, _extension = base.rpartition(".")
    if not dot:
        stem = base                                 # no extension at all
    return safe_name(stem, fallback=FALLBACK, limit=LIMIT) + suffix.lower()
