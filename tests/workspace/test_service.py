"""The Workspace (service/workspace/service.py): associations from real .xlsx files,
their checks, snapshots and audit trail, the change detector the watcher relies on,
the next deadline on the dashboard, and the documents filed without anyone asking."""
from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from service.workspace import service as workspace_module
from service.workspace.models import Association, Snapshot
from service.workspace.service import file_sha256
from tests.factories import association
from tests.workspace import aware

D = dt.date
CYRILLIC = re.compile("[А-Яа-яЁё]")
YEAR_END = D(2025, 9, 1)          # every meeting of the factory's 2024-2025 year is held


def save(book, folder: Path, name: str = "mmo.xlsx") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return book.save(folder / name)


@pytest.fixture
def workbooks(tmp_path) -> Path:
    return tmp_path / "workbooks"


def add(ws, workbooks, book=None, today=YEAR_END, name="mmo.xlsx", **kw):
    path = save(book or association("zdvinsky-mmo"), workbooks, name)
    return ws.add_association(str(path), "Петрова А.И.", today=today, **kw)


def events(ws, association_id):
    return list(reversed(ws.audit(association_id)))


def snapshots(ws, association_id) -> list[Snapshot]:
    with ws.sf() as s:
        return list(s.scalars(select(Snapshot).where(Snapshot.association_id == association_id).order_by(Snapshot.id)))


def versions(ws, a) -> list[tuple[str, str, int]]:
    return sorted((v.kind, v.number, v.version) for v in ws.documents(a))


def bump_mtime(path: Path, seconds: float = 10) -> None:
    st = path.stat()
    os.utime(path, (st.st_atime + seconds, st.st_mtime + seconds))


# ---------------------------------------------------------------- add_association

def test_add_association_reads_the_workbook(ws, workbooks):
    a = add(ws, workbooks)
    path = workbooks / "mmo.xlsx"
    assert a.name == "Муниципальное методическое объединение учителей математики"
    assert a.short_name == "ММО математиков"
    assert a.regulation_id == "zdvinsky-mmo"                 # from «Положение» in «Сведения»
    assert a.curator == "Петрова Анна Ивановна"
    assert a.slug == "mmo-matematikov" and a.source == str(path)
    assert a.school_year == "2024-2025"
    assert (a.errors, a.warnings, a.unreadable) == (0, 0, None)
    assert a.source_sha256 == file_sha256(path) and a.source_mtime == path.stat().st_mtime
    assert a.checked_at is not None
    assert ws.association("mmo-matematikov").id == a.id and [x.id for x in ws.associations()] == [a.id]


def test_add_association_records_a_snapshot_and_audit_events(ws, workbooks):
    a = add(ws, workbooks)
    [snap] = snapshots(ws, a.id)
    assert snap.as_of == YEAR_END and snap.regulation_id == "zdvinsky-mmo"
    assert snap.source_sha256 == a.source_sha256
    assert snap.counts["error"] == 0 and snap.findings == []
    assert ws.latest_snapshot(a.id).id == snap.id
    log = events(ws, a.id)
    assert [e.action for e in log] == ["association.add", "check"]
    assert all(e.actor == "Петрова А.И." for e in log)
    assert log[0].details == {"source": a.source}
    assert log[1].details["counts"] == snap.counts and log[1].details["source_sha256"] == a.source_sha256


def test_add_association_keeps_an_explicit_regulation(ws, workbooks):
    a = add(ws, workbooks, association("novokuznetsk-gpmo"), today=D(2024, 9, 20), regulation_id="novokuznetsk-gpmo")
    assert a.regulation_id == "novokuznetsk-gpmo"
    assert snapshots(ws, a.id)[0].regulation_id == "novokuznetsk-gpmo"


def test_add_association_counts_the_workbook_errors(ws, workbooks):
    book = association("zdvinsky-mmo")
    book.mark(1, present=6)                                   # 6 of 12: no quorum (п. 5.1(5))
    a = add(ws, workbooks, book)
    assert a.errors >= 1
    [snap] = snapshots(ws, a.id)
    assert "meeting.no_quorum" in {f["code"] for f in snap.findings}


def test_a_second_association_with_the_same_short_name_gets_its_own_slug(ws, workbooks):
    first = add(ws, workbooks, name="a.xlsx")
    other = association("zdvinsky-mmo")
    other.info["Территория"] = "Чулымский район"                  # another district's «ММО математиков»
    second = add(ws, workbooks, book=other, name="b.xlsx")
    assert (first.slug, second.slug) == ("mmo-matematikov", "mmo-matematikov-2")
    assert len(ws.associations()) == 2


