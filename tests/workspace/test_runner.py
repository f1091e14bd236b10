"""Running jobs (service/workspace/runner.py): the annual reports for every association
take each association's lock like any other job, and a storage that fails ends the job
with its own code and sentence — retried when it may pass by itself."""
from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

import pytest

from service.filing.base import FilingError
from service.workspace import jobs as records
from service.workspace import batch
from service.workspace.runner import INTERNAL, run
from tests.factories import association

LEASE = dt.timedelta(seconds=60)
TODAY = dt.date(2025, 9, 1)


@pytest.fixture
def two(ws, tmp_path):
    folder = tmp_path / "books"
    folder.mkdir()
    first = ws.add_association(str(association("zdvinsky-mmo").save(folder / "a.xlsx")), "тест")
    other = association("novokuznetsk-gpmo")
    other.info["Краткое наименование"] = "ГПМО математиков"
    second = ws.add_association(str(other.save(folder / "b.xlsx")), "тест")
    return first, second


def annual_job(ws) -> str:
    job, _ = records.enqueue(ws.sf, "annual-all", requested_by="куратор", dedupe_key="annual-all")
    return job.id


def test_each_annual_report_is_made_under_its_associations_lock(ws, two, monkeypatch):
    seen = []
    real = ws.generate

    def generate(association_id, *args, **kwargs):
        # while the batch writes this association, nobody else may take it
        seen.append(records.lock_association(ws.sf, association_id, "another-worker", LEASE))
        return real(association_id, *args, **kwargs)

    monkeypatch.setattr(ws, "generate", generate)
    assert run(ws, annual_job(ws), TODAY) == records.DONE
    assert seen == [False, False]
    for a in two:                                     # and released afterwards
        assert records.lock_association(ws.sf, a.id, "another-worker", LEASE)


def test_a_busy_association_is_done_last_once_its_job_ends(ws, two, monkeypatch):
    first, second = two
    assert records.lock_association(ws.sf, first.id, "another-worker", LEASE)
    order = []
    real = ws.generate
    monkeypatch.setattr(ws, "generate", lambda aid, *a, **kw: (order.append(aid), real(aid, *a, **kw))[1])
    threading.Timer(1.0, lambda: records.unlock_association(ws.sf, first.id, "another-worker")).start()
    job_id = annual_job(ws)
    assert run(ws, job_id, TODAY) == records.DONE
    assert order == [second.id, first.id]
    result = records.get(ws.sf, job_id).result["documents"]
    assert [d["name"] for d in result] == ["Анализ работы за 2024-2025 учебный год.docx"] * 2


def test_an_association_busy_for_too_long_is_reported_not_skipped_silently(ws, two, monkeypatch):
    first, second = two
    monkeypatch.setattr(batch, "BUSY_WAIT_SECONDS", 0.3)
    assert records.lock_association(ws.sf, first.id, "another-worker", LEASE)
    job_id = annual_job(ws)
    started = time.monotonic()
    assert run(ws, job_id, TODAY) == records.DONE
    assert time.monotonic() - started < 10
    done, busy = records.get(ws.sf, job_id).result["documents"]   # in the order of short names: ГПМО…, ММО…
    assert busy["error"].startswith("объединение было занято другим заданием") and "error" not in done
    # the child given up on is withdrawn: its queue message, arriving later, makes nothing
    child = records.children(ws.sf, job_id)[first.id]
    assert (child.state, child.error["code"], child.attempts) == (records.FAILED, "job.busy", 0)
    records.unlock_association(ws.sf, first.id, "another-worker")
    assert run(ws, child.id, TODAY) == "skipped"
    assert [v.kind for v in ws.documents(first)] == [] and [v.kind for v in ws.documents(second)] == ["annual-report"]


def test_the_batch_makes_a_job_per_association_and_puts_each_on_the_queue(ws, two):
    queue: list[str] = []
    job_id = annual_job(ws)
    assert run(ws, job_id, TODAY, dispatch=queue.append) == records.DONE
    children = records.children(ws.sf, job_id)
    assert sorted(children) == sorted(a.id for a in two) and sorted(queue) == sorted(c.id for c in children.values())
    for a in two:
        child = children[a.id]
        assert (child.kind, child.params, child.state, child.attempts, child.requested_by) == (
            "generate", {"kind": "annual-report"}, records.DONE, 1, "куратор")
        assert child.result["name"] == "Анализ работы за 2024-2025 учебный год.docx"
        assert [(v.kind, v.version) for v in ws.documents(a)] == [("annual-report", 1)]
    parent = records.get(ws.sf, job_id)
    assert (parent.progress_done, parent.progress_total) == (2, 2)
    by_slug = {d["slug"]: d["location"] for d in parent.result["documents"]}
    assert by_slug == {a.slug: children[a.id].result["location"] for a in two}
    for child in children.values():                      # the queue's messages come too late: nothing twice
        assert run(ws, child.id, TODAY) == "skipped"
    assert all(len(ws.documents(a)) == 1 for a in two)


