"""The demo's three associations: one clean, one with typical mistakes, one in breach."""
import datetime as dt

import pytest

from service.demo import run_demo
from service.demo_data import write_samples
from service.pipeline import check
from service.schema.cells import SchoolYear
from service.sources.workbook_file import WorkbookFileSource

AS_OF = dt.date(2025, 9, 1)


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    return {p.name: check(WorkbookFileSource(p), as_of=AS_OF) for p in write_samples(folder, SchoolYear(2024))}


def codes(report):
    return sorted(f.code for f in report.findings)


def test_clean_association_has_no_errors(reports):
    report = reports["mmo-matematika-zdvinsk.xlsx"]
    assert report.regulation.id == "zdvinsky-mmo"
    assert not report.has_errors, report.findings
    data = report.data
    assert len(data.members) == 11 and len(data.meetings) == 4 and len(data.plan) == 7 and len(data.needs) == 5
    # title rows, synonyms («Фамилия, имя, отчество», «Дата проведения») and text dates are read
    assert data.meetings[0].date == dt.date(2024, 9, 24) and data.meetings[2].date == dt.date(2025, 3, 18)
    assert data.meetings[2].chair.full_name == "Гусев Андрей Викторович"
    assert {m.number for m in data.meetings} == data.attendance_columns


def test_typical_mistakes_are_each_pointed_at(reports):
    report = reports["gpmo-istoriya-novokuznetsk.xlsx"]
    by_code = {f.code: f for f in report.findings}
    assert by_code["cell.bad_choice"].cell == "E5" and "«главная»" in by_code["cell.bad_choice"].message
    assert by_code["cell.bad_date"].cell == "B5" and "31.02" in by_code["cell.bad_date"].message
    assert by_code["meeting.no_signers"].meeting == 2
    assert by_code["agenda.no_decision"].meeting == 2
    assert by_code["ref.unknown_meeting"].cell == "A6"
    assert by_code["ref.unknown_member"].severity == "warning"
    assert by_code["databank.stale"].severity == "error"
    assert by_code["cell.bad_email"].severity == "warning"
    # a broken meeting date must not cascade into «unknown meeting» for its agenda or attendance
    assert not any(f.code == "ref.unknown_meeting" and f.meeting == 3 for f in report.findings)


def test_breaches_of_the_regulation(reports):
    report = reports["mmo-nachalka-zalesovo.xlsx"]
    assert codes(report) == ["head.category", "meeting.wrong_chair", "meetings.too_few"]


def test_demo_command_summarises_every_sample(tmp_path, capsys):
    assert run_demo(tmp_path, as_of=dt.date(2026, 11, 22)) == 0
    out = capsys.readouterr().out
    assert "за 2025/2026 учебный год" in out
    for name in ("ММО математиков (zdvinsky-mmo): 0 ошибок", "ГПМО историков", "ММО начальных классов"):
        assert name in out
    assert len(list((tmp_path / "workbooks").glob("*.xlsx"))) == 3


def test_the_samples_write_the_school_year_as_people_do():
    from service.demo_data import zdvinsky_math

    assert zdvinsky_math(SchoolYear(2024))["Состав"][1] == ["на 2024/2025 учебный год"]
