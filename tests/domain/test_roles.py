"""The association's officers and what the head must be: role_required (every
regulation), head_category (Залесово п. 3.3), head_position and member_position
(Бийск п. 3.3, 3.1)."""
from __future__ import annotations

import pytest

from service.schema.findings import ERROR, WARNING
from tests.domain import (
    ALL, BIYSK, D, DEPUTY, HEAD, MEMBER, MEMBERS, SECRETARY, ZALESOVO, ZDVINSKY, cited, clause, compliant,
    member_row, of, one, only, regs_with, regs_without, rules_of, run, set_votes,
)

ROLE_CODES = {HEAD: "role.no_head", SECRETARY: "role.no_secretary", DEPUTY: "role.no_deputy"}
ROLE_GENITIVE = {HEAD: "руководителя", SECRETARY: "секретаря", DEPUTY: "заместителя руководителя"}
REQUIRED = [(reg, r["role"]) for reg in ALL for r in rules_of(reg, "role_required")]


def test_required_roles_per_regulation_file():
    assert {reg for reg, role in REQUIRED if role == HEAD} == set(ALL)
    assert sorted(reg for reg, role in REQUIRED if role == SECRETARY) == sorted(
        ["kamensk-uralsky-cpmss", "novokuznetsk-gpmo", "novokuznetsk-rpmo"])
    assert [reg for reg, role in REQUIRED if role == DEPUTY] == [ZDVINSKY]


def no_role(findings, reg, role):
    f = only(findings, ROLE_CODES[role])
    assert f.severity == ERROR
    assert f.sheet == MEMBERS
    assert f"В составе нет {ROLE_GENITIVE[role]}" in f.message and role in f.message
    cited(f, reg, "role_required", role=role)
    return f


# ---------------------------------------------------------------- role_required

@pytest.mark.parametrize("reg, role", REQUIRED)
def test_officer_who_left_before_the_year_end_does_not_count(reg, role):
    book = compliant(reg)
    book.with_role(role)["Дата выбытия"] = D(2025, 6, 1)
    no_role(run(book), reg, role)


@pytest.mark.parametrize("reg, role", REQUIRED)
def test_officer_who_leaves_after_the_year_end_still_counts(reg, role):
    book = compliant(reg)
    book.with_role(role)["Дата выбытия"] = D(2025, 9, 15)
    assert run(book, D(2025, 10, 1)) == []


@pytest.mark.parametrize("reg, role", REQUIRED)
def test_officer_who_joins_later_in_the_year_counts_from_then(reg, role):
    book = compliant(reg)
    book.with_role(role)["Дата выбытия"] = D(2025, 1, 15)
    newcomer = {**book.members[5], "ФИО": "Орлова Вера Игоревна", "Роль в МО": role,
                "Дата включения": D(2025, 1, 15)}
    book.members.append(newcomer)
    for n in (3, 4):                                # meetings after 15.01 are signed by the newcomer
        for column in ("Председатель", "Секретарь"):
            if book.meeting(n)[column] == book.with_role(role)["ФИО"]:
                book.meeting(n)[column] = newcomer["ФИО"]
    for n in (1, 2, 3, 4):
        book.mark(n, present=10)                    # after 15.01 the old officer is no longer counted
        set_votes(book, n, 8)
    findings = run(book)
    assert of(findings, ROLE_CODES[role]) == []
    assert {f.code for f in findings} <= {"composition.late"}         # a mid-year head, ГПМО/РПМО


@pytest.mark.parametrize("reg, role", REQUIRED)
def test_nobody_holds_the_role(reg, role):
    """Changing the role to «член» also makes the meetings' chair or secretary the wrong
    person where the regulation names who signs — that is reported, not hidden."""
    book = compliant(reg)
    book.with_role(role)["Роль в МО"] = MEMBER
    findings = run(book)
    f = one(findings, ROLE_CODES[role])
    assert f.severity == ERROR and f.sheet == MEMBERS
    cited(f, reg, "role_required", role=role)
    assert {x.code for x in findings} - {f.code} <= {"meeting.wrong_chair", "meeting.wrong_secretary"}


