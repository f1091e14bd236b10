import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.russian.initials import initials_after, initials_before, split_name


@pytest.mark.parametrize("name, after, before", [
    ("Иванова Мария Петровна", "Иванова М.П.", "М.П. Иванова"),
    ("Кузнецов Олег Викторович", "Кузнецов О.В.", "О.В. Кузнецов"),
    ("Ёлкина Юлия Эдуардовна", "Ёлкина Ю.Э.", "Ю.Э. Ёлкина"),
    # hyphenated first name: both parts, joined as in the name
    ("Смирнова Анна-Мария Игоревна", "Смирнова А.-М.И.", "А.-М.И. Смирнова"),
    # hyphenated surname stays whole
    ("Петрова-Водкина Ольга Ивановна", "Петрова-Водкина О.И.", "О.И. Петрова-Водкина"),
    # no patronymic
    ("Смит Джон", "Смит Д.", "Д. Смит"),
    ("Иванова Мария", "Иванова М.", "М. Иванова"),
    # surname only
    ("Иванова", "Иванова", "Иванова"),
    # extra spaces, tabs
    ("  Иванова   Мария\tПетровна ", "Иванова М.П.", "М.П. Иванова"),
    # Turkic patronymic: «оглы»/«кызы» get no initial
    ("Алиев Рашид Мамед оглы", "Алиев Р.М.", "Р.М. Алиев"),
    ("Мамедова Арзу Лутфияр кызы", "Мамедова А.Л.", "А.Л. Мамедова"),
    # a non-Slavic name of three words: still two initials
    ("Ли Мин Хо", "Ли М.Х.", "М.Х. Ли"),
    ("О Ён Су", "О Ё.С.", "Ё.С. О"),
    # lowercase typing slip
    ("иванова мария петровна", "Иванова М.П.", "М.П. Иванова"),
    # a surname typed in capitals on purpose is kept
    ("ИВАНОВА Мария Петровна", "ИВАНОВА М.П.", "М.П. ИВАНОВА"),
])
def test_full_names(name, after, before):
    assert initials_after(name) == after
    assert initials_before(name) == before


@pytest.mark.parametrize("typed", [
    "Иванова М.П.",
    "Иванова М. П.",
    "Иванова  М.П. ",
    "М.П. Иванова",
    "М. П. Иванова",
    "Иванова м.п.",
    "Иванова Мария П.",
])
def test_already_abbreviated_names_come_out_the_same(typed):
    assert initials_after(typed) == "Иванова М.П."
    assert initials_before(typed) == "М.П. Иванова"


def test_abbreviated_hyphenated_first_name_is_kept():
    assert initials_after("Смирнова А.-М.И.") == "Смирнова А.-М.И."
    assert initials_before("А.-М. И. Смирнова") == "А.-М.И. Смирнова"


def test_empty_name_gives_empty_string():
    assert initials_after("") == ""
    assert initials_before("   ") == ""


def test_split_name_reads_both_orders():
    assert split_name("Иванова Мария Петровна") == ("Иванова", ("Мария", "Петровна"))
    assert split_name("М.П. Иванова") == ("Иванова", ("М.П.",))


# --- properties ------------------------------------------------------------------

_UPPER = "АБВГДЕЁЖЗИКЛМНОПРСТУФХЦЧШЩЭЮЯ"
_LOWER = "абвгдеёжзийклмнопрстуфхцчшщыьэюя"
word = st.builds(lambda first, rest: first + rest,
                 st.sampled_from(_UPPER), st.text(_LOWER, min_size=1, max_size=10))
hyphenated = st.one_of(word, st.builds(lambda a, b: f"{a}-{b}", word, word))
space = st.sampled_from([" ", "  ", "\t", " \u00a0"])


@st.composite
def full_names(draw):
    surname = draw(hyphenated)
    given_names = draw(st.lists(hyphenated, max_size=2))
    gaps = [draw(space) for _ in given_names]
    return surname, draw(space).lstrip() + surname + "".join(g + n for g, n in zip(gaps, given_names))


@given(full_names())
def test_lists_start_with_the_surname(case):
    surname, name = case
    out = initials_after(name)
    assert out == surname or out.startswith(surname + " ")


@given(full_names())
def test_signatures_end_with_the_surname(case):
    surname, name = case
    out = initials_before(name)
    assert out == surname or out.endswith(" " + surname)


@given(full_names())
def test_both_orders_hold_the_same_initials(case):
    surname, name = case
    after = initials_after(name)[len(surname):].strip()
    before = initials_before(name)[:-len(surname)].strip()
    assert after == before
    assert " " not in after


@given(full_names())
def test_abbreviating_twice_changes_nothing(case):
    _, name = case
    after, before = initials_after(name), initials_before(name)
    assert initials_after(after) == after
    assert initials_before(before) == before
    assert initials_after(before) == after
    assert initials_before(after) == before
