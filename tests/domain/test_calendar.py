"""The calendar readings the regulation files cite: school year, half-years, the
quarters of the school year, and deadlines «до 1 октября текущего года»."""
from __future__ import annotations

import datetime as dt

import pytest

from service.domain.calendar import Period, add_years, deadline_in, periods
from service.schema.cells import SchoolYear

D = dt.date
Y = SchoolYear(2024)


def spans(per, year=Y):
    return [(p.first, p.last, p.label) for p in periods(year, per)]


def test_school_year():
    assert spans("school_year") == [(D(2024, 9, 1), D(2025, 8, 31), "2024/2025 учебный год")]


def test_half_years():
    """Каменск-Уральский п. 5.2: calendar half-years, July–December and January–June."""
    assert spans("half_year") == [
        (D(2024, 7, 1), D(2024, 12, 31), "июль – декабрь 2024 г."),
        (D(2025, 1, 1), D(2025, 6, 30), "январь – июнь 2025 г."),
    ]


def test_quarters():
    """Здвинский п. 5.1(5): four calendar quarters a school year."""
    assert spans("quarter") == [
        (D(2024, 7, 1), D(2024, 9, 30), "июль – сентябрь 2024 г."),
        (D(2024, 10, 1), D(2024, 12, 31), "октябрь – декабрь 2024 г."),
        (D(2025, 1, 1), D(2025, 3, 31), "январь – март 2025 г."),
        (D(2025, 4, 1), D(2025, 6, 30), "апрель – июнь 2025 г."),
    ]


@pytest.mark.parametrize("per", ["half_year", "quarter"])
def test_calendar_periods_follow_each_other_without_gaps(per):
    ps = periods(Y, per)
    assert ps[0].first == D(2024, 7, 1) and ps[-1].last == D(2025, 6, 30)
    assert all(a.last + dt.timedelta(days=1) == b.first for a, b in zip(ps, ps[1:]))


def test_school_year_is_one_period():
    (p,) = periods(Y, "school_year")
    assert (p.first, p.last) == (Y.first_day, Y.last_day)


def test_30_september_is_in_the_summer_quarter_not_the_autumn_one():
    summer, autumn = periods(Y, "quarter")[:2]
    assert summer.contains(D(2024, 9, 30)) and not autumn.contains(D(2024, 9, 30))
    assert autumn.contains(D(2024, 10, 1))


def test_second_half_year_is_judged_from_1_july():
    second = periods(Y, "half_year")[1]
    assert not second.ended_by(D(2025, 6, 30)) and second.ended_by(D(2025, 7, 1))


@pytest.mark.parametrize("day", [D(2025, 7, 1), D(2025, 7, 15), D(2025, 8, 31)])
def test_the_summer_after_the_school_year_is_in_no_period_of_it(day):
    assert not any(p.contains(day) for q in ("quarter", "half_year") for p in periods(Y, q))


def test_labels_follow_the_year():
    assert spans("quarter", SchoolYear(2025))[2][2] == "январь – март 2026 г."
    assert spans("school_year", SchoolYear(2025))[0][2] == "2025/2026 учебный год"


def test_period_bounds_are_inclusive():
    p = Period(D(2025, 1, 1), D(2025, 3, 31), "январь – март 2025 г.")
    assert p.contains(D(2025, 1, 1)) and p.contains(D(2025, 3, 31))
    assert not p.contains(D(2024, 12, 31)) and not p.contains(D(2025, 4, 1))
    assert p.started_by(D(2025, 1, 1)) and not p.started_by(D(2024, 12, 31))
    assert not p.ended_by(D(2025, 3, 31)) and p.ended_by(D(2025, 4, 1))


def test_label_across_calendar_years():
    from service.domain.calendar import _label
    assert _label(D(2024, 9, 1), D(2025, 8, 31)) == "сентябрь 2024 г. – август 2025 г."


def test_unknown_period_kind():
    with pytest.raises(ValueError):
        periods(Y, "month")


@pytest.mark.parametrize("month, day, expected", [
    (9, 15, D(2024, 9, 15)),       # состав до 15 сентября
    (10, 1, D(2024, 10, 1)),       # банк данных до 1 октября
    (12, 31, D(2024, 12, 31)),
    (1, 1, D(2025, 1, 1)),
    (5, 5, D(2025, 5, 5)),         # РПМО: не позднее 5 мая
    (5, 15, D(2025, 5, 15)),       # ГПМО: не позднее 15 мая
    (5, 31, D(2025, 5, 31)),       # Залесово: конец мая
    (8, 31, D(2025, 8, 31)),
])
def test_deadline_in_the_school_year(month, day, expected):
    assert deadline_in(Y, month, day) == expected
    assert Y.contains(deadline_in(Y, month, day))


@pytest.mark.parametrize("day, years, expected", [
    (D(2021, 1, 10), 5, D(2026, 1, 10)),
    (D(2020, 2, 29), 5, D(2025, 3, 1)),
    (D(2020, 2, 29), 4, D(2024, 2, 29)),
])
def test_add_years(day, years, expected):
    assert add_years(day, years) == expected


def test_school_year_of_a_day():
    assert SchoolYear.of(D(2024, 9, 1)) == Y
    assert SchoolYear.of(D(2025, 8, 31)) == Y
    assert SchoolYear.of(D(2024, 8, 31)) == SchoolYear(2023)
    assert (Y.first_day, Y.last_day, Y.label) == (D(2024, 9, 1), D(2025, 8, 31), "2024-2025")
