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
