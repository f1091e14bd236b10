"""Timing helpers: best of several runs, after a warm-up, in this process."""
from __future__ import annotations

import gc
import statistics
import time
from dataclasses import dataclass
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
