"""Reading single cells as teachers fill them: dates, numbers, school years,
contacts, choices and plan deadlines.  Every refusal carries a stable code and a
Russian message that quotes what was typed."""
import datetime as dt

import pytest
import yaml
from babel.dates import format_date
from hypothesis import example, given, settings
from hypothesis import strategies as st

from service.schema.cells import (
    EXCEL_EPOCH, CellError, Choices, SchoolYear, parse_date, parse_due, parse_email, parse_int,
    parse_phone, parse_school_year,
)
from service.schema.layout import SCHEMAS_DIR, load_layout

D = dt.date
dates = st.dates(min_value=D(1920, 1, 1), max_value=D(2100, 12, 31))


def refused(fn, value, *args) -> CellError:
    with pytest.raises(CellError) as info:
        fn(value, *args)
    return info.value


# ---------------------------------------------------------------- dates

@pytest.mark.parametrize("value", [
    D(2024, 11, 12),
    dt.datetime(2024, 11, 12, 10, 30),          # a date cell with a time part
    45608,                                       # Excel / Google Sheets serial number
    45608.0,
    45608.75,                                    # serial with a time of day
    "12.11.2024",
    "12.11.24",
    "2024-11-12",
    "12 ноября 2024 г.",
    "12 ноября 2024 года",
    "12 НОЯБРЯ 2024",
    "12/11/2024",
    "  12.11.2024\u00a0",                        # spaces and a non-breaking space around
    "12.11.2024 10:30",                          # text copied with a time
])
def test_every_usual_spelling_of_a_date_reads_as_12_november_2024(value):
    assert parse_date(value) == D(2024, 11, 12)


def test_single_digit_day_and_month():
    assert parse_date("1.9.2024") == D(2024, 9, 1)
    assert parse_date("5 мая 2025 г.") == D(2025, 5, 5)


def test_two_digit_years_pivot_at_50():
    assert parse_date("01.09.49") == D(2049, 9, 1)
    assert parse_date("01.09.50") == D(1950, 9, 1)
    assert parse_date("15.05.75") == D(1975, 5, 15)


@pytest.mark.parametrize("value", ["31.02.2024", "30.02.2024", "2024-02-30", "12.13.2024", "00.11.2024"])
def test_a_day_not_in_the_calendar_is_refused_as_bad_date(value):
    err = refused(parse_date, value)
    assert err.code == "cell.bad_date"
    assert "такой даты нет в календаре" in err.message
    assert f"«{value}»" in err.message


def test_29_february_only_in_leap_years():
    assert parse_date("29.02.2024") == D(2024, 2, 29)
    assert refused(parse_date, "29.02.2025").code == "cell.bad_date"


@pytest.mark.parametrize("value", [True, False])
def test_booleans_are_not_dates_although_python_counts_them_as_numbers(value):
    err = refused(parse_date, value)
    assert err.code == "cell.bad_date"
    assert "не дата" in err.message


@pytest.mark.parametrize("value", ["abc", "", "ноябрь", "12 ёлки 2024", "45608", 0, -5, 1e10,
                                   float("nan"), float("inf")])
def test_what_is_not_a_date_is_refused_with_a_hint(value):
    err = refused(parse_date, value)
    assert err.code == "cell.bad_date"
    assert "не дата" in err.message


@pytest.mark.parametrize("value", ["01.01.1919", D(1919, 12, 31), D(2101, 1, 1), "01.01.2101", 7000])
def test_dates_outside_1920_2100_are_refused_and_the_message_says_why(value):
    err = refused(parse_date, value)
    assert err.code == "cell.bad_date"
    assert "вне допустимого диапазона" in err.message


@given(dates)
@example(D(1920, 1, 1))
@example(D(2100, 12, 31))
@example(D(2024, 2, 29))
def test_any_date_typed_as_dd_mm_yyyy_reads_back(d):
    assert parse_date(d.strftime("%d.%m.%Y")) == d
    assert parse_date(f"{d.day}.{d.month}.{d.year}") == d


@given(dates)
def test_any_date_typed_as_iso_reads_back(d):
    assert parse_date(d.isoformat()) == d


@given(dates, st.floats(min_value=0, max_value=0.999))
def test_any_date_stored_as_a_serial_number_reads_back(d, time_of_day):
    serial = (d - EXCEL_EPOCH).days
    assert parse_date(serial) == d
    assert parse_date(float(serial)) == d
    assert parse_date(serial + time_of_day) == d


