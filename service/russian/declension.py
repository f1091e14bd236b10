"""Names and positions in the grammatical case an order's sentence needs.

Orders are built from fixed verbs with fixed government (REFERENCE.md):
«назначить кого (accs) кем (ablt)», «возложить на кого (accs)», «поручить
кому (datv)».  The template knows the case; these functions supply the words.

Names go through pytrovich (the petrovich rules: a surname is not a common
noun, «Шевчук» declines for a man and not for a woman, «Черных» never does).
Positions go through pymorphy3, because they are ordinary noun phrases.

Case names are pymorphy3's tags: "nomn", "gent", "datv", "accs", "ablt", "loct".
"""
from __future__ import annotations

import functools
import re

from service.russian.initials import PATRONYMIC_PARTICLES, is_initials, split_name

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")

_GENDER_ALIASES = {
    "masc": "masc", "m": "masc", "male": "masc", "м": "masc", "муж": "masc",
    "femn": "femn", "f": "femn", "female": "femn", "ж": "femn", "жен": "femn",
}


def _check_case(case: str) -> str:
    if case not in CASES:
        raise ValueError(f"case must be one of {', '.join(CASES)}; got {case!r}")
    return case


# --- lazy singletons -----------------------------------------------------------
# pymorphy3's analyser opens a 16 MB dictionary and takes 50-200 ms to build;
# one per call would turn the orders of a 200-member association into half a
# minute of work.  pytrovich caches its parsed rule files itself, so holding one
# maker here only saves the constructor.  Neither is built at import: most CLI
# commands never decline anything.

@functools.cache
def _morph():
    import pymorphy3
    return pymorphy3.MorphAnalyzer()


@functools.cache
def _petrovich():
    from pytrovich import PetrovichDeclinationMaker, PetrovichGenderDetector
    return PetrovichDeclinationMaker(), PetrovichGenderDetector()


@functools.cache
def _pt_case(case: str):
    from pytrovich.enums import Case
    return {"gent": Case.GENITIVE, "datv": Case.DATIVE, "accs": Case.ACCUSATIVE,
            "ablt": Case.INSTRUMENTAL, "loct": Case.PREPOSITIONAL}[case]


# --- names ---------------------------------------------------------------------

_FEMALE_PATRONYMIC = ("вна", "чна", "кызы", "гызы", "қызы")
_MALE_PATRONYMIC = ("вич", "ич", "оглы", "оглу", "улы", "уулу")


def _patronymic_gender(given: tuple[str, ...]) -> str | None:
    words = [w.lower() for w in given if not is_initials(w)]
    if len(words) < 2:
        return None
    tail = words[-1]
    if tail.endswith(_FEMALE_PATRONYMIC):
        return "femn"
    if tail.endswith(_MALE_PATRONYMIC):
        return "masc"
    return None


def name_gender(full_name: str) -> str | None:
    """"masc", "femn" or None when the name does not tell (a surname with
    initials only, «Ким Саша»).

    The patronymic decides when there is one — it is gendered by construction;
    otherwise petrovich's first-name and surname rules, then pymorphy3's
    dictionary of first names."""
    from pytrovich.enums import Gender

    parts = split_name(full_name)
    if not parts.surname:
        return None
    by_patronymic = _patronymic_gender(parts.given)
    if by_patronymic:
        return by_patronymic
    words = [w for w in parts.given if not is_initials(w)]
    first = words[0] if words else None
    detected = _petrovich()[1].detect(firstname=first, lastname=parts.surname)
    if detected is Gender.MALE:
        return "masc"
    if detected is Gender.FEMALE:
        return "femn"
    if first:
        genders = {p.tag.gender for p in _morph().parse(first) if "Name" in p.tag}
        if len(genders) == 1 and genders <= {"masc", "femn"}:
            return genders.pop()
    return None


def _soft_sign_feminine(name: str, case: str) -> str:
    # petrovich leaves female first names in -ь it has no exception for
    # (Айгуль, Адель, Ассоль) unchanged; the norm declines them like «Нинель»
    # (third declension): Айгули, Айгуль, Айгулью.
    stem = name[:-1]
    return {"gent": stem + "и", "datv": stem + "и", "loct": stem + "и",
            "accs": name, "ablt": stem + "ью"}[case]


