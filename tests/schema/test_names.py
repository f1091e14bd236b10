"""Finding a member of «Состав» by the name written on another tab, as
secretaries write it: full, «Фамилия И.О.», «И.О. Фамилия», any case, «ё» or «е»."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.schema.names import NameIndex, NameKey

MEMBERS = [
    "Иванова Мария Петровна",
    "Ёлкина Ольга Викторовна",
    "Петрова Анна Ивановна",
    "Петрова Алла Игоревна",
    "Сидорова-Белая Нина Павловна",
    "Кузнецова Елена Сергеевна",
]


@pytest.fixture
def index():
    idx = NameIndex()
    for name in MEMBERS:
        idx.add(name, name)
    return idx


@pytest.mark.parametrize("written", [
    "Иванова Мария Петровна",
    "Иванова М.П.",
    "Иванова М. П.",
    "Иванова М.П",
    "М.П. Иванова",
    "М. П. Иванова",
    "иванова м.п.",
    "ИВАНОВА МАРИЯ ПЕТРОВНА",
    "  Иванова   Мария  Петровна ",
    "Иванова\u00a0М.П.",
    "Иванова М.П.,",
])
def test_a_member_found_by_every_usual_spelling(index, written):
    assert index.find(written) == ["Иванова Мария Петровна"]


@pytest.mark.parametrize("written", ["Елкина О.В.", "ёлкина о. в.", "Елкина Ольга Викторовна",
                                     "О.В. Ёлкина", "ЁЛКИНА О.В."])
def test_yo_and_ye_in_either_place(index, written):
    assert index.find(written) == ["Ёлкина Ольга Викторовна"]


def test_double_barrelled_surnames(index):
    assert index.find("Сидорова-Белая Н.П.") == ["Сидорова-Белая Нина Павловна"]
    assert index.find("Н.П. Сидорова-Белая") == ["Сидорова-Белая Нина Павловна"]


def test_two_members_with_the_same_surname_and_initials_are_both_returned(index):
    assert sorted(index.find("Петрова А.И.")) == ["Петрова Алла Игоревна", "Петрова Анна Ивановна"]
    assert sorted(index.find("А.И. Петрова")) == ["Петрова Алла Игоревна", "Петрова Анна Ивановна"]


def test_the_full_name_settles_an_ambiguity(index):
    assert index.find("Петрова Анна Ивановна") == ["Петрова Анна Ивановна"]
    assert index.find("Петрова Алла Игоревна") == ["Петрова Алла Игоревна"]


def test_a_surname_alone_finds_only_a_member_who_is_alone_with_it(index):
    assert index.find("Иванова") == ["Иванова Мария Петровна"]
    assert index.find("Петрова") == []


@pytest.mark.parametrize("written", ["Смирнова Т.Н.", "Иванова М.Н.", "Иванов М.П.", "", "   ", "—", "12345"])
def test_unknown_people_are_not_found(index, written):
    assert index.find(written) == []


def test_one_person_entered_twice_is_an_ambiguity_not_a_guess():
    idx = NameIndex()
    idx.add("Иванова Мария Петровна", 1)
    idx.add("Иванова Мария Петровна", 2)
    assert idx.find("Иванова М.П.") == [1, 2]


def test_empty_names_are_not_indexed():
    idx = NameIndex()
    idx.add("", "nobody")
    idx.add("  ", "nobody")
    assert idx.find("") == [] and idx.find("nobody") == []


def test_name_key_parts():
    k = NameKey.parse("М.П. Иванова")
    assert (k.surname, k.initials) == ("иванова", "мп")
    assert NameKey.parse("Иванова Мария Петровна").initials == "мп"
    assert NameKey.parse("") is None


SURNAMES = ["Иванова", "Кузнецова", "Смирнова", "Попова", "Соколова", "Лебедева", "Ёлкина", "Морозова"]
FIRST = ["Мария", "Ольга", "Елена", "Наталья", "Светлана", "Татьяна", "Ирина", "Анна"]
PATRONYMIC = ["Петровна", "Викторовна", "Сергеевна", "Ивановна", "Юрьевна", "Николаевна", "Фёдоровна"]


@given(st.sampled_from(SURNAMES), st.sampled_from(FIRST), st.sampled_from(PATRONYMIC),
       st.sampled_from(["{s} {i}.{o}.", "{s} {i}. {o}.", "{i}.{o}. {s}", "{s} {f} {p}", "{S} {I}.{O}."]),
       st.booleans())
def test_any_member_is_found_by_any_short_form(surname, first, patronymic, form, yo_as_ye):
    full = f"{surname} {first} {patronymic}"
    idx = NameIndex()
    idx.add(full, "member")
    idx.add("Другова Зинаида Львовна", "other")
    written = form.format(s=surname, f=first, p=patronymic, i=first[0], o=patronymic[0],
                          S=surname.upper(), I=first[0].lower(), O=patronymic[0].lower())
    if yo_as_ye:
        written = written.replace("ё", "е").replace("Ё", "Е")
    assert idx.find(written) == ["member"]
