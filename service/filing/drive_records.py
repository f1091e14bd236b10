"""What the Drive filer remembers in the service database, so that work is done once:

* `drive_documents` — the Drive file of each document key (recorded before the
  upload when its id was generated), its head revision, where people open it;
* `drive_pins` — the revisions kept forever, one per registry version: Drive keeps at
  most 200 per file and never lets one be «un-kept», so the filer counts them here;
* `drive_shares` — whom each file was shared with, and why it failed: a curator's
  address without a Google account is told once, not at every regeneration.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, utcnow


class DriveDocument(Base):
    """The Drive file of each document key."""

    __tablename__ = "drive_documents"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    association: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40))
    year: Mapped[str] = mapped_column(String(9))
    number: Mapped[str] = mapped_column(String(40), default="")
    file_id: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(10), default="pending")       # pending | filed
    head_revision: Mapped[str | None] = mapped_column(String(200), nullable=True)
    mime_type: Mapped[str | None] = mapped_column(String(100), nullable=True)
    web_link: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DrivePin(Base):
    """A revision the registry points to, kept forever (or being kept: `pending`), or
    deleted to stay within Drive's cap (`dropped`)."""

    __tablename__ = "drive_pins"
    __table_args__ = (UniqueConstraint("file_id", "revision_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_id: Mapped[str] = mapped_column(String(200), index=True)
    revision_id: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(10), default="pending")       # pending | pinned | dropped
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DriveShare(Base):
    """Reader access given (or refused) to one address on one file."""

    __tablename__ = "drive_shares"

    file_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    email: Mapped[str] = mapped_column(String(320), primary_key=True)
    state: Mapped[str] = mapped_column(String(10))                          # shared | failed
    code: Mapped[str | None] = mapped_column(String(60), nullable=True)
    message: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
