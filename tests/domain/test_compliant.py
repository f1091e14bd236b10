"""The starting point of every other test: each regulation's compliant association
is clean at the year's end, and every rule of every regulation file is exercised."""
from __future__ import annotations

import pytest

from service.domain.rules import RULES
from service.schema.findings import ERROR, WARNING
from tests.domain import ALL, BIYSK, compliant, regulation_file, run, year_end, D

# Which test module exercises each kind of rule.  A rule kind added to a regulation
# file without a test here fails `test_every_rule_of_every_regulation_is_tested`.
TESTED_IN = {
    "meeting_frequency": "test_meetings",
    "quorum": "test_quorum",
    "simple_majority": "test_decisions",
    "decision_per_item": "test_decisions",
    "signers": "test_signers",
    "role_required": "test_roles",
    "head_category": "test_roles",
    "head_position": "test_roles",
    "member_position": "test_roles",
    "composition_deadline": "test_deadlines",
    "databank_deadline": "test_deadlines",
    "report_deadline": "test_deadlines",
    "plan_required": "test_plan",
    "plan_deadlines": "test_plan",
    "agenda_present": "test_agenda",
    "attestation": "test_attestation",
}


@pytest.mark.parametrize("reg", ALL)
def test_compliant_association_is_clean_at_year_end(reg):
    findings = run(compliant(reg))
    assert [f for f in findings if f.severity in (ERROR, WARNING)] == []
    assert findings == []


@pytest.mark.parametrize("reg", ALL)
@pytest.mark.parametrize("as_of", [D(2024, 9, 20), D(2024, 12, 31), D(2025, 1, 10), D(2025, 3, 1),
                                   D(2025, 5, 1), D(2025, 6, 1), D(2025, 8, 31)])
def test_compliant_association_is_clean_during_the_year(reg, as_of):
    """Nothing is reported early: planned meetings count, deadlines not yet due stay quiet
    (the only exception is the data bank reminder before 1 October, an info)."""
    findings = run(compliant(reg), as_of)
    assert [f for f in findings if f.severity in (ERROR, WARNING)] == [], [f.message for f in findings]


def test_biysk_association_of_teachers_is_not_compliant():
    """Бийск's ММО is of social pedagogues (п. 3.1, 3.3): the factory's default «учитель
    математики» is a breach there, which is why the tests build it with position=…"""
    findings = run(compliant(BIYSK, position="учитель математики"))
    assert {f.code for f in findings} == {"head.position", "member.position"}


@pytest.mark.parametrize("reg", ALL)
def test_every_rule_of_every_regulation_is_tested(reg):
    data = regulation_file(reg)
    assert data["id"] == reg
    for spec in data["rules"]:
        assert spec["kind"] in RULES, spec
        assert spec["kind"] in TESTED_IN, f"{reg}: rule {spec['kind']} has no tests"
        assert spec.get("clause"), f"{reg}: rule {spec['kind']} cites no clause"


def test_year_end_is_after_every_period():
    assert year_end() == D(2025, 9, 1)


@pytest.mark.parametrize("reg", ALL)
def test_compliant_association_saved_as_xlsx_is_clean(reg, tmp_path):
    """The same judgement through a real .xlsx file and the openpyxl reader."""
    from service.pipeline import check
    from service.sources.base import open_source

    path = compliant(reg).save(tmp_path / f"{reg}.xlsx")
    report = check(open_source(path), as_of=year_end())
    assert report.regulation.id == reg
    assert report.findings == []


def test_a_breach_reads_the_same_from_xlsx(tmp_path):
    from service.pipeline import check
    from service.sources.base import open_source
    from tests.domain import ZDVINSKY, set_votes

    book = compliant(ZDVINSKY)
    book.mark(2, present=6)
    set_votes(book, 2, 6)
    from_file = check(open_source(book.save(tmp_path / "b.xlsx")), as_of=year_end()).findings
    assert from_file == run(book)
    assert [(f.code, f.cell, f.meeting) for f in from_file] == [("meeting.no_quorum", "A3", 2)]