def test_the_same_register_added_twice_is_refused(ws, workbooks):
    from service.workspace.service import AlreadyAdded

    first = add(ws, workbooks, name="a.xlsx")
    with pytest.raises(AlreadyAdded) as exists:
        add(ws, workbooks, name="b.xlsx")
    assert exists.value.association.slug == first.slug and len(ws.associations()) == 1


# ---------------------------------------------------------------- check

def test_check_records_a_new_snapshot(ws, workbooks):
    a = add(ws, workbooks)
    report = ws.check(a.id, "Иванова М.П.", today=YEAR_END)
    assert report is not None and report.counts["error"] == 0
    assert len(snapshots(ws, a.id)) == 2
    assert events(ws, a.id)[-1].action == "check" and events(ws, a.id)[-1].actor == "Иванова М.П."


@pytest.mark.parametrize("content", [b"not a workbook", b"", None], ids=["garbage", "empty", "deleted"])
def test_check_of_an_unreadable_source_stores_the_russian_reason_and_no_counts(ws, workbooks, content):
    a = add(ws, workbooks)
    path = Path(a.source)
    if content is None:
        path.unlink()
    else:
        path.write_bytes(content)
    assert ws.check(a.id, "система", today=YEAR_END) is None
    row = ws.by_id(a.id)
    assert row.unreadable and CYRILLIC.search(row.unreadable)
    assert (row.errors, row.warnings) == (None, None)
    assert aware(row.checked_at) > aware(a.checked_at)
    assert len(snapshots(ws, a.id)) == 1                     # no snapshot of a workbook nobody could read
    last = events(ws, a.id)[-1]
    assert last.action == "check.unreadable" and last.details["code"] == "workbook.unreadable"
    assert last.details["message"] == row.unreadable


def test_a_readable_check_clears_the_unreadable_reason(ws, workbooks):
    a = add(ws, workbooks)
    Path(a.source).write_bytes(b"garbage")
    ws.check(a.id, today=YEAR_END)
    save(association("zdvinsky-mmo"), workbooks)
    assert ws.check(a.id, today=YEAR_END) is not None
    row = ws.by_id(a.id)
    assert (row.unreadable, row.errors, row.warnings) == (None, 0, 0)


# ---------------------------------------------------------------- source_changed

def test_source_changed_is_none_right_after_a_check(ws, workbooks):
    a = add(ws, workbooks)
    assert ws.source_changed(ws.by_id(a.id)) is None


def test_source_changed_notices_a_changed_file(ws, workbooks):
    a = add(ws, workbooks)
    book = association("zdvinsky-mmo")
    book.meeting(2)["Тема"] = "Новая тема"
    path = save(book, workbooks)
    bump_mtime(path)
    sha = ws.source_changed(ws.by_id(a.id))
    assert sha == file_sha256(path) and sha != a.source_sha256
    ws.check(a.id, today=YEAR_END)
    assert ws.source_changed(ws.by_id(a.id)) is None


def test_touching_without_changing_content_is_no_change(ws, workbooks):
    a = add(ws, workbooks)
    bump_mtime(Path(a.source))
    assert ws.source_changed(ws.by_id(a.id)) is None


def test_a_file_saved_again_with_the_same_content_is_no_change(ws, workbooks):
    a = add(ws, workbooks)
    content = Path(a.source).read_bytes()
    Path(a.source).write_bytes(content)
    bump_mtime(Path(a.source))
    assert ws.source_changed(ws.by_id(a.id)) is None


def test_source_changed_of_a_missing_file_or_a_google_sheet_is_none(ws, workbooks):
    a = add(ws, workbooks)
    Path(a.source).unlink()
    assert ws.source_changed(ws.by_id(a.id)) is None
    sheet = Association(slug="g", name="ГПМО", source="gsheet:1AbC", source_sha256=None)
    assert ws.source_changed(sheet) is None


def test_a_file_never_checked_is_a_change(ws, workbooks):
    path = save(association("zdvinsky-mmo"), workbooks)
    fresh = Association(slug="x", name="x", source=str(path), source_mtime=None, source_sha256=None)
    assert ws.source_changed(fresh) == file_sha256(path)


def test_an_unreadable_file_checked_once_is_no_longer_a_change(ws, workbooks):
    a = add(ws, workbooks)
    Path(a.source).write_bytes(b"not a workbook")
    assert ws.check(a.id, today=YEAR_END) is None
    assert ws.source_changed(ws.by_id(a.id)) is None


