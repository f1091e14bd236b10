"""Push notifications coalesced: many `changes.watch` messages, one sync.

Drive sends a notification for every change the service account can see — a head
typing into a sheet, and the service's own uploads of documents (a batch of annual
reports is hundreds).  Each would have queued a watch pass of its own.  Instead the
first notification marks a sync as pending and queues it; the following ones find it
pending and do nothing; the sync clears the mark as it starts, so a change that
arrives while it runs queues the next one.  A mark older than `STALE` is taken for a
lost queue message and queued again.

The mark is a row in the service database, so every web process sees it.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, String, or_, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from service.db import Base, utcnow

STALE = dt.timedelta(minutes=10)
NAME = "changes"


class PushState(Base):
    __tablename__ = "google_push"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    pending_since: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def sync_wanted(engine: Engine, *, now: dt.datetime | None = None, name: str = NAME) -> bool:
    """A notification arrived: True when the caller must queue a sync (none pending,
    or the pending one is stale), False when one is already on its way."""
    now = now or utcnow()
    with Session(engine) as s, s.begin():
        taken = s.execute(update(PushState).where(PushState.name == name, or_(
            PushState.pending_since.is_(None), PushState.pending_since < now - STALE))
            .values(pending_since=now, updated_at=now).execution_options(synchronize_session=False)).rowcount
    if taken:
        return True
    try:
        with Session(engine) as s, s.begin():
            s.add(PushState(name=name, pending_since=now, updated_at=now))
        return True
    except IntegrityError:
        return False                      # the row exists and a sync is pending


def sync_started(engine: Engine, *, name: str = NAME) -> None:
    """The sync is reading the feed now: notifications from here on ask for the next one."""
    with Session(engine) as s, s.begin():
        s.execute(update(PushState).where(PushState.name == name)
                  .values(pending_since=None, updated_at=utcnow()).execution_options(synchronize_session=False))
