"""The same registers saved as .xlsx, .ods (LibreOffice) and .xls (Excel 97) read as the
same rows, the same positions and the same findings: the schema stage cannot tell
which format a teacher used."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from service.pipeline import check
from service.sources.workbook_file import WorkbookFileSource
from tests.factories import association, year_end
from tests.support.formats import FORMATS, SYSTEM

pytestmark = [SYSTEM, pytest.mark.slow]
D = dt.date


def _book_with_mistakes():
    book = association("zalesovo-mmo")
    book.member(book.members[4]["ФИО"])["Дата рождения"] = "31.02.1980"        # no such date
    book.meeting(2)["Секретарь"] = "Неизвестная О.О."                            # not a member
    book.meeting(3)["Дата"] = 45_706                                             # a serial number: 18.02.2025
    book.title_rows = 2
    return book


def _offset_sheet(path: Path) -> Path:
    """Data that starts at C3 under a merged title, with a boolean, a time and text dates."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "План"
    ws["C3"] = "План работы на 2024-2025 учебный год"
    ws.merge_cells("C3:F3")
    ws["C5"], ws["D5"], ws["E5"], ws["F5"] = "№", "Мероприятие", "Срок", "Выполнено"
    ws["C6"], ws["D6"], ws["E6"], ws["F6"] = 1, "Семинар", dt.datetime(2024, 11, 12), True
    ws["C7"], ws["D7"], ws["E7"], ws["F7"] = 2, "Круглый стол", "12.12.2024", False
    ws["E7"].number_format = "@"
    ws["C8"], ws["D8"], ws["E8"] = 3, "Начало в", dt.time(14, 30)
    ws["E8"].number_format = "hh:mm"
    ws["H10"] = "примечание"
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    d = tmp_path_factory.mktemp("formats-src")
    plain = association()
    titled = association()
    titled.title_rows = 3
    return {"plain": (plain, plain.save(d / "plain.xlsx")), "titled": (titled, titled.save(d / "titled.xlsx")),
            "mistakes": (_book_with_mistakes(), _book_with_mistakes().save(d / "mistakes.xlsx")),
            "offset": (None, _offset_sheet(d / "offset.xlsx"))}


@pytest.fixture(scope="module", params=FORMATS)
def files(request, sources, converter):
    names = list(sources)
    converted = converter.convert([sources[n][1] for n in names], request.param)
    return request.param, dict(zip(names, converted))


def _typed(values):
    out = list(values)
    while out and out[-1] in (None, ""):
        out.pop()
    return [None if v == "" else v for v in out]


def _read(values):
    return [v.date() if isinstance(v, dt.datetime) else v for v in values]


@pytest.mark.parametrize("name", ["plain", "titled"])
def test_a_saved_association_reads_as_the_rows_typed(files, sources, name):
    fmt, paths = files
    book, _ = sources[name]
    raw = WorkbookFileSource(paths[name]).read()
    expected = book.raw()
    assert raw.titles() == expected.titles()
    for got, typed in zip(raw.tabs, expected.tabs):
        assert [n for n, _ in got.rows] == [n for n, _ in typed.rows], (fmt, got.title)
        for (_, values), (_, typed_values) in zip(got.rows, typed.rows):
            want = _typed(typed_values)
            assert _read(values[:len(want)]) == want, (fmt, got.title)
            assert all(v is None for v in values[len(want):]), (fmt, got.title)


def test_findings_are_the_same_in_every_format(files, sources):
    fmt, paths = files
    reference = check(WorkbookFileSource(sources["mistakes"][1]), as_of=year_end())
    report = check(WorkbookFileSource(paths["mistakes"]), as_of=year_end())
    assert report.findings, "the book has mistakes to find"
    assert [(f.code, f.sheet, f.cell, f.message) for f in report.findings] == \
           [(f.code, f.sheet, f.cell, f.message) for f in reference.findings], fmt
    cells = {(f.code, f.cell) for f in report.findings}
    assert ("cell.bad_date", "J8") in cells                    # two title rows, header on row 3, member 5
    assert report.data.meeting(3).date == D(2025, 2, 18)       # the serial number read as a date


def test_positions_dates_booleans_and_times_survive_every_format(files):
    fmt, paths = files
    tab = WorkbookFileSource(paths["offset"]).read().tabs[0]
    rows = dict(tab.rows)
    assert sorted(rows) == [3, 5, 6, 7, 8, 10], fmt
    assert rows[3][:3] == (None, None, "План работы на 2024-2025 учебный год")      # merged title, at C3
    assert rows[5][2:6] == ("№", "Мероприятие", "Срок", "Выполнено")
    assert rows[6][2] == 1 and rows[6][3] == "Семинар"
    assert _read([rows[6][4]]) == [D(2024, 11, 12)]
    if fmt == "ods":       # LibreOffice keeps a converted TRUE as the formula =TRUE() with the value 1
        assert (rows[6][5], rows[7][5]) == (1, 0)
    else:
        assert rows[6][5] is True and rows[7][5] is False
    assert rows[7][4] == "12.12.2024"                                              # text stays text
    assert rows[8][4] == dt.time(14, 30), (fmt, rows[8][4])
    assert rows[10][7] == "примечание" and len(rows[10]) == 8                      # H10