def test_a_file_saved_during_a_check_is_still_a_change(ws, workbooks, monkeypatch):
    a = add(ws, workbooks)
    changed = association("zdvinsky-mmo")
    changed.mark(1, present=6)                               # the teacher's new version has an error
    real_check = workspace_module.check

    def check_while_the_teacher_saves(*args, **kw):
        report = real_check(*args, **kw)                     # the old content was read ...
        path = save(changed, workbooks)                      # ... and the new one saved meanwhile
        bump_mtime(path)
        return report

    monkeypatch.setattr(workspace_module, "check", check_while_the_teacher_saves)
    report = ws.check(a.id, today=YEAR_END)
    monkeypatch.setattr(workspace_module, "check", real_check)
    assert report.counts["error"] == 0
    assert ws.source_changed(ws.by_id(a.id)) == file_sha256(Path(a.source))


# ---------------------------------------------------------------- next deadline

def test_next_deadline_from_the_regulation(ws, workbooks):
    """Новокузнецк ГПМО, п. 4.6: the data bank is brought up to date by 1 October (not yet, here)."""
    book = association("novokuznetsk-gpmo")
    book.info["Дата актуализации банка данных"] = None
    a = add(ws, workbooks, book, today=D(2024, 9, 25))                              # meeting №1 was on 24.09
    assert (a.next_deadline, a.next_deadline_what) == (D(2024, 10, 1), "актуализация банка данных")


def test_a_duty_done_is_no_next_deadline_and_a_missed_one_comes_first(ws, workbooks):
    a = add(ws, workbooks, association("novokuznetsk-gpmo"), today=D(2024, 9, 25))   # the data bank is up to date
    assert a.next_deadline == D(2024, 12, 10)
    book = association("novokuznetsk-gpmo")
    book.info.update({"Краткое наименование": "ГПМО физиков", "Дата представления анализа работы": None})
    late = add(ws, workbooks, book, name="late.xlsx", today=D(2025, 9, 1))         # the year is over
    assert (late.next_deadline, late.next_deadline_what) == (D(2025, 5, 15), "анализ работы и план на новый "
                                                                               "учебный год")


def test_next_deadline_moves_on_to_a_planned_meeting(ws, workbooks):
    a = add(ws, workbooks, association("novokuznetsk-gpmo"), today=D(2024, 9, 25))
    ws.check(a.id, today=D(2024, 10, 2))
    row = ws.by_id(a.id)
    assert (row.next_deadline, row.next_deadline_what) == (D(2024, 12, 10), "заседание №2: Тема заседания 2")


def test_next_deadline_is_a_planned_meeting(ws, workbooks):
    a = add(ws, workbooks, today=D(2024, 12, 5))             # Здвинский: no dated duties
    assert (a.next_deadline, a.next_deadline_what) == (D(2024, 12, 10), "заседание №2: Тема заседания 2")


def test_no_next_deadline_once_the_year_is_over(ws, workbooks):
    a = add(ws, workbooks, today=YEAR_END)
    assert (a.next_deadline, a.next_deadline_what) == (None, None)


# ---------------------------------------------------------------- automatic documents

def auto(ws, a, today):
    report = ws.check(a.id, today=today)
    assert report is not None
    return ws.auto_documents(a.id, report, today)


def made_kinds(made) -> list[tuple[str, int]]:
    return sorted((m["kind"], m["meeting"]) for m in made)


def test_registration_sheet_for_a_meeting_planned_within_the_window(ws, workbooks):
    a = add(ws, workbooks, today=D(2024, 12, 5))
    made = auto(ws, a, D(2024, 12, 5))                        # meeting 2 on 10.12.2024, in 5 days
    assert made_kinds(made) == [("protocol", 1), ("registration-sheet", 2)]
    sheet = next(m for m in made if m["kind"] == "registration-sheet")
    assert Path(sheet["location"]).is_file()
    assert Path(sheet["location"]).name == "Лист регистрации, заседание №2 от 10.12.2024.docx"
    assert versions(ws, a) == [("protocol", "1", 1), ("registration-sheet", "m2", 1)]


@pytest.mark.parametrize("days_before, filed", [(7, True), (8, False), (1, True)])
def test_registration_window_is_auto_registration_days(ws, workbooks, settings, days_before, filed):
    assert int(settings["AUTO_REGISTRATION_DAYS"]) == 7
    today = D(2024, 12, 10) - dt.timedelta(days=days_before)
    a = add(ws, workbooks, today=today)
    made = auto(ws, a, today)
    assert (("registration-sheet", 2) in made_kinds(made)) is filed
    assert ("registration-sheet", 3) not in made_kinds(made)


