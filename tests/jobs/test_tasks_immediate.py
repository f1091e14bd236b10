"""The huey tasks (jobs/tasks.py) over a real workspace, with huey in immediate mode:
a dispatched job runs inline, so each test sees the whole path queue → runner →
workspace → job record.  Jobs run with the real date; the factory's 2024-2025
workbook is in the past, so every meeting of it is held."""
from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from jobs.queue import create_huey
from jobs.tasks import register, sweep_once, watch_once
from service.db import utcnow
from service.settings import load_settings
from service.workspace import jobs as records
from service.workspace.models import Association, AuditEvent, Job
from service.workspace.runner import Busy, run
from service.workspace.service import Workspace, file_sha256
from tests.factories import association

CYRILLIC = re.compile("[А-Яа-яЁё]")
LEASE = dt.timedelta(seconds=60)


@pytest.fixture
def ws(tmp_path):
    settings = load_settings(tmp_path / "instance", {"TESTING": True, "QUEUE_URL": "memory://"}, environ={})
    workspace = Workspace(settings)
    yield workspace
    workspace.engine.dispose()


@pytest.fixture
def tasks(ws):
    huey = create_huey("memory://")
    assert huey.immediate
    return register(huey, ws)


@pytest.fixture
def workbooks(tmp_path) -> Path:
    folder = tmp_path / "workbooks"
    folder.mkdir()
    return folder


def add(ws, workbooks, book=None, name="mmo.xlsx") -> Association:
    path = (book or association("zdvinsky-mmo")).save(workbooks / name)
    return ws.add_association(str(path), "Петрова А.И.")


def generate_job(ws, a, **params) -> str:
    params = {"kind": "protocol", "meeting": 1, **params}
    job, created = records.enqueue(ws.sf, "generate", association_id=a.id, params=params, requested_by="Иванова М.П.",
                                   dedupe_key=f"generate:{a.id}:{sorted(params.items())}:{a.source_sha256}")
    assert created
    return job.id


def job(ws, job_id) -> Job:
    return records.get(ws.sf, job_id)


def docx_files(ws) -> list[Path]:
    return sorted(Path(ws.settings["DOCUMENTS_DIR"]).rglob("*.docx"))


def lock_of(ws, a) -> tuple:
    row = ws.by_id(a.id)
    return row.lock_owner, row.lock_until


# ---------------------------------------------------------------- generate

def test_generate_job_runs_to_done_with_a_result_location(ws, tasks, workbooks):
    a = add(ws, workbooks)
    job_id = generate_job(ws, a)
    assert tasks.run_job(job_id).get() == records.DONE
    r = job(ws, job_id)
    assert (r.state, r.attempts, r.error, r.dedupe_key, r.lease_until) == (records.DONE, 1, None, None, None)
    location = Path(r.result["location"])
    assert location.is_file() and location.name == "Протокол №1 от 24.09.2024.docx"
    assert r.result["version"] == 1 and r.result["changed"] is True and r.result["forced"] == []
    assert docx_files(ws) == [location]
    assert lock_of(ws, a) == (None, None)                      # the association is free again
    generated = [e for e in ws.audit(a.id) if e.action == "document.generate"]
    assert len(generated) == 1 and generated[0].actor == "Иванова М.П."


def test_dispatch_runs_the_job(ws, tasks, workbooks):
    a = add(ws, workbooks)
    job_id = generate_job(ws, a, kind="registration-sheet", meeting=2)
    tasks.dispatch(job_id)
    r = job(ws, job_id)
    assert r.state == records.DONE
    assert Path(r.result["location"]).name == "Лист регистрации, заседание №2 от 10.12.2024.docx"


def test_through_the_app_the_same_request_again_makes_no_new_version(tmp_path, workbooks, monkeypatch):
    from service import create_app
    from service.web.actions import request_document

    for name in [n for n in os.environ if n.startswith("MO_DOCS_")]:
        monkeypatch.delenv(name)
    app = create_app({"INSTANCE": tmp_path / "app", "TESTING": True, "QUEUE_URL": "memory://",
                      "SECRET_KEY": "test"})
    ws = app.extensions["workspace"]
    assert app.extensions["huey"].immediate
    a = add(ws, workbooks)
    with app.app_context():
        first, created = request_document(a, {"kind": "protocol", "meeting": "2"}, "Иванова М.П.")
        assert created and first.state == records.DONE and first.result["version"] == 1
        again, created_again = request_document(a, {"kind": "protocol", "meeting": "2"}, "Иванова М.П.")
    assert created_again and again.id != first.id                   # the first one ended: its key is free
    assert again.state == records.DONE and again.result["changed"] is False and again.result["version"] == 1
    assert [(v.kind, v.number, v.version) for v in ws.documents(a)] == [("protocol", "2", 1)]
    ws.engine.dispose()


