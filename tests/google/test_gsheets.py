"""Google Sheets adapter: the same workbook read from Sheets and from .xlsx gives the
same rows and the same findings; two requests per read; nothing re-read at an
unchanged version; Google's refusals become one Russian sentence."""
import datetime as dt

import openpyxl
import pytest

from service.pipeline import check
from service.sources.gsheets import (SPREADSHEET_FIELDS, GoogleSourceError, GSheetReader, GSheetSource,
                                     MemoryWorkbookCache, drive_versions, is_gsheet_location,
                                     parse_spreadsheet_id, quote_title, range_start)
from service.sources.limits import Limits
from service.sources.workbook_file import WorkbookFileSource
from tests.factories import association, year_end
from tests.google.payloads import (SHEETS, add_sheet, batch_get, drive, fail, gspread_client, load, ok, query,
                                   serial, sheets_meta)

SID = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEF"
SA = "mo-docs@mo-docs-prod.iam.gserviceaccount.com"
D = dt.date


def reader(limits=None, **options):
    return GSheetReader(gspread_client(sleep=lambda s: None, **options), limits=limits, service_account_email=SA)


# ---------------------------------------------------------------- one workbook, two sources

def head_typed_book():
    """A register as a head types it: titles above the tables, header synonyms, a
    synonym tab title with a space, a tab with a quote, and a few mistakes."""
    book = association()
    book.title_rows = 2
    book.meeting(2)["Председатель"] = "Неизвестная Анна Петровна"        # not a member
    book.members[5]["Дата рождения"] = "31.02.1980"                      # no such date
    book.meetings[3]["Дата"] = D(2025, 9, 20)                              # after the school year
    book.members[7]["Дата включения"] = D(2024, 9, 2)
    tables = book.tables()
    renames = {"Состав": {"ФИО": "Фамилия, имя, отчество", "Педагогический стаж": "Стаж",
                          "Дата включения": "В составе с"},
               "Заседания": {"Дата": "Дата проведения"}}
    for tab, names in renames.items():
        header = tables[tab][book.title_rows]
        tables[tab][book.title_rows] = [names.get(h, h) for h in header]
    tables["Сведения"] = [["Год" if k == "Учебный год" else k, v] for k, v in tables["Сведения"]]
    tables["План работы"] = tables.pop("План")
    tables["Мама's заметки"] = [["Заметка"], [], ["позвонить в ММС"]]
    return tables


def save_xlsx(tables, path):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in tables.items():
        ws = wb.create_sheet(title)
        for values in rows:
            ws.append(list(values))
    wb.save(path)
    return path


def comparable(raw):
    """Rows with dates as serial numbers and trailing empty cells dropped (Sheets trims them)."""
    out = []
    for tab in raw.tabs:
        rows = []
        for number, values in tab.rows:
            cells = [serial(v.date() if isinstance(v, dt.datetime) and v.time() == dt.time() else v) for v in values]
            while cells and cells[-1] is None:
                cells.pop()
            rows.append((number, cells))
        out.append((tab.title, rows, tab.truncated_at))
    return out


@pytest.mark.parametrize("limits", [Limits(), Limits(max_rows=12, max_columns=6)], ids=["default", "small"])
def test_a_sheet_read_through_the_pipeline_gives_the_findings_of_the_same_xlsx(tmp_path, rsps, limits):
    tables = head_typed_book()
    meta = sheets_meta(SID, "ММО математиков 2024-2025", tables)
    add_sheet(rsps, SID, meta, batch_get(SID, tables, meta, limits.max_rows, limits.max_columns))
    source = GSheetSource(f"gsheet:{SID}", reader(limits))
    from_sheets = check(source, as_of=year_end(), limits=limits)
    xlsx = WorkbookFileSource(save_xlsx(tables, tmp_path / "mmo.xlsx"), limits=limits)
    from_xlsx = check(xlsx, as_of=year_end(), limits=limits)

    assert [f.as_dict() for f in from_sheets.findings] == [f.as_dict() for f in from_xlsx.findings]
    codes = {f.code for f in from_sheets.findings}
    if limits.max_rows == 12:                 # long tabs cut at row 13, columns past F never read
        assert "sheet.too_many_rows" in codes
    else:
        assert {"ref.unknown_member", "cell.bad_date", "meeting.outside_year"} <= codes
    assert from_sheets.regulation.id == "zdvinsky-mmo" and from_sheets.year.label == "2024-2025"
    assert from_sheets.workbook == "ММО математиков 2024-2025"
    assert comparable(source.read()) == comparable(xlsx.read())


