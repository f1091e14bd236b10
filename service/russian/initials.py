"""Surname with initials, in the two orders office documents use.

Lists, attendance sheets and the «Присутствовали» block of a protocol put the
surname first («Иванова М.П.») so that people sort and are found by surname; a
signature line puts the initials first («М.П. Иванова»), ГОСТ Р 7.0.97.

Spreadsheets are typed by hand, so the same teacher arrives as «Иванова Мария
Петровна», «Иванова  М. П.» or «М.П. Иванова»; every form must give the same
result, or a protocol lists one person two ways.
"""
from __future__ import annotations

import re
from typing import NamedTuple

# Words that end a Turkic patronymic («Рашид Мамед оглы»).  They belong to the
# patronymic, not to the person's given names, so they get no initial.
PATRONYMIC_PARTICLES = frozenset({"оглы", "оглу", "улы", "уулу", "кызы", "гызы", "қызы"})

_INITIAL_UNIT = re.compile(r"(-?)([^\W\d_]+)\.?")


class NameParts(NamedTuple):
    """A name split into the surname and what follows it; `given` holds full
    words («Мария», «Петровна») or initials exactly as typed («М.П.»)."""
    surname: str
    given: tuple[str, ...]


def is_initials(token: str) -> bool:
    """«М.», «М.П.», «А.-М.»: a token that abbreviates a given name.  The dot
    is required — a one-letter word may be a real name (the Korean surname
    «О»), and «Иванова М П» still comes out right, each letter being taken
    as a one-letter given name."""
    return "." in token


def split_name(full_name: str) -> NameParts:
    """Surname-first is the office order («Фамилия Имя Отчество»); the
    signature order «М.П. Иванова» is recognised by its leading initials."""
    tokens = full_name.split()
    if not tokens:
        return NameParts("", ())
    if is_initials(tokens[0]):
        rest = [i for i, t in enumerate(tokens) if not is_initials(t)]
        if rest:
            k = rest[0]
            return NameParts(tokens[k], tuple(tokens[:k] + tokens[k + 1:]))
    return NameParts(tokens[0], tuple(tokens[1:]))


def _initial_groups(token: str) -> list[list[str]]:
    """Each group is one given name; a hyphenated name is one group of
    several letters, so «Анна-Мария» and «А.-М.» both become [["А", "М"]]."""
    if is_initials(token):
        groups: list[list[str]] = []
        for hyphen, letters in _INITIAL_UNIT.findall(token):
            letters = letters[0].upper() + letters[1:]      # keep «Дж.» as typed
            if hyphen and groups:
                groups[-1].append(letters)
            else:
                groups.append([letters])
        return groups
    return [[part[0].upper() for part in token.split("-") if part]]


def _initials(given: tuple[str, ...]) -> str:
    groups: list[list[str]] = []
    for token in given:
        if token.lower() in PATRONYMIC_PARTICLES:
            continue
        groups.extend(g for g in _initial_groups(token) if g)
    # First name and patronymic only: a third given word is the tail of a
    # compound patronymic («Мамед оглы») or a typo, never a third initial.
    return "".join(".-".join(g) + "." for g in groups[:2])


def _tidy_surname(surname: str) -> str:
    # An all-lowercase surname is a typing slip; «ИВАНОВА» may be deliberate
    # (some schools capitalise surnames in lists), so it is kept.
    if surname.islower():
        return "-".join(p[:1].upper() + p[1:] for p in surname.split("-"))
    return surname


def initials_after(full_name: str) -> str:
    """«Иванова М.П.» — for lists and the attendance block of a protocol."""
    parts = split_name(full_name)
    surname, initials = _tidy_surname(parts.surname), _initials(parts.given)
    return f"{surname} {initials}" if initials else surname


def initials_before(full_name: str) -> str:
    """«М.П. Иванова» — for signature lines and approval stamps."""
    parts = split_name(full_name)
    surname, initials = _tidy_surname(parts.surname), _initials(parts.given)
    return f"{initials} {surname}" if initials else surname
