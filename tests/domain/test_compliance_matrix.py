"""One row of the curator's matrix per association: each requirement ok, breach,
pending or not applicable, from the check's findings and the regulation's rules."""
from __future__ import annotations

from service.domain.compliance_matrix import BREACH, NA, OK, PENDING, row
from service.domain.obligations import of_year
from service.pipeline import check
from tests.domain import D, GPMO, KAMENSK, ZALESOVO, ZDVINSKY, BookSource, compliant, year_end


def _row(book, as_of=None):
    report = check(BookSource(book), as_of=as_of or year_end())
    done = {f"{o.kind}_deadline": bool(o.done) for o in of_year(report.data, list(report.regulation.rules),
                                                                   report.year)
            if o.kind in ("composition", "databank", "report")}
    return row(list(report.regulation.rules), list(report.regulation.required_documents), report.findings,
               report.year, report.as_of, done)


def test_a_compliant_association_meets_everything_its_regulation_asks():
    r = _row(compliant(ZDVINSKY))
    cells = {k: v["status"] for k, v in r["cells"].items()}
    assert cells["meetings"] == cells["quorum"] == cells["signers"] == cells["decisions"] == OK
    assert cells["composition"] == cells["plan"] == OK
    # Здвинский names no analysis date, no data bank date and no head's category
    assert cells["analysis"] == cells["databank"] == cells["head_category"] == NA
    assert r["status"] == OK
    assert r["cells"]["quorum"]["clauses"] == ["п. 5.1(5)"]


def test_no_quorum_is_a_breach_of_that_column_only():
    book = compliant(ZDVINSKY)
    book.mark(2, present=3)
    r = _row(book)
    assert r["cells"]["quorum"]["status"] == BREACH and r["cells"]["quorum"]["errors"] == 1
    assert r["cells"]["quorum"]["codes"] == ["meeting.no_quorum"]
    assert r["cells"]["meetings"]["status"] == OK
    assert r["status"] == BREACH


def test_a_deadline_not_yet_come_is_pending_and_a_missed_one_a_breach():
    book = compliant(GPMO)
    book.info["Дата представления анализа работы"] = None
    assert _row(book, D(2025, 3, 1))["cells"]["analysis"]["status"] == PENDING
    late = _row(book, D(2025, 6, 1))["cells"]["analysis"]
    assert late["status"] == BREACH and late["codes"] == ["report.deadline"]


def test_head_category_only_where_the_regulation_sets_one():
    book = compliant(ZALESOVO)
    book.with_role("руководитель")["Квалификационная категория"] = "нет"
    book.with_role("руководитель")["Дата присвоения категории"] = None
    assert _row(book)["cells"]["head_category"]["status"] == BREACH
    assert _row(compliant(KAMENSK))["cells"]["head_category"]["status"] == NA


def test_missing_data_of_a_required_document_is_pending():
    book = compliant(ZDVINSKY)
    book.omit.add("needs")                     # Здвинский разд. 6 requires «Потребности»
    cell = _row(book)["cells"]["documents"]
    assert cell["status"] == PENDING and cell["codes"] == ["documentation.no_data"] and cell["warnings"] >= 1


def test_the_stored_form_is_small_and_reads_back_with_the_regulations_clauses():
    import json

    from service.domain.compliance_matrix import clauses_of, pack, unpack
    from service.schema.regulations import load_regulation

    book = compliant(ZDVINSKY)
    book.mark(2, present=3)
    r = _row(book)
    stored = pack(r, year_end())
    assert len(json.dumps(stored)) < 400                     # a thousand are read for one view
    reg = load_regulation(ZDVINSKY)
    assert unpack(json.loads(json.dumps(stored)), clauses_of(list(reg.rules), list(reg.required_documents))) == \
        {**r, "as_of": year_end().isoformat()}
    assert unpack(None, {}) == {} and unpack({"v": 99}, {}) == {}
