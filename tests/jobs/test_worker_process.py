"""Real `mo-docs worker` processes over a real instance folder (SQLite database and
SQLite huey queue): a worker killed mid-job loses the queue message (huey does not
promise at-least-once delivery), the job's lease in the database survives it, the
sweeper re-queues the job and a new worker finishes it exactly once; and two workers
never process one association at the same time.

The test process plays the web service: it builds the app with the same settings,
adds the association through the Workspace API and requests documents the way the
web pages do (`service.web.actions.request_document`: a job record, then its id on
the queue).
"""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from jobs.tasks import sweep_once
from service.db import utcnow
from service.workspace import jobs as records
from tests.workspace import aware

pytestmark = [pytest.mark.slow, pytest.mark.timeout(90)]


def test_a_job_killed_mid_run_is_swept_and_finished_exactly_once(make_instance):
    inst = make_instance(JOB_LEASE_SECONDS=3, FAULT_DELAY_SECONDS=4)
    a = inst.add_association()
    job, created = inst.request(a, kind="protocol", meeting=1)
    assert created and job.state == records.QUEUED
    assert inst.queued_jobs() == [job.id]                 # the job id is on the SQLite queue

    first = inst.start_worker()
    running = inst.wait_state(job.id, records.RUNNING, timeout=30)
    # claimed; wait for the association lock too, so the worker is inside the fault delay
    inst.wait_for("the worker to lock the association",
                  lambda: inst.ws.by_id(a.id).lock_owner == running.worker, timeout=5)
    in_delay = utcnow() - aware(running.started_at)
    inst.kill(first)                                       # SIGKILL, mid-job: inside the 4 s fault delay
    first.wait(timeout=10)
    assert in_delay < dt.timedelta(seconds=3.5), f"the worker was killed too late ({in_delay})"

    dead = inst.job(job.id)
    assert (dead.state, dead.attempts) == (records.RUNNING, 1)
    assert dead.lease_until is not None and dead.worker and f":{first.pid}:" in dead.worker
    assert inst.ws.documents(a) == [] and inst.docx_files() == []
    assert inst.queued_jobs() == []                        # huey lost the message with the worker
    assert inst.ws.by_id(a.id).lock_owner == dead.worker   # and the association is still locked by it

    assert sweep_once(inst.ws, inst.tasks.dispatch) == []  # the lease is still live: nothing to sweep
    wait = (aware(dead.lease_until) - utcnow()).total_seconds() + 0.2
    time.sleep(max(wait, 0))
    assert sweep_once(inst.ws, inst.tasks.dispatch) == [job.id]
    assert inst.queued_jobs() == [job.id]

    inst.start_worker(FAULT_DELAY_SECONDS=0)
    done = inst.wait_state(job.id, records.DONE, timeout=30)
    assert done.attempts == 2 and done.error is None
    assert f":{first.pid}:" not in done.worker
    location = Path(done.result["location"])
    assert done.result["version"] == 1 and done.result["changed"] is True
    assert [(v.kind, v.number, v.version, v.location) for v in inst.ws.documents(a)] == [
        ("protocol", "1", 1, str(location))]
    assert inst.docx_files() == [location]
    assert not list(location.parent.glob(".*.part"))
    inst.wait_for("the association to be unlocked (just after the job is marked done)",
                  lambda: inst.ws.by_id(a.id).lock_owner is None, timeout=5)

    again, created = inst.request(a, kind="protocol", meeting=1)
    assert created and again.id != job.id                  # the first job ended and freed its key
    repeat = inst.wait_state(again.id, records.DONE, timeout=30)
    assert repeat.result["changed"] is False and repeat.result["version"] == 1
    assert len(inst.ws.documents(a)) == 1 and inst.docx_files() == [location]


