"""The blank workbook a teacher starts from must read back cleanly and guide input."""
import datetime as dt

import openpyxl
import pytest

from service.blank_workbook import write_blank_workbook
from service.pipeline import check
from service.schema.layout import load_layout
from service.sources.workbook_file import WorkbookFileSource
from tests.support.formats import SYSTEM


def test_every_tab_has_canonical_headers_frozen(tmp_path):
    path = write_blank_workbook(tmp_path / "blank.xlsx", today=dt.date(2026, 11, 22))
    wb = openpyxl.load_workbook(path)
    layout = load_layout()
    assert wb.sheetnames[0] == "Инструкция"
    assert wb["Списки"].sheet_state == "hidden"
    for tab in layout.tabs.values():                       # without a regulation: every tab and column
        ws = wb[tab.title]
        assert ws.freeze_panes == "A2"
        if tab.kind == "keyvalue":
            keys = [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)]
            assert keys == [c.header for c in tab.columns]
        else:
            headers = [c.value for c in ws[1]][: len(tab.columns)]
            assert headers == [c.header for c in tab.columns]
    path = write_blank_workbook(tmp_path / "zalesovo.xlsx", "zalesovo-mmo", today=dt.date(2026, 11, 22))
    info = {r[0].value: r[1].value for r in openpyxl.load_workbook(path)["Сведения"].iter_rows(min_row=2)}
    assert info["Положение"] == "zalesovo-mmo" and info["Учебный год"] == "2026-2027"


def test_enumerations_are_drop_down_lists(tmp_path):
    path = write_blank_workbook(tmp_path / "blank.xlsx")
    wb = openpyxl.load_workbook(path)
    members = wb["Состав"]
    validations = {str(dv.sqref): dv.formula1 for dv in members.data_validations.dataValidation}
    category_col = [c.value for c in members[1]].index("Квалификационная категория") + 1
    letter = openpyxl.utils.get_column_letter(category_col)
    source = validations[f"{letter}2:{letter}500"]
    cells = wb["Списки"][source.split("!")[1].replace("$", "")]
    values = [row[0].value for row in cells]
    assert values == ["нет", "первая", "высшая", "педагог-методист", "педагог-наставник"]


def test_instructions_quote_the_regulation_readings(tmp_path):
    path = write_blank_workbook(tmp_path / "blank.xlsx", "zdvinsky-mmo")
    text = "\n".join(str(r[0].value) for r in openpyxl.load_workbook(path)["Инструкция"].iter_rows() if r[0].value)
    assert "«Посещаемость»" in text and "уважительная причина" in text
    assert "п. 5.1(5)" in text


def test_blank_reads_back_with_only_the_findings_of_an_empty_register(tmp_path):
    path = write_blank_workbook(tmp_path / "blank.xlsx", "zdvinsky-mmo", today=dt.date(2026, 11, 22))
    report = check(WorkbookFileSource(path), as_of=dt.date(2026, 11, 22))
    codes = sorted(f.code for f in report.findings)
    # No structural complaint: every sheet and column is recognised, empty columns prepared
    # for future meetings on «Посещаемость» are not errors.
    assert not any(c.startswith(("sheet.", "column.", "ref.")) for c in codes), codes
    # July–September is over on 22 November (an error), October–December is still open (a warning)
    # and the needs' tab is there but empty: Здвинский разд. 6 requires «Сведения о … потребностях»
    assert codes == sorted(["cell.required", "cell.required", "role.no_head", "role.no_deputy",
                            "meetings.too_few", "meetings.too_few", "plan.missing", "info.place_missing",
                            "documentation.no_data"])


def test_blank_has_the_keys_the_documents_need(tmp_path):
    """«Сведения» of the blank list every key the order, plan and analysis read, and the
    list keys («Задачи») wrap so a head types one task per line."""
    path = write_blank_workbook(tmp_path / "blank.xlsx", "zdvinsky-mmo")
    ws = openpyxl.load_workbook(path)["Сведения"]
    keys = [r[0].value for r in ws.iter_rows(min_row=2)]
    for key in ("Место составления", "Контроль исполнения", "Методическая тема", "Цель", "Задачи", "Проблемы",
                "Задачи на следующий год", "Дата представления анализа работы"):
        assert key in keys, key
    row = keys.index("Задачи") + 2
    assert ws.cell(row=row, column=2).alignment.wrap_text