@given(dates)
def test_any_date_written_in_words_as_in_russian_documents_reads_back(d):
    # «12 ноября 2024 г.» as babel writes it, an independent oracle for the month names
    assert parse_date(format_date(d, "d MMMM y 'г.'", locale="ru")) == d


@given(st.dates(min_value=D(1950, 1, 1), max_value=D(2049, 12, 31)))
def test_any_date_with_a_two_digit_year_reads_back_inside_the_pivot(d):
    assert parse_date(d.strftime("%d.%m.%y")) == d


@given(st.one_of(st.text(max_size=30), st.integers(), st.floats(), st.booleans(), st.none(),
                 st.from_regex(r"\d{1,3}[./-]\d{1,3}[./-]\d{1,5}", fullmatch=True)))
@settings(max_examples=300)
def test_whatever_is_in_the_cell_parse_date_answers_a_date_in_range_or_bad_date(value):
    try:
        d = parse_date(value)
    except CellError as err:
        assert err.code == "cell.bad_date"
        assert err.message
    else:
        assert D(1920, 1, 1) <= d <= D(2100, 12, 31)


# ---------------------------------------------------------------- whole numbers

@pytest.mark.parametrize("value, expected", [
    (12, 12), (12.0, 12), ("12", 12), (" 7 ", 7), ("12 лет", 12), ("12 года", 12), ("1 год", 1),
    ("12г.", 12), (0, 0),
])
def test_experience_as_teachers_write_it(value, expected):
    assert parse_int(value) == expected


@pytest.mark.parametrize("value", [-1, -1.0, "-3", 12.5, "двенадцать", "", "12,5", True])
def test_negative_fractional_and_wordy_numbers_are_refused(value):
    err = refused(parse_int, value)
    assert err.code == "cell.bad_number"


def test_a_negative_number_is_called_negative():
    assert "отрицательное" in refused(parse_int, -1).message


@given(st.integers(min_value=0, max_value=9999))
def test_any_count_reads_back_from_number_float_and_text(n):
    assert parse_int(n) == n
    assert parse_int(float(n)) == n
    assert parse_int(str(n)) == n
    assert parse_int(f"{n} лет") == n


@given(st.integers(max_value=-1))
def test_any_negative_number_is_refused(n):
    assert refused(parse_int, n).code == "cell.bad_number"


# ---------------------------------------------------------------- school year

@pytest.mark.parametrize("value", ["2024-2025", "2024/2025", "2024–25", "2024—2025", "2024 - 2025",
                                   "2024-2025 уч. г.", "2024-2025 учебный год", "2024-25гг."])
def test_school_year_spellings(value):
    year = parse_school_year(value)
    assert year == SchoolYear(2024)
    assert year.first_day == D(2024, 9, 1) and year.last_day == D(2025, 8, 31)
    assert year.label == "2024-2025"


@pytest.mark.parametrize("value", ["2024-2026", "2025-2024", "2024", 2024, "2024-2024", "учебный год"])
def test_what_is_not_one_school_year_is_refused(value):
    err = refused(parse_school_year, value)
    assert err.code == "cell.bad_date"
    assert "не учебный год" in err.message and "2024-2025" in err.message


@given(st.integers(min_value=1991, max_value=2098))
def test_any_school_year_reads_back_in_every_spelling(start):
    end = start + 1
    for text in (f"{start}-{end}", f"{start}/{end}", f"{start}–{end % 100:02d}", f"{start} — {end} уч. г."):
        assert parse_school_year(text) == SchoolYear(start), text


@given(dates)
def test_every_day_belongs_to_exactly_the_school_year_it_falls_in(d):
    year = SchoolYear.of(d)
    assert year.contains(d)
    assert not SchoolYear(year.start - 1).contains(d) and not SchoolYear(year.start + 1).contains(d)


# ---------------------------------------------------------------- contacts

@pytest.mark.parametrize("value", ["teacher1@school.ru", " Ivanova@School.RU ", "иванова@школа.рф",
                                   "m.p.ivanova+mo@mail.example.org"])
def test_emails_accepted_as_typed(value):
    assert parse_email(value) == value.strip()


@pytest.mark.parametrize("value", ["a@b", "mail.ru", "a b@c.ru", "a@@b.ru", "a@b.r", "a@b.ru,c@d.ru", "a@b.ru."])
def test_broken_emails_are_refused(value):
    err = refused(parse_email, value)
    assert err.code == "cell.bad_email"
    assert "не адрес электронной почты" in err.message


