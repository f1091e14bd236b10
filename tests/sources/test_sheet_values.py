"""The add-on's payload as a source (service/sources/sheet_values.py): rows and cells keep the
positions the person sees, values become what the file reader makes of the same cells,
the shape and the size are checked before anything is used, and the read is held to the
same limits and budget as every other source."""
from __future__ import annotations

import datetime as dt

import pytest

from service.pipeline import check
from service.sources.base import SourceError, open_source
from service.sources.limits import Limits
from service.sources.sheet_values import PayloadError, SheetValuesSource
from tests.factories import D, association

SHEET_ID = "1FactoryBookSheet_abcdefghijklmnop"


def payload(*sheets, name="Таблица") -> dict:
    return {"spreadsheet": {"id": SHEET_ID, "name": name, "url": "", "time_zone": "Asia/Novosibirsk"},
            "sheets": [{"name": title, "values": values, "display_values": None} for title, values in sheets]}


def test_rows_keep_their_numbers_and_empty_rows_are_dropped():
    raw = SheetValuesSource(payload(("Состав", [["", ""], ["ФИО", "ОО"], ["", ""], ["Иванова", "СОШ №1"]]))).read()
    [tab] = raw.tabs
    assert tab.title == "Состав" and raw.name == "Таблица"
    assert tab.rows == [(2, ("ФИО", "ОО")), (4, ("Иванова", "СОШ №1"))]


def test_values_as_the_file_reader_gives_them():
    p = {"spreadsheet": {"id": SHEET_ID, "name": "Т"}, "sheets": [{
        "name": "A", "values": [["2024-09-24", "2024-09-24T10:30:00", "1899-12-30T08:15:00", "2024-02-31", 5.0, 2.5,
                                 "", True, "1899-12-30T00:00:00", 7, "24.09.2024", "2024-09-24 extra"]],
        "display_values": [["24.09.2024", "24.09.2024 10:30", "8:15", "2024-02-31", "5", "2,5", "", "TRUE",
                            "30.12.1899 0:00", "7", "24.09.2024", "2024-09-24 extra"]]}]}
    [tab] = SheetValuesSource(p).read().tabs
    assert tab.rows == [(1, (D(2024, 9, 24), dt.datetime(2024, 9, 24, 10, 30), dt.time(8, 15), "2024-02-31", 5, 2.5,
                             None, True, dt.datetime(1899, 12, 30), 7, "24.09.2024", "2024-09-24 extra"))]


def test_a_register_sent_by_the_addon_reads_like_its_xlsx(tmp_path):
    book = association("zdvinsky-mmo")
    book.title_rows = 2
    book.members[3]["Дата включения"] = "первое сентября"
    as_of = D(2025, 9, 1)
    sent = check(SheetValuesSource(book.sheet_payload()), as_of=as_of)
    saved = check(open_source(book.save(tmp_path / "r.xlsx")), as_of=as_of)
    assert [f.as_dict() for f in sent.findings] == [f.as_dict() for f in saved.findings]
    assert sent.findings and any(f.cell == "M7" for f in sent.findings)


@pytest.mark.parametrize("limits, sheets, words", [
    (Limits(max_rows=3), [("Состав", [["a"], ["b"], ["c"], ["d"]])], "до строки 4"),
    (Limits(max_columns=2), [("Состав", [["a", "b", "c"]])], "до столбца C"),
    (Limits(max_cells=5), [("A", [["a", "b", "c"]]), ("B", [["a", "b", "c"]])], "6 ячеек"),
])
def test_past_the_limits_is_too_large_before_any_row_is_read(limits, sheets, words):
    with pytest.raises(SourceError) as refused:
        SheetValuesSource(payload(*sheets), limits).read()
    assert refused.value.code == "workbook.too_large" and words in refused.value.message


def test_too_many_tabs():
    with pytest.raises(SourceError) as refused:
        SheetValuesSource(payload(*[(f"Лист{i}", [["x"]]) for i in range(4)]), max_tabs=3).read()
    assert refused.value.code == "workbook.too_large" and "4 листов" in refused.value.message


def test_the_read_is_charged_to_the_budget():
    slow = Limits(max_seconds=0.0)
    with pytest.raises(SourceError) as refused:
        SheetValuesSource(payload(("A", [["x"] * 10] * 50)), slow).read()
    assert refused.value.code == "workbook.too_large" and "не прочитана" in refused.value.message


@pytest.mark.parametrize("body, where", [
    (None, None), ([], None), ({"sheets": []}, "spreadsheet"),
    ({"spreadsheet": {"id": "../../etc"}, "sheets": []}, "spreadsheet.id"),
    ({"spreadsheet": {"id": SHEET_ID, "name": 5}, "sheets": []}, "spreadsheet.name"),
    ({"spreadsheet": {"id": SHEET_ID, "time_zone": "x" * 65}, "sheets": []}, "spreadsheet.time_zone"),
    ({"spreadsheet": {"id": SHEET_ID}, "sheets": [{"name": "x" * 101, "values": []}]}, "sheets[0]"),
    ({"spreadsheet": {"id": SHEET_ID}, "sheets": [{"name": "A", "values": [["x" * 50_001]]}]}, "A"),
    ({"spreadsheet": {"id": SHEET_ID}, "sheets": [{"name": "A", "values": [[1e400]]}]}, None),
])
def test_a_malformed_payload_says_where(body, where):
    try:
        raw = SheetValuesSource(body).read()
    except PayloadError as refused:
        assert refused.code == "request.invalid" and refused.where == where and refused.message
    else:                                    # an infinite number (JSON can carry 1e400) is an empty cell
        assert raw.tabs[0].rows == []


def test_a_spreadsheet_without_a_name_is_named_for_people():
    assert SheetValuesSource({"spreadsheet": {"id": SHEET_ID}, "sheets": []}).read().name == "Google Таблица"


from hypothesis import given, settings, strategies as st  # noqa: E402

_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20),
                     st.sampled_from(["2024-09-24", "1899-12-30T10:00:00", "2024-13-45", "2024-09-24T25:61:00"]))
_json = st.recursive(_scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                        st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                     max_leaves=20)
_sheet = st.fixed_dictionaries({"name": st.one_of(st.text(max_size=12), _scalars),
                                 "values": st.one_of(st.lists(st.lists(_json, max_size=4), max_size=4), _json)},
                                optional={"display_values": st.one_of(st.none(), st.lists(st.lists(_json, max_size=4),
                                                                                          max_size=4))})


@settings(max_examples=300, deadline=None)
@given(st.one_of(_json, st.fixed_dictionaries({
    "spreadsheet": st.one_of(_json, st.fixed_dictionaries({"id": st.sampled_from([SHEET_ID, "x", ""])},
                                                           optional={"name": _scalars, "time_zone": _scalars})),
    "sheets": st.one_of(_json, st.lists(_sheet, max_size=4))})))
def test_whatever_is_sent_is_a_workbook_or_a_sentence(body):
    try:
        raw = SheetValuesSource(body).read()
    except SourceError as refused:
        assert refused.code in ("request.invalid", "workbook.too_large") and refused.message
    else:
        assert all(isinstance(n, int) and n >= 1 for t in raw.tabs for n, _ in t.rows)
