"""signers: a held meeting names its chair and secretary; where the regulation says
who they must be, their «Роль в МО» must match (Каменск-Уральский п. 5.2: head and
secretary; Залесово п. 4.2: the head chairs; Здвинский п. 5.2(4): head or deputy
chairs; ГПМО п. 4.3, РПМО п. 10.2: the secretary keeps the protocol)."""
from __future__ import annotations

import pytest

from service.schema.findings import ERROR
from tests.domain import (
    BIYSK, D, DEPUTY, GPMO, HEAD, KAMENSK, MEETINGS, MEMBER, RPMO, SECRETARY, ZALESOVO, ZDVINSKY, cited,
    compliant, only, regs_with, regs_without, rule, run, set_votes,
)

SIGNERS = regs_with("signers")
HEAD_CHAIRS = [r for r in SIGNERS if rule(r, "signers").get("chair_roles") == [HEAD]]
SECRETARY_SIGNS = [r for r in SIGNERS if rule(r, "signers").get("secretary_roles") == [SECRETARY]]
ANY_CHAIR = [r for r in SIGNERS if not rule(r, "signers").get("chair_roles")]
ANY_SECRETARY = [r for r in SIGNERS if not rule(r, "signers").get("secretary_roles")]


def test_who_signs_per_regulation_file():
    assert SIGNERS == [KAMENSK, ZDVINSKY, GPMO, RPMO, ZALESOVO]
    assert regs_without("signers") == [BIYSK]
    assert HEAD_CHAIRS == [KAMENSK, ZDVINSKY, ZALESOVO]
    assert rule(ZDVINSKY, "signers")["chair_roles"] == [HEAD]
    assert rule(ZDVINSKY, "signers")["stand_in_roles"] == [DEPUTY]
    assert SECRETARY_SIGNS == [KAMENSK, GPMO, RPMO]
    assert ANY_CHAIR == [GPMO, RPMO]
    assert ANY_SECRETARY == [ZDVINSKY, ZALESOVO]


def signer_finding(findings, reg, code, cell, meeting=1):
    f = only(findings, code)
    assert f.severity == ERROR
    assert (f.sheet, f.cell, f.meeting) == (MEETINGS, cell, meeting)
    cited(f, reg, "signers")
    return f


# ---------------------------------------------------------------- nobody to sign

@pytest.mark.parametrize("reg", SIGNERS)
@pytest.mark.parametrize("column, cell, who", [
    ("Председатель", "E2", "не указан председатель"),
    ("Секретарь", "F2", "не указан секретарь"),
])
def test_missing_signer(reg, column, cell, who):
    book = compliant(reg)
    book.meeting(1)[column] = None
    f = signer_finding(run(book), reg, "meeting.no_signers", cell)
    assert f.message.startswith(f"Заседание №1 от 24.09.2024: {who}")


@pytest.mark.parametrize("reg", SIGNERS)
def test_missing_chair_and_secretary_is_one_finding(reg):
    book = compliant(reg)
    book.meeting(3)["Председатель"] = book.meeting(3)["Секретарь"] = None
    f = signer_finding(run(book), reg, "meeting.no_signers", "E4", meeting=3)
    assert "18.02.2025" in f.message and "председатель и секретарь" in f.message


@pytest.mark.parametrize("reg", SIGNERS)
def test_planned_or_cancelled_meeting_needs_no_signers(reg):
    book = compliant(reg)
    book.meeting(4)["Председатель"] = book.meeting(4)["Секретарь"] = None   # 20.05.2025
    assert run(book, D(2025, 5, 1)) == []


def test_biysk_does_not_check_signers():
    """Reading: «для протокола председатель и секретарь ... проверяется при формировании протокола»."""
    book = compliant(BIYSK)
    book.meeting(1)["Председатель"] = book.meeting(1)["Секретарь"] = None
    book.meeting(2)["Председатель"] = book.members[5]["ФИО"]
    assert run(book) == []


# ---------------------------------------------------------------- who chairs

@pytest.mark.parametrize("reg", HEAD_CHAIRS)
@pytest.mark.parametrize("role", [DEPUTY, SECRETARY, MEMBER])
def test_chair_must_be_the_head(reg, role):
    book = compliant(reg)
    chair = book.with_role(role)["ФИО"]
    book.meeting(2)["Председатель"] = chair
    f = signer_finding(run(book), reg, "meeting.wrong_chair", "E3", meeting=2)
    assert chair in f.message and f"({role})" in f.message
    assert f.message.split("должен")[1].strip().startswith("руководитель")


def test_zdvinsky_deputy_may_chair_in_the_heads_absence():
    book = compliant(ZDVINSKY)
    book.meeting(2)["Председатель"] = book.with_role(DEPUTY)["ФИО"]
    book.attendance[book.with_role(HEAD)["ФИО"]]["№2"] = "н"
    book.attendance[book.members[9]["ФИО"]]["№2"] = "+"          # keep 9 present
    assert run(book) == []


def test_zdvinsky_deputy_may_not_chair_while_the_head_is_present():
    """п. 5.2(4): the deputy acts as chair «в его отсутствие»."""
    book = compliant(ZDVINSKY)
    deputy = book.with_role(DEPUTY)["ФИО"]
    book.meeting(2)["Председатель"] = deputy
    f = signer_finding(run(book), ZDVINSKY, "meeting.wrong_chair", "E3", meeting=2)
    assert deputy in f.message and "в его отсутствие" in f.message and "руководитель присутствовал" in f.message


