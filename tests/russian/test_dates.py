import datetime as dt

import pytest
from babel.dates import get_month_names
from hypothesis import given
from hypothesis import strategies as st

from service.russian.dates import (
    MONTHS_GENT,
    MONTHS_NOMN,
    date_numeric,
    date_quoted,
    date_words,
    month_name,
)

D = dt.date


@pytest.mark.parametrize("d, expected", [
    (D(2025, 6, 5), "05.06.2025"),
    (D(2024, 11, 12), "12.11.2024"),
    (D(2025, 12, 31), "31.12.2025"),
    (D(2025, 1, 1), "01.01.2025"),
])
def test_date_numeric(d, expected):
    assert date_numeric(d) == expected


@pytest.mark.parametrize("d, expected", [
    (D(2025, 6, 5), "5 июня 2025 г."),
    (D(2024, 11, 12), "12 ноября 2024 г."),
    (D(2025, 9, 1), "1 сентября 2025 г."),
    (D(2025, 8, 18), "18 августа 2025 г."),
    (D(2026, 5, 25), "25 мая 2026 г."),
    (D(2025, 3, 8), "8 марта 2025 г."),
])
def test_date_words_has_no_leading_zero_and_genitive_month(d, expected):
    assert date_words(d) == expected


@pytest.mark.parametrize("d, expected", [
    (D(2025, 6, 5), "«05» июня 2025 г."),
    (D(2024, 11, 12), "«12» ноября 2024 г."),
    (D(2025, 1, 9), "«09» января 2025 г."),
])
def test_date_quoted_for_approval_stamps(d, expected):
    assert date_quoted(d) == expected
    assert f"от {date_quoted(d)}" == f"от {expected}"


def test_date_quoted_with_straight_quotes():
    assert date_quoted(D(2025, 6, 5), quotes='""') == '"05" июня 2025 г.'


def test_date_quoted_rejects_a_single_quote_character():
    with pytest.raises(ValueError):
        date_quoted(D(2025, 6, 5), quotes="«")


def test_datetime_is_written_as_its_date():
    moment = dt.datetime(2025, 6, 5, 14, 30)
    assert date_numeric(moment) == "05.06.2025"
    assert date_words(moment) == "5 июня 2025 г."
    assert date_quoted(moment) == "«05» июня 2025 г."


@pytest.mark.parametrize("month, nomn, gent", [
    (1, "январь", "января"),
    (3, "март", "марта"),
    (5, "май", "мая"),
    (6, "июнь", "июня"),
    (8, "август", "августа"),
    (12, "декабрь", "декабря"),
])
def test_month_name(month, nomn, gent):
    assert month_name(month) == nomn
    assert month_name(month, "nomn") == nomn
    assert month_name(month, "gent") == gent


@pytest.mark.parametrize("month, case", [(0, "nomn"), (13, "gent"), (6, "datv")])
def test_month_name_rejects_nonsense(month, case):
    with pytest.raises(ValueError):
        month_name(month, case)


def test_month_tables_agree_with_babel():
    # date_words uses babel, date_quoted the tables: they must name months alike.
    assert [get_month_names("wide", context="format", locale="ru")[m] for m in range(1, 13)] \
        == list(MONTHS_GENT)
    assert [get_month_names("wide", context="stand-alone", locale="ru")[m] for m in range(1, 13)] \
        == list(MONTHS_NOMN)


dates = st.dates(min_value=D(1900, 1, 1), max_value=D(2199, 12, 31))


@given(dates)
def test_words_round_trip(d):
    day, month, year, suffix = date_words(d).split(" ")
    assert (int(day), MONTHS_GENT.index(month) + 1, int(year), suffix) == (d.day, d.month, d.year, "г.")


@given(dates)
def test_quoted_round_trip(d):
    day, month, year, suffix = date_quoted(d).split(" ")
    assert day == f"«{d.day:02d}»"
    assert (MONTHS_GENT.index(month) + 1, int(year), suffix) == (d.month, d.year, "г.")


@given(st.dates())
def test_numeric_round_trip(d):
    text = date_numeric(d)
    assert len(text) == 10
    assert dt.datetime.strptime(text, "%d.%m.%Y").date() == d


@given(st.integers(min_value=1, max_value=12))
def test_month_name_round_trip(month):
    assert MONTHS_NOMN.index(month_name(month)) + 1 == month
    assert MONTHS_GENT.index(month_name(month, "gent")) + 1 == month
