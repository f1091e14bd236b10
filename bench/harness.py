"""Timing helpers: best of several runs, after a warm-up, in this process."""
from __future__ import annotations

import contextlib
import datetime as dt
import gc
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable


@dataclass
class Timing:
    best: float
    median: float
    runs: int
    p95: float | None = None


def samples_timing(samples: list[float]) -> Timing:
    """best, median and p95 (nearest rank) of measured seconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, max(0, -(-95 * len(ordered) // 100) - 1))]
    return Timing(best=ordered[0], median=statistics.median(ordered), runs=len(ordered), p95=p95)


def measure(fn: Callable[[], object], runs: int = 5, warmup: int = 1) -> Timing:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return Timing(best=min(samples), median=statistics.median(samples), runs=runs)


@dataclass
class Result:
    name: str
    what: str
    ours: Timing
    baseline: Timing
    baseline_what: str
    target: str
    ok: bool
    notes: str = ""
    by: str = "best"               # which statistic the ratio compares: "best", "median" or "p95"

    @property
    def ratio(self) -> float:
        return self.ours_by / self.baseline_by

    @property
    def ours_by(self) -> float:
        return getattr(self.ours, self.by)

    @property
    def baseline_by(self) -> float:
        return getattr(self.baseline, self.by)


@contextlib.contextmanager
def admin_client(rows: list[dict]):
    """(workspace, test client signed in as an admin) over a fresh SQLite workspace holding
    `rows` of the associations table, written straight into the database."""
    from sqlalchemy import insert

    from service import create_app
    from service.accounts import directory, sessions
    from service.workspace.models import Association

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"INSTANCE": tmp, "SECRET_KEY": "bench", "QUEUE_URL": "memory://",
                          "DATABASE_URL": f"sqlite:///{Path(tmp) / 'mo-docs.sqlite'}"})
        ws = app.extensions["workspace"]
        with ws.engine.begin() as conn:
            conn.execute(insert(Association.__table__), rows)
        client = app.test_client()
        admin = directory.create(ws.sf, "bench@mo.example", "admin")
        with client.session_transaction() as session:
            session["sid"] = sessions.open_session(ws.sf, admin.id, dt.timedelta(hours=1))
        yield ws, client
        ws.engine.dispose()
