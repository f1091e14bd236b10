"""The one Jinja environment every document is rendered with.

Sandboxed, because heads may upload their own templates: `{{ lipsum.__globals__ }}`
must not reach the server.  Autoescaped, because values land inside XML: «Иванов &
Сын <b>» must come out exactly as typed.  Strict about undefined names, so a typo
in a template is a clear error rather than a silently empty field.  And bounded:
every call and loop step checks a time budget, string repetition is capped, and
the output size is limited (see `Budget`).
"""
from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from service.render.errors import RenderError
from service.russian.dates import date_numeric, date_quoted, date_words, month_name
from service.russian.declension import decline_name, decline_phrase
from service.russian.initials import initials_after, initials_before
from service.russian.plural import count, plural

MAX_RANGE = 10_000
MAX_STRING = 1_000_000


class Budget:
    """Time allowed for one render; checked from inside the template's own work."""

    def __init__(self, seconds: float):
        self.deadline = time.monotonic() + seconds
        self.seconds = seconds

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise RenderError("template.too_expensive",
                              f"Документ не сформирован за {self.seconds:g} с: шаблон слишком сложен.")


_NO_BUDGET = Budget(3600)


def _opt(fn):
    """Filters take None from empty cells and give an empty string back."""
    def wrapper(value, *args, **kwargs):
        if value is None or value == "":
            return ""
        return fn(value, *args, **kwargs)
    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


FILTERS = {
    "date": _opt(lambda v: date_numeric(_as_date(v))),              # 12.11.2024
    "date_words": _opt(lambda v: date_words(_as_date(v))),          # 12 ноября 2024 г.
    "date_quoted": _opt(lambda v: date_quoted(_as_date(v))),        # «12» ноября 2024 г.
    "month": _opt(lambda v, case="nomn": month_name(int(v), case)),
    "initials": _opt(initials_after),                               # Иванова М.П.
    "signature": _opt(initials_before),                             # М.П. Иванова
    "name_case": _opt(lambda v, case: decline_name(str(v), case)),  # Иванову Марию Петровну
    "phrase_case": _opt(lambda v, case: decline_phrase(str(v), case)),
    "capfirst": _opt(lambda v: str(v)[:1].upper() + str(v)[1:]),   # «МКУО» stays, unlike |capitalize
    "plural": lambda n, one, few, many: plural(int(n or 0), one, few, many),
    "count": lambda n, one, few, many: count(int(n or 0), one, few, many),
    "percent": lambda part, whole: f"{(100 * part / whole):.0f}%" if whole else "—",
}


class DocumentEnvironment(SandboxedEnvironment):
    """SandboxedEnvironment that also charges every call and range step to a budget."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self):
        super().__init__(autoescape=True, undefined=StrictUndefined, trim_blocks=False,
                         keep_trailing_newline=True)
        self.filters.update(FILTERS)
        self.globals.clear()                       # no lipsum, cycler, joiner, namespace, dict
        self.globals["range"] = self._range
        self._local = threading.local()            # one budget per rendering thread

    @property
    def budget(self) -> Budget:
        return getattr(self._local, "budget", _NO_BUDGET)

    @budget.setter
    def budget(self, value: Budget) -> None:
        self._local.budget = value

    def _range(self, *args: int):
        r = range(*args)
        if len(r) > MAX_RANGE:
            raise RenderError("template.too_expensive", f"В шаблоне слишком длинный цикл ({len(r)} шагов).")
        for i in r:
            self.budget.check()
            yield i

    def call(self, __context, __obj, *args, **kwargs):
        self.budget.check()
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context, operator, left, right):
        self.budget.check()
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > 64:
            raise RenderError("template.too_expensive", "В шаблоне слишком большое возведение в степень.")
        if operator == "*" and (isinstance(left, (str, list)) or isinstance(right, (str, list))):
            size = len(left) * right if isinstance(left, (str, list)) else len(right) * left
            if size > MAX_STRING:
                raise RenderError("template.too_expensive", "В шаблоне строится слишком длинная строка.")
        return super().call_binop(context, operator, left, right)


def make_environment() -> DocumentEnvironment:
    return DocumentEnvironment()