@pytest.mark.parametrize("reg", [r for r in ALL if (r, SECRETARY) not in REQUIRED])
def test_no_secretary_where_the_regulation_does_not_require_one(reg):
    book = compliant(reg)
    book.with_role(SECRETARY)["Роль в МО"] = MEMBER
    assert run(book) == []


@pytest.mark.parametrize("reg", [r for r in ALL if (r, DEPUTY) not in REQUIRED])
def test_no_deputy_where_the_regulation_does_not_require_one(reg):
    book = compliant(reg)
    book.with_role(DEPUTY)["Роль в МО"] = MEMBER
    assert run(book) == []


@pytest.mark.parametrize("reg", ALL)
def test_two_heads_is_a_warning_at_the_second(reg):
    book = compliant(reg)
    second = book.members[3]
    second["Роль в МО"] = HEAD
    f = only(run(book), "role.several_heads")
    assert f.severity == WARNING
    assert (f.sheet, f.cell) == (MEMBERS, f"D{member_row(book, second['ФИО'])}")
    assert "Иванова Мария Петровна" in f.message and second["ФИО"] in f.message
    cited(f, reg, "role_required", role=HEAD)


@pytest.mark.parametrize("typed, found", [
    ("Руководитель МО", ["role.several_heads"]),
    ("председатель", ["role.several_heads"]),
    ("Зам", []),
    ("секретарь ММО", []),
])
def test_roles_typed_with_synonyms(typed, found):
    book = compliant(ZDVINSKY)
    book.members[5]["Роль в МО"] = typed                 # an extra officer: no role is missing
    assert [f.code for f in run(book)] == found


# ---------------------------------------------------------------- head_category (Залесово, п. 3.3)

def head_category(findings, cell, severity=ERROR):
    f = one(findings, "head.category")
    assert f.severity == severity
    assert (f.sheet, f.cell, f.member) == (MEMBERS, cell, "Иванова Мария Петровна")
    assert "Иванова Мария Петровна" in f.message
    cited(f, ZALESOVO, "head_category")
    return f


def zalesovo_head(category, granted):
    book = compliant(ZALESOVO)
    head = book.with_role(HEAD)
    head["Квалификационная категория"], head["Дата присвоения категории"] = category, granted
    return book


def test_only_zalesovo_requires_a_head_category():
    assert regs_with("head_category") == [ZALESOVO]


@pytest.mark.parametrize("category", ["нет", "без категории", None])
def test_head_without_category(category):
    findings = run(zalesovo_head(category, None))
    f = head_category(findings, "G2")
    assert "нет" in f.message
    assert [x.code for x in findings] == ["head.category"]


def test_head_with_first_category_granted_2017_has_it_expired():
    findings = run(zalesovo_head("первая", D(2017, 3, 15)))
    f = head_category(findings, "H2")
    assert "истекла 15.03.2022" in f.message
    assert sorted(x.code for x in findings) == ["attestation.expired", "head.category"]


def test_head_with_first_category_expiring_on_the_check_date():
    findings = run(zalesovo_head("первая", D(2020, 9, 1)))           # five years end on 01.09.2025
    head_category(findings, "H2")


@pytest.mark.parametrize("category, granted", [
    ("высшая", D(2024, 3, 15)),
    ("первая", D(2023, 9, 1)),             # granted under order №196: does not expire
    ("педагог-методист", D(2024, 3, 15)),
    ("методист", D(2024, 3, 15)),
    ("педагог-наставник", D(2023, 12, 1)),
])
def test_head_with_a_valid_category(category, granted):
    assert run(zalesovo_head(category, granted)) == []


def test_head_category_still_valid_but_running_out_is_only_an_attestation_reminder():
    findings = run(zalesovo_head("высшая", D(2021, 1, 10)))           # valid until 10.01.2026
    assert [f.code for f in findings] == ["attestation.due"]