@pytest.mark.parametrize("value, expected", [
    ("+7 913 000-00-01", "+7 913 000-00-01"),
    ("8(38363)2-11-22", "8(38363)2-11-22"),
    ("+7(913)000.00.01", "+7(913)000.00.01"),
    (89130000001, "89130000001"),
    (89130000001.0, "89130000001"),              # a number cell, not «89130000001.0»
    ("21-1-22", "21-1-22"),                       # a short rural number
])
def test_phones_are_kept_as_typed(value, expected):
    assert parse_phone(value) == expected


@pytest.mark.parametrize("value", ["12-34", "123", "+7 913 abc", "1234567890123456", "звонить секретарю"])
def test_what_is_not_a_phone_is_refused(value):
    err = refused(parse_phone, value)
    assert err.code == "cell.bad_phone"
    assert "не номер телефона" in err.message


# ---------------------------------------------------------------- choices

@pytest.fixture(scope="module")
def enums():
    return load_layout().enums


@pytest.mark.parametrize("value, expected", [
    ("высшая", "высшая"), ("ВЫСШАЯ", "высшая"), (" Высшая ", "высшая"), ("ВКК", "высшая"),
    ("Высшая квалификационная категория.", "высшая"),
    ("1", "первая"), (1, "первая"), (1.0, "первая"), ("I", "первая"), ("первая кк", "первая"),
    ("б/к", "нет"), ("-", "нет"), ("без категории", "нет"),
    ("методист", "педагог-методист"), ("Педагог – методист", "педагог-методист"),
])
def test_category_synonyms_and_case(enums, value, expected):
    assert enums["category"].read(value) == expected


@pytest.mark.parametrize("value", ["Проведено", "проведён", "проведен", "Состоялось", "ПРОВЕДЕНА"])
def test_meeting_status_ignores_case_and_yo(enums, value):
    assert enums["meeting_status"].read(value) == "проведено"


def test_a_value_outside_the_list_is_refused_naming_the_allowed_values(enums):
    err = refused(enums["category"].read, "главная")
    assert err.code == "cell.bad_choice"
    assert "«главная» — недопустимое значение" in err.message
    for allowed in ("«нет»", "«первая»", "«высшая»", "«педагог-методист»", "«педагог-наставник»"):
        assert allowed in err.message


def test_several_values_in_one_cell_are_refused(enums):
    assert refused(enums["category"].read, "высшая, первая").code == "cell.bad_choice"


def test_a_small_enumeration_of_its_own():
    forms = Choices("form", {"очная": ["очно"], "дистанционная": ["онлайн", "ВКС"]})
    assert forms.read("ОЧНО") == "очная"
    assert forms.read("вкс") == "дистанционная"
    assert "Онлайн" in forms and "заочно" not in forms
    assert refused(forms.read, "заочно").code == "cell.bad_choice"


def test_a_checkbox_true_is_not_taken_for_1_after_a_1_was_read(enums):
    # Choices remembers values it has read; True == 1 for a dict, but TRUE is not «1».
    marks = Choices("mark", {"present": ["+", "1"], "absent": ["-", "0"]})
    fresh = Choices("mark", {"present": ["+", "1"], "absent": ["-", "0"]})
    assert marks.read(1) == "present" and marks.read(0) == "absent"
    with pytest.raises(CellError):
        fresh.read(True)
    with pytest.raises(CellError):
        marks.read(True)
    with pytest.raises(CellError):
        marks.read(False)


MARKS = yaml.safe_load((SCHEMAS_DIR / "workbook.yaml").read_text(encoding="utf-8"))["enums"]["mark"]


@given(st.sampled_from(["+", "-", "1", "0", 1, 0, True, False, "н", "у", "да", "нет", "✓", "б", "был", "не была",
                        "++", "?", "x"]),
       st.lists(st.sampled_from(["+", "-", 1, 0, 1.0, True, False, "н", "у"]), max_size=10))
def test_reading_a_mark_does_not_depend_on_what_was_read_before(value, before):
    layout_marks = load_layout().enums["mark"]           # shared by every workbook the service reads
    fresh = Choices("mark", MARKS)

    def answer(choices, v):
        try:
            return choices.read(v)
        except CellError as err:
            return err.code

    expected = answer(fresh, value)
    for v in before:
        answer(layout_marks, v)
    assert answer(layout_marks, value) == expected


# ---------------------------------------------------------------- plan deadlines

Y = SchoolYear(2024)


