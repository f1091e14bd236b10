"""A check is reused for documents asked for one after another, but only while the
workbook's bytes are the same: a document is always made from the file as it is."""
from __future__ import annotations

import datetime as dt

from service.documents import Request
from service.workspace.reports import ReportCache
from tests.factories import association, year_end


def test_the_same_content_is_checked_once_and_a_change_is_seen(tmp_path):
    path = association().save(tmp_path / "mmo.xlsx")
    cache, made = ReportCache(), []

    def make():
        made.append(1)
        return object()

    day = dt.date(2025, 9, 1)
    first = cache.get(str(path), None, day, make)
    assert cache.get(str(path), None, day, make) is first and len(made) == 1
    assert cache.get(str(path), "zalesovo-mmo", day, make) is not first                   # another regulation
    assert cache.get(str(path), None, day + dt.timedelta(days=1), make) is not first      # another day
    changed = association()
    changed.meetings[0]["Тема"] = "Другая тема"
    changed.save(path)
    assert cache.get(str(path), None, day, make) is not first and len(made) == 4


def test_a_source_that_is_not_a_file_is_checked_every_time():
    cache, made = ReportCache(), []
    for _ in range(2):
        cache.get("gsheet:1AbCdEfGhIjKlMnOpQrStUv", None, dt.date(2025, 9, 1), lambda: made.append(1))
    assert len(made) == 2


def test_a_document_asked_for_after_the_workbook_changed_shows_the_change(ws, tmp_path):
    book = association("zdvinsky-mmo")
    path = book.save(tmp_path / "mmo.xlsx")
    a = ws.add_association(str(path), "тест", today=year_end())
    first = ws.generate(a.id, Request("protocol", meeting=1), "тест", year_end())
    book.meetings[0]["Тема"] = "Новая тема заседания"
    book.save(path)
    second = ws.generate(a.id, Request("protocol", meeting=1), "тест", year_end())
    assert first.filed.changed and second.filed.changed and second.filed.version == 2
