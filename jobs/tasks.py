"""Thin huey tasks over the workspace.  `register(huey, workspace)` binds them to a
huey instance built from settings, so nothing is configured at import time."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable

from huey.exceptions import RetryTask

from jobs.schedule import DIGESTS, RENEW_CHANNELS, SWEEP, watch_schedule
from service.workspace import jobs as records
from service.workspace.runner import Busy, run
from service.workspace.service import Workspace

log = logging.getLogger("mo-docs.jobs")
BUSY_RETRY_SECONDS = 1          # the association stayed busy for JOB_WAIT_SECONDS: give the thread back


@dataclass
class Tasks:
    run_job: Callable
    watch: Callable
    sweep: Callable

    def dispatch(self, job_id: str) -> None:
        self.run_job(job_id)


def register(huey, ws: Workspace) -> Tasks:
    @huey.task(retries=100, retry_delay=BUSY_RETRY_SECONDS, name="run_job")
    def run_job(job_id: str):
        try:
            state = run(ws, job_id, wait=0.0 if huey.immediate else float(ws.settings["JOB_WAIT_SECONDS"]),
                        dispatch=run_job)
        except Busy:
            if huey.immediate:
                raise RuntimeError("association is busy")      # tests run one job at a time
            raise RetryTask(delay=BUSY_RETRY_SECONDS)          # not an error: try again shortly
        if state == records.QUEUED and not huey.immediate:     # a passing fault: try again shortly
            run_job.schedule(args=(job_id,), delay=BUSY_RETRY_SECONDS * 2)
        return state

    @huey.periodic_task(watch_schedule(int(ws.settings["WATCH_INTERVAL_MINUTES"])), name="watch")
    def watch():
        return watch_once(ws, run_job)

    @huey.periodic_task(SWEEP, name="sweep")
    def sweep():
        return sweep_once(ws, run_job)

    @huey.periodic_task(RENEW_CHANNELS, name="renew_channels")
    def renew():
        return renew_channels_once(ws)

    @huey.periodic_task(DIGESTS, name="digests")
    def digests():
        return digests_once(ws)

    return Tasks(run_job=run_job, watch=watch, sweep=sweep)


def watch_once(ws: Workspace, dispatch: Callable[[str], object]) -> list[str]:
    """Queue a check of every association whose workbook changed: files by modification
    time, then content hash; Google Sheets by one call to Drive's change feed."""
    changed = {}
    for a in ws.associations():
        sha = ws.source_changed(a)
        if sha is not None:
            changed[a.id] = sha
    try:
        changed.update({aid: f"gsheet-{version}" for aid, version in ws.changed_google_sheets().items()})
    except Exception:                               # Google unreachable: files are still watched
        log.exception("Google change feed failed")
    queued = []
    for association_id, version in changed.items():
        job, created = ws.enqueue("check", association_id=association_id, requested_by="наблюдение",
                                       dedupe_key=f"check:{association_id}:{version}")
        if created:
            dispatch(job.id)
            queued.append(job.id)
    return queued


def sweep_once(ws: Workspace, dispatch: Callable[[str], object]) -> list[str]:
    from service.workspace import sent_sheets

    records.expire_exhausted(ws.sf)
    sent_sheets.sweep(ws)                         # spreadsheets the add-on sent for jobs long over
    ids = records.to_requeue(ws.sf)
    for job_id in ids:
        log.warning("re-queueing job %s (worker lost or message lost)", job_id)
        dispatch(job_id)
    return ids


def renew_channels_once(ws: Workspace) -> int:
    """Renew Drive push channels before they expire (only when a webhook address is set)."""
    google = ws.google
    if google is None or not google.settings.webhook_address:
        return 0
    from service.google.changes import ChangeFeed, SqlChannelStore, SqlTokenStore, open_channel, renew_channels

    feed = ChangeFeed(google.drive(), SqlTokenStore(ws.engine))
    store = SqlChannelStore(ws.engine)
    if not store.all():                       # the first run opens the channel the hooks listen to
        open_channel(feed, store, google.settings.webhook_address)
        return 1
    renewed = renew_channels(feed, store, address=google.settings.webhook_address)
    return len(renewed or [])


def digests_once(ws: Workspace) -> dict:
    """This week's e-mail digests that are due and not sent yet (service/desk/digests.py)."""
    from service.desk.digests import send_all

    return send_all(ws)
