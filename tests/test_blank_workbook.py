"""The blank workbook a teacher starts from must read back cleanly and guide input."""
import datetime as dt

import openpyxl

from service.blank_workbook import write_blank_workbook
from service.pipeline import check
from service.schema.layout import load_layout
from service.sources.workbook_file import WorkbookFileSource


def test_every_tab_has_canonical_headers_frozen(tmp_path):
    path = write_blank_workbook(tmp_path / "blank.xlsx", "zalesovo-mmo", today=dt.date(2026, 11, 22))
    wb = openpyxl.load_workbook(path)
    layout = load_layout()
    assert wb.sheetnames[0] == "Инструкция"
    assert wb["Списки"].sheet_state == "hidden"
    for tab in layout.tabs.values():
        ws = wb[tab.title]
        assert ws.freeze_panes == "A2"
        if tab.kind == "keyvalue":
            keys = [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)]
            assert keys == [c.header for c in tab.columns]
        else:
            headers = [c.value for c in ws[1]][: len(tab.columns)]
            assert headers == [c.header for c in tab.columns]
    info = {r[0].value: r[1].value for r in wb["Сведения"].iter_rows(min_row=2)}
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
    assert codes == sorted(["cell.required", "cell.required", "role.no_head", "role.no_deputy",
                            "meetings.too_few", "plan.missing"])


def test_no_partial_file_is_left_behind(tmp_path):
    write_blank_workbook(tmp_path / "blank.xlsx")
    assert [p.name for p in tmp_path.iterdir()] == ["blank.xlsx"]
