"""meeting_frequency: «не реже одного раза в полугодие» (Каменск-Уральский),
«не реже 1 раза в квартал» (Здвинский), «не реже 4 раз в год» (ГПМО, РПМО),
«не менее 4 раза в учебный год» (Залесово); Бийск sets no frequency."""
from __future__ import annotations

import pytest

from service.schema.findings import ERROR, WARNING
from tests.domain import (
    BIYSK, D, GPMO, KAMENSK, MEETINGS, RPMO, ZALESOVO, ZDVINSKY, cancel, cited, compliant, of, only, regs_with,
    regs_without, remove_meeting, rule, run,
)

PER_YEAR = [GPMO, RPMO, ZALESOVO]


def too_few(findings, reg, period, severity=ERROR):
    f = only(findings, "meetings.too_few")
    assert f.severity == severity
    assert f.sheet == MEETINGS
    assert f.period == period
    assert period in f.message
    cited(f, reg, "meeting_frequency")
    return f


def test_the_regulation_files_set_these_frequencies():
    def frequency(reg):
        r = rule(reg, "meeting_frequency")
        return r["min"], r["per"]

    assert frequency(KAMENSK) == (1, "half_year")
    assert frequency(ZDVINSKY) == (1, "quarter")
    assert [frequency(reg) for reg in PER_YEAR] == [(4, "school_year")] * 3
    assert regs_without("meeting_frequency") == [BIYSK]


# ---------------------------------------------------------------- half-year (Каменск-Уральский, п. 5.2)

def test_kamensk_no_meeting_between_1_january_and_30_june():
    book = compliant(KAMENSK)
    cancel(book, 3, 4)                       # 18.02.2025 and 20.05.2025
    f = too_few(run(book), KAMENSK, "январь – июнь 2025 г.")
    assert "не проведено ни одного заседания" in f.message


def test_kamensk_no_meeting_in_the_autumn_half_year():
    book = compliant(KAMENSK)
    remove_meeting(book, 1)
    remove_meeting(book, 2)
    too_few(run(book), KAMENSK, "июль – декабрь 2024 г.")


def test_kamensk_one_meeting_per_half_year_is_enough():
    book = compliant(KAMENSK)
    cancel(book, 2, 4)
    assert run(book) == []


def test_kamensk_meeting_in_august_does_not_rescue_january_june():
    """Reading of п. 5.2: calendar half-years; a meeting of August belongs to July–December."""
    book = compliant(KAMENSK)
    cancel(book, 3, 4)
    book.meetings.append({**book.meeting(4), "№": 5, "Дата": D(2025, 8, 28), "Статус": None})
    book.agenda.append({**book.agenda[-1], "№ заседания": 5, "№ вопроса": 1})
    book.mark(5, present=9)
    too_few(run(book), KAMENSK, "январь – июнь 2025 г.")


def test_kamensk_second_half_year_is_judged_from_1_july():
    book = compliant(KAMENSK)
    cancel(book, 3, 4)
    assert of(run(book, D(2025, 6, 30)), "meetings.too_few")[0].severity == WARNING   # still open on 30 June
    too_few(run(book, D(2025, 7, 1)), KAMENSK, "январь – июнь 2025 г.")               # over on 1 July


# ---------------------------------------------------------------- quarter (Здвинский, п. 5.1(5))

@pytest.mark.parametrize("numbers, period", [
    ((1,), "июль – сентябрь 2024 г."),
    ((2,), "октябрь – декабрь 2024 г."),
    ((3,), "январь – март 2025 г."),
    ((4,), "апрель – июнь 2025 г."),
])
def test_zdvinsky_quarter_without_a_meeting(numbers, period):
    book = compliant(ZDVINSKY)
    cancel(book, *numbers)
    f = too_few(run(book), ZDVINSKY, period)
    assert f.message.startswith(f"За {period}: не проведено ни одного заседания")


def test_zdvinsky_meeting_on_30_september_does_not_cover_october_december():
    """Reading of п. 5.1(5): calendar quarters; 30 September is the last day of July–September."""
    book = compliant(ZDVINSKY)
    cancel(book, 2)
    book.meeting(1)["Дата"] = D(2024, 9, 30)
    too_few(run(book), ZDVINSKY, "октябрь – декабрь 2024 г.")


def test_zdvinsky_meeting_on_1_october_leaves_july_september_without_one():
    book = compliant(ZDVINSKY)
    cancel(book, 2)
    book.meeting(1)["Дата"] = D(2024, 10, 1)
    too_few(run(book), ZDVINSKY, "июль – сентябрь 2024 г.")


def test_zdvinsky_four_quarters_a_school_year():
    book = compliant(ZDVINSKY)
    cancel(book, 1, 2, 3, 4)
    assert [f.period for f in of(run(book), "meetings.too_few")] == [
        "июль – сентябрь 2024 г.", "октябрь – декабрь 2024 г.", "январь – март 2025 г.", "апрель – июнь 2025 г."]


def test_zdvinsky_july_and_august_after_the_year_count_for_nothing_in_it():
    book = compliant(ZDVINSKY)
    book.meeting(4)["Дата"] = D(2025, 7, 10)      # moved out of April–June into the holidays
    too_few(run(book), ZDVINSKY, "апрель – июнь 2025 г.")