def test_a_read_is_one_spreadsheets_get_and_one_batch_get_with_the_right_parameters(rsps):
    tables = head_typed_book()
    meta = sheets_meta(SID, "ММО", tables)
    add_sheet(rsps, SID, meta, batch_get(SID, tables, meta))
    reader().read(SID)
    assert [c.request.method for c in rsps.calls] == ["GET", "GET"]
    get_q, batch_q = query(rsps.calls[0].request.url), query(rsps.calls[1].request.url)
    assert get_q == {"fields": [SPREADSHEET_FIELDS]}
    assert batch_q["valueRenderOption"] == ["UNFORMATTED_VALUE"]
    assert batch_q["dateTimeRenderOption"] == ["SERIAL_NUMBER"]
    assert batch_q["ranges"] == ["'Сведения'!A1:Z1000", "'Состав'!A1:Z1000", "'Заседания'!A1:Z1000",
                                 "'Повестка'!A1:Z1000", "'Посещаемость'!A1:Z1000", "'Достижения'!A1:Z1000",
                                 "'Потребности'!A1:Z1000", "'План работы'!A1:Z1000", "'Мама''s заметки'!A1:Z1000"]


def test_rows_keep_their_sheet_numbers_from_the_returned_range():
    """The sample payload: leading empty rows come back as [], a tab may start at C3,
    empty cells inside a row as "", a chart sheet has no cells."""
    import responses

    with responses.RequestsMock() as rsps:
        add_sheet(rsps, SID, load("sheets/spreadsheet.json"), load("sheets/batch_get.json"))
        wb = reader().read(SID)
        ranges = query(rsps.calls[1].request.url)["ranges"]
    assert ranges == ["'Состав'!A1:Z1000", "'План работы'!A1:H200", "'Мама''s заметки'!A1:E100"]
    assert wb.name == "ММО математиков 2024-2025"
    assert wb.titles() == ["Состав", "План работы", "Мама's заметки", "Диаграмма"]
    sostav, plan, notes, chart = wb.tabs
    assert [n for n, _ in sostav.rows] == [1, 3, 4, 6, 8]
    assert dict(sostav.rows)[6] == ("Кузнецова Ольга Викторовна", None, 45536.5)
    assert dict(sostav.rows)[8] == (None, None, None, "примечание")
    assert plan.rows == [(3, (None, None, "№", "Мероприятие")), (4, (None, None, 1, "Семинар"))]
    assert notes.rows == [] and chart.rows == [] and sostav.truncated_at is None


def test_a_tab_longer_than_the_row_limit_is_cut_and_flagged(rsps):
    rows = [["ФИО"]] + [[f"Член {i}"] for i in range(2, 31)]
    meta = sheets_meta(SID, "ММО", {"Состав": rows}, rows=1000)
    add_sheet(rsps, SID, meta, batch_get(SID, {"Состав": rows}, meta, max_rows=10))
    tab = reader(Limits(max_rows=10)).read(SID).tabs[0]
    assert query(rsps.calls[1].request.url)["ranges"] == ["'Состав'!A1:Z11"]     # one row past the limit
    assert [n for n, _ in tab.rows] == list(range(1, 11)) and tab.truncated_at == 11


def test_a_tab_exactly_at_the_row_limit_is_not_flagged(rsps):
    rows = [["ФИО"]] + [[f"Член {i}"] for i in range(2, 11)]
    meta = sheets_meta(SID, "ММО", {"Состав": rows})
    add_sheet(rsps, SID, meta, batch_get(SID, {"Состав": rows}, meta, max_rows=10))
    tab = reader(Limits(max_rows=10)).read(SID).tabs[0]
    assert len(tab.rows) == 10 and tab.truncated_at is None


def test_columns_past_the_limit_are_not_even_requested(rsps):
    rows = [[f"c{i}" for i in range(1, 31)]]
    meta = sheets_meta(SID, "ММО", {"Состав": rows}, columns=30)
    add_sheet(rsps, SID, meta, batch_get(SID, {"Состав": rows}, meta, max_columns=4))
    tab = reader(Limits(max_columns=4)).read(SID).tabs[0]
    assert query(rsps.calls[1].request.url)["ranges"] == ["'Состав'!A1:D1000"]
    assert tab.rows == [(1, ("c1", "c2", "c3", "c4"))]


