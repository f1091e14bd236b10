"""Real workbook files, written with openpyxl as Excel users lay them out (and .ods cells as
LibreOffice types them), read back
by WorkbookFileSource and the schema reader: row numbers stay the ones the person sees,
columns are found by their headers in any order, and every finding points at the
A1 cell to fix."""
import datetime as dt

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference

from service.schema.reader import read_workbook
from service.sources.base import SourceError, a1
from service.sources.workbook_file import WorkbookFileSource
from tests.factories import MEMBER_HEADERS, association, year_end

D = dt.date


def numbers(tab):
    return [n for n, _ in tab.rows]


def at(findings, sheet):
    return {(f.code, f.cell) for f in findings if f.sheet == sheet}


# ---------------------------------------------------------------- row numbers

def test_rows_keep_their_sheet_numbers_across_titles_and_empty_rows(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Состав"
    ws["A1"] = "Состав ММО учителей математики"
    ws.merge_cells("A1:D1")                        # a title over the table, as people make it
    ws["A2"] = "на 2024-2025 учебный год"
    ws.append([])                                  # row 3 left empty
    ws["A4"], ws["B4"] = "ФИО", "Должность"
    ws["A5"], ws["B5"] = "Иванова Мария Петровна", "учитель"
    ws["A6"], ws["B6"] = "Кузнецова Ольга Викторовна", "учитель"
    ws["A9"], ws["B9"] = "Смирнова Елена Сергеевна", "учитель"          # rows 7–8 empty
    ws["B10"] = "   "                                                   # only spaces: empty too
    ws["C11"] = "примечание"                                            # something far right
    path = tmp_path / "состав.xlsx"
    wb.save(path)

    tab = WorkbookFileSource(path).read().tabs[0]
    assert numbers(tab) == [1, 2, 4, 5, 6, 9, 11]
    assert dict(tab.rows)[9][:2] == ("Смирнова Елена Сергеевна", "учитель")
    assert dict(tab.rows)[11] == (None, None, "примечание")
    assert tab.truncated_at is None


def test_a_sheet_whose_first_rows_were_never_touched_starts_at_its_first_real_row(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "План"
    ws["C3"] = "№"
    ws["D3"] = "Мероприятие"
    path = tmp_path / "план.xlsx"
    wb.save(path)
    assert WorkbookFileSource(path).read().tabs[0].rows == [(3, (None, None, "№", "Мероприятие"))]


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
@pytest.mark.parametrize("title_rows", [0, 3])
def test_a_saved_association_reads_as_the_same_rows_as_typed(tmp_path, title_rows, suffix):
    book = association()
    book.title_rows = title_rows
    raw = WorkbookFileSource(book.save(tmp_path / f"mmo{suffix}")).read()
    expected = book.raw()
    assert raw.titles() == expected.titles()
    for got, typed in zip(raw.tabs, expected.tabs):
        assert numbers(got) == numbers(typed), got.title
        for (_, values), (_, typed_values) in zip(got.rows, typed.rows):
            trimmed = list(typed_values)
            while trimmed and trimmed[-1] in (None, ""):
                trimmed.pop()
            read = [v.date() if isinstance(v, dt.datetime) else v for v in values[:len(trimmed)]]
            assert read == trimmed, got.title


@pytest.mark.parametrize("title_rows", [0, 3])
def test_a_saved_compliant_association_has_no_findings(tmp_path, title_rows):
    book = association()
    book.title_rows = title_rows
    raw = WorkbookFileSource(book.save(tmp_path / "mmo.xlsx")).read()
    wb, findings = read_workbook(raw, year_end())
    assert findings == []
    assert len(wb.members) == 12 and len(wb.meetings) == 4
    assert wb.members[0].row == title_rows + 2


def test_a_diagram_on_its_own_tab_does_not_disturb_reading(tmp_path):
    book = association()
    path = book.save(tmp_path / "mmo.xlsx")
    wb = openpyxl.load_workbook(path)
    chart = BarChart()
    chart.add_data(Reference(wb["Состав"], min_col=6, min_row=1, max_row=13), titles_from_data=True)
    wb.create_chartsheet("Диаграмма").add_chart(chart)      # «Стаж» as a diagram on its own tab
    wb.save(path)
    raw = WorkbookFileSource(path).read()
    assert "Диаграмма" not in raw.titles()          # no cells to read there
    assert read_workbook(raw, year_end())[1] == []


# ---------------------------------------------------------------- findings at the cell to fix

@pytest.mark.parametrize("title_rows, cell", [(0, "G6"), (2, "G8")])
def test_a_bad_category_is_reported_at_the_cell_the_person_sees(tmp_path, title_rows, cell):
    book = association()
    book.title_rows = title_rows
    book.members[4]["Квалификационная категория"] = "главная"
    assert MEMBER_HEADERS.index("Квалификационная категория") == 6      # the 7th column: G
    raw = WorkbookFileSource(book.save(tmp_path / "mmo.xlsx")).read()
    _, findings = read_workbook(raw, year_end())
    (f,) = [f for f in findings if f.code == "cell.bad_choice"]
    assert (f.sheet, f.cell, f.severity) == ("Состав", cell, "error")
    assert f.message.startswith(f"{cell}: «главная» — недопустимое значение")
    assert "«высшая»" in f.message


def test_bad_cells_on_other_tabs_point_at_their_cells(tmp_path):
    book = association()
    book.meetings[1]["Дата"] = "31.02.2025"                 # Заседания: 2nd meeting, Дата is column B
    book.agenda[0]["За"] = "девять"                         # Повестка: 1st question, За is column G
    book.plan[2]["Срок"] = "когда-нибудь"                   # План: 3rd item, Срок is column D
    raw = WorkbookFileSource(book.save(tmp_path / "mmo.xlsx")).read()
    _, findings = read_workbook(raw, year_end())
    assert ("cell.bad_date", "B3") in at(findings, "Заседания")
    assert ("cell.bad_number", "G2") in at(findings, "Повестка")
    assert ("cell.bad_date", "D4") in at(findings, "План")


def _replace_members(path, rows):
    """Rewrite «Состав» of a saved book with `rows` (lists of values, from row 1)."""
    wb = openpyxl.load_workbook(path)
    index = wb.sheetnames.index("Состав")
    wb.remove(wb["Состав"])
    ws = wb.create_sheet("Состав", index)
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(r, c, value)
    wb.save(path)


def test_reordered_columns_with_other_header_names_are_read_and_reported_by_their_own_letters(tmp_path):
    book = association()
    path = book.save(tmp_path / "mmo.xlsx")
    headers = ["Примечание", "Кв. категория", "Ф.И.О.", "Роль", "Место работы", "Занимаемая должность",
               "Пед. стаж", "Дата рождения", "Электронная почта"]
    source = ["", "Квалификационная категория", "ФИО", "Роль в МО", "ОО", "Должность",
              "Педагогический стаж", "Дата рождения", "E-mail"]
    rows = [["Банк данных ММО учителей математики"], ["Здвинский район, 2024-2025"], [], headers]
    for i, member in enumerate(book.members):
        if i == 6:
            rows.append([])                                           # an empty row inside the table
        rows.append([member.get(h) if h else None for h in source])
    rows[4 + 2][6] = "много"                # member 3 (row 7): Пед. стаж, column G
    rows[4 + 5][1] = "главная"              # member 6 (row 10): Кв. категория, column B
    rows[4 + 8][8] = "teacher@"             # member 8 (row 13, after the empty row 11): почта, column I
    rows[4 + 9][0] = "в декрете"            # a note in a column the service does not know
    _replace_members(path, rows)

    raw = WorkbookFileSource(path).read()
    wb, findings = read_workbook(raw, year_end())
    assert at(findings, "Состав") == {("cell.bad_number", "G7"), ("cell.bad_choice", "B10"),
                                      ("cell.bad_email", "I13")}
    assert [m.row for m in wb.members] == [5, 6, 7, 8, 9, 10, 12, 13, 14, 15, 16, 17]
    head = wb.members[0]
    assert (head.full_name, head.role, head.category, head.experience) == \
        ("Иванова Мария Петровна", "руководитель", "высшая", 5)
    assert head.cells["category"] == "B5" and head.cells["full_name"] == "C5"
    assert wb.members[0].birth_date == book.members[0]["Дата рождения"]


def test_dates_typed_every_usual_way_in_one_column(tmp_path):
    book = association()
    path = book.save(tmp_path / "mmo.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Состав"]
    column = MEMBER_HEADERS.index("Дата рождения") + 1
    typed = [dt.datetime(1980, 11, 12), "12.11.1980", "12.11.80", "1980-11-12", "12 ноября 1980 г.",
             29537, 29537.5]                                   # serial numbers without a date format
    for i, value in enumerate(typed):
        ws.cell(2 + i, column, value)
    wb.save(path)

    members, findings = read_workbook(WorkbookFileSource(path).read(), year_end())
    assert at(findings, "Состав") == set()
    assert [m.birth_date for m in members.members[:len(typed)]] == [D(1980, 11, 12)] * len(typed)


def test_a_missing_required_column_is_named_with_its_synonyms(tmp_path):
    book = association()
    path = book.save(tmp_path / "mmo.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["Состав"].delete_cols(MEMBER_HEADERS.index("ОО") + 1)
    wb.save(path)
    _, findings = read_workbook(WorkbookFileSource(path).read(), year_end())
    (f,) = [f for f in findings if f.code == "column.missing"]
    assert f.sheet == "Состав"
    assert "нет столбца «ОО»" in f.message and "Образовательная организация" in f.message


def test_a1_addresses():
    assert a1(6, 7) == "G6"
    assert a1(1, 1) == "A1"
    assert a1(5001, 1) == "A5001"
    assert a1(10, 27) == "AA10"
    assert a1(1_048_576, 16_384) == "XFD1048576"


def test_native_ods_values_booleans_dates_and_times(tmp_path):
    """Cells as LibreOffice types them in an .ods of its own: booleans, dates, date-times,
    times, percentages, and a value repeated over columns."""
    from tests.sources.test_hostile import ods_content, write_ods

    def cell(kind: str, attrs: str, shown: str, repeat: int = 1) -> str:
        rep = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
        return f'<table:table-cell{rep} office:value-type="{kind}" {attrs}><text:p>{shown}</text:p></table:table-cell>'

    row = "".join([
        cell("boolean", 'office:boolean-value="true"', "ИСТИНА"),
        cell("date", 'office:date-value="2024-11-12"', "12.11.2024"),
        cell("date", 'office:date-value="2024-11-12T10:30:00"', "12.11.2024 10:30"),
        cell("time", 'office:time-value="PT14H30M00S"', "14:30"),
        cell("float", 'office:value="5"', "5"),
        cell("float", 'office:value="2.5"', "2,5"),
        cell("string", "", "да", repeat=3),
    ])
    tables = (f'<table:table table:name="Лист1"><table:table-row table:number-rows-repeated="2">'
              '<table:table-cell/></table:table-row>'
              f'<table:table-row><table:table-cell table:number-columns-repeated="2"/>{row}</table:table-row>'
              '</table:table>')
    path = write_ods(tmp_path / "типы.ods", ods_content(tables))
    (number, values), = WorkbookFileSource(path).read().tabs[0].rows
    assert number == 3
    assert values == (None, None, True, D(2024, 11, 12), dt.datetime(2024, 11, 12, 10, 30), dt.time(14, 30),
                      5, 2.5, "да", "да", "да")


def test_a_panic_of_the_parser_is_a_damaged_file_not_a_crash(tmp_path, monkeypatch):
    """pyo3 turns a Rust panic into PanicException, a BaseException: it must end as one
    Russian sentence like any damaged file, and nothing else may be swallowed."""
    import python_calamine

    class PanicException(BaseException):
        pass

    def panics(*args, **kwargs):
        raise PanicException("index out of bounds")

    path = association().save(tmp_path / "mmo.xlsx")
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", panics)
    with pytest.raises(SourceError) as info:
        WorkbookFileSource(path).read()
    assert info.value.code == "workbook.unreadable" and "повреждён" in info.value.message

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", interrupted)
    with pytest.raises(KeyboardInterrupt):
        WorkbookFileSource(path).read()
