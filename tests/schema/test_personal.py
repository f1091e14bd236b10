"""Members' birth dates, e-mails and phones never appear in findings (every member sees
them, snapshots and job results keep them); those stored before are redacted when shown."""
from __future__ import annotations

from service.schema import personal
from service.schema.reader import read_workbook
from tests.factories import association, year_end

BAD = {"Телефон": "+7 913 555-12-34 (мобильный)", "E-mail": "popova.natalya(at)mail.ru",
       "Дата рождения": "31.02.1979"}


def test_a_personal_cell_that_cannot_be_read_is_named_without_its_value():
    book = association("zdvinsky-mmo")
    for i, (column, value) in enumerate(BAD.items(), start=4):
        book.members[i][column] = value
    _, findings = read_workbook(book.raw(), year_end())
    messages = [f.message for f in findings]
    text = "\n".join(messages)
    assert not any(v in text or v.replace(" ", "") in text for v in ("555-12-34", "popova.natalya", "31.02.1979"))
    mine = [f for f in findings if f.code in ("cell.bad_phone", "cell.bad_email", "cell.bad_date")
            and f.sheet == "Состав"]
    assert {f.code for f in mine} == {"cell.bad_phone", "cell.bad_email", "cell.bad_date"}
    assert all("личные данные" in f.message and f.cell and f.message.startswith(f.cell) for f in mine)
    assert any("«Телефон»" in f.message for f in mine)


def test_findings_stored_before_lose_personal_values_when_shown():
    old = [{"code": "cell.bad_phone", "severity": "warning", "sheet": "Состав", "cell": "K8",
            "message": "K8: «+7 913 555-12-34 (мобильный)» — не номер телефона."},
           {"code": "cell.bad_date", "severity": "error", "sheet": "Состав", "cell": "F9",
            "message": "F9: «31.02.1979» — такой даты нет в календаре."},
           {"code": "cell.bad_date", "severity": "error", "sheet": "Заседания", "cell": "B3",
            "message": "B3: «31.02.2025» — такой даты нет в календаре."}]
    shown = personal.redact_all(old)
    assert "555" not in shown[0]["message"] and shown[0]["message"].startswith("K8: ")
    assert "1979" not in shown[1]["message"] and "личные данные" in shown[1]["message"]
    assert shown[2] == old[2]
    result, error = personal.redact_job({"forced": ["F9: «31.02.1979» — такой даты нет в календаре.", "Нет плана."]},
                                        {"code": "document.refused", "findings": old[:1]})
    assert result["forced"][1] == "Нет плана." and "1979" not in result["forced"][0]
    assert "555" not in error["findings"][0]["message"]