@pytest.mark.parametrize("category", ["первая", "высшая"])
def test_head_category_without_date_is_a_warning(category):
    findings = run(zalesovo_head(category, None))
    f = head_category(findings, "H2", severity=WARNING)
    assert "дата присвоения" in f.message
    assert [x.code for x in findings] == ["head.category"]


def test_only_the_current_head_is_judged():
    book = zalesovo_head("нет", None)
    book.with_role(HEAD)["Дата выбытия"] = D(2025, 1, 15)
    book.members.append({**book.members[5], "ФИО": "Орлова Вера Игоревна", "Роль в МО": HEAD,
                         "Квалификационная категория": "высшая", "Дата присвоения категории": D(2024, 5, 1),
                         "Дата включения": D(2025, 1, 15)})
    for n in (3, 4):                                # the new head chairs after taking over
        book.meeting(n)["Председатель"] = "Орлова Вера Игоревна"
    assert run(book) == []


@pytest.mark.parametrize("reg", regs_without("head_category"))
def test_other_regulations_do_not_require_a_head_category(reg):
    book = compliant(reg)
    book.with_role(HEAD)["Квалификационная категория"] = "нет"
    book.with_role(HEAD)["Дата аттестации на СЗД"] = D(2022, 10, 1)     # without a category: attested for СЗД
    assert run(book) == []


# ---------------------------------------------------------------- head_position, member_position (Бийск)

def test_only_biysk_sets_positions():
    assert regs_with("head_position") == [BIYSK]
    assert regs_with("member_position") == [BIYSK]


def test_biysk_head_who_is_a_teacher():
    book = compliant(BIYSK)
    book.with_role(HEAD)["Должность"] = "учитель"
    findings = run(book)
    f = one(findings, "head.position")
    assert f.severity == ERROR
    assert (f.sheet, f.cell, f.member) == (MEMBERS, "C2", "Иванова Мария Петровна")
    assert "Иванова Мария Петровна" in f.message and "учитель" in f.message
    assert "социальный педагог общеобразовательного учреждения" in f.message
    cited(f, BIYSK, "head_position")
    # п. 3.1 (members) is not reported again for the head: п. 3.3 already judges the head's position
    assert sorted(x.code for x in findings) == ["head.position"]


def test_biysk_member_who_is_a_psychologist():
    book = compliant(BIYSK)
    member = book.members[7]
    member["Должность"] = "педагог-психолог"
    f = only(run(book), "member.position")
    assert f.severity == WARNING
    assert (f.sheet, f.cell, f.member) == (MEMBERS, f"C{member_row(book, member['ФИО'])}", member["ФИО"])
    assert member["ФИО"] in f.message and "педагог-психолог" in f.message
    cited(f, BIYSK, "member_position")


@pytest.mark.parametrize("position", ["Социальный педагог", "СОЦИАЛЬНЫЙ ПЕДАГОГ", "социальный  педагог",
                                      "социальный педагог МБОУ СОШ №1", "учитель, социальный педагог"])
def test_biysk_social_pedagogue_written_in_various_ways(position):
    book = compliant(BIYSK)
    book.with_role(HEAD)["Должность"] = position
    book.members[4]["Должность"] = position
    assert run(book) == []


def test_biysk_member_who_left_is_not_judged():
    book = compliant(BIYSK)
    book.members[7]["Должность"] = "педагог-психолог"
    book.members[7]["Дата выбытия"] = D(2025, 3, 1)
    assert run(book) == []


@pytest.mark.parametrize("reg", regs_without("head_position"))
def test_other_regulations_accept_any_position(reg):
    book = compliant(reg, position="педагог-психолог")
    book.with_role(HEAD)["Должность"] = "заместитель директора"
    assert run(book) == []


def test_head_position_clause():
    assert clause(BIYSK, "head_position") == "п. 3.3" and clause(BIYSK, "member_position") == "п. 3.1"
