"""Tables of the desk: each account's calendar feed (a secret, revocable address) and
the digests already sent (one per account and week, so a restarted job never sends
a second one)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, utcnow


class CalendarFeed(Base):
    """The .ics address of an account: only the SHA-256 of its secret is kept, so a copy of
    the database opens no calendar; a new address revokes the old one."""

    __tablename__ = "calendar_feeds"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DigestSent(Base):
    """A weekly digest claimed for (and then sent to) an account: the primary key makes a
    second one for the same ISO week impossible, whichever worker tries."""

    __tablename__ = "digests_sent"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    week: Mapped[str] = mapped_column(String(8), primary_key=True)        # ISO week, «2026-W48»
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    errors: Mapped[int] = mapped_column(Integer, default=0)               # errors it reported, for the next week
