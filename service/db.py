"""The database: SQLAlchemy models and engine creation.

SQLite by default (WAL, so readers never wait for the writer), PostgreSQL by URL.
The CLI uses a registry database beside the documents; the web service uses one in
its instance folder.  The schema comes from Alembic migrations (service/migrations),
run by `make_engine` so every process starts on the newest schema.
"""
from __future__ import annotations

import datetime as dt
import os
import weakref

from sqlalchemy import DateTime, Integer, String, Text, UniqueConstraint, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def as_utc(value: dt.datetime | None) -> dt.datetime | None:
    """A stored time as an aware one: SQLite answers naive datetimes, and everything
    stored is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.timezone.utc)


def iso_utc(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return as_utc(value).astimezone(dt.timezone.utc).isoformat()     # PostgreSQL answers in its own zone


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


def is_busy(exc: BaseException) -> bool:
    """Did the database refuse because another transaction holds a lock past
    `busy_seconds`?  SQLite: «database is locked»; PostgreSQL: lock_timeout (55P03)."""
    from sqlalchemy.exc import OperationalError

    if not isinstance(exc, OperationalError):
        return False
    original = getattr(exc, "orig", None)
    if getattr(original, "sqlstate", None) == "55P03":
        return True
    text = str(original or exc).lower()
    return "database is locked" in text or "database table is locked" in text or "lock timeout" in text


def _fresh_connections_after_fork(engine: Engine) -> None:
    """gunicorn forks its web processes from one that has already used the database (the
    schema check at start): each child must open connections of its own.  Two processes
    on one PostgreSQL connection hang or read each other's answers; SQLite's connections
    must not cross a fork either.  The child forgets the pooled connections without
    closing them (they are still the parent's)."""
    ref = weakref.ref(engine)

    def forget() -> None:
        alive = ref()
        if alive is not None:
            alive.dispose(close=False)

    os.register_at_fork(after_in_child=forget)


def make_engine(url: str, busy_seconds: float = 10.0) -> Engine:
    """`busy_seconds`: how long a statement waits for another writer's lock before the
    database answers «locked» (the web service turns that into 503 with Retry-After)."""
    connect_args = {}
    if url.startswith("postgresql"):
        connect_args["options"] = f"-c lock_timeout={int(busy_seconds * 1000)}"
    engine = create_engine(url, future=True, connect_args=connect_args)
    _fresh_connections_after_fork(engine)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            # WAL's recommended durability: a commit no longer waits for fsync (0.6 ms each,
            # eight or so per job); the database stays consistent after any crash, and only
            # the last commits before a power cut can be lost — the job sweeper redoes those.
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute(f"PRAGMA busy_timeout={int(busy_seconds * 1000)}")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()
    from service.migrations import upgrade

    upgrade(engine)
    return engine