def test_refused_document_ends_failed_with_the_findings(ws, tasks, workbooks):
    book = association("zdvinsky-mmo")
    book.mark(1, present=6)                                    # no quorum at meeting 1 (Здвинский п. 5.1(5))
    a = add(ws, workbooks, book)
    job_id = generate_job(ws, a)
    assert tasks.run_job(job_id).get() == records.FAILED
    r = job(ws, job_id)
    assert (r.state, r.attempts, r.dedupe_key) == (records.FAILED, 1, None)   # no retry: the data is wrong
    assert r.error["code"] == "document.refused" and CYRILLIC.search(r.error["message"])
    [f] = [f for f in r.error["findings"] if f["code"] == "meeting.no_quorum"]
    assert f["meeting"] == 1 and "6 из 12" in f["message"]
    assert docx_files(ws) == [] and ws.documents(a) == []
    assert lock_of(ws, a) == (None, None)


def test_forced_document_is_done_with_the_overridden_errors(ws, tasks, workbooks):
    book = association("zdvinsky-mmo")
    book.mark(1, present=6)
    a = add(ws, workbooks, book)
    job_id = generate_job(ws, a, force=True)
    assert tasks.run_job(job_id).get() == records.DONE
    r = job(ws, job_id)
    assert r.result["forced"] and any("6 из 12" in m for m in r.result["forced"])


def test_unknown_meeting_fails_with_a_request_error(ws, tasks, workbooks):
    a = add(ws, workbooks)
    job_id = generate_job(ws, a, meeting=9)
    assert tasks.run_job(job_id).get() == records.FAILED
    r = job(ws, job_id)
    assert r.error["code"] == "request.invalid" and "№9" in r.error["message"] and r.attempts == 1


def test_a_passing_fault_is_retried_while_attempts_remain(ws, tasks, workbooks, monkeypatch):
    a = add(ws, workbooks)
    job_id = generate_job(ws, a)
    real = ws.generate
    calls = []

    def flaky(*args, **kw):
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("диск недоступен")
        return real(*args, **kw)

    monkeypatch.setattr(ws, "generate", flaky)
    assert tasks.run_job(job_id).get() == records.QUEUED
    r = job(ws, job_id)
    assert (r.state, r.attempts, r.worker) == (records.QUEUED, 1, None)
    assert r.error["code"] == "job.error" and "журнале службы" in r.error["message"]
    assert "ConnectionError" not in r.error["message"] and "диск" not in r.error["message"]   # people read it
    assert lock_of(ws, a) == (None, None)
    assert tasks.run_job(job_id).get() == records.DONE
    r = job(ws, job_id)
    assert (r.state, r.attempts, r.error) == (records.DONE, 2, None)


def test_a_job_that_keeps_failing_ends_failed_after_max_attempts(ws, tasks, workbooks, monkeypatch):
    a = add(ws, workbooks)
    job_id = generate_job(ws, a)
    monkeypatch.setattr(ws, "generate", lambda *a, **kw: 1 / 0)
    states = [tasks.run_job(job_id).get() for _ in range(3)]
    assert states == [records.QUEUED, records.QUEUED, records.FAILED]
    assert tasks.run_job(job_id).get() == "skipped"
    r = job(ws, job_id)
    assert (r.state, r.attempts, r.error["code"]) == (records.FAILED, 3, "job.error")


def test_annual_all_reports_progress(ws, tasks, workbooks):
    add(ws, workbooks, name="a.xlsx")
    other = association("novokuznetsk-gpmo")
    other.info["Краткое наименование"] = "ГПМО математиков"
    add(ws, workbooks, other, name="b.xlsx")
    j, _ = records.enqueue(ws.sf, "annual-all", requested_by="куратор", dedupe_key="annual-all")
    assert tasks.run_job(j.id).get() == records.DONE
    r = job(ws, j.id)
    assert (r.progress_done, r.progress_total) == (2, 2)
    assert len(r.result["documents"]) == 2 and all("location" in d for d in r.result["documents"])