def test_protocols_for_held_meetings_whose_items_all_have_decisions(ws, workbooks):
    book = association("zdvinsky-mmo")
    next(i for i in book.agenda if i["№ заседания"] == 3 and i["№ вопроса"] == 2)["Решили"] = None
    a = add(ws, workbooks, book)
    made = auto(ws, a, YEAR_END)
    assert made_kinds(made) == [("protocol", 1), ("protocol", 2), ("protocol", 4)]
    for m in made:
        assert Path(m["location"]).is_file() and Path(m["location"]).parent.name == "Протоколы"
    log = [e for e in events(ws, a.id) if e.action == "document.generate"]
    assert len(log) == 3 and all(e.actor == "автоматически" for e in log)


def test_nothing_for_a_meeting_with_errors(ws, workbooks):
    """Здвинский п. 5.1(5): 6 of 12 present is no quorum, so no protocol of meeting 1 is filed."""
    book = association("zdvinsky-mmo")
    book.mark(1, present=6)
    a = add(ws, workbooks, book)
    assert a.errors >= 1
    made = auto(ws, a, YEAR_END)
    assert made_kinds(made) == [("protocol", 2), ("protocol", 3), ("protocol", 4)]
    assert ("protocol", "1", 1) not in versions(ws, a)


def test_auto_documents_twice_with_unchanged_data_files_nothing_new(ws, workbooks):
    a = add(ws, workbooks, today=D(2024, 12, 5))
    first = auto(ws, a, D(2024, 12, 5))
    assert len(first) == 2
    before = versions(ws, a)
    files = {m["location"]: Path(m["location"]).read_bytes() for m in first}
    assert auto(ws, a, D(2024, 12, 5)) == []
    assert versions(ws, a) == before
    assert {loc: Path(loc).read_bytes() for loc in files} == files
    docs = Path(ws.settings["DOCUMENTS_DIR"])
    assert sorted(p.name for p in docs.rglob("*.docx")) == sorted(Path(loc).name for loc in files)


def test_changed_data_files_a_new_version(ws, workbooks):
    a = add(ws, workbooks)
    auto(ws, a, YEAR_END)
    book = association("zdvinsky-mmo")
    next(i for i in book.agenda if i["№ заседания"] == 2)["Решили"] = "Принять план с поправками"
    save(book, workbooks)
    made = auto(ws, a, YEAR_END)
    assert made_kinds(made) == [("protocol", 2)]
    assert ("protocol", "2", 2) in versions(ws, a)


def test_two_associations_with_the_same_short_name_keep_their_own_documents(ws, workbooks):
    """Two districts' «ММО математиков»: each files under its own slug, neither overwrites the other."""
    first = add(ws, workbooks, name="a.xlsx")
    other_book = association("zdvinsky-mmo")
    other_book.info["Наименование МО"] = "ММО учителей математики Купинского района"
    other_book.meeting(1)["Тема"] = "Другая тема"
    second = add(ws, workbooks, other_book, name="b.xlsx")
    one = ws.auto_documents(first.id, ws.check(first.id, today=YEAR_END), YEAR_END)
    two = ws.auto_documents(second.id, ws.check(second.id, today=YEAR_END), YEAR_END)
    assert len(one) == 4 and len(two) == 4
    assert not {m["location"] for m in one} & {m["location"] for m in two}
    root = Path(ws.settings["DOCUMENTS_DIR"])
    assert {Path(m["location"]).relative_to(root).parts[0] for m in one} == {first.slug}
    assert {Path(m["location"]).relative_to(root).parts[0] for m in two} == {second.slug}
    assert versions(ws, ws.by_id(first.id)) == [("protocol", str(n), 1) for n in range(1, 5)]
    assert versions(ws, ws.by_id(second.id)) == [("protocol", str(n), 1) for n in range(1, 5)]
    assert len(list(Path(ws.settings["DOCUMENTS_DIR"]).rglob("*.docx"))) == 8


