"""Young and newly arrived specialists and the plan items for them (Здвинский разд. 6)."""
from __future__ import annotations

from service.domain.young import FOR_YOUNG, composition_day, items_for_young, newcomers
from service.schema.cells import SchoolYear
from service.schema.records import Info, Member, PlanItem, Workbook
from tests.domain import D

YEAR = SchoolYear(2024)


def m(name, joined=D(2024, 9, 1), experience=10) -> Member:
    return Member(row=2, full_name=name, joined=joined, experience=experience)


def test_young_by_experience_and_new_by_inclusion_after_the_composition_was_formed():
    members = [m("Алексеева", experience=0), m("Борисова", joined=D(2024, 11, 5)), m("Волкова"),
               m("Гусева", joined=D(2021, 9, 1)), m("Дмитриева", joined=None, experience=2)]
    assert composition_day(members, YEAR) == D(2024, 9, 1)
    assert [(n.member.full_name, n.why) for n in newcomers(members, YEAR)] == [
        ("Алексеева", "молодой специалист"),
        ("Борисова", "вновь прибывший (в составе с 05.11.2024)"),
        ("Дмитриева", "молодой специалист")]


def test_a_composition_formed_late_makes_nobody_new_by_itself():
    members = [m("Алексеева", joined=D(2024, 9, 20)), m("Борисова", joined=D(2024, 9, 20))]
    assert newcomers(members, YEAR) == []


def _wb(*items) -> Workbook:
    return Workbook("x", Info(), plan=[PlanItem(row=i + 2, number=i + 1, event=e, due=None, audience=a)
                                       for i, (e, a) in enumerate(items)])


def test_items_marked_for_them_and_only_those_when_the_column_is_used():
    wb = _wb(("Школа молодого педагога", None), ("Семинар", FOR_YOUNG), ("Консультации", "все члены МО"))
    assert [p.event for p in items_for_young(wb)] == ["Семинар"]


def test_without_the_column_the_names_tell():
    wb = _wb(("Наставничество", None), ("Открытые уроки молодых специалистов", None), ("Семинар", None),
             ("Встреча с вновь прибывшими педагогами", None))
    assert [p.event for p in items_for_young(wb)] == ["Наставничество", "Открытые уроки молодых специалистов",
                                                       "Встреча с вновь прибывшими педагогами"]
