"""Words moved into a sentence and list items made into sentences."""
from __future__ import annotations

import pytest

from service.russian.sentence import as_sentence, lower_first


@pytest.mark.parametrize("text, expected", [
    ("Об итогах ГИА", "об итогах ГИА"), ("О плане", "о плане"), ("ГИА-9: итоги", "ГИА-9: итоги"),
    ("ВсОШ: итоги", "ВсОШ: итоги"), ("МБУ «Центр»", "МБУ «Центр»"), ("«Учитель года»", "«Учитель года»"),
    ("Управление образования", "управление образования"), ("", ""),
])
def test_lower_first(text, expected):
    assert lower_first(text) == expected


@pytest.mark.parametrize("item, expected", [
    ("обобщить опыт", "Обобщить опыт."), ("Обобщить опыт.", "Обобщить опыт."), ("Как?", "Как?"),
    ("Провести «Неделю»", "Провести «Неделю»."), ("Провести (весной).", "Провести (весной)."), ("  ", ""),
])
def test_as_sentence(item, expected):
    assert as_sentence(item) == expected
