"""The database: SQLAlchemy models and engine creation.

SQLite by default (WAL, so readers never wait for the writer), PostgreSQL by URL.
The CLI uses a registry database beside the documents; the web service uses one in
its instance folder.  The schema comes from Alembic migrations (service/migrations),
run by `make_engine` so every process starts on the newest schema.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Integer, String, Text, UniqueConstraint, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def iso_utc(value: dt.datetime | None) -> str | None:
    """SQLite returns naive datetimes; everything stored is UTC, so say so."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc).isoformat()     # PostgreSQL answers in its own zone


class DocumentVersion(Base):
    """One version of a generated document.  The key (association, kind, year, number)
    is stable; every content change adds a version, none is ever deleted."""

    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("association", "kind", "year", "number", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    association: Mapped[str] = mapped_column(Text, index=True)   # the association's label, any length
    kind: Mapped[str] = mapped_column(String(40))
    year: Mapped[str] = mapped_column(String(9))
    number: Mapped[str] = mapped_column(String(40), default="")
    version: Mapped[int] = mapped_column(Integer)
    location: Mapped[str] = mapped_column(String(1000))          # path, storage address or Drive file id
    name: Mapped[str | None] = mapped_column(String(255), nullable=True)   # the file name people see
    stored_as: Mapped[str | None] = mapped_column(String(1000), nullable=True)   # where the previous version went
    sha256: Mapped[str] = mapped_column(String(64))
    source_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    requested_by: Mapped[str] = mapped_column(String(200), default="")

    @property
    def file_name(self) -> str:
        """The name people see: recorded since 0.2; older rows' locations end with it."""
        return self.name or self.location.replace("\\", "/").rsplit("/", 1)[-1]


def make_engine(url: str) -> Engine:
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=10000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()
    from service.migrations import upgrade

    upgrade(engine)
    return engine
