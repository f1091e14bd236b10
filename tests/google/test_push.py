"""Push notifications coalesced (service/google/push.py and the /hooks/drive endpoint): a
burst of `changes.watch` messages — a head typing, the service's own uploads — queues one
watch pass; the pass clears the mark as it starts; a mark left by a lost message is
taken over; and a sheet whose check is still waiting is not queued again."""
from __future__ import annotations

import datetime as dt

import pytest

from service.db import make_engine
from service.google.push import STALE, sync_started, sync_wanted
from service.workspace import jobs as records
from service.workspace.models import Association

NOW = dt.datetime(2024, 11, 14, 9, 0, tzinfo=dt.timezone.utc)


def test_one_sync_per_burst_and_the_next_once_it_started(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'svc.sqlite'}")
    assert [sync_wanted(engine, now=NOW + dt.timedelta(seconds=i)) for i in range(5)] == [True] + [False] * 4
    sync_started(engine)
    assert sync_wanted(engine, now=NOW + dt.timedelta(seconds=10)) is True
    assert sync_wanted(engine, now=NOW + dt.timedelta(seconds=11)) is False


def test_a_mark_left_by_a_lost_queue_message_is_taken_over(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'svc.sqlite'}")
    assert sync_wanted(engine, now=NOW)
    assert not sync_wanted(engine, now=NOW + STALE - dt.timedelta(seconds=1))
    assert sync_wanted(engine, now=NOW + STALE + dt.timedelta(seconds=1))


class FakeGoogle:
    """Just enough of GoogleServices for the workspace's watch pass."""

    def __init__(self, changed=None):
        self.changed = changed or {}

    def sync(self, engine, limits=None):
        outer = self

        class Sync:
            def sync(self, ids):
                from service.google.changes import SyncResult

                return SyncResult(changed={i: v for i, v in outer.changed.items() if i in ids})

        return Sync()


@pytest.fixture
def ws(tmp_path):
    from service.settings import load_settings
    from service.workspace.service import Workspace

    workspace = Workspace(load_settings(tmp_path / "instance", {"TESTING": True, "GOOGLE_ENABLED": True},
                                        environ={}))
    yield workspace
    workspace.engine.dispose()


def test_the_watch_pass_clears_the_mark_as_it_starts(ws, monkeypatch):
    assert sync_wanted(ws.engine) and not sync_wanted(ws.engine)
    monkeypatch.setattr(ws, "google_services", lambda: FakeGoogle())
    assert ws.changed_google_sheets() == {}
    assert sync_wanted(ws.engine)


def test_a_sheet_whose_check_still_waits_is_not_queued_again(ws, monkeypatch):
    with ws.sf() as s, s.begin():
        s.add_all([Association(slug="a", name="ГПМО", label="ГПМО", source="gsheet:1SheetA" + "a" * 30),
                   Association(slug="b", name="РПМО", label="РПМО", source="gsheet:1SheetB" + "b" * 30)])
    a, b = sorted(ws.associations(), key=lambda x: x.slug)
    monkeypatch.setattr(ws, "google_services", lambda: FakeGoogle({"1SheetA" + "a" * 30: "31",
                                                                   "1SheetB" + "b" * 30: "8"}))
    records.enqueue(ws.sf, "check", association_id=a.id, requested_by="наблюдение", dedupe_key=f"check:{a.id}:30")
    assert ws.changed_google_sheets() == {b.id: "8"}       # a's waiting check will read version 31 anyway
