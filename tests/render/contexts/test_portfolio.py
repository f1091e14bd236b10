"""Портфолио объединения (Залесово п. 4.4) and самооценка качества работы (п. 5.7), read
back: the same indicators for every association, the regulation's requirements judged."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.domain import remove_meeting
from tests.factories import association
from tests.support.documents import lines, make, rows, text

D = dt.date


def indicators(d) -> dict[str, str]:
    return {r[1]: r[2] for r in rows(d, "Показатель")}


def test_portfolio_to_the_education_department(generator, tmp_path):
    outcome, d = make(generator, tmp_path, association("zalesovo-mmo"), "portfolio")
    assert outcome.filed.location.endswith("Отчёты/Портфолио за 2024-2025 учебный год.docx")
    ls = lines(d)
    assert ls[0] == ("Отдел по образованию управления по социальной политике Залесовского муниципального округа "
                     "Алтайского края")
    assert ls[2:5] == ["ПОРТФОЛИО", "02.05.2025", "с. Здвинск"]
    t = text(d)
    assert "Руководитель: Иванова Мария Петровна, учитель математики, квалификационная категория «высшая»." in t
    got = indicators(d)
    assert got["Заседаний требуется по Положению"] == "4" and got["Заседаний проведено"] == "4"
    assert got["Выполнение плана"] == "100%" and got["Имеют квалификационную категорию"] == "67%"
    assert got["в том числе муниципальный уровень"] == "2" and got["из них эффективных педагогических практик"] == "1"
    numbers = [r[0] for r in rows(d, "Показатель")]
    assert numbers[:3] == ["1", "2", "3"] and "" in numbers                     # the parts are not numbered
    assert ["Попова Н.И.", "конкурс: Учитель года", "муниципальный", "призёр", "01.02.2025"] in rows(d, "Достижение")
    assert "6. Отчёт о работе за учебный год" in t and "План работы выполнен на 100%" in t


def test_portfolio_lists_attestations_of_the_year(generator, tmp_path):
    b = association("zalesovo-mmo")
    b.members[5]["Дата присвоения категории"] = D(2025, 3, 1)
    _, d = make(generator, tmp_path, b, "portfolio")
    assert rows(d, "Аттестация") == [["Лебедева Татьяна Николаевна", "квалификационная категория «первая»",
                                      "01.03.2025"]]


@pytest.mark.parametrize("reg", ["zdvinsky-mmo", "kamensk-uralsky-cpmss"])
def test_the_same_indicators_elsewhere_for_comparison(generator, tmp_path, reg):
    _, zalesovo = make(generator, tmp_path, association("zalesovo-mmo"), "portfolio")
    _, other = make(generator, tmp_path / reg, association(reg), "portfolio")
    assert list(indicators(other)) == list(indicators(zalesovo))
    assert lines(other)[0] == "МУНИЦИПАЛЬНОЕ МЕТОДИЧЕСКОЕ ОБЪЕДИНЕНИЕ УЧИТЕЛЕЙ МАТЕМАТИКИ"   # no addressee there


def test_self_assessment_judges_each_requirement(generator, tmp_path):
    b = association("zalesovo-mmo")
    remove_meeting(b, 4)
    b.plan[1]["Отметка о выполнении"] = None                                 # November, overdue: a warning
    outcome, d = make(generator, tmp_path, b, "self-assessment")
    assert outcome.filed.location.endswith("Отчёты/Самооценка качества работы за 2024-2025 учебный год.docx")
    t = text(d)
    assert "САМООЦЕНКА" in t and "качества работы ММО математиков за 2024/2025 учебный год" in t
    judged = {r[2]: (r[1], r[3]) for r in rows(d, "Требование")}
    assert judged["Заседаний не менее 4 за учебный год"] == ("п. 4.2", "не выполнено")
    assert judged["Мероприятия плана выполнены в срок"] == ("п. 4.1", "выполнено с замечаниями")
    assert judged["В составе есть: руководитель"] == ("п. 3.3", "выполнено")
    assert indicators(d)["Заседаний проведено"] == "3"
    assert "Выполнено требований Положения: 8 из 9." in t
    assert "Не выполнены: п. 4.2 — заседаний не менее 4 за учебный год." in t


def test_self_assessment_without_attendance_says_no_data(generator, tmp_path):
    b = association("zalesovo-mmo")
    b.omit.add("attendance")
    _, d = make(generator, tmp_path, b, "self-assessment")
    assert indicators(d)["Средняя посещаемость заседаний"] == "нет данных"