def test_no_partial_file_is_left_behind(tmp_path):
    write_blank_workbook(tmp_path / "blank.xlsx")
    assert [p.name for p in tmp_path.iterdir()] == ["blank.xlsx"]


# ---------------------------------------------------------------- the same blank for LibreOffice (.ods)

def test_the_ods_blank_reads_back_exactly_as_the_xlsx_one(tmp_path):
    today = dt.date(2026, 11, 22)
    xlsx = write_blank_workbook(tmp_path / "blank.xlsx", "zdvinsky-mmo", today=today)
    ods = write_blank_workbook(tmp_path / "blank.ods", "zdvinsky-mmo", today=today)
    assert ods.read_bytes()[30:38] == b"mimetype" and b"opendocument.spreadsheet" in ods.read_bytes()[:100]
    a, b = WorkbookFileSource(xlsx).read(), WorkbookFileSource(ods).read()
    assert a.titles() == b.titles()
    assert [t.rows for t in a.tabs] == [t.rows for t in b.tabs]
    assert [(f.code, f.cell) for f in check(WorkbookFileSource(ods), as_of=today).findings] == \
           [(f.code, f.cell) for f in check(WorkbookFileSource(xlsx), as_of=today).findings]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blank.ods", "blank.xlsx"]      # no «.part» left


@SYSTEM
def test_libreoffice_sees_the_drop_downs_dates_and_hidden_lists_of_the_ods_blank(tmp_path):
    """LibreOffice opens our .ods and saves it as .xlsx: what it kept is what a teacher gets."""
    import shutil
    import subprocess

    ods = write_blank_workbook(tmp_path / "blank.ods", "zdvinsky-mmo")
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    subprocess.run([exe, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--norestore",
                    "--convert-to", "xlsx", "--outdir", str(tmp_path / "out"), str(ods)],
                   capture_output=True, timeout=300)
    back = tmp_path / "out" / "blank.xlsx"
    if not back.exists():
        pytest.skip("LibreOffice Calc could not open the .ods (is libreoffice-calc installed?)")
    wb = openpyxl.load_workbook(back)
    assert wb["Списки"].sheet_state == "hidden"
    members = wb["Состав"]
    headers = [c.value for c in members[1]]
    category = openpyxl.utils.get_column_letter(headers.index("Квалификационная категория") + 1)
    rules = {str(dv.sqref): (dv.formula1, dv.errorStyle) for dv in members.data_validations.dataValidation}
    source, style = rules[f"{category}2:{category}500"]
    values = [row[0].value for row in wb["Списки"][source.split("!")[1].replace("$", "")]]
    assert values == ["нет", "первая", "высшая", "педагог-методист", "педагог-наставник"] and style == "stop"
    marks = {str(dv.sqref): dv.errorStyle for dv in wb["Посещаемость"].data_validations.dataValidation}
    assert "warning" in marks.values()                       # synonyms of marks are still accepted
    born = openpyxl.utils.get_column_letter(headers.index("Дата рождения") + 1)
    assert members[f"{born}2"].number_format.replace("\\", "").lower() == "dd.mm.yyyy"
    assert members["A1"].font.b


def _headers(wb, title):
    return [c.value for c in next(wb[title].iter_rows(max_row=1))]


