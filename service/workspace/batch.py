"""One kind of document (the annual report by default) for every association of the
asker's scope, spread over jobs of their own.

The batch used to make every document itself, one after another, in one worker thread,
so a region's 1,000 reports took as long with four workers as with one.  Now it makes
one «generate» job per association (its children: `parent_id`), puts them on the queue
for every worker, and works through them itself as well — from the end of the list,
while the queue is served from its start — so one worker thread still finishes the
batch alone and more workers finish it sooner.  Each child takes its association's
lock like any job: one association is never written by two workers at once.

While it runs, the batch's result names the associations being made and lists those
done (so its page shows names, not only counts); when every child has ended, it lists
each association's document or why there is none.  A child whose association stays busy with another job
for BUSY_WAIT_SECONDS is withdrawn and reported, not skipped silently.  A batch run
again after its worker died finds the children it made and makes none twice.
"""
from __future__ import annotations

import datetime as dt
import time
from typing import Callable

from sqlalchemy import select

from service.db import utcnow
from service.workspace import jobs
from service.workspace.models import Job

BUSY_WAIT_SECONDS = 30.0        # how long the batch waits for an association another job is processing
IDLE_POLL_SECONDS = 0.5         # how often it looks at its children while other workers make them
PROGRESS_SECONDS = 1.0          # how often it records how many are made
BUSY = {"code": "job.busy", "message": "объединение было занято другим заданием; документ не сформирован — "
                                       "запустите ещё раз"}
NOT_MADE = "документ не сформирован"
ENDED = (jobs.DONE, jobs.FAILED)


def bulk(ws, job, me: str, lease: dt.timedelta, run_child: Callable[[str], str],
         dispatch: Callable[[str], object] | None) -> dict:
    """`run_child(job_id)` runs one child in this thread and returns its state, "skipped"
    (another worker has it, or it ended) or "busy" (its association is held by another
    job); `dispatch(job_id)` puts a child on the queue (None: nobody else will)."""
    kind = (job.params or {}).get("kind") or "annual-report"
    associations = ws.associations_of_job(job)
    made = jobs.enqueue_children(ws.sf, job, "generate", {"kind": kind}, [a.id for a in associations],
                                 max_attempts=int(ws.settings["JOB_MAX_ATTEMPTS"]))
    jobs.heartbeat(ws.sf, job.id, me, lease, total=len(associations), **_progress(ws, job.id, kind, associations))
    if dispatch is not None:
        for child_id in made:
            dispatch(child_id)
    busy_since: dict[str, float] = {}
    reported = time.monotonic()

    def report(starting=None):
        nonlocal reported
        if time.monotonic() - reported >= PROGRESS_SECONDS:
            jobs.heartbeat(ws.sf, job.id, me, lease, **_progress(ws, job.id, kind, associations, starting))
            reported = time.monotonic()

    # with others serving the queue from its start, this thread takes it from the end
    order = list(reversed(associations)) if dispatch is not None else associations
    while True:
        states = _states(ws, job.id)
        if all(states[a.id][1] in ENDED for a in associations):
            break
        ran = False
        for a in [a for a in order if states[a.id][2]]:
            child_id = states[a.id][0]
            report(starting=a)
            state = run_child(child_id)
            if state == "busy":
                first = busy_since.setdefault(child_id, time.monotonic())
                if time.monotonic() - first >= BUSY_WAIT_SECONDS:
                    jobs.withdraw(ws.sf, child_id, BUSY)
            elif state != "skipped":
                ran = True
        if not ran:
            report()
            time.sleep(IDLE_POLL_SECONDS)
    final = _progress(ws, job.id, kind, associations)
    jobs.heartbeat(ws.sf, job.id, me, lease, **final)
    return final["result"]


def _progress(ws, parent_id: str, kind: str, associations: list, starting=None) -> dict:
    """How far the batch is, as the job's page shows it: how many ended, who is being
    made now (`starting`: the one this thread is about to make, first), and the outcome
    of each ended one (in the order of the associations)."""
    children = jobs.children(ws.sf, parent_id)
    ended = [a for a in associations if a.id in children and children[a.id].state in ENDED]
    running = [a.short_name or a.name for a in ([starting] if starting is not None else []) + [
        a for a in associations if a is not starting and a.id in children and children[a.id].state == jobs.RUNNING]]
    current = ", ".join(running[:3]) + (f" и ещё {len(running) - 3}" if len(running) > 3 else "")
    return {"done": len(ended), "result": {"kind": kind, "current": current or None,
                                           "documents": [_outcome(a, children[a.id]) for a in ended]}}


def _states(ws, parent_id: str) -> dict[int, tuple[str, str, bool]]:
    """{association id: (child id, state, whether this thread may run it)}, without the
    children's results.  A child left «running» by a worker that died (its lease over) is
    runnable too: the batch run again after that death must not wait for it forever."""
    runnable = jobs.claimable(utcnow())
    with ws.sf() as s:
        rows = s.execute(select(Job.association_id, Job.id, Job.state, runnable).where(Job.parent_id == parent_id))
        return {aid: (jid, state, bool(ok)) for aid, jid, state, ok in rows}


def _who(a) -> dict:
    return {"association": a.name, "short_name": a.short_name or a.name, "slug": a.slug}


def _outcome(a, child: Job) -> dict:
    """An association's line of the batch's result: its document, or why there is none
    (a refusal keeps every finding that stopped it, in the words of the check)."""
    if child.state == jobs.DONE:
        r = child.result or {}
        return {**_who(a), "location": r.get("location"), "name": r.get("name"), "version": r.get("version"),
                "notes": (r.get("notes") or [])[:20]}
    error = child.error or {}
    out = {**_who(a), "error": error.get("message") or NOT_MADE}
    if error.get("code") == "document.refused":
        out["reasons"] = [f.get("message", "") for f in error.get("findings") or []][:20]
    return out