def test_two_workers_never_process_one_association_at_once(make_instance):
    delay = 1.0
    inst = make_instance(JOB_LEASE_SECONDS=30, FAULT_DELAY_SECONDS=delay, WORKERS=2)
    a = inst.add_association()
    requests = [{"kind": "protocol", "meeting": n} for n in (1, 2, 3, 4)] + [
        {"kind": "registration-sheet", "meeting": 3}, {"kind": "work-plan"}]
    job_ids = []
    for params in requests:
        job, created = inst.request(a, **params)
        assert created
        job_ids.append(job.id)
    assert sorted(inst.queued_jobs()) == sorted(job_ids)

    workers = [inst.start_worker(), inst.start_worker()]
    inst.wait_for("all six jobs to end", lambda: all(inst.job(j).state in (records.DONE, records.FAILED)
                                                     for j in job_ids), timeout=60)
    rows = [inst.job(j) for j in job_ids]
    assert [r.state for r in rows] == [records.DONE] * 6, [r.error for r in rows]
    assert [r.attempts for r in rows] == [1] * 6           # a busy association never costs an attempt
    intervals = sorted((aware(r.started_at), aware(r.finished_at), r.id, r.worker) for r in rows)
    # A job's row times bracket its work: started_at is its (successful) claim, finished_at
    # is written before the association is unlocked.  The claim comes a few milliseconds
    # before the lock, so allow that much; two jobs truly run together would overlap by
    # about the fault delay (1 s) each of them sleeps while holding the association.
    tolerance = dt.timedelta(seconds=0.25)
    for (s1, f1, id1, w1), (s2, f2, id2, w2) in zip(intervals, intervals[1:]):
        assert s2 >= f1 - tolerance, f"jobs {id1} ({w1}) and {id2} ({w2}) overlapped by {f1 - s2}"
    for s, f, _, _ in intervals:
        assert f - s >= dt.timedelta(seconds=delay)
    assert len(inst.ws.documents(a)) == 6 and len(inst.docx_files()) == 6
    assert all(p.poll() is None for p in workers), inst.logs()
    pids = {r.worker.split(":")[1] for r in rows}
    print(f"jobs ran in worker processes {sorted(pids)} of {[p.pid for p in workers]}")


def test_the_annual_reports_of_every_association_are_shared_by_the_workers(make_instance):
    from tests.factories import association

    inst = make_instance(JOB_LEASE_SECONDS=30, FAULT_DELAY_SECONDS=0.4, WORKERS=2)
    folder = Path(inst.ws.settings["WORKBOOKS_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    added = []
    for n in range(6):
        book = association("zdvinsky-mmo")
        book.info["Краткое наименование"] = f"ММО математиков {n + 1}"
        book.info["Наименование МО"] += f" (округ {n + 1})"
        added.append(inst.ws.add_association(str(book.save(folder / f"mmo-{n + 1}.xlsx")), "тест"))
    batch, created = inst.ws.enqueue("annual-all", requested_by="куратор", dedupe_key="annual-all")
    assert created
    inst.tasks.dispatch(batch.id)
    workers = [inst.start_worker(), inst.start_worker()]
    done = inst.wait_state(batch.id, records.DONE, timeout=60)
    assert (done.progress_done, done.progress_total) == (6, 6)
    children = records.children(inst.ws.sf, batch.id)
    assert sorted(children) == sorted(a.id for a in added)
    assert {(c.kind, c.state, c.attempts) for c in children.values()} == {("generate", records.DONE, 1)}
    for a, d in zip(sorted(added, key=lambda a: a.name), done.result["documents"]):
        assert d == {"association": a.name, "short_name": a.short_name, "slug": a.slug, "notes": [],
                     "location": children[a.id].result["location"], "name": children[a.id].result["name"],
                     "version": 1}
        assert [(v.kind, v.version) for v in inst.ws.documents(a)] == [("annual-report", 1)]
    assert len(inst.docx_files()) == 6
    pids = {c.worker.split(":")[1] for c in children.values()}
    assert pids == {str(p.pid) for p in workers}, f"every report made by one process: {pids}\n{inst.logs()}"
