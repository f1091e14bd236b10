"""Copies of Google Sheets kept as an association's workbook (service/workspace/sheet_copies.py):
read back, the copy gives the same rows at the same positions; text stays text; titles
Excel refuses are made acceptable; the copy is named by its spreadsheet and content."""
from __future__ import annotations

import datetime as dt

from service.pipeline import check
from service.sources.base import open_source
from service.sources.sheet_values import SheetValuesSource
from service.workspace.sheet_copies import copy_pattern, digest, is_copy_of, same_content, save_copy
from tests.factories import D, association

SHEET_ID = "1FactoryBookSheet_abcdefghijklmnop"


def test_the_copy_reads_as_the_sheet_read(tmp_path):
    book = association("zdvinsky-mmo")
    book.title_rows = 2
    raw = SheetValuesSource(book.sheet_payload()).read()
    path = save_copy(tmp_path, SHEET_ID, raw, digest(raw))
    again = open_source(path).read()
    assert [t.title for t in again.tabs] == [t.title for t in raw.tabs]
    for mine, theirs in zip(raw.tabs, again.tabs):
        assert [n for n, _ in mine.rows] == [n for n, _ in theirs.rows], mine.title
    as_of = D(2025, 9, 1)
    assert [f.as_dict() for f in check(open_source(path), as_of=as_of).findings] == \
           [f.as_dict() for f in check(SheetValuesSource(book.sheet_payload()), as_of=as_of).findings]


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    import openpyxl

    raw = SheetValuesSource({"spreadsheet": {"id": SHEET_ID}, "sheets": [
        {"name": "A", "values": [["=1+1", '=HYPERLINK("http://x";"y")', "2024-09-24"]]}]}).read()
    sheet = openpyxl.load_workbook(save_copy(tmp_path, SHEET_ID, raw, digest(raw)))["A"]
    assert [(c.value, c.data_type) for c in sheet[1]][:2] == [("=1+1", "s"), ('=HYPERLINK("http://x";"y")', "s")]
    assert sheet["C1"].value == dt.datetime(2024, 9, 24)


def test_titles_excel_refuses_are_made_acceptable_and_unique(tmp_path):
    long = "План работы методического объединения на учебный год"
    raw = SheetValuesSource({"spreadsheet": {"id": SHEET_ID}, "sheets": [
        {"name": "Состав [основной]", "values": [["x"]]}, {"name": long, "values": [["y"]]},
        {"name": long + " (копия)", "values": [["z"]]}, {"name": "a/b:c?", "values": [["w"]]}]}).read()
    titles = [t.title for t in open_source(save_copy(tmp_path, SHEET_ID, raw, digest(raw))).read().tabs]
    assert titles[0] == "Состав  основной" and all(len(t) <= 31 for t in titles)
    assert len(set(t.lower() for t in titles)) == 4


def test_a_copy_is_known_by_its_spreadsheet_and_content(tmp_path):
    raw = SheetValuesSource({"spreadsheet": {"id": SHEET_ID}, "sheets": [{"name": "A", "values": [["x"]]}]}).read()
    path = save_copy(tmp_path, SHEET_ID, raw, digest(raw))
    assert is_copy_of(str(path), SHEET_ID) and not is_copy_of(str(path), "1Other_abcdefghijklmnopqrs")
    assert same_content(str(path), digest(raw))
    changed = SheetValuesSource({"spreadsheet": {"id": SHEET_ID}, "sheets": [{"name": "A", "values": [["y"]]}]}).read()
    assert not same_content(str(path), digest(changed))
    assert copy_pattern("1ab_c%d") == "%gsheet-1ab\\_c\\%d-%"
