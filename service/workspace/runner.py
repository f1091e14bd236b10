"""Running one job: claim it, hold its association, do the work, record the outcome.

Called by the huey task with nothing but a job id; everything else is in the
database, so a job can be run again by any worker after a crash.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
import traceback
from typing import Callable

from service.documents import BadRequest, DocumentRefused, Request
from service.russian.plural import count
from service.filing.base import FilingError
from service.render.errors import RenderError
from service.sources.base import SourceError
from service.workspace import batch, jobs
from service.workspace.service import Workspace

log = logging.getLogger("mo-docs.jobs")


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


class Busy(Exception):
    """The association is being processed by another worker; try again shortly."""


# people read a job's error: what went wrong inside (the exception, its class) is in the log only
INTERNAL = "Внутренняя ошибка при выполнении задания; администратор найдёт подробности в журнале службы."
LOCK_POLL_SECONDS = 0.02          # how often a waiting job looks at another process's association lock

def run(ws: Workspace, job_id: str, today: dt.date | None = None, wait: float = 0.0,
        dispatch: Callable[[str], object] | None = None) -> str:
    """Run one job.  A job of an association that is busy waits its turn (at most `wait`
    seconds: behind earlier jobs of this process in arrival order, then for another
    process's lock) and raises Busy if the turn does not come; it is not claimed while
    it waits, so it stays «queued» and costs no attempt.  `dispatch` puts a job id on
    the queue (a bulk job's children); without it the bulk job does them all itself."""
    lease = dt.timedelta(seconds=int(ws.settings["JOB_LEASE_SECONDS"]))
    me = worker_id()
    job = jobs.get(ws.sf, job_id)
    if job is None or job.state in (jobs.DONE, jobs.FAILED):
        return "skipped"
    if job.association_id is None:
        return _work(ws, job, me, lease, today, dispatch) if jobs.claim(ws.sf, job_id, me, lease) else "skipped"
    deadline = time.monotonic() + wait
    with ws.gate.turn(job.association_id, timeout=wait) as came:
        if not came:
            raise Busy(job_id)
        while (state := jobs.claim_locked(ws.sf, job_id, job.association_id, me, lease)) == "busy":
            if time.monotonic() >= deadline:
                raise Busy(job_id)
            time.sleep(LOCK_POLL_SECONDS)
        if state == "gone":
            jobs.unlock_association(ws.sf, job.association_id, me)
            return "skipped"                   # done already, or another worker holds a live lease
        outcome = None
        try:
            outcome = _work(ws, job, me, lease, today, dispatch)
            return outcome
        finally:
            if outcome != jobs.DONE:                                   # finish released it already
                jobs.unlock_association(ws.sf, job.association_id, me)


def _work(ws: Workspace, job, me: str, lease: dt.timedelta, today: dt.date | None, dispatch=None) -> str:
    """The claimed job (its association, if any, locked by this worker)."""
    job_id = job.id
    keeper = _LeaseKeeper(ws, job_id, job.association_id, me, lease)
    keeper.start()
    try:
        delay = float(ws.settings.get("FAULT_DELAY_SECONDS") or 0)
        if delay:
            time.sleep(delay)                  # testing aid: a window to kill the worker mid-job
        result = _do(ws, job, me, lease, today or dt.date.today(), dispatch)
        keeper.stop()
        jobs.finish(ws.sf, job_id, me, result, unlock=job.association_id)
        return jobs.DONE
    except DocumentRefused as refused:
        jobs.fail(ws.sf, job_id, me, {"code": "document.refused", "message": refusal_message(refused),
                                      "final": refused.final,
                                      "findings": [f.as_dict() for f in refused.findings]}, retry=False)
        return jobs.FAILED
    except (BadRequest, SourceError, RenderError) as err:
        code = getattr(err, "code", "request.invalid")
        jobs.fail(ws.sf, job_id, me, {"code": code, "message": getattr(err, "message", str(err))}, retry=False)
        return jobs.FAILED
    except FilingError as err:                 # the storage: tried again while it may pass by itself
        return jobs.fail(ws.sf, job_id, me, {"code": err.code, "message": err.message}, retry=err.transient)
    except Exception as exc:                   # a bug or a passing fault: retry while attempts remain
        log.error("job %s failed: %s", job_id, traceback.format_exc())
        return jobs.fail(ws.sf, job_id, me, {"code": "job.error", "message": INTERNAL}, retry=True)
    finally:
        keeper.stop()


class _LeaseKeeper(threading.Thread):
    """Renews the job's lease and its association's lock while the job runs, so a job
    longer than JOB_LEASE_SECONDS is not taken for dead and run a second time."""

    def __init__(self, ws: Workspace, job_id: str, association_id, worker: str, lease: dt.timedelta):
        super().__init__(daemon=True, name=f"lease-{job_id[:8]}")
        self.ws, self.job_id, self.association_id, self.worker, self.lease = ws, job_id, association_id, worker, lease
        self._done = threading.Event()

    def run(self):
        while not self._done.wait(max(1.0, self.lease.total_seconds() / 3)):
            jobs.heartbeat(self.ws.sf, self.job_id, self.worker, self.lease)
            if self.association_id is not None:
                jobs.lock_association(self.ws.sf, self.association_id, self.worker, self.lease)

    def stop(self):
        self._done.set()


def _do(ws: Workspace, job, me: str, lease: dt.timedelta, today: dt.date, dispatch=None) -> dict:
    p = job.params or {}
    if job.kind == "check":
        read = ws.by_id(job.association_id).source         # a replacement after this: no documents from it
        report = ws.check(job.association_id, job.requested_by or "система", today)
        made = ws.auto_documents(job.association_id, report, today, source=read) if report else []
        return {"counts": report.counts if report else None, "documents": made}
    if job.kind == "generate":
        request = Request(kind=p["kind"], meeting=p.get("meeting"), plan_item=p.get("plan_item"),
                          order_number=p.get("number"), force=bool(p.get("force")),
                          requested_by=job.requested_by, format=p.get("format"), personal=bool(p.get("personal")),
                          order_date=dt.date.fromisoformat(p["date"]) if p.get("date") else None)
        report = None
        if p.get("sheet"):                    # made from the spreadsheet the add-on sent
            from service.workspace import sent_sheets

            a = ws.by_id(job.association_id)
            report = sent_sheets.report(ws, p["sheet"], a.regulation_override if a else None)
        outcome = ws.generate(job.association_id, request, job.requested_by or "система", today, report=report)
        if p.get("sheet"):
            sent_sheets.discard(ws, p["sheet"].get("file"))
        latest = ws.registry.latest(outcome.filed.key)
        return {"location": outcome.filed.location, "name": outcome.filename, "version": outcome.filed.version,
                "changed": outcome.filed.changed, "forced": [f.message for f in outcome.blocking],
                "notes": [f.message for f in outcome.notes][:50],
                "share_error": getattr(outcome.filed, "share_error", None),
                "open": outcome.filed.url or None, "document_id": latest.id if latest else None}
    if job.kind in ("annual-all", "bulk"):
        return batch.bulk(ws, job, me, lease, run_child=lambda child_id: _run_child(ws, child_id, today),
                          dispatch=dispatch)
    if job.kind == "reset-mail":
        from service.accounts.invitations import reset_requested

        reset_requested(ws.settings, ws.sf, p.get("email") or "", p.get("base") or "")
        return {}                               # whether a letter went out is nobody's business here
    raise BadRequest(f"неизвестный вид задания: {job.kind}")


def _run_child(ws: Workspace, job_id: str, today: dt.date) -> str:
    """One child of a bulk job, in the batch's own thread: "busy" when its association
    is held by another job (the batch tries it again later)."""
    try:
        return run(ws, job_id, today, wait=0.0)
    except Busy:
        return "busy"


def refusal_message(refused: DocumentRefused) -> str:
    """Why a document was refused, in a sentence: a final refusal (a cancelled meeting, a
    date that cannot be read) gives its reason; otherwise the errors that would appear in
    the document are named (the first, and how many)."""
    found = refused.findings
    if not found:
        return "Документ не сформирован: в книге ошибки."
    if refused.final:
        return found[0].message
    if len(found) == 1:
        return f"В книге ошибка, которая попала бы в документ: {found[0].message}"
    errors = count(len(found), "ошибка, которая попала", "ошибки, которые попали", "ошибок, которые попали")
    return f"В книге {errors} бы в документ; первая: {found[0].message}"