def _make(part, gender, case: str, word: str, known: bool) -> str:
    maker = _petrovich()[0]
    if word.isupper() and len(word) > 1:
        # petrovich appends lowercase endings: ИВАНОВА -> ИВАНОВой.
        return maker.make(part, gender, _pt_case(case), word.capitalize(), known).upper()
    return maker.make(part, gender, _pt_case(case), word, known)


@functools.lru_cache(maxsize=4096)
def _decline_name(full_name: str, case: str, gender: str | None) -> str:
    from pytrovich.enums import Gender, NamePart

    parts = split_name(full_name)
    known = gender is not None or _patronymic_gender(parts.given) is not None
    gender = gender or name_gender(full_name)
    pt_gender = {"masc": Gender.MALE, "femn": Gender.FEMALE}.get(gender, Gender.ANDROGYNOUS)

    surname = _make(NamePart.LASTNAME, pt_gender, case, parts.surname, known)

    words = list(parts.given)
    spelled = [i for i, w in enumerate(words) if not is_initials(w)]
    first_i = spelled[0] if spelled else None
    given: list[str] = []
    for i, word in enumerate(words):
        if i == first_i:
            out = _make(NamePart.FIRSTNAME, pt_gender, case, word, known)
            if out == word and gender == "femn" and word.lower().endswith("ь"):
                out = _soft_sign_feminine(word, case)
            given.append(out)
        elif i in spelled and i == len(words) - 1 and word.lower() not in PATRONYMIC_PARTICLES:
            given.append(_make(NamePart.MIDDLENAME, pt_gender, case, word, known))
        else:
            # Initials; «Мамед» in «Мамед оглы», which is the father's name in
            # the nominative and never declines; the particle itself.
            given.append(word)
    if parts.given and is_initials(full_name.split()[0]):
        return " ".join([*given, surname])
    return " ".join([surname, *given])


def decline_name(full_name: str, case: str, gender: str | None = None) -> str:
    """«Иванова Мария Петровна» -> «Иванову Марию Петровну» (accs).

    The name is read surname first, as in the association's member list;
    «Иванова М.П.» and «М.П. Иванова» decline the surname and keep the
    initials.  `gender` ("masc"/"femn", also "м"/"ж") overrides detection —
    needed when neither patronymic nor first name tells, because a surname
    like «Шевчук» declines for a man and not for a woman.  Surnames that do
    not decline (Дурново, Гюго, Черных, Седых, a woman's Шевчук) are returned
    unchanged.  Extra spaces are collapsed.

    Results are memoised: the same teacher appears in many documents."""
    _check_case(case)
    if gender is not None:
        try:
            gender = _GENDER_ALIASES[gender.strip().lower()]
        except KeyError:
            raise ValueError(f"gender must be 'masc' or 'femn', not {gender!r}") from None
    normalized = " ".join(full_name.split())
    if not normalized or case == "nomn":
        return normalized
    return _decline_name(normalized, case, gender)


# --- positions -----------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_CYRILLIC = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*")
# First halves of compound titles that never decline: «пресс-секретарём»,
# «вице-президентом», «генерал-майором», «шеф-поваром».
_FROZEN_PREFIXES = frozenset({"вице", "экс", "пресс", "обер", "унтер", "штаб", "лейб", "контр",
                              "генерал", "шеф", "премьер", "мастер", "топ"})
_ADJ = {"ADJF", "PRTF"}


def _agrees(a, b) -> bool:
    """Two nominative parses can stand in one noun group: same number and, in
    the singular, same gender («старшая вожатая», not «старший вожатая»)."""
    if a.tag.number != b.tag.number:
        return False
    if a.tag.number == "plur":
        return True
    if "ms-f" in a.tag or "ms-f" in b.tag:    # common gender: «коллега», «судья»
        return True
    ga, gb = a.tag.gender, b.tag.gender
    return ga is None or gb is None or ga == gb


def _nominative_parses(word: str):
    # A hyphenated word is analysed by its last part («педагог-психолог» is a
    # «психолог»): pymorphy3's guesses for the whole compound pick an
    # inanimate or half-declined reading about half the time.
    last = word.lower().rsplit("-", 1)[-1]
    return [p for p in _morph().parse(last) if "nomn" in p.tag]


def _match_case(template: str, word: str) -> str:
    if len(template) > 1 and template.isupper():
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _inflect_part(parse, grammemes: set[str]) -> str | None:
    form = parse.inflect(grammemes)
    return form.word if form else None


