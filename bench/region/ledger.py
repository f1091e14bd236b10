"""Nothing lost, nothing twice: the run's registry, jobs and storage counted at its end.

* the registry (document_versions) holds exactly the documents that were asked for or
  due — every protocol of a held meeting, every registration sheet of a meeting in the
  coming week, every annual report — each once, as version 1;
* every job ended done, none failed or still waiting, and there is one job per thing
  asked for (the burst's requests, a check per association, the batch and a report
  job per association);
* the storage holds each recorded document, with the content the registry recorded,
  and nothing else: no half-uploaded `.part`, no `.versions/` (nothing was replaced).
"""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from service.db import DocumentVersion
from service.workspace.models import Job


@dataclass
class Ledger:
    versions: int = 0
    documents: Counter = field(default_factory=Counter)       # by kind
    jobs: Counter = field(default_factory=Counter)            # (kind, state)
    attempts: int = 0                                         # jobs tried more than once
    files: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def audit(ws, expected: set[tuple[str, str, str]], jobs: Counter, collection: Path, location_prefix: str) -> Ledger:
    """`expected`: (slug, kind, number) of every document; `jobs`: job count by kind;
    `collection`: the run's folder on the storage's disk, `location_prefix` how the
    registry names it."""
    led = Ledger()
    with ws.sf() as s:
        rows = list(s.scalars(select(DocumentVersion)))
        all_jobs = list(s.execute(select(Job.kind, Job.state, Job.attempts, Job.error)).all())
    led.versions = len(rows)
    by_key = Counter((r.association, r.kind, r.number) for r in rows)
    led.documents = Counter(r.kind for r in rows)
    twice = [k for k, n in by_key.items() if n > 1]
    extra = set(by_key) - expected
    missing = expected - set(by_key)
    not_first = [r for r in rows if r.version != 1]
    if twice:
        led.problems.append(f"{len(twice)} documents filed more than once, e.g. {sorted(twice)[:3]}")
    if not_first:
        led.problems.append(f"{len(not_first)} versions past the first, e.g. {[(r.association, r.kind, r.number, r.version) for r in not_first[:3]]}")
    if extra:
        led.problems.append(f"{len(extra)} documents nobody asked for, e.g. {sorted(extra)[:3]}")
    if missing:
        led.problems.append(f"{len(missing)} documents missing, e.g. {sorted(missing)[:3]}")

    led.jobs = Counter((kind, state) for kind, state, _a, _e in all_jobs)
    led.attempts = sum(1 for _k, _s, attempts, _e in all_jobs if attempts > 1)
    unfinished = {k: n for k, n in led.jobs.items() if k[1] != "done"}
    if unfinished:
        errors = Counter((e or {}).get("code") for _k, state, _a, e in all_jobs if state == "failed")
        led.problems.append(f"jobs not done: {dict(unfinished)}; failures by code {dict(errors)}")
    made = Counter(kind for kind, _s, _a, _e in all_jobs)
    if made != jobs:
        led.problems.append(f"jobs by kind {dict(made)}, expected {dict(jobs)}")

    on_disk = [p for p in collection.rglob("*") if p.is_file()]
    led.files = sum(1 for p in on_disk if ".versions" not in p.parts and not p.name.endswith(".part"))
    leftovers = [p for p in on_disk if p.name.endswith(".part") or ".versions" in p.parts]
    if leftovers:
        led.problems.append(f"{len(leftovers)} files that should not be in the storage, e.g. "
                            f"{[str(p.relative_to(collection)) for p in leftovers[:3]]}")
    if led.files != len(rows):
        led.problems.append(f"{led.files} documents in the storage, {len(rows)} in the registry")
    wrong = 0
    for r in rows:
        if not r.location.startswith(location_prefix):
            wrong += 1
            continue
        path = collection / r.location[len(location_prefix):].lstrip("/")
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != r.sha256:
            wrong += 1
    if wrong:
        led.problems.append(f"{wrong} recorded documents absent from the storage or with other content")
    return led
