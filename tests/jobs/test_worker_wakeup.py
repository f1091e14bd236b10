"""Jobs start at once: an idle worker looks at its SQLite queue every
QUEUE_POLL_SECONDS (huey alone backs off to ten seconds), and the jobs of one busy
association wait their turn in arrival order instead of being retried a second later."""
from __future__ import annotations

import time

import pytest

from service.workspace import jobs as records
from tests.workspace import aware

pytestmark = [pytest.mark.slow, pytest.mark.timeout(90)]


def test_a_job_queued_to_an_idle_worker_starts_within_a_fraction_of_a_second(make_instance):
    inst = make_instance()
    a = inst.add_association()
    inst.start_worker()
    warm, _ = inst.request(a, kind="work-plan")                # imports done, templates compiled
    inst.wait_state(warm.id, records.DONE, timeout=30)
    time.sleep(5)                                              # idle: huey's own back-off would be ~1.6 s by now
    waits = []
    for n in (1, 2, 3):
        job, created = inst.request(a, kind="protocol", meeting=n)
        assert created
        done = inst.wait_state(job.id, records.DONE, timeout=10)
        waits.append((aware(done.started_at) - aware(done.created_at)).total_seconds())
        time.sleep(2)
    assert max(waits) < 0.5, waits


def test_jobs_of_one_association_run_back_to_back(make_instance):
    """Two worker threads take two jobs off the queue at the same moment, so which of them
    reaches the association first is a race; after that, jobs wait their turn in the order
    they came to it (tests/workspace/test_gate.py) and no time is lost between them."""
    inst = make_instance(WORKERS=2)
    a = inst.add_association()
    inst.start_worker()
    warm, _ = inst.request(a, kind="work-plan")
    inst.wait_state(warm.id, records.DONE, timeout=30)
    asked = [{"kind": "protocol", "meeting": n} for n in (1, 2, 3, 4)] + [
        {"kind": "registration-sheet", "meeting": n} for n in (1, 2, 3, 4)]
    start = time.monotonic()
    ids = [inst.request(a, **params)[0].id for params in asked]
    inst.wait_for("all eight jobs to end", lambda: all(inst.job(j).state == records.DONE for j in ids), timeout=30)
    elapsed = time.monotonic() - start
    rows = [inst.job(j) for j in ids]
    assert [r.attempts for r in rows] == [1] * 8                # waiting costs no attempt
    spans = sorted((aware(r.started_at), aware(r.finished_at)) for r in rows)
    for (_, finished), (started, _) in zip(spans, spans[1:]):
        assert started >= finished                               # one at a time
    assert elapsed < 4, f"eight small documents took {elapsed:.1f} s"     # was up to 6 s with 1 s retries
