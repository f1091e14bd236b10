"""Each regulation's required documents against the workbook's data: a document whose data
is missing is a warning of the check citing the clause that requires it (and nothing is
said where the regulation does not require that document)."""
from __future__ import annotations

import pytest

from service.kinds import CATALOGUE
from service.schema.regulations import load_regulation
from tests.domain import (
    ALL, BIYSK, GPMO, KAMENSK, MEMBERS, PLAN, RPMO, ZALESOVO, ZDVINSKY, D, compliant, of, one, run,
)

NO_DATA = "documentation.no_data"


def test_every_regulation_lists_the_documents_it_requires_with_clauses():
    required = {reg: [(d.kind, d.clause) for d in load_regulation(reg).required_documents] for reg in ALL}
    assert ("needs", "разд. 6") in required[ZDVINSKY] and ("attestation-schedule", "разд. 6") in required[ZDVINSKY]
    assert ("young-specialists-plan", "разд. 6") in required[ZDVINSKY]
    assert ("data-bank", "п. 9.4") in required[KAMENSK] and ("practices", "п. 9.5") in required[KAMENSK]
    assert ("cyclogram", "п. 6.1") in required[BIYSK]
    assert ("data-bank", "п. 4.5, 4.6") in required[GPMO] and ("data-bank", "п. 10.3, 10.4") in required[RPMO]
    assert ("portfolio", "п. 4.4") in required[ZALESOVO] and ("self-assessment", "п. 5.7") in required[ZALESOVO]
    for reg, docs in required.items():
        assert docs and all(kind in CATALOGUE and clause for kind, clause in docs), reg


def test_no_needs_tab_under_zdvinsky():
    book = compliant(ZDVINSKY)
    book.omit.add("needs")
    f = one(run(book), NO_DATA)
    assert f.severity == "warning" and f.clause == "разд. 6" and f.sheet == "Потребности" and f.cell is None
    assert f.message == ("«Сведения о профессиональных потребностях»: нет листа «Потребности» (столбцы «ФИО», "
                         "«Затруднение / потребность», «Форма помощи», «Срок») (разд. 6 Положения).")


def test_an_empty_needs_tab_is_said_too():
    book = compliant(ZDVINSKY)
    book.needs = []
    assert "лист «Потребности» пуст" in one(run(book), NO_DATA).message


@pytest.mark.parametrize("reg", [r for r in ALL if r != ZDVINSKY])
def test_other_regulations_do_not_ask_for_needs(reg):
    book = compliant(reg)
    book.omit.add("needs")
    assert of(run(book), NO_DATA) == []


def test_kamensk_data_bank_names_the_missing_columns_of_its_clause():
    book = compliant(KAMENSK)
    book.without.update({"Звания, награды", "Авторские разработки", "E-mail", "Телефон"})
    f = one(run(book), NO_DATA)
    assert f.sheet == MEMBERS and f.clause == "п. 9.4"
    assert "«Звания, награды» (награды, звания)" in f.message
    assert "«Авторские разработки» (авторские разработки)" in f.message
    assert "«E-mail», «Телефон» (контакты)" in f.message and "«Дата рождения»" not in f.message
    book.without = {"Телефон"}                                   # e-mail alone is a contact
    assert of(run(book), NO_DATA) == []


def test_kamensk_data_bank_without_achievements_tab():
    book = compliant(KAMENSK)
    book.omit.add("achievements")
    found = of(run(book), NO_DATA)
    assert {f.clause for f in found} == {"п. 9.4", "п. 9.5"}             # the data bank and the practices
    assert any("участия в конкурсах и публикаций в банке данных не будет" in f.message for f in found)


def test_kamensk_without_a_practice():
    book = compliant(KAMENSK)
    book.achievements = [a for a in book.achievements if a["Вид"] != "практика"]
    f = one(run(book), NO_DATA)
    assert f.clause == "п. 9.5" and "нет записей вида «практика»" in f.message


def test_young_or_newly_arrived_members_without_items_for_them():
    book = compliant(ZDVINSKY)
    book.plan[2]["Для кого"] = None
    book.members[7]["Педагогический стаж"] = 1
    f = one(run(book), NO_DATA)
    assert f.sheet == PLAN and "(в составе их 1)" in f.message and "столбце «Для кого»" in f.message


def test_newly_arrived_means_after_the_composition_was_formed():
    """Everyone included on the same day (the yearly composition) is not newly arrived; a
    member included a month later is."""
    book = compliant(ZDVINSKY)
    book.plan[2]["Для кого"] = None
    assert of(run(book), NO_DATA) == []
    book.members[5]["Дата включения"] = D(2024, 10, 7)
    assert "(в составе их 1)" in one(run(book), NO_DATA).message


def test_attestation_terms_that_cannot_be_told():
    book = compliant(ZDVINSKY)
    book.members[1]["Дата присвоения категории"] = None          # «высшая» without a date
    book.members[4]["Дата аттестации на СЗД"] = None             # no category, no СЗД, 9 years of experience
    found = of(run(book), NO_DATA)
    assert len(found) == 2 and all(f.sheet == MEMBERS and f.clause == "разд. 6" for f in found)
    assert found[0].cell == "H3" and "у 1 педагога с категорией не указана «Дата присвоения категории» " \
                                     "(Кузнецова Ольга Викторовна)" in found[0].message
    assert found[1].cell == "I6" and "без категории не указана «Дата аттестации на СЗД»" in found[1].message


def test_a_young_specialist_without_an_szd_attestation_is_no_gap():
    book = compliant(ZDVINSKY)
    book.members[4]["Дата аттестации на СЗД"] = None
    book.members[4]["Педагогический стаж"] = 1
    assert [f.message for f in of(run(book), NO_DATA) if "аттестац" in f.message] == []


def test_zalesovo_portfolio_and_self_assessment_need_achievements():
    book = compliant(ZALESOVO)
    book.omit.add("achievements")
    found = of(run(book), NO_DATA)
    assert sorted(f.clause for f in found) == ["п. 4.4", "п. 5.7"]
    assert all(f.sheet == "Достижения" for f in found)


@pytest.mark.parametrize("reg", ALL)
def test_without_a_regulation_nothing_is_required(reg):
    from service.pipeline import check
    from tests.domain import BookSource

    book = compliant(reg)
    book.info["Положение"] = None
    book.omit.update({"needs", "achievements"})
    assert of(check(BookSource(book), as_of=D(2025, 9, 1)).findings, NO_DATA) == []