def test_zdvinsky_meeting_on_31_march_counts_for_january_march():
    book = compliant(ZDVINSKY)
    book.meeting(3)["Дата"] = D(2025, 3, 31)
    assert run(book) == []


# ---------------------------------------------------------------- 4 per school year (ГПМО, РПМО, Залесово)

@pytest.mark.parametrize("reg", PER_YEAR)
def test_three_meetings_held_in_the_school_year(reg):
    book = compliant(reg)
    remove_meeting(book, 4)
    f = too_few(run(book), reg, "2024/2025 учебный год")
    assert "проведено 3" in f.message


@pytest.mark.parametrize("reg", PER_YEAR)
@pytest.mark.parametrize("status", ["отменено", "не состоялось"])
def test_a_cancelled_meeting_does_not_count(reg, status):
    book = compliant(reg)
    cancel(book, 2, status=status)
    f = too_few(run(book), reg, "2024/2025 учебный год")
    assert "проведено 3" in f.message


@pytest.mark.parametrize("reg", PER_YEAR)
def test_a_meeting_still_marked_planned_after_its_date_does_not_count(reg):
    book = compliant(reg)
    cancel(book, 4, status="запланировано")
    too_few(run(book), reg, "2024/2025 учебный год")


@pytest.mark.parametrize("reg", PER_YEAR)
def test_a_meeting_with_empty_status_counts_once_its_day_has_come(reg):
    book = compliant(reg)
    book.meeting(4)["Статус"] = "проведено"
    cancel(book, 1)
    book.meeting(2)["Статус"] = None
    assert [f.code for f in run(book)] == ["meetings.too_few"]   # 3 held: 2, 3, 4


# ---------------------------------------------------------------- a period still running

@pytest.mark.parametrize("reg, as_of, cancelled, period", [
    (KAMENSK, D(2025, 3, 1), (3, 4), "январь – июнь 2025 г."),
    (ZDVINSKY, D(2025, 2, 1), (3,), "январь – март 2025 г."),
    (GPMO, D(2025, 3, 1), (4,), "2024/2025 учебный год"),
    (RPMO, D(2025, 3, 1), (4,), "2024/2025 учебный год"),
    (ZALESOVO, D(2025, 3, 1), (4,), "2024/2025 учебный год"),
])
def test_open_period_with_too_few_held_or_planned_is_a_warning(reg, as_of, cancelled, period):
    book = compliant(reg)
    cancel(book, *cancelled)
    f = too_few(run(book, as_of), reg, period, severity=WARNING)
    assert "ещё идёт" in f.message and "запланировано 0" in f.message


@pytest.mark.parametrize("reg, as_of, cancelled", [
    (KAMENSK, D(2025, 3, 1), (3,)),           # 20.05.2025 still ahead
    (ZDVINSKY, D(2025, 2, 1), ()),            # 18.02.2025 ahead
    (GPMO, D(2025, 3, 1), ()),                # 3 held, 20.05.2025 ahead
    (RPMO, D(2025, 3, 1), ()),
    (ZALESOVO, D(2025, 3, 1), ()),
])
def test_open_period_with_a_planned_meeting_ahead_is_fine(reg, as_of, cancelled):
    book = compliant(reg)
    cancel(book, *cancelled)
    assert run(book, as_of) == []


@pytest.mark.parametrize("reg", PER_YEAR)
def test_explicitly_planned_meeting_ahead_counts(reg):
    book = compliant(reg)
    cancel(book, 4, status="запланировано")
    assert run(book, D(2025, 3, 1)) == []


def test_period_not_yet_started_is_not_judged():
    book = compliant(KAMENSK)
    cancel(book, 3, 4)
    assert run(book, D(2024, 12, 20)) == []


def test_last_day_of_the_period_is_still_open():
    book = compliant(KAMENSK)
    cancel(book, 3, 4)
    too_few(run(book, D(2025, 6, 30)), KAMENSK, "январь – июнь 2025 г.", severity=WARNING)


# ---------------------------------------------------------------- no frequency rule

@pytest.mark.parametrize("reg", regs_without("meeting_frequency"))
def test_regulation_without_frequency_rule_accepts_a_year_without_meetings(reg):
    book = compliant(reg)
    cancel(book, 1, 2, 3, 4)
    assert run(book) == []


@pytest.mark.parametrize("reg", regs_with("meeting_frequency"))
def test_every_frequency_rule_reports_a_year_without_meetings(reg):
    book = compliant(reg)
    cancel(book, 1, 2, 3, 4)
    findings = run(book)
    assert findings and {f.code for f in findings} == {"meetings.too_few"}
    assert all(f.severity == ERROR for f in findings)


# ---------------------------------------------------------------- the message reads well

@pytest.mark.parametrize("reg, cancelled, expected", [
    (KAMENSK, (3, 4), "не менее 1 заседания"),
    (GPMO, (4,), "не менее 4 заседаний"),
])
def test_message_says_not_fewer_than_in_the_genitive(reg, cancelled, expected):
    """«не менее» governs the genitive: «не менее 1 заседания», «не менее 4 заседаний»."""
    book = compliant(reg)
    cancel(book, *cancelled)
    f = only(run(book), "meetings.too_few")
    assert expected in f.message
