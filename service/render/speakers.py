"""Who was heard on an agenda question («Слушали»), as the register names them.

Registers name speakers in the nominative, the way lists are kept («Иванова М.П.,
руководитель ММО»), while a protocol's «СЛУШАЛИ:» takes the accusative («Иванову
М.П., руководителя ММО»).  A name that matches exactly one member is declined with
that member's gender, and the position right after it with it; anything else — a
name already in the accusative, a guest, «представитель ИПК» — stays as typed,
because a wrong case is worse than the person's own wording.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from service.russian.declension import decline_name, decline_phrase, name_gender
from service.russian.initials import initials_after
from service.schema.names import NameIndex
from service.schema.records import Member

_SEPARATORS = re.compile(r"(\s*[,;]\s*)")
_INITIALS = re.compile(r"\b[А-ЯЁ]\.\s?[А-ЯЁ]\.")


@dataclass(frozen=True)
class Part:
    text: str                 # as typed
    member: Member | None     # the one member it names, if any
    case: str = "nomn"        # how it names them: "nomn" («Гусев А.В.») or "accs" («Гусева А.В.»)


class Names:
    """Members by their names in the nominative (as lists are kept) and in the accusative
    (as protocols are typed), so «Гусева А.В.» is found as Гусев in the accusative.
    Built once per document: every agenda item is read against the same members."""

    def __init__(self, members: list[Member]):
        self.nominative, self.accusative = NameIndex(), NameIndex()
        for m in members:
            self.nominative.add(m.full_name, m)
            gender = name_gender(m.full_name)
            for form in {m.full_name, initials_after(m.full_name)}:
                self.accusative.add(decline_name(form, "accs", gender), m)

    def find(self, text: str) -> tuple[Member | None, str]:
        """The one member `text` names and in which case; a text that could be one
        member in the nominative and another in the accusative names nobody."""
        nomn = {id(m): m for m in self.nominative.find(text)}
        accs = {id(m): m for m in self.accusative.find(text)}
        if len(nomn) == 1 and (not accs or accs.keys() == nomn.keys()):
            return next(iter(nomn.values())), "nomn"
        if len(accs) == 1 and not nomn:
            return next(iter(accs.values())), "accs"
        return None, "nomn"


def _looks_like_a_name(text: str) -> bool:
    words = text.split()
    return bool(_INITIALS.search(text)) or (1 < len(words) <= 3 and all(w[:1].isupper() for w in words))


def _names(members: list[Member] | Names) -> Names:
    return members if isinstance(members, Names) else Names(members)


def parts(text: str, members: list[Member] | Names) -> list[Part | str]:
    """The «Слушали» text split into names and positions (`Part`) and the separators
    between them (str), so that joining everything gives the text back."""
    names = _names(members)
    out: list[Part | str] = []
    for piece in _SEPARATORS.split(text.strip()):
        if _SEPARATORS.fullmatch(piece) or not piece:
            out.append(piece)
            continue
        if _looks_like_a_name(piece) or (len(piece.split()) == 1 and piece[:1].isupper()):
            member, case = names.find(piece)
            out.append(Part(piece, member, case))
        else:
            out.append(Part(piece, None))
    return out


def accusative(text: str, members: list[Member] | Names) -> str:
    """«Иванова М.П., руководитель ММО» → «Иванову М.П., руководителя ММО»."""
    out, after_name = [], False
    for p in parts(text, members):
        if isinstance(p, str):
            out.append(p)
            continue
        if p.member is not None:
            nominative = p.case == "nomn"
            out.append(decline_name(p.text, "accs", name_gender(p.member.full_name)) if nominative else p.text)
            after_name = True
        elif after_name and p.text[:1].islower():
            out.append(decline_phrase(p.text, "accs"))          # the declined name's position
        else:
            out.append(p.text)
            after_name = False
    return "".join(out)


def ends_with_apposition(text: str) -> bool:
    """«Белову М.Н., руководителя ММО» ends with a position set off by commas, so a dash
    after it needs the closing comma: «…, руководителя ММО, — об итогах»."""
    pieces = [p for p in _SEPARATORS.split(text.strip()) if p and not _SEPARATORS.fullmatch(p)]
    return len(pieces) > 1 and pieces[-1][:1].islower()


def named_members(text: str, members: list[Member] | Names) -> list[str]:
    """The members a «Слушали» cell names, as «Фамилия И.О.», in order, once each."""
    seen, out = set(), []
    for p in parts(text, members):
        if isinstance(p, Part) and p.member is not None and id(p.member) not in seen:
            seen.add(id(p.member))
            out.append(initials_after(p.member.full_name))
    return out
