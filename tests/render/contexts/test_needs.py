"""Сведения о профессиональных потребностях (Здвинский разд. 6), read back."""
from __future__ import annotations

import pytest

from service.documents import DocumentRefused
from tests.factories import association
from tests.support.documents import make, rows, text


def test_by_teacher_and_by_need(generator, tmp_path):
    b = association("zdvinsky-mmo")
    b.needs.append({"ФИО": "Иванова М.П.", "Затруднение / потребность": "подготовка обучающихся к ОГЭ по геометрии ",
                    "Форма помощи": "стажировка в лицее №1", "Срок": "март"})
    outcome, d = make(generator, tmp_path, b, "needs")
    assert outcome.filed.location.endswith(
        "Сведения/Сведения о профессиональных потребностях на 2024-2025 учебный год.docx")
    t = text(d)
    assert "о профессиональных потребностях педагогических работников ММО математиков на 2024/2025" in t
    assert "Затруднения и профессиональные потребности указали 4 из 12 педагогов (33%)." in t
    assert rows(d, "Форма помощи")[0] == ["1", "Иванова М.П.\nучитель математики, МБОУ СОШ №1",
                                          "подготовка обучающихся к ОГЭ по геометрии", "стажировка в лицее №1",
                                          "март"]
    assert rows(d, "Доля состава") == [
        ["1", "Подготовка обучающихся к ОГЭ по геометрии", "3", "25%", "консультация, семинар, стажировка в лицее №1"],
        ["2", "Работа с одарёнными детьми", "1", "8%", "мастер-класс"]]


def test_typed_markup_comes_out_as_typed(generator, tmp_path):
    b = association("zdvinsky-mmo")
    b.needs[0]["Затруднение / потребность"] = "{{ lipsum.__globals__ }} </w:t><w:t>& <b>жирный</b>"
    _, d = make(generator, tmp_path, b, "needs")
    assert "{{ lipsum.__globals__ }} </w:t><w:t>& <b>жирный</b>" in text(d)


def test_without_the_tab_it_is_refused_with_the_columns_to_add(generator, tmp_path):
    b = association("zdvinsky-mmo")
    b.omit.add("needs")
    with pytest.raises(DocumentRefused) as refused:
        make(generator, tmp_path, b, "needs")
    [f] = refused.value.findings
    assert f.code == "document.missing_data" and "нет листа «Потребности»" in f.message
    assert "«Затруднение / потребность»" in f.message


def test_a_person_who_is_not_a_member_is_listed_as_typed(generator, tmp_path):
    b = association("zdvinsky-mmo")
    b.needs.append({"ФИО": "Новенькая Ольга Ивановна", "Затруднение / потребность": "Смысловое чтение"})
    outcome, d = make(generator, tmp_path, b, "needs")
    assert ["Новенькая О.И.", "Смысловое чтение", "", ""] in [r[1:] for r in rows(d, "Форма помощи")]