def test_tabs_and_columns_of_particular_documents_only_where_the_regulation_requires_them(tmp_path):
    """Здвинский (разд. 6) gets «Потребности» and «Для кого»; Каменск-Уральский (п. 9.4, 9.5) the
    data bank's columns and the practices' links; Залесово none of them; without a regulation, all."""
    books = {reg: openpyxl.load_workbook(write_blank_workbook(tmp_path / f"{reg or 'general'}.xlsx", reg or None))
             for reg in ("zdvinsky-mmo", "kamensk-uralsky-cpmss", "zalesovo-mmo", "")}
    zdvinsky, kamensk, zalesovo, general = (books[k] for k in ("zdvinsky-mmo", "kamensk-uralsky-cpmss",
                                                                "zalesovo-mmo", ""))
    assert "Потребности" in zdvinsky.sheetnames and "Потребности" not in kamensk.sheetnames
    assert _headers(zdvinsky, "Потребности") == ["ФИО", "Затруднение / потребность", "Форма помощи", "Срок"]
    assert "Для кого" in _headers(zdvinsky, "План") and "Для кого" not in _headers(kamensk, "План")
    assert {"Звания, награды", "Авторские разработки"} <= set(_headers(kamensk, "Состав"))
    assert "Звания, награды" not in _headers(zdvinsky, "Состав")
    assert "Ссылка" in _headers(kamensk, "Достижения") and "Ссылка" not in _headers(zalesovo, "Достижения")
    assert "Потребности" not in zalesovo.sheetnames and "Для кого" not in _headers(zalesovo, "План")
    assert "Потребности" in general.sheetnames and "Ссылка" in _headers(general, "Достижения")
    guide = "\n".join(str(r[0].value) for r in zdvinsky["Инструкция"].iter_rows() if r[0].value)
    assert "«Потребности»" in guide and "«Для кого»" in guide and "«Ссылка»" not in guide


def _list_of(wb, title, header):
    ws = wb[title]
    letter = openpyxl.utils.get_column_letter(_headers(wb, title).index(header) + 1)
    dv = next(dv for dv in ws.data_validations.dataValidation if str(dv.sqref) == f"{letter}2:{letter}500")
    cells = wb["Списки"][dv.formula1.split("!")[1].replace("$", "")]
    return [row[0].value for row in cells], dv.errorStyle


def test_new_columns_have_drop_downs_that_still_take_other_values(tmp_path):
    wb = openpyxl.load_workbook(write_blank_workbook(tmp_path / "blank.xlsx", "zdvinsky-mmo"))
    audience, style = _list_of(wb, "План", "Для кого")
    assert audience == ["молодые и вновь прибывшие специалисты", "все члены МО", "аттестуемые педагоги"]
    assert style == "warning"                           # «учителя 5–9 классов» may still be typed
    forms, style = _list_of(wb, "Потребности", "Форма помощи")
    assert "консультация" in forms and "наставничество" in forms and style == "warning"
    kinds, style = _list_of(wb, "Достижения", "Вид")
    assert "практика" in kinds and style == "stop"


def test_filled_in_new_tab_reads_back(tmp_path):
    """What a head types into the blank's new tab and columns is what the documents get."""
    path = write_blank_workbook(tmp_path / "blank.xlsx", "zdvinsky-mmo", today=dt.date(2026, 11, 22))
    wb = openpyxl.load_workbook(path)
    ws = wb["Состав"]
    ws.append(["Иванова Мария Петровна", "МБОУ СОШ №1", "учитель математики", "руководитель"])
    needs = wb["Потребности"]
    needs.append(["Иванова М.П.", "Работа с одарёнными детьми", "курсы", "март"])
    needs.append(["Иванова Мария Петровна", "Смысловое чтение", "своя форма: стажировка", "апрель"])
    plan = wb["План"]
    row = _headers(wb, "План")
    values = {"№": 1, "Мероприятие": "Школа молодого педагога", "Срок": "октябрь", "Для кого": "молодые"}
    plan.append([values.get(h) for h in row])
    wb.save(path)
    report = check(WorkbookFileSource(path), as_of=dt.date(2026, 11, 22))
    assert [(n.member.full_name, n.need, n.help, n.due.text) for n in report.data.needs] == [
        ("Иванова Мария Петровна", "Работа с одарёнными детьми", "курсы повышения квалификации", "март"),
        ("Иванова Мария Петровна", "Смысловое чтение", "своя форма: стажировка", "апрель")]
    assert report.data.plan[0].audience == "молодые и вновь прибывшие специалисты"
    assert not [f for f in report.findings if f.sheet in ("Потребности", "План") and f.severity == "error"]
