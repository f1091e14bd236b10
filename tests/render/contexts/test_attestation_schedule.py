"""График прохождения аттестации и перспективный план (Здвинский разд. 6), read back."""
from __future__ import annotations

import datetime as dt

from tests.factories import association
from tests.support.documents import make, rows, text

D = dt.date


def book():
    b = association("zdvinsky-mmo")
    b.members[0]["Дата присвоения категории"] = D(2020, 3, 15)      # высшая, runs out 15.03.2025: this year
    b.members[1]["Дата присвоения категории"] = D(2019, 5, 20)      # overdue since 20.05.2024
    b.members[8]["Дата аттестации на СЗД"] = D(2021, 12, 1)         # no category: СЗД due 01.12.2026
    b.members[5]["Дата присвоения категории"] = D(2022, 10, 10)     # первая, 10.10.2027
    b.members[4]["Педагогический стаж"] = 1
    b.members[4]["Дата аттестации на СЗД"] = None                   # a young specialist, no СЗД yet
    return b


def test_the_years_schedule(generator, tmp_path):
    outcome, d = make(generator, tmp_path, book(), "attestation-schedule", as_of=D(2025, 1, 10))
    assert outcome.filed.location.endswith("Аттестация/График аттестации на 2024-2025 учебный год.docx")
    t = text(d)
    assert "ГРАФИК" in t and "прохождения аттестации педагогических работников ММО математиков на 2024/2025" in t
    assert "присвоенные с 01.09.2023 — бессрочно (приказ Минпросвещения России от 24.03.2023 № 196)" in t
    assert rows(d, "Основание")[:2] == [
        ["1", "Кузнецова Ольга Викторовна", "учитель математики, МБОУ СОШ №2", "на квалификационную категорию",
         "категория «высшая», с 20.05.2019", "20.05.2024 (истёк)"],
        ["2", "Иванова Мария Петровна", "учитель математики, МБОУ СОШ №1", "на квалификационную категорию",
         "категория «высшая», с 15.03.2020", "15.03.2025"]]
    assert len(rows(d, "Основание")) == 2                          # nobody else this year
    assert d.sections[0].page_width > d.sections[0].page_height


def test_the_five_year_plan(generator, tmp_path):
    _, d = make(generator, tmp_path, book(), "attestation-schedule", as_of=D(2025, 1, 10))
    t = text(d)
    assert "ПЕРСПЕКТИВНЫЙ ПЛАН" in t and "на 2024/2025 – 2028/2029 учебные годы" in t
    table = d.tables[-2]                                             # the last is the signature
    assert [c.text for c in table.rows[0].cells][3:] == ["2024/2025", "2025/2026", "2026/2027", "2027/2028",
                                                         "2028/2029"]
    plan = {r[1]: r for r in ([c.text for c in row.cells] for row in table.rows[1:])}
    assert plan["Морозова Галина Павловна"][3:] == ["", "", "СЗД 01.12.2026", "", ""]
    assert plan["Лебедева Татьяна Николаевна"][3:] == ["", "", "", "категория 10.10.2027", ""]
    assert plan["Кузнецова Ольга Викторовна"][3] == "категория 20.05.2024 (просрочено)"
    assert "бессрочно (категория присвоена после 01.09.2023)" in plan["Смирнова Елена Сергеевна"][2]
    assert "молодой специалист: первая аттестация на СЗД" in plan["Соколова Светлана Юрьевна"][2]
    assert plan["Соколова Светлана Юрьевна"][3:] == [""] * 5
    assert "Бессрочные категории (присвоены с 01.09.2023) имеют 5 педагогов: обязательная аттестация им не " \
           "требуется." in t


def test_a_year_without_attestations_says_so(generator, tmp_path):
    _, d = make(generator, tmp_path, association("zdvinsky-mmo"), "attestation-schedule")
    assert "В 2024/2025 учебном году сроки аттестации педагогов не наступают." in text(d)