# ---------------------------------------------------------------- watch

def change(book_path: Path, topic: str = "Новая тема") -> str:
    book = association("zdvinsky-mmo")
    book.meeting(2)["Тема"] = topic
    book.save(book_path)
    st = book_path.stat()
    os.utime(book_path, (st.st_atime + 10, st.st_mtime + 10))
    return file_sha256(book_path)


def test_watch_once_queues_a_check_of_a_changed_workbook_exactly_once(ws, tasks, workbooks):
    a = add(ws, workbooks)
    queue: list[str] = []
    assert watch_once(ws, queue.append) == []                  # nothing changed since it was added
    sha = change(Path(a.source))
    [job_id] = watch_once(ws, queue.append)
    assert queue == [job_id]
    r = job(ws, job_id)
    assert (r.kind, r.state, r.association_id, r.requested_by) == ("check", records.QUEUED, a.id, "наблюдение")
    assert r.dedupe_key == f"check:{a.id}:{sha}"
    assert watch_once(ws, queue.append) == [] and queue == [job_id]     # same content: the same live job

    assert tasks.run_job(job_id).get() == records.DONE
    row = ws.by_id(a.id)
    assert row.source_sha256 == sha and row.errors == 0
    assert row.checked_at > a.checked_at
    kinds = sorted((d["kind"], d["meeting"]) for d in job(ws, job_id).result["documents"])
    assert kinds == [("protocol", n) for n in (1, 2, 3, 4)]    # every meeting of 2024-2025 is held
    assert len(docx_files(ws)) == 4
    assert job(ws, job_id).result["counts"]["error"] == 0
    assert watch_once(ws, queue.append) == [] and queue == [job_id]


@pytest.mark.parametrize("name", ["mmo.xlsx", "mmo.ods"])
def test_watch_with_the_real_queue_checks_each_change_once(ws, tasks, workbooks, name):
    a = add(ws, workbooks, name=name)
    change(Path(a.source), "Тема 1")
    [first] = watch_once(ws, tasks.dispatch)
    assert job(ws, first).state == records.DONE
    assert watch_once(ws, tasks.dispatch) == []
    change(Path(a.source), "Тема 2")
    [second] = watch_once(ws, tasks.dispatch)
    assert second != first and job(ws, second).state == records.DONE
    made = job(ws, second).result["documents"]
    assert [(d["kind"], d["meeting"]) for d in made] == [("protocol", 2)]       # only meeting 2 changed
    with ws.sf() as s:
        checks = s.scalars(select(Job).where(Job.kind == "check")).all()
    assert len(checks) == 2


def test_the_periodic_watch_task(ws, tasks, workbooks):
    a = add(ws, workbooks)
    change(Path(a.source))
    queued = tasks.watch.call_local()
    assert len(queued) == 1 and job(ws, queued[0]).state == records.DONE


def test_watch_leaves_an_unchanged_touched_workbook_alone(ws, tasks, workbooks):
    a = add(ws, workbooks)
    path = Path(a.source)
    st = path.stat()
    os.utime(path, (st.st_atime + 60, st.st_mtime + 60))
    assert watch_once(ws, tasks.dispatch) == []


def test_an_unreadable_workbook_is_checked_once_per_content(ws, tasks, workbooks):
    a = add(ws, workbooks)
    Path(a.source).write_bytes(b"not a workbook")
    [job_id] = watch_once(ws, tasks.dispatch)
    assert job(ws, job_id).state == records.DONE and ws.by_id(a.id).unreadable
    assert watch_once(ws, tasks.dispatch) == []
    with ws.sf() as s:
        unreadable = s.scalars(select(AuditEvent).where(AuditEvent.action == "check.unreadable")).all()
    assert len(unreadable) == 1


# ---------------------------------------------------------------- sweep

def died_holding(ws, a, job_id, seconds_ago: float = 120) -> None:
    """A worker claimed the job and locked its association, then died: both leases ran out."""
    then = utcnow() - dt.timedelta(seconds=seconds_ago)
    assert records.claim(ws.sf, job_id, "dead-host:1:1", dt.timedelta(seconds=3), now=then)
    with ws.sf() as s, s.begin():
        row = s.get(Association, a.id)
        row.lock_owner, row.lock_until = "dead-host:1:1", then + dt.timedelta(seconds=3)


