"""`key()`: «Ф.И.О.», «ф и о » and «ФИО» are one header, «Ёлкина» and «Елкина» one
name; but «+» and «-» stay apart, because in marks they mean present and absent."""
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.schema.layout import load_layout
from service.schema.text import clean, key

# Letters a header or a value is typed in; Cyrillic with «ё», Latin, digits.
LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя" + "abcdefghijklmnopqrstuvwxyz" + "0123456789"
words = st.text(alphabet=LETTERS, min_size=1, max_size=12)
phrases = st.lists(words, min_size=1, max_size=5).map(" ".join)
punctuation = st.sampled_from([".", ",", ":", ";", "!", "?", "*", "(", ")", "«", "»", "\"", "'", "/"])


@given(phrases)
def test_case_does_not_matter(text):
    assert key(text.upper()) == key(text) == key(text.lower()) == key(text.title())


@given(phrases, st.text(alphabet=" \t\u00a0", max_size=4), st.text(alphabet=" \t\u00a0", max_size=4),
       st.integers(min_value=1, max_value=4))
def test_spaces_around_and_inside_do_not_matter(text, before, after, width):
    assert key(before + text.replace(" ", " " * width) + after) == key(text)
    assert key(text.replace(" ", "")) == key(text)           # «ф и о» is «фио»
    assert key(text.replace(" ", "\u00a0")) == key(text)     # non-breaking spaces pasted from Word


@given(phrases)
def test_yo_and_ye_are_the_same_letter(text):
    assert key(text.replace("е", "ё")) == key(text.replace("ё", "е")) == key(text)
    assert key(text.replace("Е", "Ё").upper()) == key(text)


@given(phrases, punctuation)
def test_trailing_and_inner_punctuation_does_not_matter(text, mark):
    assert key(text + mark) == key(text)
    assert key(mark + text + mark) == key(text)
    assert key(mark.join(text.split(" ")) + mark) == key(text)   # «Ф.И.О.»


@given(phrases)
def test_decomposed_letters_from_macs_and_pdfs_match_composed_ones(text):
    # «й» and «ё» typed on a Mac or copied from a PDF may arrive as «и» + breve, «е» + diaeresis
    assert key(unicodedata.normalize("NFD", text)) == key(text)


@given(st.text(max_size=40))
def test_key_is_idempotent_and_never_fails(text):
    assert key(key(text)) == key(text)
    assert clean(clean(text)) == clean(text)


@pytest.mark.parametrize("a, b", [
    ("Ф.И.О.", "ФИО"),
    (" ф и о ", "ФИО"),
    ("ФИО:", "ФИО"),
    ("\u00a0ФИО\u200b", "ФИО"),
    ("Ёлкина", "елкина"),
    ("Пед. стаж", "педстаж"),
    ("Роль в МО", "роль в мо"),
    ("Педагог – методист", "педагог-методист"),    # en dash with spaces, as Word autocorrects
    ("педагог—методист", "педагог-методист"),       # em dash
])
def test_same_key(a, b):
    assert key(a) == key(b)


def test_none_is_empty_and_numbers_are_text():
    assert key(None) == ""
    assert key(12) == "12"


@pytest.mark.parametrize("mark", ["+", "-", "–", "—", "✓", "✔"])
def test_marks_survive_as_something_not_empty(mark):
    assert key(mark) != ""
    assert key(f" {mark} ") == key(mark)


def test_plus_and_minus_stay_different():
    assert key("+") == "+"
    assert key("-") == key("–") == key("—") == "-"
    assert key("+") != key("-")


def test_numero_sign_is_kept_so_numbers_of_things_stay_apart():
    assert key("№ заседания") != key("заседания")
    assert key("№ п/п") == key("№пп")


@pytest.mark.parametrize("typed, meaning", [
    ("+", "present"), (" + ", "present"), ("✓", "present"),
    ("-", "absent"), ("–", "absent"), ("—", "absent"), ("н", "absent"),
    ("у", "excused"),
])
def test_attendance_marks_keep_their_meaning(typed, meaning):
    assert load_layout().enums["mark"].read(typed) == meaning


@pytest.mark.parametrize("typed, meaning", [("+", "выполнено"), ("-", "не выполнено"), ("—", "не выполнено")])
def test_plan_marks_keep_their_meaning(typed, meaning):
    assert load_layout().enums["plan_mark"].read(typed) == meaning


def test_hyphen_inside_a_value_keeps_meaning():
    assert key("педагог-методист") != key("педагог наставник")
    assert load_layout().enums["category"].read("ПЕДАГОГ-НАСТАВНИК") == "педагог-наставник"
