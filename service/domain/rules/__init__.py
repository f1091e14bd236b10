"""Rules: one small class per kind of requirement, configured from regulation files.

A regulation file lists rules by `kind` with their clause and parameters; `build`
turns that list into objects whose `check(context)` yields findings.
"""
from service.domain.rules.base import RULES, Context, Rule, build

# Importing the modules registers their rules.
from service.domain.rules import (  # noqa: F401,E402
    attestation, common, deadlines, decisions, meetings, plan, quorum, roles, signers,
)

__all__ = ["RULES", "Context", "Rule", "build"]
