"""What a region's service is asked to do, measured from outside as people and the night
see it: a burst of «Сформировать протокол», the nightly re-check, the annual reports.

Times come from the job records (the server's clock is this machine's): a job's
`finished_at` is the moment its document was filed.  Every wait has a deadline; a
phase that misses it raises Overdue, which stops the bench.
"""
from __future__ import annotations

import datetime as dt
import json
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from sqlalchemy import func, select

from bench.web_generate import AUTH, _pct, one_request
from service.workspace.models import Job

POLL = 0.5                    # how often a client follows its job (a browser polls every second)
WATCH_POLL = 1.0              # how often the bench counts the night's checks


class Overdue(Exception):
    """A phase did not end within its time limit."""


@dataclass
class Phase:
    name: str
    seconds: float                            # from the first request to the last document filed
    documents: int                            # new documents filed
    jobs: int
    latencies: list[float] = field(default_factory=list)
    cpu: dict = field(default_factory=dict)   # CPU seconds by group of processes (bench/region/cpu.py)
    notes: dict = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0

    def p(self, q: float) -> float:
        return _pct(self.latencies, q) if self.latencies else float("nan")


def _epoch(value: dt.datetime) -> float:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.timestamp()


def _post(url: str, body: dict) -> dict:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json", "Accept": "application/json", **AUTH})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())


# ---------------------------------------------------------------- «Сформировать протокол» × 200

def burst(base: str, ws, requests: list[tuple[str, int]], clients: int, limit: float) -> Phase:
    """`requests` (slug, meeting) shared among `clients` threads, each asking for its
    protocols one after another: POST, then following /api/v1/jobs/{id} until done."""
    deadline = time.monotonic() + limit
    shares = [requests[i::clients] for i in range(clients)]

    def client(mine: list[tuple[str, int]]) -> list[dict]:
        return [one_request(base, slug, {"kind": "protocol", "meeting": n}, deadline, poll=POLL) for slug, n in mine]

    started = time.time()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = [r for rs in pool.map(client, shares) for r in rs]
    with ws.sf() as s:
        rows = s.execute(select(Job.finished_at, Job.result).where(Job.id.in_([r["job"] for r in results]))).all()
    seen = [r["seen"] for r in results]
    return Phase("burst", seconds=max(_epoch(f) for f, _ in rows) - started,
                 documents=sum(bool((result or {}).get("changed")) for _, result in rows),
                 jobs=len(results), latencies=[r["latency"] for r in results],
                 notes={"seen_p50": _pct(seen, 50), "seen_p95": _pct(seen, 95),
                        "retried": sum(r["attempts"] > 1 for r in results)})


# ---------------------------------------------------------------- the night

def night(ws, tasks, expected_checks: int, limit: float) -> Phase:
    """The workbooks have changed: the watch job (put on the queue as its schedule
    would) queues a check of each, and the checks file what is due."""
    started = time.time()
    deadline = time.monotonic() + limit
    tasks.watch()                                         # the periodic task, on the queue for any worker
    while True:
        with ws.sf() as s:
            counts = dict(s.execute(select(Job.state, func.count()).where(Job.kind == "check")
                                    .group_by(Job.state)).all())
        ended = counts.get("done", 0) + counts.get("failed", 0)
        if ended >= expected_checks:
            break
        if time.monotonic() > deadline:
            raise Overdue(f"the night's checks: {ended} of {expected_checks} ended after {limit:.0f} s ({counts})")
        time.sleep(WATCH_POLL)
    with ws.sf() as s:
        checks = list(s.scalars(select(Job).where(Job.kind == "check")))
    first = min(_epoch(j.created_at) for j in checks)
    last = max(_epoch(j.finished_at) for j in checks if j.finished_at)
    made = sum(len((j.result or {}).get("documents") or []) for j in checks)
    return Phase("night", seconds=last - started, documents=made, jobs=len(checks),
                 notes={"queued_after": first - started, "checks_per_second": len(checks) / (last - started),
                        "in_worker_p50": _pct([_epoch(j.finished_at) - _epoch(j.started_at) for j in checks], 50)})


# ---------------------------------------------------------------- the annual reports

def annual(base: str, ws, expected: int, limit: float) -> Phase:
    """«Анализ работы для всех МО» through the API, followed until the batch ends."""
    started = time.time()
    deadline = time.monotonic() + limit
    job = _post(f"{base}/api/v1/reports/annual", {})["job"]
    while True:
        with ws.sf() as s:
            batch = s.get(Job, job["id"])
            state, done, total = batch.state, batch.progress_done, batch.progress_total
        if state in ("done", "failed"):
            break
        if time.monotonic() > deadline:
            raise Overdue(f"the annual reports: {done} of {total or expected} after {limit:.0f} s")
        time.sleep(WATCH_POLL)
    with ws.sf() as s:
        batch = s.get(Job, job["id"])
        children = list(s.scalars(select(Job).where(Job.parent_id == job["id"])))
    finished = _epoch(batch.finished_at)
    made = sum(1 for c in children if c.state == "done" and (c.result or {}).get("changed"))
    workers = {c.worker.rsplit(":", 1)[0] for c in children if c.worker}
    return Phase("annual", seconds=finished - started, documents=made, jobs=len(children) + 1,
                 notes={"state": batch.state, "processes": len(workers),
                        "in_worker_p50": _pct([_epoch(c.finished_at) - _epoch(c.started_at) for c in children
                                               if c.started_at and c.finished_at] or [0.0], 50)})
