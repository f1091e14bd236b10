"""attestation (every regulation): categories granted before 01.09.2023 last five
years, those granted since do not expire; СЗД is renewed every five years.  A term
that ends this or next school year is a reminder, an expired category a warning."""
from __future__ import annotations

import pytest

from service.schema.findings import WARNING
from tests.domain import ALL, D, MEMBERS, cited, compliant, member_row, only, regs_with, run

AS_OF = D(2025, 6, 1)


def test_every_regulation_watches_attestation():
    assert regs_with("attestation") == ALL


def with_category(reg, category, granted, i=5):
    book = compliant(reg)
    m = book.members[i]
    m["Квалификационная категория"], m["Дата присвоения категории"] = category, granted
    return book, m["ФИО"], member_row(book, m["ФИО"])


def with_szd(reg, attested, i=4):
    book = compliant(reg)
    m = book.members[i]
    assert m["Квалификационная категория"] == "нет"
    m["Дата аттестации на СЗД"] = attested
    return book, m["ФИО"], member_row(book, m["ФИО"])


def reminder(findings, reg, code, name, cell):
    f = only(findings, code)
    assert f.severity == WARNING
    assert (f.sheet, f.cell, f.member) == (MEMBERS, cell, name)
    assert name in f.message
    cited(f, reg, "attestation")
    return f


@pytest.mark.parametrize("reg", ALL)
def test_first_category_of_2021_runs_out_next_school_year(reg):
    book, name, row = with_category(reg, "первая", D(2021, 1, 10))
    f = reminder(run(book, AS_OF), reg, "attestation.due", name, f"H{row}")
    assert "10.01.2026" in f.message and "первая" in f.message


@pytest.mark.parametrize("reg", ALL)
@pytest.mark.parametrize("as_of", [AS_OF, D(2025, 9, 1)])
def test_category_granted_in_2019_has_expired(reg, as_of):
    book, name, row = with_category(reg, "высшая", D(2019, 4, 20))
    f = reminder(run(book, as_of), reg, "attestation.expired", name, f"H{row}")
    assert "истекла 20.04.2024" in f.message


@pytest.mark.parametrize("reg", ALL)
@pytest.mark.parametrize("granted", [D(2024, 3, 15), D(2023, 9, 1)])
def test_category_granted_since_september_2023_never_runs_out(reg, granted):
    book, _, _ = with_category(reg, "первая", granted)
    assert run(book, AS_OF) == []
    assert run(book) == []


@pytest.mark.parametrize("reg", ALL)
def test_category_running_out_after_next_school_year_is_not_reported_yet(reg):
    book, _, _ = with_category(reg, "первая", D(2021, 9, 1))        # until 01.09.2026
    assert run(book, AS_OF) == []


@pytest.mark.parametrize("reg", ALL)
def test_category_running_out_on_the_last_day_of_next_school_year(reg):
    book, name, row = with_category(reg, "первая", D(2021, 8, 31))  # until 31.08.2026
    reminder(run(book, AS_OF), reg, "attestation.due", name, f"H{row}")


@pytest.mark.parametrize("reg", ALL)
def test_szd_of_2020_is_due(reg):
    book, name, row = with_szd(reg, D(2020, 10, 1))
    f = reminder(run(book, AS_OF), reg, "attestation.due", name, f"I{row}")
    assert "СЗД" in f.message and "01.10.2025" in f.message and "истекает" in f.message


@pytest.mark.parametrize("reg", ALL)
def test_szd_past_its_five_years(reg):
    book, name, row = with_szd(reg, D(2019, 10, 1))
    f = reminder(run(book, AS_OF), reg, "attestation.due", name, f"I{row}")
    assert "СЗД" in f.message and "01.10.2024" in f.message


@pytest.mark.parametrize("reg", ALL)
def test_szd_is_not_judged_for_a_member_with_a_category(reg):
    book, _, _ = with_szd(reg, D(2018, 10, 1))
    m = book.members[4]
    m["Квалификационная категория"], m["Дата присвоения категории"] = "высшая", D(2024, 3, 15)
    assert run(book, AS_OF) == []


@pytest.mark.parametrize("reg", ALL)
def test_member_who_left_is_not_reminded(reg):
    book, _, _ = with_category(reg, "первая", D(2019, 4, 20), i=11)     # absent from every meeting
    book.members[11]["Дата выбытия"] = D(2025, 3, 1)
    assert run(book, AS_OF) == []


def test_29_february_grant_runs_to_1_march():
    book, name, row = with_category(ALL[0], "первая", D(2020, 2, 29))
    f = reminder(run(book, AS_OF), ALL[0], "attestation.expired", name, f"H{row}")
    assert "01.03.2025" in f.message
