"""Words moved into the middle of a sentence, and list items made into sentences.

An agenda question typed as a heading («Об итогах ГИА») continues a sentence after a
dash in a protocol («СЛУШАЛИ: Белову М.Н. — об итогах ГИА»); an organisation's name
typed in the nominative goes inside an order's text («состав муниципального
методического объединения…»).  Abbreviations and names keep their capitals.
"""
from __future__ import annotations

import re

_FIRST_WORD = re.compile(r"^([^\W\d_]+)")


def lower_first(text: str) -> str:
    """«Об итогах ГИА» → «об итогах ГИА»; «ГИА-9: итоги», «ВсОШ», «МБУ «Центр»» stay."""
    m = _FIRST_WORD.match(text)
    if not m:
        return text
    word = m.group(1)
    if word[0].isupper() and (len(word) == 1 or word[1:].islower()):
        return word[0].lower() + text[1:]
    return text


def as_sentence(item: str) -> str:
    """A list item typed with or without its capital and final stop, as a sentence:
    «обобщить опыт» → «Обобщить опыт.»; «…?», «…!», «…» and a closing quote or bracket
    after a stop stay."""
    item = item.strip()
    if not item:
        return item
    item = item[0].upper() + item[1:]
    if re.search(r"[.!?…][»\")]*$", item):
        return item
    return item + "."
