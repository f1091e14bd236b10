"""Terms of the next mandatory attestation: five years for a category granted before
1 September 2023, none for one granted since, five years for СЗД."""
from __future__ import annotations

from service.domain import attestation_plan as plan
from service.schema.cells import SchoolYear
from service.schema.records import Member
from tests.domain import D

YEAR = SchoolYear(2024)


def member(name="Иванова Мария Петровна", **kw) -> Member:
    return Member(row=2, full_name=name, **kw)


def test_a_category_granted_before_september_2023_runs_out_after_five_years():
    t = plan.term(member(category="высшая", category_date=D(2020, 3, 15)))
    assert (t.state, t.due, t.what) == (plan.DUE, D(2025, 3, 15), "категория «высшая»")
    assert t.basis == "категория «высшая», с 15.03.2020"


def test_a_category_granted_since_september_2023_does_not_expire():
    for granted in (D(2023, 9, 1), D(2024, 12, 19)):
        t = plan.term(member(category="первая", category_date=granted))
        assert (t.state, t.due) == (plan.NO_EXPIRY, None)
        assert t.note == "бессрочно (категория присвоена после 01.09.2023)"
    assert plan.term(member(category="первая", category_date=D(2023, 8, 31))).due == D(2028, 8, 31)


def test_szd_every_five_years_and_a_young_specialist_later():
    t = plan.term(member(category="нет", szd_date=D(2021, 2, 29 - 1)))
    assert (t.state, t.due, t.what) == (plan.DUE, D(2026, 2, 28), "соответствие занимаемой должности")
    young = plan.term(member(category="нет", experience=1))
    assert young.state == plan.NOT_YET and "не ранее чем через 2 года" in young.note
    unknown = plan.term(member(category="нет", experience=12))
    assert unknown.state == plan.UNKNOWN and "аттестации на СЗД" in unknown.note
    assert "присвоения категории" in plan.term(member(category="высшая")).note


def test_the_years_schedule_includes_overdue_terms_and_nothing_beyond_the_year():
    members = [member("А", category="высшая", category_date=D(2019, 11, 1)),    # overdue since 01.11.2024
               member("Б", category="первая", category_date=D(2020, 5, 20)),    # 20.05.2025: this year
               member("В", category="первая", category_date=D(2020, 9, 1)),     # 01.09.2025: next year
               member("Г", category="высшая", category_date=D(2024, 1, 10)),    # never
               member("Д", category="нет", szd_date=D(2019, 3, 3))]             # 03.03.2024: overdue
    assert [(t.member.full_name, t.due) for t in plan.schedule(members, YEAR)] == [
        ("Д", D(2024, 3, 3)), ("А", D(2024, 11, 1)), ("Б", D(2025, 5, 20))]


def test_the_perspective_plan_puts_each_term_in_its_school_year():
    members = [member("А", category="высшая", category_date=D(2019, 11, 1)),
               member("Б", category="первая", category_date=D(2022, 9, 1)),
               member("В", category="нет", szd_date=D(2023, 10, 1)),
               member("Е", category="нет", szd_date=D(2024, 10, 1)),       # 2029/2030: beyond the plan
               member("Г", category="высшая", category_date=D(2024, 1, 10))]
    years, rows = plan.perspective(members, YEAR)
    assert [y.label for y in years] == ["2024-2025", "2025-2026", "2026-2027", "2027-2028", "2028-2029"]
    assert [(t.member.full_name, column) for t, column in rows] == [
        ("А", 0), ("Б", 3), ("В", 4), ("Г", None), ("Е", None)]