def test_a_long_job_keeps_its_lease_and_is_not_run_twice(settings, tmp_path):
    """A job longer than JOB_LEASE_SECONDS renews its lease while it runs; without that the
    sweeper would hand it to a second worker."""
    import threading
    import time

    from service.workspace import jobs
    from service.workspace.runner import run
    from tests.factories import association

    from service.workspace.service import Workspace

    settings = {**settings, "JOB_LEASE_SECONDS": 2, "FAULT_DELAY_SECONDS": 4.0}
    ws = Workspace(settings)
    path = association("zdvinsky-mmo").save(tmp_path / "mmo.xlsx")
    a = ws.add_association(str(path), "тест")
    job, _ = jobs.enqueue(ws.sf, "generate", association_id=a.id, params={"kind": "work-plan"})
    runner = threading.Thread(target=run, args=(ws, job.id))
    runner.start()
    time.sleep(3.0)                                   # the first lease (2 s) would have expired
    assert not jobs.claim(ws.sf, job.id, "another-worker", __import__("datetime").timedelta(seconds=2))
    assert jobs.to_requeue(ws.sf) == []
    runner.join(timeout=30)
    assert jobs.get(ws.sf, job.id).state == jobs.DONE and jobs.get(ws.sf, job.id).attempts == 1


def test_a_check_still_reading_a_replaced_workbook_does_not_overwrite_the_new_one(ws, tmp_path, monkeypatch):
    """A check of the old workbook that finishes after a replacement is dropped (journaled
    `check.stale`), files nothing, and a check asked for the new workbook is queued anew."""
    import threading

    import service.workspace.service as wsmod
    from tests.web.helpers import add

    a = add(ws, tmp_path, association("zdvinsky-mmo", size=12), name="old.xlsx")
    new = association("zdvinsky-mmo", size=15).save(tmp_path / "new.xlsx")
    real = wsmod.check
    read_done, go_on = threading.Event(), threading.Event()

    def slow(*args, **kw):
        report = real(*args, **kw)
        if threading.current_thread().name == "old-check":
            read_done.set()
            go_on.wait(10)
        return report
    monkeypatch.setattr(wsmod, "check", slow)
    results = []
    t = threading.Thread(target=lambda: results.append(ws.check(a.id, "наблюдение")), name="old-check")
    t.start()
    assert read_done.wait(10)
    ws.replace_source(a.id, str(new), "руководитель")
    assert ws.record_check(a.id, real(ws.source(str(new))), "руководитель", wsmod.fingerprint(str(new)),
                           source=str(new))
    go_on.set()
    t.join()
    assert results == [None]                                   # nothing to file documents from
    assert ws.latest_snapshot(a.id).summary["members"]["total"] == 15
    assert ws.by_id(a.id).source_sha256 == wsmod.fingerprint(str(new))[1]
    assert "check.stale" in [e.action for e in ws.audit(a.id, 20)]


def test_a_re_check_naming_another_territory_keeps_the_association_with_its_curator(ws, workbooks):
    """The workbook's «Территория» decides curators' scope: a re-check that finds another
    one holds it (journaled) until a curator or admin confirms the move."""
    book = association("zdvinsky-mmo")
    a = add(ws, workbooks, book)
    before = (a.territory, a.territory_key)
    book.info["Территория"] = "Чулымский район"
    save(book, workbooks)
    ws.check(a.id, "наблюдение")
    held = ws.by_id(a.id)
    assert (held.territory, held.territory_key) == before and held.pending_territory == "Чулымский район"
    ws.check(a.id, "наблюдение")
    assert [e.action for e in ws.audit(a.id, 50)].count("check.identity_conflict") == 1      # once, not per check
    assert ws.confirm_territory(a.id, "куратор")
    moved = ws.by_id(a.id)
    assert moved.territory == "Чулымский район" and moved.pending_territory is None
    assert not ws.confirm_territory(a.id, "куратор")


def test_a_held_territory_change_keeps_the_time_zone_of_the_territory_kept(ws, workbooks):
    """Dates and deadlines move to another region's time only when the move is confirmed."""
    book = association("zdvinsky-mmo")
    a = add(ws, workbooks, book)
    assert ws.by_id(a.id).time_zone == "Asia/Novosibirsk"
    book.info["Территория"] = "г. Каменск-Уральский, Свердловская область"
    save(book, workbooks)
    ws.check(a.id, "наблюдение")
    assert ws.by_id(a.id).time_zone == "Asia/Novosibirsk"
    assert ws.confirm_territory(a.id, "куратор")
    ws.check(a.id, "наблюдение")
    assert ws.by_id(a.id).time_zone == "Asia/Yekaterinburg"


def test_documents_due_are_not_filed_from_a_workbook_replaced_meanwhile(ws, workbooks):
    book = association("zdvinsky-mmo")
    a = add(ws, workbooks, book)
    report = ws.check(a.id, "наблюдение", YEAR_END)
    assert ws.auto_documents(a.id, report, YEAR_END, source="/elsewhere/old.xlsx") == []
    assert ws.documents(ws.by_id(a.id)) == []
    assert ws.auto_documents(a.id, report, YEAR_END, source=a.source)              # its own workbook: filed
