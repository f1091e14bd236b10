"""Numbered sections, tables and figures: what is left out takes no number."""
from __future__ import annotations

import pytest

from service.render.numbering import Numbering, pictures
from service.render.pictures import Picture


def test_numbers_follow_what_is_there():
    n = Numbering()
    assert n.section() == 1 and n.section(False) is None and n.section() == 2
    first = n.table("Уровень образования", [{"label": "высшее"}])
    assert n.table("Возраст", []) is None
    second = n.table("Стаж", [{"label": "до 3 лет"}])
    assert (first["number"], first["caption"]) == (1, "Таблица 1 – Уровень образования")
    assert second["caption"] == "Таблица 2 – Стаж"
    figure = n.figure("Категории", "count_bars", [{"label": "высшая", "count": 1}], unit="педагогов")
    assert n.figure("Пусто", "count_bars", [], unit="педагогов") is None
    assert figure["caption"] == "Рисунок 1 – Категории"
    assert figure["arguments"] == {"rows": [{"label": "высшая", "count": 1}], "unit": "педагогов"}


def test_a_figure_names_an_existing_chart():
    with pytest.raises(ValueError):
        Numbering().figure("Нечто", "pie_of_everything", [1])


def test_pictures_for_the_template():
    n = Numbering()
    figures = {"categories": n.figure("Категории", "count_bars", [{"label": "высшая", "count": 2, "percent": 100}],
                                      unit="педагогов"), "attendance": None}
    made = pictures(figures)
    assert set(made) == {"chart_categories", "chart_attendance"}
    assert made["chart_attendance"] is None
    assert isinstance(made["chart_categories"], Picture) and made["chart_categories"].png.startswith(b"\x89PNG")
