"""The annual reports of every association, spread over jobs of their own.

The batch used to make every report itself, one after another, in one worker thread,
so a region's 1,000 reports took as long with four workers as with one.  Now it makes
one «generate» job per association (its children: `parent_id`), puts them on the queue
for every worker, and works through them itself as well — from the end of the list,
while the queue is served from its start — so one worker thread still finishes the
batch alone and more workers finish it sooner.  Each child takes its association's
lock like any job: one association is never written by two workers at once.

The batch ends when every child has ended, and its result lists each association's
report or why there is none.  A child whose association stays busy with another job
for BUSY_WAIT_SECONDS is withdrawn and reported, not skipped silently.  A batch run
again after its worker died finds the children it made and makes none twice.
"""
from __future__ import annotations

import datetime as dt
import time
from typing import Callable

from sqlalchemy import func, select

from service.workspace import jobs
from service.workspace.models import Job

BUSY_WAIT_SECONDS = 30.0        # how long the batch waits for an association another job is processing
IDLE_POLL_SECONDS = 0.5         # how often it looks at its children while other workers make them
PROGRESS_SECONDS = 1.0          # how often it records how many are made
BUSY = {"code": "job.busy", "message": "объединение было занято другим заданием; анализ не сформирован — "
                                       "запустите ещё раз"}
REFUSED = "в книге ошибки, мешающие анализу"
ENDED = (jobs.DONE, jobs.FAILED)


def annual_all(ws, job, me: str, lease: dt.timedelta, run_child: Callable[[str], str],
               dispatch: Callable[[str], object] | None) -> dict:
    """`run_child(job_id)` runs one child in this thread and returns its state, "skipped"
    (another worker has it, or it ended) or "busy" (its association is held by another
    job); `dispatch(job_id)` puts a child on the queue (None: nobody else will)."""
    associations = ws.associations_of_job(job)
    made = jobs.enqueue_children(ws.sf, job, "generate", {"kind": "annual-report"}, [a.id for a in associations],
                                 max_attempts=int(ws.settings["JOB_MAX_ATTEMPTS"]))
    jobs.heartbeat(ws.sf, job.id, me, lease, done=_ended(ws, job.id), total=len(associations))
    if dispatch is not None:
        for child_id in made:
            dispatch(child_id)
    busy_since: dict[str, float] = {}
    reported = time.monotonic()
    while True:
        states = _states(ws, job.id)
        if all(states[a.id][1] in ENDED for a in associations):
            break
        ran = False
        for child_id, _state in [states[a.id] for a in reversed(associations) if states[a.id][1] == jobs.QUEUED]:
            state = run_child(child_id)
            if state == "busy":
                first = busy_since.setdefault(child_id, time.monotonic())
                if time.monotonic() - first >= BUSY_WAIT_SECONDS:
                    jobs.withdraw(ws.sf, child_id, BUSY)
            elif state != "skipped":
                ran = True
            if time.monotonic() - reported >= PROGRESS_SECONDS:
                jobs.heartbeat(ws.sf, job.id, me, lease, done=_ended(ws, job.id))
                reported = time.monotonic()
        if not ran:
            time.sleep(IDLE_POLL_SECONDS)
    jobs.heartbeat(ws.sf, job.id, me, lease, done=len(associations))
    children = jobs.children(ws.sf, job.id)
    return {"documents": [_outcome(a, children[a.id]) for a in associations]}


def _states(ws, parent_id: str) -> dict[int, tuple[str, str]]:
    """{association id: (child id, state)}, without the children's results."""
    with ws.sf() as s:
        rows = s.execute(select(Job.association_id, Job.id, Job.state).where(Job.parent_id == parent_id))
        return {aid: (jid, state) for aid, jid, state in rows}


def _ended(ws, parent_id: str) -> int:
    with ws.sf() as s:
        return s.scalar(select(func.count()).select_from(Job).where(Job.parent_id == parent_id,
                                                                    Job.state.in_(ENDED))) or 0


def _outcome(a, child: Job) -> dict:
    if child.state == jobs.DONE:
        return {"association": a.name, "location": child.result["location"], "name": child.result["name"]}
    error = child.error or {}
    if error.get("code") == "document.refused":
        return {"association": a.name, "error": REFUSED}
    return {"association": a.name, "error": error.get("message") or REFUSED}