@pytest.mark.parametrize("text, first, last", [
    ("ноябрь", D(2024, 11, 1), D(2024, 11, 30)),
    ("март", D(2025, 3, 1), D(2025, 3, 31)),
    ("Сентябрь", D(2024, 9, 1), D(2024, 9, 30)),
    ("август", D(2025, 8, 1), D(2025, 8, 31)),
    ("в марте", D(2025, 3, 1), D(2025, 3, 31)),
    ("до конца мая", D(2025, 5, 1), D(2025, 5, 31)),
    ("сентябрь–октябрь", D(2024, 9, 1), D(2024, 10, 31)),
    ("декабрь - январь", D(2024, 12, 1), D(2025, 1, 31)),
    ("февраль", D(2025, 2, 1), D(2025, 2, 28)),
    ("в течение ноября", D(2024, 11, 1), D(2024, 11, 30)),
    ("до 15.11.2024", D(2024, 11, 15), D(2024, 11, 15)),
])
def test_months_are_resolved_inside_the_school_year(text, first, last):
    due = parse_due(text, Y)
    assert (due.first, due.last) == (first, last)
    assert not due.whole_year
    assert due.text == text


@pytest.mark.parametrize("text", ["в течение года", "В течение учебного года", "постоянно", "ежемесячно",
                                  "весь год", "по мере необходимости"])
def test_the_whole_year(text):
    due = parse_due(text, Y)
    assert due.whole_year
    assert (due.first, due.last) == (D(2024, 9, 1), D(2025, 8, 31))


@pytest.mark.parametrize("value", [D(2025, 2, 18), 45706, dt.datetime(2025, 2, 18, 9, 0)])
def test_a_date_cell_is_a_one_day_deadline(value):
    due = parse_due(value, Y)
    assert due.first == due.last == D(2025, 2, 18)
    assert due.text == "18.02.2025"


@pytest.mark.parametrize("text", ["когда-нибудь", "II четверть", "", "по плану ОО"])
def test_an_unreadable_deadline_is_bad_date_with_examples(text):
    err = refused(parse_due, text, Y)
    assert err.code == "cell.bad_date"
    assert "срок не распознан" in err.message and "в течение года" in err.message


@given(st.integers(min_value=1991, max_value=2098), st.integers(min_value=1, max_value=12))
def test_any_month_name_falls_inside_its_school_year(start, month):
    names = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
             "октябрь", "ноябрь", "декабрь")
    year = SchoolYear(start)
    due = parse_due(names[month - 1], year)
    assert due.first.month == month == due.last.month
    assert due.first.day == 1 and (due.last + dt.timedelta(days=1)).day == 1
    assert year.contains(due.first) and year.contains(due.last)


# ---------------------------------------------------------------- lists in one cell («Задачи»)

@pytest.mark.parametrize("typed", [
    "1. Изучать практики;\n2. Обобщать опыт.",
    "1) Изучать практики 2) Обобщать опыт",
    "Изучать практики; Обобщать опыт",
    "- Изучать практики\n- Обобщать опыт",
    "• Изучать практики,\r\n• Обобщать опыт",
])
def test_a_list_typed_in_one_cell_reads_item_by_item(typed):
    from service.schema.cells import parse_lines

    items = parse_lines(typed)
    assert [i.rstrip(".") for i in items] == ["Изучать практики", "Обобщать опыт"]


def test_a_single_item_and_numbers_inside_the_text_stay():
    from service.schema.cells import parse_lines

    assert parse_lines("Подготовить 2 участников конкурса в 2025 году.") == [
        "Подготовить 2 участников конкурса в 2025 году."]
    assert parse_lines("  \n  ") == []


# ---------------------------------------------------------------- links

@pytest.mark.parametrize("typed, read", [
    ("https://nsportal.ru/page?x=1#a", "https://nsportal.ru/page?x=1#a"),
    ("HTTP://Site.ru/Path", "HTTP://Site.ru/Path"),
    ("www.nsportal.ru/x", "https://www.nsportal.ru/x"),
    ("сайт.рф/путь", "https://сайт.рф/путь"),
    ("  nsportal.ru  ", "https://nsportal.ru"),
])
def test_links_are_http_and_bare_addresses_get_https(typed, read):
    from service.schema.cells import parse_url

    assert parse_url(typed) == read


@pytest.mark.parametrize("typed", ["javascript:alert(1)", "file:///etc/passwd", "http://localhost", "текст ссылки",
                                   "https://a.ru/ пробел", "data:text/html,<b>", 12.5, "https://" + "a" * 2000 + ".ru"])
def test_anything_else_is_not_a_link(typed):
    from service.schema.cells import CellError, parse_url

    with pytest.raises(CellError) as err:
        parse_url(typed)
    assert err.value.code == "cell.bad_url" and "https://" in err.value.message
