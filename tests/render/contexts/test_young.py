"""План работы с молодыми и вновь прибывшими специалистами (Здвинский разд. 6), read back."""
from __future__ import annotations

import datetime as dt

import pytest

from service.documents import DocumentRefused
from tests.factories import association
from tests.support.documents import make, rows, stamp, text

D = dt.date


def book():
    b = association("zdvinsky-mmo")
    b.members[9]["Педагогический стаж"] = 1
    b.members[6]["Дата включения"] = D(2024, 11, 12)
    b.plan.append({"№": 5, "Мероприятие": "Школа молодого педагога", "Форма": "практикум", "Срок": "октябрь–март",
                   "Ответственный": "Кузнецова О.В.", "Для кого": "молодые специалисты"})
    return b


def test_who_they_are_and_what_is_planned_for_them(generator, tmp_path):
    outcome, d = make(generator, tmp_path, book(), "young-specialists-plan")
    assert outcome.filed.location.endswith("Планы/План работы с молодыми специалистами на 2024-2025 учебный год.docx")
    assert stamp(d)[1] == ["УТВЕРЖДАЮ", "Руководитель ММО математиков", "________ М.П. Иванова",
                           "«___» ____________ 20__ г."]                     # Здвинский п. 5.2(3)
    t = text(d)
    assert "с молодыми и вновь прибывшими специалистами ММО математиков на 2024/2025 учебный год" in t
    assert rows(d, "Основание") == [
        ["1", "Волкова Людмила Андреевна", "учитель математики, МБОУ СОШ №2", "1", "молодой специалист"],
        ["2", "Козлова Ирина Александровна", "учитель математики, МБОУ СОШ №3", "11",
         "вновь прибывший (в составе с 12.11.2024)"]]
    assert rows(d, "Ответственный") == [["1", "Мероприятие 3", "семинар", "18.02.2025", "Иванова Мария Петровна"],
                                        ["2", "Школа молодого педагога", "практикум", "октябрь–март",
                                         "Кузнецова О.В."]]


def test_without_items_for_them_the_plan_is_refused_and_the_column_named(generator, tmp_path):
    b = book()
    for p in b.plan:
        p["Для кого"] = "все члены МО"
    with pytest.raises(DocumentRefused) as refused:
        make(generator, tmp_path, b, "young-specialists-plan")
    [f] = refused.value.findings
    assert f.code == "document.missing_data" and "«Для кого»" in f.message and f.sheet == "План"


def test_nobody_young_is_said_plainly(generator, tmp_path):
    _, d = make(generator, tmp_path, association("zdvinsky-mmo"), "young-specialists-plan")
    assert "Молодых и вновь прибывших специалистов в составе нет." in text(d)
