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
    by: str = "best"               # which statistic the ratio compares: "best" or "median"

    @property
    def ratio(self) -> float:
        if self.by == "median":
            return self.ours.median / self.baseline.median
        return self.ours.best / self.baseline.best
