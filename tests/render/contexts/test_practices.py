"""Банк эффективных педагогических практик (Каменск-Уральский п. 9.5), read back."""
from __future__ import annotations

import datetime as dt

import pytest

from service.documents import DocumentRefused
from service.pipeline import check
from tests.factories import association
from tests.support.documents import BookSource, make, rows

D = dt.date


def test_practices_with_authors_and_links(generator, tmp_path):
    b = association("kamensk-uralsky-cpmss")
    b.achievements.append({"ФИО": "Иванова М.П.", "Вид": "эффективная практика", "Название": "Квест по истории края",
                           "Уровень": "региональный", "Результат": "лауреат", "Дата": D(2025, 4, 2),
                           "Ссылка": "www.nsportal.ru/kvest"})
    outcome, d = make(generator, tmp_path, b, "practices")
    assert outcome.filed.location.endswith("Банк практик/Банк эффективных практик на 2024-2025 учебный год.docx")
    assert rows(d, "Практика") == [
        ["1", "Иванова Мария Петровна\nучитель математики, МБОУ СОШ №1", "Квест по истории края\n"
         "https://www.nsportal.ru/kvest", "региональный, лауреат", "02.04.2025"],
        ["2", "Кузнецова Ольга Викторовна\nучитель математики, МБОУ СОШ №2", "Геометрия на клетчатой бумаге\n"
         "https://nsportal.ru/geometriya-na-kletchatoy-bumage", "муниципальный, представлена на семинаре",
         "12.03.2025"]]
    assert d.sections[0].page_width > d.sections[0].page_height


def test_a_link_that_is_not_http_is_a_warning_and_left_out(generator, tmp_path):
    b = association("kamensk-uralsky-cpmss")
    b.achievements[1]["Ссылка"] = "javascript:alert(document.cookie)"
    report = check(BookSource(b), as_of=D(2025, 9, 1))
    [f] = [f for f in report.findings if f.code == "cell.bad_url"]
    assert f.severity == "warning" and f.cell == "G3" and f.sheet == "Достижения"
    _, d = make(generator, tmp_path, b, "practices")
    assert rows(d, "Практика")[0][2] == "Геометрия на клетчатой бумаге"


def test_without_practices_the_bank_is_refused(generator, tmp_path):
    b = association("kamensk-uralsky-cpmss")
    b.achievements = b.achievements[:1]
    with pytest.raises(DocumentRefused) as refused:
        make(generator, tmp_path, b, "practices")
    [f] = refused.value.findings
    assert f.code == "document.missing_data" and "нет записей вида «практика»" in f.message
