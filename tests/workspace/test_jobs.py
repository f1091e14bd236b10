"""The job record state machine (service/workspace/jobs.py) against a real SQLite file.

The database is the truth about background work: huey only carries job ids and
does not promise at-least-once delivery, so every transition must be safe when two
workers race for it, and a job whose worker died must be found and re-queued.
"""
from __future__ import annotations

import datetime as dt
import re
import threading
import time

import pytest
from sqlalchemy import event, select, update

from service.db import utcnow
from service.workspace import jobs
from service.workspace.models import Association, Job
from tests.workspace import aware

LEASE = dt.timedelta(seconds=60)
CYRILLIC = re.compile("[А-Яа-яЁё]")


def row(sf, job_id: str) -> Job:
    return jobs.get(sf, job_id)


def new_job(sf, key: str | None = None, **kw) -> str:
    job, created = jobs.enqueue(sf, "generate", association_id=1, params={"kind": "protocol", "meeting": 1},
                                requested_by="Иванова М.П.", dedupe_key=key, **kw)
    assert created
    return job.id


def all_jobs(sf) -> list[Job]:
    with sf() as s:
        return list(s.scalars(select(Job)))


def in_parallel(n: int, fn) -> tuple[list, list]:
    """Run `fn()` in `n` threads released together; (results, exceptions)."""
    barrier = threading.Barrier(n)
    results, errors = [], []
    lock = threading.Lock()

    def go():
        barrier.wait()
        try:
            r = fn()
            with lock:
                results.append(r)
        except Exception as exc:          # noqa: BLE001 — any error is a failure of the test
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=go) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results, errors


# ---------------------------------------------------------------- enqueue

def test_enqueue_records_a_queued_job(sf):
    job, created = jobs.enqueue(sf, "check", association_id=7, params={"a": 1}, requested_by="куратор",
                                dedupe_key="check:7:manual", max_attempts=5)
    assert created
    r = row(sf, job.id)
    assert (r.kind, r.state, r.attempts, r.max_attempts, r.association_id) == ("check", jobs.QUEUED, 0, 5, 7)
    assert r.params == {"a": 1} and r.requested_by == "куратор" and r.dedupe_key == "check:7:manual"
    assert r.lease_until is None and r.worker is None and r.started_at is None
    assert aware(r.created_at) <= utcnow()


def test_without_a_dedupe_key_every_request_is_a_new_job(sf):
    a, b = new_job(sf), new_job(sf)
    assert a != b and len(all_jobs(sf)) == 2


def test_second_identical_request_returns_the_live_job(sf):
    first, created = jobs.enqueue(sf, "generate", association_id=1, dedupe_key="generate:1:protocol:1")
    again, created_again = jobs.enqueue(sf, "generate", association_id=1, dedupe_key="generate:1:protocol:1")
    assert created and not created_again
    assert again.id == first.id and len(all_jobs(sf)) == 1


def test_a_running_job_is_still_the_live_one(sf):
    job_id = new_job(sf, "k")
    assert jobs.claim(sf, job_id, "w1", LEASE)
    again, created = jobs.enqueue(sf, "generate", association_id=1, dedupe_key="k")
    assert not created and again.id == job_id


@pytest.mark.parametrize("end", ["finish", "fail"])
def test_an_ended_job_frees_its_dedupe_key(sf, end):
    job_id = new_job(sf, "k")
    assert jobs.claim(sf, job_id, "w1", LEASE)
    if end == "finish":
        assert jobs.finish(sf, job_id, "w1", {"location": "x"})
    else:
        assert jobs.fail(sf, job_id, "w1", {"code": "x", "message": "y"}, retry=False) == jobs.FAILED
    assert row(sf, job_id).dedupe_key is None
    later, created = jobs.enqueue(sf, "generate", association_id=1, dedupe_key="k")
    assert created and later.id != job_id


