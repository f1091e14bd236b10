"""Spreadsheets the add-on sent for a document (service/workspace/sent_sheets.py) and the
jobs that make documents from them: kept whole and private until the document is filed,
a job whose copy is gone fails with a sentence (and is not retried), leftovers swept."""
from __future__ import annotations

import datetime as dt
import os
import stat
import time

from jobs.tasks import sweep_once
from service.workspace import jobs as records
from service.workspace import sent_sheets
from service.workspace.runner import run
from tests.factories import association

TODAY = dt.date(2025, 9, 1)


def test_kept_whole_private_and_read_back(ws):
    payload = association("zdvinsky-mmo").sheet_payload()
    name, digest = sent_sheets.keep(ws, payload)
    path = sent_sheets.folder(ws) / name
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not list(sent_sheets.folder(ws).glob(".*.part"))
    assert sent_sheets.load(ws, name) == payload
    assert sent_sheets.keep(ws, payload)[1] == digest, "the same sheet has the same digest"
    sent_sheets.discard(ws, name)
    assert not path.exists()


def test_only_our_own_names_are_read_or_removed(ws, tmp_path):
    outside = tmp_path / "secret.json"
    outside.write_text("{}")
    for name in ("../../secret.json", "/etc/passwd", "x.json", None, 5):
        sent_sheets.discard(ws, name)
        try:
            sent_sheets.load(ws, name)
        except Exception as err:                        # noqa: BLE001 - a SourceError with a sentence
            assert getattr(err, "code", "") == "workbook.unreadable" and "ещё раз" in err.message
        else:
            raise AssertionError(f"{name!r} was read")
    assert outside.exists()


def test_a_document_is_made_from_the_sent_sheet_and_the_copy_removed(ws, tmp_path):
    book = association("zdvinsky-mmo")
    a = ws.add_association(str(book.save(tmp_path / "r.xlsx")), "тест")
    book.meetings[0]["Место"] = "Актовый зал из Google Таблицы"
    name, digest = sent_sheets.keep(ws, book.sheet_payload())
    job, _ = records.enqueue(ws.sf, "generate", association_id=a.id, requested_by="Белова",
                             params={"kind": "protocol", "meeting": 1,
                                     "sheet": {"file": name, "sha256": digest, "as_of": "2025-09-01"}})
    assert run(ws, job.id, today=TODAY) == records.DONE
    done = records.get(ws.sf, job.id)
    assert done.result["name"] == "Протокол №1 от 24.09.2024.docx" and done.result["document_id"]
    assert not (sent_sheets.folder(ws) / name).exists()
    version = ws.registry.all(a.slug)[-1]
    import docx
    import io
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(ws.filer().read(version))).paragraphs)
    assert "Актовый зал из Google Таблицы" in text


def test_a_job_whose_copy_is_gone_fails_once_with_a_sentence(ws, tmp_path):
    a = ws.add_association(str(association("zdvinsky-mmo").save(tmp_path / "r.xlsx")), "тест")
    job, _ = records.enqueue(ws.sf, "generate", association_id=a.id, requested_by="Белова",
                             params={"kind": "work-plan", "sheet": {"file": "0" * 32 + ".json", "sha256": "x"}})
    assert run(ws, job.id, today=TODAY) == records.FAILED
    failed = records.get(ws.sf, job.id)
    assert failed.attempts == 1 and failed.error["code"] == "workbook.unreadable"
    assert "Сформируйте документ из надстройки ещё раз" in failed.error["message"]


def test_the_sweeper_removes_what_lost_jobs_left(ws):
    old, _ = sent_sheets.keep(ws, {"a": 1})
    new, _ = sent_sheets.keep(ws, {"b": 2})
    day_ago = time.time() - 25 * 3600
    os.utime(sent_sheets.folder(ws) / old, (day_ago, day_ago))
    sweep_once(ws, lambda job_id: None)
    assert not (sent_sheets.folder(ws) / old).exists()
    assert (sent_sheets.folder(ws) / new).exists()
