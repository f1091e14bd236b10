"""«Слушали» as registers type it, put into the accusative a protocol needs."""
from __future__ import annotations

import pytest

from service.render.speakers import accusative, ends_with_apposition, named_members
from service.schema.records import Member

MEMBERS = [Member(row=i, full_name=n) for i, n in enumerate(
    ["Белова Марина Николаевна", "Гусев Андрей Викторович", "Ёлкина Ольга Сергеевна", "Шевчук Анна Олеговна"])]


@pytest.mark.parametrize("typed, expected", [
    ("Белова М.Н.", "Белову М.Н."),
    ("Белова Марина Николаевна", "Белову Марину Николаевну"),
    ("Белова М.Н., руководитель ММО", "Белову М.Н., руководителя ММО"),
    ("Гусев А.В.", "Гусева А.В."),                                  # a man's surname
    ("Шевчук А.О.", "Шевчук А.О."),                                 # a woman's Шевчук does not decline
    ("Елкина О.С.", "Елкину О.С."),                                 # «е» for «ё», kept as typed
    ("Белова М.Н.; Гусев А.В.", "Белову М.Н.; Гусева А.В."),
    ("Белову М.Н., руководителя ММО", "Белову М.Н., руководителя ММО"),   # already accusative
    ("Гусева А.В.", "Гусева А.В."),                                 # Гусев in the accusative
    ("Белову М.Н., руководитель ММО", "Белову М.Н., руководителя ММО"),
    ("Петров П.П., методист ИПК", "Петров П.П., методист ИПК"),       # not a member: as typed
    ("представитель управления образования", "представитель управления образования"),
])
def test_accusative(typed, expected):
    assert accusative(typed, MEMBERS) == expected


def test_a_name_that_is_one_member_in_the_nominative_and_another_in_the_accusative_stays():
    members = MEMBERS + [Member(row=9, full_name="Гусева Алла Викторовна")]
    assert accusative("Гусева А.В.", members) == "Гусева А.В."


@pytest.mark.parametrize("heard, comma", [("Белову М.Н., руководителя ММО", True), ("Белову М.Н.", False),
                                          ("Белову М.Н., Гусева А.В.", False), ("", False)])
def test_a_position_after_the_name_needs_its_closing_comma_before_a_dash(heard, comma):
    assert ends_with_apposition(heard) is comma


def test_named_members_in_either_case_once_each():
    assert named_members("Белову М.Н., руководителя ММО; Гусев А.В., Белова М.Н.", MEMBERS) == [
        "Белова М.Н.", "Гусев А.В."]