def test_eight_simultaneous_identical_requests_make_one_job(sf):
    results, errors = in_parallel(8, lambda: jobs.enqueue(sf, "check", association_id=1, dedupe_key="check:1:abc"))
    assert errors == []
    assert len({job.id for job, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert len(all_jobs(sf)) == 1


# ---------------------------------------------------------------- claim

def test_claim_takes_a_queued_job_with_a_lease(sf):
    job_id = new_job(sf)
    now = utcnow()
    assert jobs.claim(sf, job_id, "host:1:1", LEASE, now=now)
    r = row(sf, job_id)
    assert (r.state, r.worker, r.attempts) == (jobs.RUNNING, "host:1:1", 1)
    assert aware(r.lease_until) == now + LEASE and aware(r.started_at) == now


def test_two_claims_one_wins(sf):
    job_id = new_job(sf)
    assert jobs.claim(sf, job_id, "w1", LEASE)
    assert not jobs.claim(sf, job_id, "w2", LEASE)
    r = row(sf, job_id)
    assert (r.worker, r.attempts) == ("w1", 1)


def test_claim_is_exclusive_under_a_race(sf):
    job_id = new_job(sf)
    counter = iter(range(100))
    results, errors = in_parallel(8, lambda: jobs.claim(sf, job_id, f"w{next(counter)}", LEASE))
    assert errors == []
    assert sorted(results) == [False] * 7 + [True]
    assert row(sf, job_id).attempts == 1


def test_claim_of_a_running_job_with_a_live_lease_fails(sf):
    job_id = new_job(sf)
    start = utcnow()
    assert jobs.claim(sf, job_id, "w1", LEASE, now=start)
    assert not jobs.claim(sf, job_id, "w2", LEASE, now=start + LEASE - dt.timedelta(seconds=1))
    r = row(sf, job_id)
    assert (r.worker, r.attempts, aware(r.lease_until)) == ("w1", 1, start + LEASE)


def test_claim_of_a_running_job_with_an_expired_lease_succeeds_and_counts_an_attempt(sf):
    job_id = new_job(sf)
    start = utcnow()
    assert jobs.claim(sf, job_id, "w1", LEASE, now=start)
    later = start + LEASE + dt.timedelta(seconds=1)
    assert jobs.claim(sf, job_id, "w2", LEASE, now=later)
    r = row(sf, job_id)
    assert (r.state, r.worker, r.attempts) == (jobs.RUNNING, "w2", 2)
    assert aware(r.lease_until) == later + LEASE and aware(r.started_at) == later


@pytest.mark.parametrize("end", ["finish", "fail"])
def test_an_ended_job_cannot_be_claimed(sf, end):
    job_id = new_job(sf)
    assert jobs.claim(sf, job_id, "w1", LEASE)
    if end == "finish":
        jobs.finish(sf, job_id, "w1", {})
    else:
        jobs.fail(sf, job_id, "w1", {"code": "x"}, retry=False)
    assert not jobs.claim(sf, job_id, "w2", LEASE, now=utcnow() + 10 * LEASE)


def test_a_job_on_its_last_attempt_cannot_be_claimed_again(sf):
    job_id = new_job(sf, max_attempts=1)
    start = utcnow()
    assert jobs.claim(sf, job_id, "w1", LEASE, now=start)
    assert not jobs.claim(sf, job_id, "w2", LEASE, now=start + 2 * LEASE)
    assert row(sf, job_id).attempts == 1


def test_claim_of_an_unknown_job_fails(sf):
    assert not jobs.claim(sf, "no-such-job", "w1", LEASE)


# ---------------------------------------------------------------- heartbeat

def test_heartbeat_extends_the_lease_and_records_progress_for_the_owner(sf):
    job_id = new_job(sf)
    assert jobs.claim(sf, job_id, "w1", dt.timedelta(seconds=5))
    before = aware(row(sf, job_id).lease_until)
    assert jobs.heartbeat(sf, job_id, "w1", dt.timedelta(minutes=10), done=3, total=12)
    r = row(sf, job_id)
    assert aware(r.lease_until) > before + dt.timedelta(minutes=9)
    assert (r.progress_done, r.progress_total) == (3, 12)


def test_heartbeat_of_another_worker_changes_nothing(sf):
    job_id = new_job(sf)
    assert jobs.claim(sf, job_id, "w1", LEASE)
    before = row(sf, job_id)
    assert not jobs.heartbeat(sf, job_id, "w2", dt.timedelta(hours=5), done=1, total=2)
    after = row(sf, job_id)
    assert after.lease_until == before.lease_until
    assert (after.progress_done, after.progress_total) == (0, 0)


def test_heartbeat_of_a_worker_that_lost_its_job_fails(sf):
    job_id = new_job(sf)
    start = utcnow()
    jobs.claim(sf, job_id, "w1", LEASE, now=start)
    jobs.claim(sf, job_id, "w2", LEASE, now=start + 2 * LEASE)        # w1's lease expired
    assert not jobs.heartbeat(sf, job_id, "w1", LEASE)
    assert row(sf, job_id).worker == "w2"


def test_heartbeat_of_a_finished_job_fails(sf):
    job_id = new_job(sf)
    jobs.claim(sf, job_id, "w1", LEASE)
    jobs.finish(sf, job_id, "w1", {})
    assert not jobs.heartbeat(sf, job_id, "w1", LEASE)
    assert row(sf, job_id).lease_until is None


# ---------------------------------------------------------------- finish / fail

def test_finish_by_the_owner(sf):
    job_id = new_job(sf, "k")
    jobs.claim(sf, job_id, "w1", LEASE)
    assert jobs.finish(sf, job_id, "w1", {"location": "/docs/Протокол.docx", "version": 1})
    r = row(sf, job_id)
    assert r.state == jobs.DONE and r.result == {"location": "/docs/Протокол.docx", "version": 1}
    assert r.lease_until is None and r.dedupe_key is None and r.error is None
    assert aware(r.finished_at) <= utcnow()


def test_finish_by_another_worker_is_refused(sf):
    job_id = new_job(sf, "k")
    jobs.claim(sf, job_id, "w1", LEASE)
    assert not jobs.finish(sf, job_id, "w2", {"location": "x"})
    r = row(sf, job_id)
    assert (r.state, r.result, r.dedupe_key, r.finished_at) == (jobs.RUNNING, None, "k", None)


def test_finish_twice_is_refused(sf):
    job_id = new_job(sf)
    jobs.claim(sf, job_id, "w1", LEASE)
    assert jobs.finish(sf, job_id, "w1", {"n": 1})
    assert not jobs.finish(sf, job_id, "w1", {"n": 2})
    assert row(sf, job_id).result == {"n": 1}


def test_fail_by_another_worker_is_refused(sf):
    job_id = new_job(sf, "k")
    jobs.claim(sf, job_id, "w1", LEASE)
    assert jobs.fail(sf, job_id, "w2", {"code": "x", "message": "y"}, retry=False) == jobs.RUNNING
    r = row(sf, job_id)
    assert (r.state, r.worker, r.error, r.dedupe_key) == (jobs.RUNNING, "w1", None, "k")


def test_fail_after_finish_changes_nothing(sf):
    job_id = new_job(sf)
    jobs.claim(sf, job_id, "w1", LEASE)
    jobs.finish(sf, job_id, "w1", {"ok": True})
    assert jobs.fail(sf, job_id, "w1", {"code": "x"}, retry=True) == jobs.DONE
    r = row(sf, job_id)
    assert (r.state, r.result, r.error) == (jobs.DONE, {"ok": True}, None)


def test_fail_of_an_unknown_job(sf):
    assert jobs.fail(sf, "no-such-job", "w1", {"code": "x"}, retry=True) == jobs.FAILED


def test_fail_without_retry_ends_the_job_at_once(sf):
    job_id = new_job(sf, "k")
    jobs.claim(sf, job_id, "w1", LEASE)
    error = {"code": "document.refused", "message": "В книге ошибки"}
    assert jobs.fail(sf, job_id, "w1", error, retry=False) == jobs.FAILED
    r = row(sf, job_id)
    assert (r.state, r.attempts, r.error, r.dedupe_key, r.lease_until) == (jobs.FAILED, 1, error, None, None)
    assert r.finished_at is not None


def test_fail_with_retry_requeues_until_max_attempts_then_fails(sf):
    job_id = new_job(sf, "k", max_attempts=3)
    for attempt in (1, 2):
        assert jobs.claim(sf, job_id, "w1", LEASE)
        assert jobs.fail(sf, job_id, "w1", {"code": "job.error", "message": f"сбой {attempt}"}, retry=True) \
            == jobs.QUEUED
        r = row(sf, job_id)
        assert (r.state, r.attempts, r.worker, r.lease_until) == (jobs.QUEUED, attempt, None, None)
        assert r.error["message"] == f"сбой {attempt}"          # the last error stays visible
        assert r.dedupe_key == "k" and r.finished_at is None     # still the live job for its request
    assert jobs.claim(sf, job_id, "w1", LEASE)
    assert jobs.fail(sf, job_id, "w1", {"code": "job.error", "message": "сбой 3"}, retry=True) == jobs.FAILED
    r = row(sf, job_id)
    assert (r.state, r.attempts, r.dedupe_key) == (jobs.FAILED, 3, None)
    assert r.finished_at is not None and r.error["message"] == "сбой 3"
    assert not jobs.claim(sf, job_id, "w1", LEASE)
    again, created = jobs.enqueue(sf, "generate", association_id=1, dedupe_key="k")
    assert created and again.id != job_id


def test_fail_never_overwrites_a_claim_made_by_another_worker_meanwhile(sf):
    job_id = new_job(sf, "k")
    start = utcnow()
    jobs.claim(sf, job_id, "w1", dt.timedelta(seconds=1), now=start)
    engine = sf.kw["bind"]
    taken, armed = [], [True]

    @event.listens_for(engine, "before_cursor_execute")
    def w2_claims_first(conn, cursor, statement, parameters, context, executemany):
        # w1 has read the row (still its own) and is about to write: w2 claims the
        # job whose lease expired, through its own connection.
        if armed and statement.lstrip().upper().startswith("UPDATE JOBS"):
            armed.clear()
            taken.append(jobs.claim(sf, job_id, "w2", LEASE, now=start + dt.timedelta(seconds=5)))

    try:
        state = jobs.fail(sf, job_id, "w1", {"code": "job.error", "message": "сбой"}, retry=True)
    finally:
        event.remove(engine, "before_cursor_execute", w2_claims_first)
    assert taken == [True]
    r = row(sf, job_id)
    assert (r.state, r.worker, r.attempts) == (jobs.RUNNING, "w2", 2)
    assert state == jobs.RUNNING


# ---------------------------------------------------------------- sweeping

def test_to_requeue_finds_running_jobs_whose_lease_expired(sf):
    start = utcnow()
    expired, live = new_job(sf), new_job(sf)
    jobs.claim(sf, expired, "dead", dt.timedelta(seconds=3), now=start)
    jobs.claim(sf, live, "alive", LEASE, now=start)
    assert jobs.to_requeue(sf, now=start + dt.timedelta(seconds=4)) == [expired]
    assert jobs.to_requeue(sf, now=start + dt.timedelta(seconds=2)) == []


def test_to_requeue_finds_queued_jobs_older_than_lost_after(sf):
    job_id = new_job(sf)
    now = utcnow()
    assert jobs.to_requeue(sf, now=now) == []                              # just queued: the message is on its way
    assert jobs.to_requeue(sf, now=now + jobs.LOST_AFTER - dt.timedelta(seconds=5)) == []
    assert jobs.to_requeue(sf, now=now + jobs.LOST_AFTER + dt.timedelta(seconds=5)) == [job_id]


def test_to_requeue_waits_lost_after_from_the_last_start_of_a_requeued_job(sf):
    job_id = new_job(sf)
    with sf() as s, s.begin():          # queued long ago ...
        s.execute(update(Job).where(Job.id == job_id).values(created_at=utcnow() - 10 * jobs.LOST_AFTER))
    jobs.claim(sf, job_id, "w1", LEASE)  # ... and just given back after a passing fault
    assert jobs.fail(sf, job_id, "w1", {"code": "job.error"}, retry=True) == jobs.QUEUED
    now = utcnow()
    assert jobs.to_requeue(sf, now=now) == []
    assert jobs.to_requeue(sf, now=now + jobs.LOST_AFTER + dt.timedelta(seconds=5)) == [job_id]


def test_to_requeue_ignores_ended_jobs(sf):
    done, failed = new_job(sf), new_job(sf)
    for job_id in (done, failed):
        jobs.claim(sf, job_id, "w1", LEASE)
    jobs.finish(sf, done, "w1", {})
    jobs.fail(sf, failed, "w1", {"code": "x"}, retry=False)
    assert jobs.to_requeue(sf, now=utcnow() + 100 * jobs.LOST_AFTER) == []


def test_expire_exhausted_fails_a_job_that_died_on_its_last_attempt(sf):
    start = utcnow()
    last = new_job(sf, "last", max_attempts=1)
    more = new_job(sf, "more", max_attempts=3)
    live = new_job(sf, "live", max_attempts=1)
    jobs.claim(sf, last, "dead", dt.timedelta(seconds=3), now=start)
    jobs.claim(sf, more, "dead", dt.timedelta(seconds=3), now=start)
    jobs.claim(sf, live, "alive", LEASE, now=start)
    later = start + dt.timedelta(seconds=10)
    assert jobs.expire_exhausted(sf, now=later) == 1
    r = row(sf, last)
    assert (r.state, r.dedupe_key, aware(r.finished_at)) == (jobs.FAILED, None, later)
    assert r.error["code"] == "job.lost"
    assert CYRILLIC.search(r.error["message"]) and "Запустите" in r.error["message"]
    assert row(sf, more).state == jobs.RUNNING and row(sf, live).state == jobs.RUNNING
    assert jobs.to_requeue(sf, now=later) == [more]            # attempts left: the sweeper re-queues it
    assert jobs.expire_exhausted(sf, now=later) == 0


def test_expire_exhausted_then_to_requeue_for_a_job_after_retries(sf):
    job_id = new_job(sf, max_attempts=2)
    start = utcnow()
    jobs.claim(sf, job_id, "w1", dt.timedelta(seconds=1), now=start)
    jobs.claim(sf, job_id, "w2", dt.timedelta(seconds=1), now=start + dt.timedelta(seconds=2))
    later = start + dt.timedelta(seconds=10)
    assert jobs.expire_exhausted(sf, now=later) == 1
    assert jobs.to_requeue(sf, now=later) == []
    assert row(sf, job_id).state == jobs.FAILED


# ---------------------------------------------------------------- the association lock

def lock_row(sf, association_id):
    with sf() as s:
        return s.get(Association, association_id)


def test_association_lock_admits_one_worker_at_a_time(sf, association_id):
    assert jobs.lock_association(sf, association_id, "w1", LEASE)
    assert not jobs.lock_association(sf, association_id, "w2", LEASE)
    assert jobs.lock_association(sf, association_id, "w1", LEASE)       # the owner may renew it
    jobs.unlock_association(sf, association_id, "w2")                    # not w2's to release
    assert lock_row(sf, association_id).lock_owner == "w1"
    assert not jobs.lock_association(sf, association_id, "w2", LEASE)
    jobs.unlock_association(sf, association_id, "w1")
    a = lock_row(sf, association_id)
    assert (a.lock_owner, a.lock_until) == (None, None)
    assert jobs.lock_association(sf, association_id, "w2", LEASE)


def test_association_lock_expires(sf, association_id):
    assert jobs.lock_association(sf, association_id, "w1", dt.timedelta(milliseconds=200))
    assert not jobs.lock_association(sf, association_id, "w2", LEASE)
    time.sleep(0.3)
    assert jobs.lock_association(sf, association_id, "w2", LEASE)
    assert lock_row(sf, association_id).lock_owner == "w2"
    assert not jobs.lock_association(sf, association_id, "w1", LEASE)


def test_association_lock_under_a_race(sf, association_id):
    counter = iter(range(100))
    results, errors = in_parallel(8, lambda: jobs.lock_association(sf, association_id, f"w{next(counter)}", LEASE))
    assert errors == []
    assert sorted(results) == [False] * 7 + [True]


def test_lock_of_an_unknown_association_fails(sf):
    assert not jobs.lock_association(sf, 999, "w1", LEASE)


def test_as_dict(sf):
    job_id = new_job(sf)
    d = jobs.as_dict(row(sf, job_id))
    assert d["id"] == job_id and d["state"] == "queued" and d["progress"] == {"done": 0, "total": 0}
    assert d["finished_at"] is None and dt.datetime.fromisoformat(d["created_at"])
