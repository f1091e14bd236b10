"""The database schema, changed only by Alembic migrations (versions/).

`upgrade(engine)` runs on every start (`make_engine`) and from `mo-docs db upgrade`:
it brings any database — new, made by this release, or made by the first release's
`create_all` (which had no version table) — to the newest revision.  Several
processes start at once under `mo-docs run` (web workers, the job consumer), so the
upgrade holds a lock: a file lock beside a SQLite database, an advisory lock on
PostgreSQL.  A database already at the newest revision costs one SELECT.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
from functools import lru_cache
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

HERE = Path(__file__).resolve().parent
_PG_LOCK_KEY = 0x6D6F646F6373          # "modocs": one advisory lock for schema changes


def _config(connection=None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.attributes["connection"] = connection
    return cfg


@lru_cache(maxsize=1)
def head() -> str:
    """The newest revision of the scripts shipped with this release."""
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(_config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"migrations have {len(heads)} heads ({heads}): merge them")
    return heads[0]


def current(engine: Engine) -> str | None:
    """The revision the database is at; None for a database without a version table."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> str:
    """Bring the database to `revision`; returns the revision it is at afterwards."""
    target = head() if revision == "head" else revision
    if current(engine) == target:
        return target
    from alembic import command

    with _schema_lock(engine), engine.begin() as conn:
        if _at(conn) != target:                      # another process may have done it meanwhile
            command.upgrade(_config(conn), revision)
    return current(engine)


def _at(conn) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


@contextlib.contextmanager
def _schema_lock(engine: Engine):
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_LOCK_KEY})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_LOCK_KEY})
                conn.commit()
        return
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    lock_path = Path(database).with_name(Path(database).name + ".migrate-lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
