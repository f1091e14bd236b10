"""Regulations (Положения) as data: sheet_schemas/regulations/<id>.yaml.

Each file names its seed, the clauses it enforces and, where the seed is vague,
the reading we chose (`readings`), so a curator can see why a finding appears.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from service.schema.layout import SCHEMAS_DIR, SafeLoader

REGULATIONS_DIR = SCHEMAS_DIR / "regulations"


@dataclass(frozen=True)
class Regulation:
    id: str
    title: str
    body: str                       # «МО», «ММО», «ГПМО», «РПМО»
    seed: str
    approved_by: str | None
    founder: str | None
    quorum: str | None              # «1/2» where a quorum is set
    retention_years: int | None
    documents: tuple[str, ...]
    readings: tuple[str, ...]
    rules: tuple[dict, ...] = field(default_factory=tuple)
    plan_approval: dict = field(default_factory=dict)
    short_title: str = ""            # «Здвинский район»: how people name it on the dashboard   # title, by (head | founder | a position), clause

    def rule_specs(self, kind: str) -> list[dict]:
        return [r for r in self.rules if r["kind"] == kind]


class UnknownRegulation(KeyError):
    def __init__(self, reg_id: str):
        super().__init__(reg_id)
        self.reg_id = reg_id
        self.message = (f"Положение «{reg_id}» неизвестно. Известны: "
                        + ", ".join(sorted(available())) + ".")


def available() -> list[str]:
    return sorted(p.stem for p in REGULATIONS_DIR.glob("*.yaml"))


@lru_cache(maxsize=32)
def load_regulation(reg_id: str) -> Regulation:
    path = REGULATIONS_DIR / f"{reg_id}.yaml"
    if not reg_id or "/" in reg_id or not path.is_file():
        raise UnknownRegulation(reg_id)
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader)
    if data["id"] != reg_id:
        raise ValueError(f"{path.name}: id {data['id']!r} differs from the file name")
    return Regulation(
        id=data["id"], title=data["title"], body=data["body"], seed=str(data["seed"]),
        approved_by=data.get("approved_by"), founder=data.get("founder"),
        quorum=data.get("quorum"), retention_years=data.get("retention_years"),
        documents=tuple(data.get("documents", [])), readings=tuple(data.get("readings", [])),
        rules=tuple(data.get("rules", [])),
        short_title=data.get("short_title") or data["id"],
        plan_approval=dict(data.get("plan_approval") or {"title": "УТВЕРЖДАЮ", "by": "founder"}),
    )


def load_all() -> list[Regulation]:
    return [load_regulation(r) for r in available()]


