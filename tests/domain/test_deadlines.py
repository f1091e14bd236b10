"""Dated duties of the year: composition by 15 September (ГПМО п. 4.2, РПМО п. 7.4),
the data bank by 1 October (ГПМО п. 4.6, РПМО п. 10.4), the year's analysis by
15 May (ГПМО п. 4.7), 5 May (РПМО п. 10.5), the end of May (Залесово п. 4.4)."""
from __future__ import annotations

import pytest

from service.schema.findings import ERROR, INFO, WARNING
from tests.domain import (
    D, GPMO, HEAD, INFO as INFO_SHEET, INFO_ROW, MEMBERS, RPMO, ZALESOVO, cited, compliant, only, regs_with,
    regs_without, rule, run,
)

NOVOKUZNETSK = [GPMO, RPMO]
DATABANK_CELL = f"B{INFO_ROW['databank_updated']}"
ANALYSIS_CELL = f"B{INFO_ROW['analysis_submitted']}"


def test_deadlines_per_regulation_file():
    assert regs_with("composition_deadline") == NOVOKUZNETSK
    assert regs_with("databank_deadline") == NOVOKUZNETSK
    assert {r: rule(r, "composition_deadline")["by"] for r in NOVOKUZNETSK} == {GPMO: "09-15", RPMO: "09-15"}
    assert {r: rule(r, "databank_deadline")["by"] for r in NOVOKUZNETSK} == {GPMO: "10-01", RPMO: "10-01"}
    assert {r: rule(r, "report_deadline")["by"] for r in regs_with("report_deadline")} == {
        GPMO: "05-15", RPMO: "05-05", ZALESOVO: "05-31"}


# ---------------------------------------------------------------- composition (head included by 15 September)

@pytest.mark.parametrize("reg", NOVOKUZNETSK)
def test_head_included_after_15_september(reg):
    book = compliant(reg)
    book.with_role(HEAD)["Дата включения"] = D(2024, 9, 20)
    f = only(run(book), "composition.late")
    assert f.severity == WARNING
    assert (f.sheet, f.cell, f.member) == (MEMBERS, "M2", "Иванова Мария Петровна")
    assert "Иванова Мария Петровна" in f.message and "20.09.2024" in f.message and "15.09.2024" in f.message
    cited(f, reg, "composition_deadline")


@pytest.mark.parametrize("reg", NOVOKUZNETSK)
@pytest.mark.parametrize("joined", [D(2024, 9, 15), D(2024, 9, 1), D(2019, 9, 1), None])
def test_head_included_by_15_september_or_earlier(reg, joined):
    book = compliant(reg)
    book.with_role(HEAD)["Дата включения"] = joined
    assert run(book) == []


@pytest.mark.parametrize("reg", NOVOKUZNETSK)
def test_ordinary_member_included_later_is_fine(reg):
    book = compliant(reg)
    book.members[6]["Дата включения"] = D(2025, 2, 1)
    assert run(book) == []


@pytest.mark.parametrize("reg", regs_without("composition_deadline"))
def test_other_regulations_set_no_composition_deadline(reg):
    book = compliant(reg)
    book.with_role(HEAD)["Дата включения"] = D(2024, 9, 20)
    assert run(book) == []


# ---------------------------------------------------------------- data bank (by 1 October)

def databank(findings, reg, severity):
    f = only(findings, "databank.stale")
    assert f.severity == severity
    assert (f.sheet, f.cell) == (INFO_SHEET, DATABANK_CELL)
    assert "01.10.2024" in f.message
    cited(f, reg, "databank_deadline")
    return f


def with_databank(reg, updated):
    book = compliant(reg)
    book.info["Дата актуализации банка данных"] = updated
    return book


@pytest.mark.parametrize("reg", NOVOKUZNETSK)
@pytest.mark.parametrize("updated", [D(2024, 9, 25), D(2024, 9, 1), D(2024, 10, 1)])
def test_databank_updated_in_time(reg, updated):
    assert run(with_databank(reg, updated)) == []


@pytest.mark.parametrize("reg", NOVOKUZNETSK)
@pytest.mark.parametrize("updated", [D(2023, 9, 20), D(2024, 8, 28)])
def test_databank_last_updated_before_the_school_year_is_an_error(reg, updated):
    f = databank(run(with_databank(reg, updated)), reg, ERROR)
    assert f"{updated:%d.%m.%Y}" in f.message and "2024/2025 учебном году" in f.message


