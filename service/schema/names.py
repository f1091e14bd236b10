"""People named across the workbook: «Иванова Мария Петровна», «Иванова М.П.»,
«Иванова М. П.», «М.П. Иванова» all mean the same member."""
from __future__ import annotations

import re
from dataclasses import dataclass

from service.schema.text import clean

_TOKENS = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)


def _fold(s: str) -> str:
    return s.casefold().replace("ё", "е")


@dataclass(frozen=True)
class NameKey:
    surname: str
    initials: str            # «мп» for Мария Петровна
    full: str                # every token, folded, single-spaced

    @classmethod
    def parse(cls, text: str) -> "NameKey | None":
        # «М.П.» must split into «М», «П»: dots separate tokens as spaces do.
        tokens = [_fold(t) for t in _TOKENS.findall(clean(text).replace(".", " "))]
        if not tokens:
            return None
        long = [t for t in tokens if len(t) > 1]
        if len(long) == 1:
            surname = long[0]
            initials = "".join(t for t in tokens if len(t) == 1)
        elif long:
            surname = tokens[0] if len(tokens[0]) > 1 else long[0]
            rest = [t for t in tokens if t != surname]
            initials = "".join(t[0] for t in rest)
        else:
            return None
        return cls(surname=surname, initials=initials, full=" ".join(tokens))


class NameIndex:
    """Finds members by any of the usual spellings of their name."""

    def __init__(self):
        self._by_full: dict[str, list[object]] = {}
        self._by_surname: dict[str, list[tuple[NameKey, object]]] = {}

    def add(self, name: str, item: object) -> None:
        k = NameKey.parse(name)
        if k is None:
            return
        self._by_full.setdefault(k.full, []).append(item)
        self._by_surname.setdefault(k.surname, []).append((k, item))

    def find(self, name: str) -> list[object]:
        """Every member the name may mean: [] unknown, [x] found, [x, y] ambiguous."""
        k = NameKey.parse(name)
        if k is None:
            return []
        exact = self._by_full.get(k.full)
        if exact:
            return list(exact)
        found = []
        for member_key, item in self._by_surname.get(k.surname, []):
            if k.initials and member_key.initials.startswith(k.initials):
                found.append(item)
            elif not k.initials and len(self._by_surname[k.surname]) == 1:
                found.append(item)
        return found
