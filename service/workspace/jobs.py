"""Job records: enqueue, claim with a lease, heartbeat, finish, fail, sweep.

The database is the truth about background work; the queue (huey) only carries job
ids.  huey does not promise at-least-once delivery, so every transition here is a
conditional UPDATE: two workers can never both claim a job, a worker that died
leaves a lease that expires, and the sweeper puts such jobs back in the queue.
"""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Callable

from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from service.db import iso_utc, utcnow
from service.schema import personal
from service.workspace.models import Association, Job

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
LOST_AFTER = dt.timedelta(minutes=2)        # queued this long without a start: the message was lost


def enqueue(sf: sessionmaker, kind: str, *, association_id: int | None = None, params: dict | None = None,
            requested_by: str = "", dedupe_key: str | None = None, parent_id: str | None = None,
            max_attempts: int = 3) -> tuple[Job, bool]:
    """A new job, or the live one with the same `dedupe_key` (two clicks, one job)."""
    with sf() as s:
        if dedupe_key:
            existing = s.scalars(select(Job).where(Job.dedupe_key == dedupe_key)).first()
            if existing:
                return existing, False
        job = Job(id=str(uuid.uuid4()), kind=kind, association_id=association_id, params=params or {},
                  requested_by=requested_by, dedupe_key=dedupe_key, parent_id=parent_id, max_attempts=max_attempts)
        s.add(job)
        try:
            s.commit()
        except IntegrityError:                      # the other click won the race
            s.rollback()
            return s.scalars(select(Job).where(Job.dedupe_key == dedupe_key)).one(), False
        s.refresh(job)
        return job, True


def enqueue_children(sf: sessionmaker, parent, kind: str, params: dict, association_ids: list[int],
                     max_attempts: int = 3) -> list[str]:
    """One job of `kind` per association for a bulk job, in one transaction; those the
    parent already has (it is being run again after its worker died) are not made twice.
    Returns the ids of the jobs made now."""
    with sf() as s, s.begin():
        have = set(s.scalars(select(Job.association_id).where(Job.parent_id == parent.id)))
        made = []
        for association_id in association_ids:
            if association_id in have:
                continue
            job = Job(id=str(uuid.uuid4()), kind=kind, association_id=association_id, params=dict(params),
                      requested_by=parent.requested_by, parent_id=parent.id, max_attempts=max_attempts,
                      dedupe_key=f"child:{parent.id}:{association_id}")
            s.add(job)
            made.append(job.id)
        return made


def children(sf: sessionmaker, parent_id: str) -> dict[int, Job]:
    """A bulk job's jobs by association."""
    with sf() as s:
        return {j.association_id: j for j in s.scalars(select(Job).where(Job.parent_id == parent_id))}


def withdraw(sf: sessionmaker, job_id: str, error: dict) -> bool:
    """Fail a job nobody has started (a bulk job gives up on it); False when a worker
    has claimed it meanwhile, or it ended."""
    with sf() as s, s.begin():
        r = s.execute(update(Job).where(Job.id == job_id, Job.state == QUEUED)
                      .values(state=FAILED, finished_at=utcnow(), dedupe_key=None, error=error)
                      .execution_options(synchronize_session=False))
        return r.rowcount == 1


def claimable(now: dt.datetime):
    """Jobs a worker may take: queued, or running under a lease that ran out (its worker
    died), while attempts remain."""
    return and_(Job.attempts < Job.max_attempts,
                or_(Job.state == QUEUED, and_(Job.state == RUNNING, Job.lease_until < now)))


def _claim(job_id: str, worker: str, now: dt.datetime, lease: dt.timedelta):
    return (update(Job).where(Job.id == job_id, claimable(now))
            .values(state=RUNNING, attempts=Job.attempts + 1, lease_until=now + lease, worker=worker, started_at=now)
            .execution_options(synchronize_session=False))


def _lock(association_id: int, worker: str, now: dt.datetime, lease: dt.timedelta):
    return (update(Association)
            .where(Association.id == association_id,
                   or_(Association.lock_until.is_(None), Association.lock_until < now, Association.lock_owner == worker))
            .values(lock_owner=worker, lock_until=now + lease)
            .execution_options(synchronize_session=False))


def claim(sf: sessionmaker, job_id: str, worker: str, lease: dt.timedelta, now: dt.datetime | None = None) -> bool:
    with sf() as s, s.begin():
        return s.execute(_claim(job_id, worker, now or utcnow(), lease)).rowcount == 1


def claim_locked(sf: sessionmaker, job_id: str, association_id: int, worker: str, lease: dt.timedelta) -> str:
    """Take the association's lock and claim the job in one transaction: "claimed", "busy"
    (another worker holds the association; nothing changed) or "gone" (the job is done,
    or another worker holds a live lease on it; the lock is not kept)."""
    now = utcnow()
    with sf() as s, s.begin():
        if s.execute(_lock(association_id, worker, now, lease)).rowcount != 1:
            return "busy"
        if s.execute(_claim(job_id, worker, now, lease)).rowcount != 1:
            s.rollback()
            return "gone"
        return "claimed"