def test_sweep_once_redispatches_a_job_whose_lease_expired(ws, tasks, workbooks):
    a = add(ws, workbooks)
    job_id = generate_job(ws, a)
    died_holding(ws, a, job_id)
    assert sweep_once(ws, tasks.dispatch) == [job_id]
    r = job(ws, job_id)
    assert (r.state, r.attempts) == (records.DONE, 2)
    assert r.worker != "dead-host:1:1"
    assert len(docx_files(ws)) == 1 and [v.version for v in ws.documents(a)] == [1]
    assert lock_of(ws, a) == (None, None)
    assert sweep_once(ws, tasks.dispatch) == []


def test_sweep_leaves_a_job_with_a_live_lease_alone(ws, tasks, workbooks):
    a = add(ws, workbooks)
    job_id = generate_job(ws, a)
    records.claim(ws.sf, job_id, "busy-host:1:1", LEASE)
    dispatched = []
    assert sweep_once(ws, dispatched.append) == [] and dispatched == []
    assert job(ws, job_id).state == records.RUNNING


def test_sweep_fails_a_job_that_died_on_its_last_attempt(ws, tasks, workbooks):
    a = add(ws, workbooks)
    j, _ = records.enqueue(ws.sf, "generate", association_id=a.id, params={"kind": "protocol", "meeting": 1},
                           max_attempts=1)
    died_holding(ws, a, j.id)
    dispatched = []
    assert sweep_once(ws, dispatched.append) == [] and dispatched == []
    r = job(ws, j.id)
    assert r.state == records.FAILED and r.error["code"] == "job.lost" and CYRILLIC.search(r.error["message"])
    assert docx_files(ws) == []


def test_sweep_redispatches_a_lost_message(ws, tasks, workbooks):
    a = add(ws, workbooks)
    job_id = generate_job(ws, a)                           # recorded, but its message never reached the queue
    with ws.sf() as s, s.begin():
        s.get(Job, job_id).created_at = utcnow() - records.LOST_AFTER - dt.timedelta(seconds=1)
    assert tasks.sweep.call_local() == [job_id]
    assert (job(ws, job_id).state, job(ws, job_id).attempts) == (records.DONE, 1)


# ---------------------------------------------------------------- busy association

def test_a_job_of_a_locked_association_is_released_and_busy_is_raised(ws, tasks, workbooks):
    a = add(ws, workbooks)
    assert records.lock_association(ws.sf, a.id, "other-host:2:2", LEASE)
    job_id = generate_job(ws, a)
    with pytest.raises(Busy):
        run(ws, job_id)
    r = job(ws, job_id)
    assert (r.state, r.attempts, r.worker, r.lease_until) == (records.QUEUED, 0, None, None)
    assert lock_of(ws, a)[0] == "other-host:2:2"            # the other worker keeps its lock
    assert docx_files(ws) == []

    tasks.run_job(job_id)                                  # through huey: still busy, still not counted
    assert (job(ws, job_id).state, job(ws, job_id).attempts) == (records.QUEUED, 0)

    records.unlock_association(ws.sf, a.id, "other-host:2:2")
    assert tasks.run_job(job_id).get() == records.DONE
    assert job(ws, job_id).attempts == 1


def test_immediate_mode_reports_a_busy_association_as_an_error(ws, workbooks):
    huey = create_huey("memory://")
    tasks = register(huey, ws)
    a = add(ws, workbooks)
    records.lock_association(ws.sf, a.id, "other-host:2:2", LEASE)
    job_id = generate_job(ws, a)
    errors = []
    huey.signal("error")(lambda signal, task, exc=None: errors.append(exc))
    tasks.run_job(job_id)
    assert len(errors) == 1 and isinstance(errors[0], RuntimeError) and "busy" in str(errors[0])


def test_the_sqlite_queue_keeps_no_results_of_its_tasks(tmp_path):
    """The jobs table holds each job's outcome; the queue must not pile up a copy of every
    task's return value that nobody reads."""
    huey = create_huey(f"sqlite:///{tmp_path / 'queue.sqlite'}")

    @huey.task()
    def answer():
        return "done"

    answer()
    huey.execute(huey.dequeue())
    assert huey.storage.result_store_size() == 0 and len(huey) == 0
