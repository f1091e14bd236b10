"""Each requirement of the regulation, met or not, from the findings of the check: the
self-assessment (Залесово п. 5.7) reports the association's own compliance rather than
a score nobody defined.  A requirement with an error is not met; with warnings only it
is met with remarks (a deadline missed by days, an attestation due soon)."""
from __future__ import annotations

from dataclasses import dataclass

from service.domain.rules.describe import describe, rule_codes
from service.schema.findings import ERROR, WARNING, Finding

MET, REMARKS, NOT_MET = "выполнено", "выполнено с замечаниями", "не выполнено"


@dataclass(frozen=True)
class Requirement:
    clause: str
    text: str
    status: str
    errors: int
    warnings: int


def _belongs(f: Finding, spec: dict, codes: list[str]) -> bool:
    return f.code in codes and (f.clause is None or f.clause == spec.get("clause"))


def requirements(rules: tuple[dict, ...] | list[dict], findings: list[Finding]) -> list[Requirement]:
    out = []
    for spec in rules:
        codes = rule_codes(spec)
        mine = [f for f in findings if _belongs(f, spec, codes)]
        errors = sum(1 for f in mine if f.severity == ERROR)
        warnings = sum(1 for f in mine if f.severity == WARNING)
        status = NOT_MET if errors else REMARKS if warnings else MET
        out.append(Requirement(spec.get("clause") or "", describe(spec), status, errors, warnings))
    return out