def _inflect_word(word: str, parse, case: str, head) -> str:
    """Inflect one word of the noun group; the hyphenated parts that are
    themselves person nouns («педагог-психолог») decline too."""
    grammemes = {case}
    if case == "accs" and (head.tag.number == "plur" or head.tag.gender == "masc"):
        if parse.tag.POS == "NOUN" and "anim" not in parse.tag:
            # No animate reading in the dictionary (a rare or new title):
            # the animate accusative of such a noun is its genitive.
            grammemes = {"gent"}
        elif parse.tag.POS != "NOUN":
            grammemes.add("anim")
    parts = word.split("-")
    out_parts = []
    for i, part in enumerate(parts):
        if i == len(parts) - 1:
            form = _inflect_part(parse, grammemes)
            if form is not None and "-" in form:
                form = form.rsplit("-", 1)[-1]
        elif part.lower() in _FROZEN_PREFIXES:
            form = None
        else:
            # A leading part declines only if it is a person noun agreeing
            # with the last: «учителем-логопедом», but «пресс-секретарём».
            candidates = [p for p in _morph().parse(part.lower())
                          if p.tag.POS == "NOUN" and "nomn" in p.tag and "anim" in p.tag
                          and _agrees(p, parse)]
            form = _inflect_part(candidates[0], {case}) if candidates else None
        out_parts.append(_match_case(part, form) if form else part)
    return "-".join(out_parts)


def decline_phrase(phrase: str, case: str) -> str:
    """A position or role in the nominative, put into `case`:
    «учитель математики» -> «учителем математики» (ablt).

    Only the first noun group declines — the head noun and the adjectives
    agreeing with it in front of it («социальному педагогу»).  What follows is
    a dependent genitive or a prepositional phrase («математики», «по УВР»),
    an abbreviation, a number or a quoted name, and stays as written.  A group
    with no noun («заведующий библиотекой», «исполняющий обязанности») declines
    its participle.  Capitalisation of every word is kept.

    Positions are people, so the accusative of a masculine or plural head is
    the animate one («назначить учителя», «назначить тьютора»).

    Memoised like decline_name: an association has a dozen distinct positions."""
    _check_case(case)
    if case == "nomn" or not phrase.strip():
        return phrase
    return _decline_phrase(phrase, case)


@functools.lru_cache(maxsize=4096)
def _decline_phrase(phrase: str, case: str) -> str:
    pieces = _WORD.split(phrase)           # separators, between them the words
    words = _WORD.findall(phrase)
    all_caps = phrase.upper() == phrase

    chain: list[tuple[int, list]] = []     # candidate adjectives, in order
    head: tuple[int, list] | None = None   # last word that can be the head noun
    for k, word in enumerate(words):
        if k > 0 and pieces[k].strip():
            break                          # punctuation, a number, a quote
        if not _CYRILLIC.fullmatch(word):
            break
        if len(word) > 1 and word.isupper() and not all_caps:
            break                          # an abbreviation: МБОУ, СОШ, УВР
        parses = _nominative_parses(word)
        prev = chain[-1][1] if chain else None
        nouns = [p for p in parses if p.tag.POS == "NOUN"
                 and (prev is None or any(_agrees(a, p) for a in prev))]
        adjs = [p for p in parses if p.tag.POS in _ADJ
                and (prev is None or any(_agrees(a, p) for a in prev))]
        if nouns:
            head = (k, nouns)
        if adjs:
            chain.append((k, adjs))
            continue
        if not nouns and not chain and any(p.tag.POS == "ADVB" for p in _morph().parse(word.lower())):
            continue                        # «временно исполняющий обязанности»
        break

    if head is None:
        if not chain:
            return phrase
        k, adj_parses = chain[-1]
        head = (k, adj_parses)              # a participle or adjective used as a noun
    head_k, head_parses = head
    anim = [p for p in head_parses if "anim" in p.tag]
    head_parse = (anim or head_parses)[0]

    out = list(words)
    out[head_k] = _inflect_word(words[head_k], head_parse, case, head_parse)
    for k, adj_parses in chain:
        if k >= head_k:
            break
        agreeing = [p for p in adj_parses if _agrees(p, head_parse)] or adj_parses
        out[k] = _inflect_word(words[k], agreeing[0], case, head_parse)

    result = [pieces[0]]
    for word, sep in zip(out, pieces[1:]):
        result.extend((word, sep))
    return "".join(result)
