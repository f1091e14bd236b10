"""huey on a real Redis (MO_DOCS_QUEUE_URL=redis://…) with a real `mo-docs worker`
process, over the workspace database on the real PostgreSQL: the test process plays
the web service (it records a job and puts its id on the queue the way the pages
do, through `app.extensions["tasks"].dispatch`), the worker takes it from Redis and
runs it.  Both servers are started by tests/realdb/conftest.py."""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from huey import RedisHuey

from jobs.queue import create_huey
from service.workspace import jobs as records
from tests.workspace import aware

pytestmark = [pytest.mark.system("redis"), pytest.mark.system("postgresql"), pytest.mark.slow,
              pytest.mark.timeout(90)]



@pytest.fixture
def service(make_instance, redis_url, pg_url):
    """An instance whose queue is the real Redis and whose database is the real PostgreSQL."""
    return lambda **settings: make_instance(QUEUE_URL=redis_url, DATABASE_URL=pg_url, **settings)


def generate(svc, a, **params) -> str:
    job, created = svc.request(a, **params)
    assert created
    return job.id


def test_create_huey_speaks_to_the_real_redis(redis_url):
    huey = create_huey(redis_url, name="realdb-probe")
    assert isinstance(huey, RedisHuey) and not huey.immediate

    done = []

    @huey.task()
    def add(a, b):
        done.append(a + b)
        return a + b

    assert add(2, 3) is None               # no result handle: outcomes live in the jobs table
    assert len(huey) == 1 and [t.name for t in huey.pending()] == ["add"]
    task = huey.dequeue()                  # what a consumer does
    huey.execute(task)
    assert done == [5] and len(huey) == 0 and huey.storage.result_store_size() == 0


def test_a_worker_takes_a_generate_job_from_redis_and_files_one_document(service):
    svc = service(WORKERS=1)
    assert isinstance(svc.huey, RedisHuey) and svc.ws.engine.dialect.name == "postgresql"
    a = svc.add_association()
    job_id = generate(svc, a, kind="protocol", meeting=1)
    assert svc.queued_jobs() == [job_id]                       # the message waits in Redis; nobody consumes it yet
    assert svc.job(job_id).state == records.QUEUED

    started = time.monotonic()
    worker = svc.start_worker()
    done = svc.wait_for("the job to be done", lambda: (j := svc.job(job_id)).state in (records.DONE, records.FAILED)
                        and j)
    print(f"worker start to job done: {time.monotonic() - started:.1f} s")
    assert (done.state, done.attempts, done.error) == (records.DONE, 1, None), done.error
    assert f":{worker.pid}:" in done.worker                # run by the worker process, not inline
    location = Path(done.result["location"])
    assert location.name == "Протокол №1 от 24.09.2024.docx" and location.is_file()
    assert [(v.kind, v.number, v.version, v.location) for v in svc.ws.documents(a)] == [
        ("protocol", "1", 1, str(location))]
    assert sorted(Path(svc.ws.settings["DOCUMENTS_DIR"]).rglob("*.docx")) == [location]
    assert svc.queued_jobs() == []
    svc.wait_for("the association to be unlocked", lambda: svc.ws.by_id(a.id).lock_owner is None, timeout=5)


def test_jobs_of_one_busy_association_wait_their_turn_through_redis(service):
    """Two consumer threads, three jobs of one association, each holding it 0.5 s: the
    job that finds it busy is retried through Redis's schedule (huey RetryTask with a
    delay), never costs an attempt, and no two of them overlap."""
    svc = service(WORKERS=2, FAULT_DELAY_SECONDS=0.5, JOB_LEASE_SECONDS=30)
    a = svc.add_association()
    job_ids = [generate(svc, a, kind="protocol", meeting=n) for n in (1, 2)] + [generate(svc, a, kind="work-plan")]
    assert sorted(svc.queued_jobs()) == sorted(job_ids)
    svc.start_worker()
    svc.wait_for("all three jobs to end", lambda: all(svc.job(j).state in (records.DONE, records.FAILED)
                                                      for j in job_ids), timeout=40)
    rows = [svc.job(j) for j in job_ids]
    assert [(r.state, r.attempts) for r in rows] == [(records.DONE, 1)] * 3, [r.error for r in rows]
    intervals = sorted((aware(r.started_at), aware(r.finished_at)) for r in rows)
    for (_, f1), (s2, _) in zip(intervals, intervals[1:]):
        assert s2 >= f1 - dt.timedelta(seconds=0.25)       # one at a time (claim comes just before the lock)
    assert len(svc.ws.documents(a)) == 3