@pytest.mark.parametrize("reg", NOVOKUZNETSK)
def test_databank_date_missing_is_a_warning(reg):
    f = databank(run(with_databank(reg, None)), reg, WARNING)
    assert "Дата актуализации банка данных" in f.message


@pytest.mark.parametrize("reg", NOVOKUZNETSK)
def test_databank_row_missing_is_a_warning(reg):
    book = compliant(reg)
    del book.info["Дата актуализации банка данных"]
    f = only(run(book), "databank.stale")
    assert f.severity == WARNING and f.sheet == INFO_SHEET


@pytest.mark.parametrize("reg", NOVOKUZNETSK)
def test_databank_updated_after_1_october_is_a_warning(reg):
    f = databank(run(with_databank(reg, D(2024, 10, 5))), reg, WARNING)
    assert "05.10.2024" in f.message and "позже срока" in f.message


@pytest.mark.parametrize("reg", NOVOKUZNETSK)
@pytest.mark.parametrize("updated", [None, D(2023, 9, 20)])
@pytest.mark.parametrize("as_of", [D(2024, 9, 20), D(2024, 10, 1)])
def test_databank_not_yet_updated_before_1_october_is_a_reminder(reg, updated, as_of):
    databank(run(with_databank(reg, updated), as_of), reg, INFO)


@pytest.mark.parametrize("reg", NOVOKUZNETSK)
def test_databank_updated_before_1_october_needs_no_reminder(reg):
    assert run(with_databank(reg, D(2024, 9, 10)), D(2024, 9, 20)) == []


@pytest.mark.parametrize("reg", regs_without("databank_deadline"))
def test_other_regulations_set_no_databank_deadline(reg):
    assert run(with_databank(reg, None)) == []
    assert run(with_databank(reg, D(2020, 1, 1))) == []


# ---------------------------------------------------------------- the year's analysis (May)

REPORT = {GPMO: D(2025, 5, 15), RPMO: D(2025, 5, 5), ZALESOVO: D(2025, 5, 31)}


def test_report_deadlines_are_the_ones_in_the_files():
    assert sorted(regs_with("report_deadline")) == sorted(REPORT)


def with_analysis(reg, submitted):
    book = compliant(reg)
    book.info["Дата представления анализа работы"] = submitted
    return book


def report(findings, reg):
    f = only(findings, "report.deadline")
    assert f.severity == WARNING
    assert (f.sheet, f.cell) == (INFO_SHEET, ANALYSIS_CELL)
    assert f"{REPORT[reg]:%d.%m.%Y}" in f.message
    cited(f, reg, "report_deadline")
    return f


@pytest.mark.parametrize("reg", REPORT)
def test_analysis_date_missing_after_the_deadline(reg):
    f = report(run(with_analysis(reg, None)), reg)
    assert "нет даты представления анализа" in f.message


@pytest.mark.parametrize("reg", REPORT)
def test_analysis_date_missing_is_fine_until_the_deadline(reg):
    assert run(with_analysis(reg, None), REPORT[reg]) == []


@pytest.mark.parametrize("reg", REPORT)
def test_analysis_submitted_on_the_deadline(reg):
    assert run(with_analysis(reg, REPORT[reg])) == []


@pytest.mark.parametrize("reg", REPORT)
def test_analysis_submitted_the_day_after_the_deadline(reg):
    late = REPORT[reg].replace(day=REPORT[reg].day + 1) if REPORT[reg].day < 31 else D(2025, 6, 1)
    f = report(run(with_analysis(reg, late)), reg)
    assert f"{late:%d.%m.%Y}" in f.message


@pytest.mark.parametrize("reg, late", [(RPMO, True), (GPMO, False), (ZALESOVO, False)])
def test_analysis_submitted_10_may(reg, late):
    findings = run(with_analysis(reg, D(2025, 5, 10)))
    if late:
        assert "10.05.2025" in report(findings, reg).message
    else:
        assert findings == []


@pytest.mark.parametrize("reg", regs_without("report_deadline"))
def test_other_regulations_set_no_report_deadline(reg):
    assert run(with_analysis(reg, None)) == []
    assert run(with_analysis(reg, D(2025, 8, 30))) == []


@pytest.mark.parametrize("reg", REPORT)
def test_analysis_date_from_last_year_is_not_this_years_analysis(reg):
    report(run(with_analysis(reg, D(2024, 5, 12))), reg)
