"""Validate a 500-member, 40-meeting workbook vs a bare openpyxl read of the same file.

The baseline opens the file read-only and walks every row of every tab, which is
the least any reader must do; the target is at most 1.5× that."""
from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import openpyxl

from bench.harness import Result, measure
from service.pipeline import check
from service.sources.workbook_file import WorkbookFileSource
from tests.factories import association

TARGET = 1.5


def big_workbook(path: Path) -> Path:
    book = association("zdvinsky-mmo", size=500)
    head, secretary = book.members[0]["ФИО"], book.members[2]["ФИО"]
    book.meetings, book.agenda = [], []
    book.attendance, book.attendance_headers = {}, []
    start = dt.date(2024, 9, 2)
    for n in range(1, 41):
        day = start + dt.timedelta(days=7 * n)
        book.meetings.append({"№": n, "Дата": day, "Форма": "очная", "Место": "каб. 12", "Председатель": head,
                              "Секретарь": secretary, "Тема": f"Тема {n}"})
        for q in range(1, 4):
            book.agenda.append({"№ заседания": n, "№ вопроса": q, "Вопрос": f"Вопрос {q}", "Слушали": head,
                                "Решили": "Принять к сведению", "За": 290, "Против": 0, "Воздержались": 1})
        book.mark(n, present=300)
    book.plan = [{"№": i, "Мероприятие": f"Мероприятие {i}", "Срок": "ноябрь", "Ответственный": head,
                  "Отметка о выполнении": "выполнено"} for i in range(1, 61)]
    return book.save(path)


def bare_read(path: Path) -> int:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    n = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            n += len(row)
    wb.close()
    return n


def run() -> Result:
    with tempfile.TemporaryDirectory() as tmp:
        path = big_workbook(Path(tmp) / "big.xlsx")
        as_of = dt.date(2025, 9, 1)
        report = check(WorkbookFileSource(path), as_of=as_of)
        assert len(report.data.members) == 500 and len(report.data.meetings) == 40
        assert len(report.data.attendance) == 500 * 40
        ours = measure(lambda: check(WorkbookFileSource(path), as_of=as_of))
        baseline = measure(lambda: bare_read(path))
    ratio = ours.best / baseline.best
    return Result(
        name="validate", what="`check()` of a 500-member, 40-meeting workbook (20 000 attendance marks)",
        ours=ours, baseline=baseline,
        baseline_what="openpyxl read-only load + iteration of every row of every tab",
        target=f"≤ {TARGET}×", ok=ratio <= TARGET,
        notes=f"{len(report.findings)} findings; file {path.name}")
