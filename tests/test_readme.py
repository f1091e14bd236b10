"""The README promises: the two commands first, and tables that match the code."""
from pathlib import Path

from service.domain.rules import RULES
from service.readme_tables import README, RULE_CODES, RULE_TEXT, render
from service.schema.findings import CODES


def test_readme_starts_with_the_two_commands():
    head = README.read_text(encoding="utf-8").split("\n\n")[1]
    assert "make run" in head and "make test" in head


def test_generated_tables_are_up_to_date():
    text = README.read_text(encoding="utf-8")
    assert render(text) == text, "README.md is stale: run `make docs`"


def test_every_finding_code_and_rule_kind_is_documented():
    text = README.read_text(encoding="utf-8")
    for code in CODES:
        assert f"`{code}`" in text
    assert set(RULE_TEXT) == set(RULES) == set(RULE_CODES)
    for codes in RULE_CODES.values():
        for code in codes.replace("/", ",").split(","):
            assert code.strip() in CODES, code


def test_every_code_emitted_by_the_service_is_registered():
    """A finding code typed in the source but missing from CODES would fail only at run time."""
    import re

    from service.domain.rules.roles import ROLE_CODES

    root = Path(__file__).resolve().parents[1] / "service"
    used = set(ROLE_CODES.values())
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'finding\(\s*"([a-z_]+\.[a-z_]+)"', text))
        used |= set(re.findall(r'(?:SourceError|CellError)\(\s*"([a-z_]+\.[a-z_]+)"', text))
    assert len(used) > 30, used
    assert used <= set(CODES), used - set(CODES)


def test_the_table_of_documents_names_every_required_document_of_every_regulation():
    from service.schema.regulations import load_all

    table = README.read_text(encoding="utf-8").split("<!-- documents:start -->", 1)[1].split("<!-- documents:end -->")[0]
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in table.splitlines() if line.startswith("| ")]
    for reg in load_all():
        start = next(i for i, r in enumerate(rows) if f"(`{reg.id}`)" in r[0])
        mine = rows[start:start + len(reg.required_documents) + len(reg.other_documents)]
        assert [(r[1], r[2], r[3].split(" — ")[0]) for r in mine[:len(reg.required_documents)]] == [
            (d.clause, d.title, f"`{d.kind}`") for d in reg.required_documents]
        assert all(r[3] == "ведётся вне службы" for r in mine[len(reg.required_documents):])
