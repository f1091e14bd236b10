"""Every value a request brings is checked by type and size before anything uses it.

A JSON body is read under its own small limit, its nesting depth is measured on the
raw bytes before the parser recurses into it, and text with lone surrogates (valid
JSON, invalid Unicode) is refused; then each field is read by its declared type.
Whatever the client sends, the answer is 400 (or 413, 415) with one Russian sentence
naming the field — never a 500.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from itertools import accumulate
from typing import Any

from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

from service.web.errors import ApiError

MAX_JSON_BYTES = 64 * 1024          # a document request is a few dozen bytes
MAX_DEPTH = 32
MAX_TEXT = 1000                     # characters of any one string field
_ESCAPES = re.compile(rb"\\.", re.S)
_NOT_SHAPE = bytes(b for b in range(256) if b not in b'[]{}"')
_QUOTED = re.compile(rb'"[^"]*"')
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1, ord('"'): 0}     # a quote left unpaired: not JSON
# in a UTF-8 body a lone surrogate can only come as an escape («\ud800») or as its UTF-8 bytes,
# which json decodes with «surrogatepass»: a body holding neither needs no walk through every string
_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]|\xed[\xa0-\xbf]")


def invalid(message: str, field: str | None = None) -> ApiError:
    return ApiError(400, "request.invalid", message, {"field": field} if field else None)


def json_object(required: bool = True, max_bytes: int = MAX_JSON_BYTES, too_large: ApiError | None = None) -> dict:
    """The request's JSON object (an empty one when `required` is False and no body came).
    A body over `max_bytes` is refused with `too_large` (413 `request.too_large` by default);
    the reading stops there (werkzeug's limit), so a huge body is never held whole."""
    too_large = too_large or ApiError(413, "request.too_large", f"Тело запроса больше {max_bytes // 1024} КБ.")
    if request.content_length is not None and request.content_length > max_bytes:
        raise too_large
    request.max_content_length = max_bytes
    try:
        raw = request.get_data(cache=True)
    except RequestEntityTooLarge:
        raise too_large
    if not raw.strip() and not required:
        return {}
    if len(raw) > max_bytes:
        raise too_large
    if _depth(raw) > MAX_DEPTH:
        raise invalid(f"JSON вложен глубже {MAX_DEPTH} уровней.")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise invalid("Тело запроса — не JSON.")
    if not isinstance(data, dict):
        raise invalid("Тело запроса должно быть JSON-объектом.")
    if json.detect_encoding(raw) not in ("utf-8", "utf-8-sig") or _SURROGATE.search(raw):
        _require_unicode(data)
    return data


def _depth(raw: bytes) -> int:
    """How deep the JSON nests, on its bytes: escapes dropped (an escaped quote or bracket is
    none), then everything but brackets and quotes, then what is quoted; what is left are the
    brackets, counted at C speed (a 100 KB sheet from the add-on in under a millisecond)."""
    shape = _QUOTED.sub(b"", _ESCAPES.sub(b"", raw).translate(None, _NOT_SHAPE))
    return max(accumulate(map(_STEP.__getitem__, shape)), default=0)


def _require_unicode(value: Any) -> None:
    """JSON may carry «\\ud800» (half of a surrogate pair), which no database can store."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise invalid("В тексте запроса недопустимые символы (одиночный суррогат Unicode).")
    elif isinstance(value, dict):
        for k, v in value.items():
            _require_unicode(k)
            _require_unicode(v)
    elif isinstance(value, list):
        for v in value:
            _require_unicode(v)


# ---------------------------------------------------------------- fields

def text(params: dict, name: str, *, max_length: int = MAX_TEXT, required: bool = False) -> str | None:
    value = params.get(name)
    if value is None or value == "":
        if required:
            raise invalid(f"Укажите «{name}».", name)
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)                                # a number typed where text is expected: «45-ОД» or 45
    if not isinstance(value, str):
        raise invalid(f"«{name}» должно быть строкой.", name)
    _require_unicode(value)
    value = value.strip()
    if len(value) > max_length:
        raise invalid(f"«{name}» длиннее {max_length} символов.", name)
    return value or None


def positive_int(params: dict, name: str, *, maximum: int = 100_000) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise invalid(f"«{name}» должно быть целым числом.", name)
    if isinstance(value, str):
        if len(value) > 20 or not value.strip().lstrip("+-").isdigit():
            raise invalid(f"«{name}» должно быть целым числом.", name)
    elif not isinstance(value, (int, float)):
        raise invalid(f"«{name}» должно быть целым числом.", name)
    n = int(value)
    if n < 1:
        raise invalid(f"«{name}» должно быть положительным.", name)
    if n > maximum:
        raise invalid(f"«{name}» не может быть больше {maximum}.", name)
    return n


def flag(params: dict, name: str) -> bool:
    value = params.get(name)
    if value is None or value is False or value == "":
        return False
    if value is True:
        return True
    if isinstance(value, str) and len(value) <= 10:
        return value.strip().lower() in ("1", "true", "on", "yes", "да")
    if isinstance(value, int) and not isinstance(value, bool):
        return value == 1
    raise invalid(f"«{name}» должно быть true или false.", name)


def iso_date(params: dict, name: str) -> dt.date | None:
    if params.get(name) not in (None, "") and not isinstance(params.get(name), str):
        raise invalid("Дата должна быть в виде ГГГГ-ММ-ДД.", name)
    value = text(params, name, max_length=10)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise invalid("Дата должна быть в виде ГГГГ-ММ-ДД.", name)


def choice(params: dict, name: str, choices, message: str) -> str:
    value = params.get(name)
    if not isinstance(value, str) or value not in choices:
        raise invalid(message, name)
    return value