# ---------------------------------------------------------------- locations

@pytest.mark.parametrize("location", [
    f"gsheet:{SID}",
    f"https://docs.google.com/spreadsheets/d/{SID}/edit#gid=0",
    f"https://docs.google.com/spreadsheets/d/{SID}/edit?usp=sharing",
    f"https://docs.google.com/spreadsheets/u/1/d/{SID}/htmlview",
    f"https://docs.google.com/spreadsheets/d/{SID}",
    SID,
    f"  {SID}  ",
])
def test_a_spreadsheet_is_found_by_id_url_or_gsheet_prefix(location):
    assert parse_spreadsheet_id(location) == SID


@pytest.mark.parametrize("location", ["gsheet:", "https://example.com/x", "мой файл.xlsx", "gsheet:../../etc"])
def test_something_that_is_not_a_sheet_link_is_said_so(location):
    with pytest.raises(GoogleSourceError) as info:
        parse_spreadsheet_id(location)
    assert info.value.code == "workbook.unreadable" and "ссылку" in info.value.message


def test_gsheet_locations_are_recognised_and_files_are_not():
    assert is_gsheet_location(f"gsheet:{SID}")
    assert is_gsheet_location(f"https://docs.google.com/spreadsheets/d/{SID}/edit")
    assert not is_gsheet_location("/data/mmo.xlsx") and not is_gsheet_location("gsheet.xlsx")


def test_titles_are_quoted_for_a1_notation():
    assert quote_title("План работы") == "'План работы'"
    assert quote_title("Мама's") == "'Мама''s'"
    assert quote_title("Состав") == "'Состав'"


@pytest.mark.parametrize("returned, start", [
    ("'Состав'!A1:N30", (1, 1)), ("Sheet1!C3:H200", (3, 3)), ("'It''s!'!B2:C9", (2, 2)),
    ("'Лист'", (1, 1)), ("'Лист'!A:N", (1, 1)), ("'Лист'!$B$5:$D$9", (5, 2)), ("'A!B'!AA10", (10, 27)),
])
def test_the_first_row_and_column_come_from_the_returned_range(returned, start):
    assert range_start(returned) == start


# ---------------------------------------------------------------- errors

@pytest.mark.parametrize("status, name", [(403, "error_403"), (404, "error_404")])
def test_no_access_tells_the_head_whom_to_share_the_sheet_with(rsps, status, name):
    rsps.add("GET", f"{SHEETS}/{SID}", json=load(f"sheets/{name}.json"), status=status)
    with pytest.raises(GoogleSourceError) as info:
        GSheetSource(SID, reader()).read()
    err = info.value
    assert err.code == "workbook.unreadable" and err.reason == "access"
    assert SA in err.message and "Настройки доступа" in err.message and "Читатель" in err.message
    assert len(rsps.calls) == 1


def test_an_excel_file_on_drive_is_told_apart_from_a_google_sheet(rsps):
    rsps.add("GET", f"{SHEETS}/{SID}", json=load("sheets/error_400_not_a_sheet.json"), status=400)
    with pytest.raises(GoogleSourceError) as info:
        reader().read(SID)
    assert info.value.reason == "not_a_sheet" and "Сохранить как Google Таблицу" in info.value.message


def test_invalid_credentials_are_an_administrators_problem(rsps):
    rsps.add("GET", f"{SHEETS}/{SID}", json={"error": {"code": 401, "message": "Request had invalid authentication "
                                                       "credentials.", "status": "UNAUTHENTICATED"}}, status=401)
    with pytest.raises(GoogleSourceError) as info:
        reader().read(SID)
    assert info.value.reason == "auth" and "администратор" in info.value.message


def test_a_bug_is_not_dressed_up_as_a_google_error():
    class Broken:
        class http_client:
            @staticmethod
            def spreadsheets_get(*a, **k):
                raise KeyError("bug")

    with pytest.raises(KeyError):
        GSheetReader(Broken()).read(SID)


# ---------------------------------------------------------------- the version cache

def serve(rsps, title="ММО"):
    tables = {"Состав": [["ФИО"], ["Иванова Мария Петровна"]]}
    meta = sheets_meta(SID, title, tables)
    add_sheet(rsps, SID, meta, batch_get(SID, tables, meta))