def heartbeat(sf: sessionmaker, job_id: str, worker: str, lease: dt.timedelta, done: int | None = None,
              total: int | None = None, result: dict | None = None) -> bool:
    """Renew the lease; with `done`/`total`/`result`, the progress so far (a bulk job names
    the association it is at and lists those done, so its page shows names, not counts)."""
    values = {"lease_until": utcnow() + lease}
    if result is not None:
        values["result"] = result
    if done is not None:
        values["progress_done"] = done
    if total is not None:
        values["progress_total"] = total
    with sf() as s, s.begin():
        r = s.execute(update(Job).where(Job.id == job_id, Job.worker == worker, Job.state == RUNNING)
                      .values(**values).execution_options(synchronize_session=False))
        return r.rowcount == 1


def finish(sf: sessionmaker, job_id: str, worker: str, result: dict, unlock: int | None = None) -> bool:
    """Done, with its result; `unlock`: release that association's lock in the same
    transaction (one commit less per job)."""
    with sf() as s, s.begin():
        r = s.execute(update(Job).where(Job.id == job_id, Job.worker == worker, Job.state == RUNNING)
                      .values(state=DONE, result=result, finished_at=utcnow(), lease_until=None, dedupe_key=None,
                              error=None)
                      .execution_options(synchronize_session=False))
        if unlock is not None:
            s.execute(update(Association).where(Association.id == unlock, Association.lock_owner == worker)
                      .values(lock_owner=None, lock_until=None).execution_options(synchronize_session=False))
        return r.rowcount == 1


def fail(sf: sessionmaker, job_id: str, worker: str, error: dict, retry: bool) -> str:
    """Back to the queue while attempts remain (and the failure may pass), else failed.
    Both are conditional on this worker still owning the job: another worker may have
    claimed it meanwhile (an expired lease), and its claim must stand."""
    owned = (Job.id == job_id, Job.worker == worker, Job.state == RUNNING)
    with sf() as s, s.begin():
        if retry:
            r = s.execute(update(Job).where(*owned, Job.attempts < Job.max_attempts)
                          .values(state=QUEUED, lease_until=None, worker=None, error=error)
                          .execution_options(synchronize_session=False))
            if r.rowcount == 1:
                return QUEUED
        r = s.execute(update(Job).where(*owned)
                      .values(state=FAILED, finished_at=utcnow(), lease_until=None, dedupe_key=None, error=error)
                      .execution_options(synchronize_session=False))
        if r.rowcount == 1:
            return FAILED
        job = s.get(Job, job_id)
        return job.state if job else FAILED


def to_requeue(sf: sessionmaker, now: dt.datetime | None = None) -> list[str]:
    """Jobs whose worker died (lease expired) or whose queue message was lost."""
    now = now or utcnow()
    with sf() as s:
        rows = s.scalars(select(Job.id).where(or_(
            and_(Job.state == RUNNING, Job.lease_until < now),
            and_(Job.state == QUEUED, Job.created_at < now - LOST_AFTER,
                 or_(Job.started_at.is_(None), Job.started_at < now - LOST_AFTER))))).all()
    return list(rows)


def expire_exhausted(sf: sessionmaker, now: dt.datetime | None = None) -> int:
    """A job whose lease expired on its last attempt will never be claimed again: fail it."""
    now = now or utcnow()
    with sf() as s, s.begin():
        r = s.execute(update(Job).where(Job.state == RUNNING, Job.lease_until < now, Job.attempts >= Job.max_attempts)
                      .values(state=FAILED, finished_at=now, dedupe_key=None,
                              error={"code": "job.lost", "message": "Обработчик несколько раз прерывался; задание "
                                                                    "снято. Запустите его снова."})
                      .execution_options(synchronize_session=False))
        return r.rowcount


def lock_association(sf: sessionmaker, association_id: int, worker: str, lease: dt.timedelta) -> bool:
    with sf() as s, s.begin():
        return s.execute(_lock(association_id, worker, utcnow(), lease)).rowcount == 1


def unlock_association(sf: sessionmaker, association_id: int, worker: str) -> None:
    with sf() as s, s.begin():
        s.execute(update(Association).where(Association.id == association_id, Association.lock_owner == worker)
                  .values(lock_owner=None, lock_until=None).execution_options(synchronize_session=False))


def get(sf: sessionmaker, job_id: str) -> Job | None:
    with sf() as s:
        return s.get(Job, job_id)


def as_dict(job: Job) -> dict:
    result, error = personal.redact_job(job.result, job.error)
    return {
        "id": job.id, "kind": job.kind, "state": job.state, "attempts": job.attempts,
        "association_id": job.association_id, "params": job.params,
        "progress": {"done": job.progress_done, "total": job.progress_total},
        "created_at": iso_utc(job.created_at),
        "finished_at": iso_utc(job.finished_at),
        "result": result, "error": error,
    }


Dispatch = Callable[[str], None]     # puts a job id on the queue