@pytest.mark.parametrize("role", [SECRETARY, MEMBER])
def test_zdvinsky_chair_must_be_head_or_deputy(role):
    book = compliant(ZDVINSKY)
    chair = book.with_role(role)["ФИО"]
    book.meeting(2)["Председатель"] = chair
    f = signer_finding(run(book), ZDVINSKY, "meeting.wrong_chair", "E3", meeting=2)
    assert chair in f.message
    required = f.message.split("должен")[1]
    assert "руководитель" in required and "заместитель руководителя" in required


@pytest.mark.parametrize("reg", ANY_CHAIR + regs_without("signers"))
def test_any_member_may_chair(reg):
    book = compliant(reg)
    book.meeting(2)["Председатель"] = book.with_role(MEMBER)["ФИО"]
    assert run(book) == []


# ---------------------------------------------------------------- who keeps the protocol

@pytest.mark.parametrize("reg", SECRETARY_SIGNS)
@pytest.mark.parametrize("role", [MEMBER, DEPUTY])
def test_secretary_must_be_the_secretary(reg, role):
    book = compliant(reg)
    secretary = book.with_role(role)["ФИО"]
    book.meeting(4)["Секретарь"] = secretary
    f = signer_finding(run(book), reg, "meeting.wrong_secretary", "F5", meeting=4)
    assert secretary in f.message and f"({role})" in f.message
    assert f.message.split("должен")[1].strip().startswith("секретарь")


@pytest.mark.parametrize("reg", ANY_SECRETARY + regs_without("signers"))
def test_any_member_may_keep_the_protocol(reg):
    book = compliant(reg)
    book.meeting(4)["Секретарь"] = book.with_role(MEMBER)["ФИО"]
    assert run(book) == []


# ---------------------------------------------------------------- names as people type them

@pytest.mark.parametrize("reg", SIGNERS)
@pytest.mark.parametrize("typed", ["Иванова М.П.", "Иванова М. П.", "М.П. Иванова", "иванова мария петровна"])
def test_chair_typed_with_initials_is_the_head(reg, typed):
    book = compliant(reg)
    assert book.with_role(HEAD)["ФИО"] == "Иванова Мария Петровна"
    book.meeting(1)["Председатель"] = typed
    book.meeting(2)["Секретарь"] = "Смирнова Е.С."
    assert run(book) == []


@pytest.mark.parametrize("reg", HEAD_CHAIRS)
def test_chair_not_on_the_members_sheet(reg):
    book = compliant(reg)
    book.meeting(1)["Председатель"] = "Петрова Анна Ивановна"      # the curator, not a member
    f = only(run(book), "ref.unknown_member")
    assert f.severity == ERROR
    assert (f.sheet, f.cell, f.meeting) == (MEETINGS, "E2", 1)
    assert "Петрова Анна Ивановна" in f.message


@pytest.mark.parametrize("reg", SIGNERS)
def test_cells_follow_title_rows_above_the_table(reg):
    """A person finds the cell in the sheet as they keep it: two title rows push meeting №1 to row 4."""
    book = compliant(reg)
    book.title_rows = 2
    book.meeting(1)["Председатель"] = None
    signer_finding(run(book), reg, "meeting.no_signers", "E4")


# ---------------------------------------------------------------- officers who have left

def replaced(book, role, on, newcomer="Орлова Вера Игоревна"):
    """The officer in `role` leaves on `on`; a new member takes the role the same day.
    The meetings after `on` still name the one who left."""
    book.with_role(role)["Дата выбытия"] = on
    book.members.append({**book.members[11], "ФИО": newcomer, "Роль в МО": role, "Дата включения": on})
    for n in (3, 4):
        set_votes(book, n, 8)           # the one who left is no longer counted among those present
    return book


@pytest.mark.parametrize("reg", HEAD_CHAIRS + [ZDVINSKY])
def test_chair_who_had_left_before_the_meeting_is_the_wrong_chair(reg):
    book = replaced(compliant(reg), HEAD, D(2025, 1, 15))
    findings = run(book)
    assert [(f.code, f.cell, f.meeting) for f in findings if f.code == "meeting.wrong_chair"] == [
        ("meeting.wrong_chair", "E4", 3), ("meeting.wrong_chair", "E5", 4)]


@pytest.mark.parametrize("reg", SECRETARY_SIGNS)
def test_secretary_who_had_left_before_the_meeting_is_the_wrong_secretary(reg):
    book = replaced(compliant(reg), SECRETARY, D(2025, 1, 15))
    findings = run(book)
    assert [(f.code, f.cell, f.meeting) for f in findings if f.code == "meeting.wrong_secretary"] == [
        ("meeting.wrong_secretary", "F4", 3), ("meeting.wrong_secretary", "F5", 4)]


@pytest.mark.parametrize("reg", SIGNERS)
def test_new_officer_chairing_after_taking_over_is_fine(reg):
    book = replaced(compliant(reg), HEAD, D(2025, 1, 15))
    for n in (3, 4):
        book.meeting(n)["Председатель"] = "Орлова В.И."
    assert {f.code for f in run(book)} <= {"composition.late"}