def test_a_batch_run_again_makes_none_of_its_jobs_twice(ws, two):
    first, second = two
    job_id = annual_job(ws)
    parent = records.get(ws.sf, job_id)
    # the batch's worker died after making the first child and running it
    [made] = records.enqueue_children(ws.sf, parent, "generate", {"kind": "annual-report"}, [first.id])
    assert run(ws, made, TODAY) == records.DONE
    assert records.enqueue_children(ws.sf, parent, "generate", {"kind": "annual-report"}, [first.id]) == []
    queue: list[str] = []
    assert run(ws, job_id, TODAY, dispatch=queue.append) == records.DONE
    children = records.children(ws.sf, job_id)
    assert children[first.id].id == made and queue == [children[second.id].id]
    assert [len(ws.documents(a)) for a in two] == [1, 1]
    assert "error" not in str(records.get(ws.sf, job_id).result)


def test_a_report_the_workbook_refuses_is_named_in_the_batch(ws, two, monkeypatch):
    from service.documents import DocumentRefused

    first, second = two
    real = ws.generate

    def generate(association_id, *args, **kwargs):
        if association_id == first.id:
            raise DocumentRefused([])
        return real(association_id, *args, **kwargs)

    monkeypatch.setattr(ws, "generate", generate)
    job_id = annual_job(ws)
    assert run(ws, job_id, TODAY) == records.DONE
    documents = {d["slug"]: d for d in records.get(ws.sf, job_id).result["documents"]}
    refused, made = documents[first.slug], documents[second.slug]
    assert refused == {"association": first.name, "short_name": first.short_name, "slug": first.slug,
                       "error": "Документ не сформирован: в книге ошибки.", "reasons": []}
    assert made["name"] == "Анализ работы за 2024-2025 учебный год.docx"


def test_one_broken_association_is_reported_in_russian_without_the_exception(ws, two, monkeypatch, caplog):
    first, second = two
    real = ws.generate

    def broken(aid, *a, **kw):
        if aid == first.id:
            raise KeyError("internal detail")
        return real(aid, *a, **kw)

    monkeypatch.setattr(ws, "generate", broken)
    job_id = annual_job(ws)
    assert run(ws, job_id, TODAY) == records.DONE
    documents = {d["slug"]: d for d in records.get(ws.sf, job_id).result["documents"]}
    failed, done = documents[first.slug], documents[second.slug]
    assert failed["error"] == INTERNAL
    assert "KeyError" not in str(failed) and "error" not in done
    assert any("KeyError" in r.getMessage() for r in caplog.records)       # the administrator's log has it


def generate_job(ws, a) -> str:
    job, _ = records.enqueue(ws.sf, "generate", association_id=a.id, params={"kind": "protocol", "meeting": 1},
                             requested_by="Иванова М.П.", dedupe_key=f"g{a.id}")
    return job.id


def test_a_storage_that_needs_a_person_fails_the_job_with_its_sentence(ws, two, monkeypatch):
    full = FilingError("filing.no_space", "В хранилище документов (cloud.school.ru) закончилось место: документ не "
                                          "сохранён.")
    monkeypatch.setattr(ws, "generate", lambda *a, **kw: (_ for _ in ()).throw(full))
    job_id = generate_job(ws, two[0])
    assert run(ws, job_id, TODAY) == records.FAILED
    r = records.get(ws.sf, job_id)
    assert (r.attempts, r.error) == (1, {"code": "filing.no_space", "message": full.message})


def test_a_storage_that_may_pass_is_tried_again(ws, two, monkeypatch):
    down = FilingError("filing.unreachable", "Нет связи с хранилищем документов (cloud.school.ru).", transient=True)
    monkeypatch.setattr(ws, "generate", lambda *a, **kw: (_ for _ in ()).throw(down))
    job_id = generate_job(ws, two[0])
    assert run(ws, job_id, TODAY) == records.QUEUED
    assert records.get(ws.sf, job_id).error["code"] == "filing.unreachable"


def test_one_filer_serves_the_whole_process(ws):
    filers = []
    threads = [threading.Thread(target=lambda: filers.append(ws.filer())) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(f) for f in filers}) == 1 and Path(ws.filer().root) == Path(ws.settings["DOCUMENTS_DIR"])


def test_a_batch_run_again_makes_the_child_its_dead_worker_left_running(ws, two, monkeypatch):
    """The worker died while the batch's own thread made a child: run again (by the one
    thread there is), the batch makes that child itself once its lease is over instead
    of waiting for it forever."""
    from sqlalchemy import update

    from service.db import utcnow
    from service.workspace.models import Job

    monkeypatch.setattr(batch, "IDLE_POLL_SECONDS", 0.05)
    first, second = two
    job_id = annual_job(ws)
    parent = records.get(ws.sf, job_id)
    records.enqueue_children(ws.sf, parent, "generate", {"kind": "annual-report"}, [first.id, second.id])
    child = records.children(ws.sf, job_id)[first.id]
    with ws.sf() as s, s.begin():
        s.execute(update(Job).where(Job.id.in_([job_id, child.id])).values(
            state=records.RUNNING, worker="dead:1:1", attempts=1, lease_until=utcnow() - dt.timedelta(minutes=10)))
    out = {}
    t = threading.Thread(target=lambda: out.setdefault("state", run(ws, job_id, TODAY, dispatch=[].append)),
                         daemon=True)
    t.start()
    t.join(30)
    assert not t.is_alive() and out["state"] == records.DONE
    assert {c.state for c in records.children(ws.sf, job_id).values()} == {records.DONE}
    assert [len(ws.documents(a)) for a in two] == [1, 1]