def test_nothing_is_read_again_while_the_version_is_unchanged(rsps):
    serve(rsps)
    cache, r = MemoryWorkbookCache(), reader()
    first = GSheetSource(SID, r, cache=cache, version="12").read()
    again = GSheetSource(SID, r, cache=cache, version=12)
    assert again.read() is first and again.from_cache and len(rsps.calls) == 2
    assert again.name == "ММО"
    GSheetSource(SID, r, cache=cache, version="13").read()
    assert len(rsps.calls) == 4 and cache.version(SID) == "13"


def test_an_older_read_never_replaces_a_newer_one_in_the_cache(rsps):
    serve(rsps)
    cache, r = MemoryWorkbookCache(), reader()
    GSheetSource(SID, r, cache=cache, version="13").read()
    GSheetSource(SID, r, cache=cache, version="12").read()       # a slow worker with an old version
    assert cache.version(SID) == "13"


def test_without_a_version_every_read_goes_to_google(rsps):
    serve(rsps)
    cache, r = MemoryWorkbookCache(), reader()
    GSheetSource(SID, r, cache=cache).read()
    GSheetSource(SID, r, cache=cache).read()
    assert len(rsps.calls) == 4 and len(cache) == 0


def test_the_version_can_come_from_drive(rsps):
    serve(rsps)
    svc, http = drive([ok({"version": "57", "modifiedTime": "2024-11-14T09:30:00.000Z"})] * 2)
    versions = drive_versions(svc)
    cache, r = MemoryWorkbookCache(), reader()
    GSheetSource(SID, r, cache=cache, versions=versions).read()
    GSheetSource(SID, r, cache=cache, versions=versions).read()
    assert len(rsps.calls) == 2                       # Sheets read once...
    assert len(http.request_sequence) == 2            # ...Drive asked twice (cheap, and another quota)
    uri = http.request_sequence[0][0]
    assert "fields=version%2CmodifiedTime" in uri and "supportsAllDrives=true" in uri


def test_a_drive_version_lookup_without_access_names_the_service_account(rsps):
    svc, _ = drive([fail(404, load("drive/error_404.json"))])
    with pytest.raises(GoogleSourceError) as info:
        GSheetSource(SID, reader(), cache=MemoryWorkbookCache(), versions=drive_versions(svc)).read()
    assert info.value.reason == "access" and SA in info.value.message and len(rsps.calls) == 0


def test_the_cache_forgets_the_least_recently_used_first():
    from service.sources.base import RawWorkbook

    cache = MemoryWorkbookCache(max_items=2)
    for sid in ("a", "b"):
        cache.put(sid, "1", RawWorkbook(sid, []))
    cache.get("a")
    cache.put("c", "1", RawWorkbook("c", []))
    assert cache.get("b") is None and cache.get("a") and cache.get("c")


def test_dozens_of_long_tab_titles_are_read_in_as_few_requests_as_the_url_allows(rsps):
    import json
    import re

    titles = [f"Протокол заседания методического объединения №{i}" for i in range(1, 61)]
    tables = {t: [["Тема", t]] for t in titles}
    rsps.add("GET", f"{SHEETS}/{SID}", json=sheets_meta(SID, "ММО", tables))

    def values(request):
        ranges = query(request.url)["ranges"]
        body = {"spreadsheetId": SID, "valueRanges": [
            {"range": r, "majorDimension": "ROWS", "values": [["Тема", r.split("'")[1]]]} for r in ranges]}
        return 200, {"Content-Type": "application/json; charset=UTF-8"}, json.dumps(body, ensure_ascii=False)

    rsps.add_callback("GET", re.compile(rf"{re.escape(SHEETS)}/{SID}/values:batchGet.*"), callback=values)
    wb = reader().read(SID)
    batch_calls = rsps.calls[1:]
    assert 2 <= len(batch_calls) <= 4 and all(len(c.request.url) < 8000 for c in batch_calls)
    assert [tab.rows[0][1][1] for tab in wb.tabs] == titles


def test_an_ordinary_register_is_one_batch_get():
    from service.sources.gsheets import tab_range, url_chunks

    ranges = [tab_range(t, 1000, 26) for t in association().tables()]
    assert len(url_chunks(ranges)) == 1
