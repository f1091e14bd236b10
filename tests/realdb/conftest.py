"""Real servers for the tests of this package, started here and stopped at the end of
the session: nothing has to be running beforehand (CI runs in a fresh clone).  The
servers themselves are started by tests/support/servers.py (shared with
`make bench-region`): a throwaway PostgreSQL cluster whose time zone is deliberately not
UTC, and a redis-server without persistence.  Every test gets a PostgreSQL database of
its own; Redis is flushed before every test.

Where a program is missing the tests skip with the reason; under CI=true that is a
failure (see tests/conftest.py), and scripts/system-deps.sh installs both packages.
"""
from __future__ import annotations

import itertools
import os
import re
import time

import pytest

from tests.support import servers


def unavailable(reason: str):
    """Skip; under CI=true fail at once (CI must prove the real servers work, and a
    test not marked `system` — an expected failure — must not skip silently there)."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"under CI=true this must run: {reason}", pytrace=False)
    pytest.skip(reason)


def _started(start, *args):
    try:
        return start(*args)
    except servers.Unavailable as err:
        unavailable(str(err))
    except servers.StartFailed as err:
        pytest.fail(str(err), pytrace=False)


@pytest.fixture(scope="session")
def postgres_server():
    started = time.monotonic()
    server = _started(servers.start_postgres)
    print(f"\nPostgreSQL {server.bindir.parent.name} on 127.0.0.1:{server.port} "
          f"started in {time.monotonic() - started:.1f} s")
    try:
        yield server
    finally:
        server.stop()


_numbers = itertools.count(1)


@pytest.fixture
def pg_url(postgres_server, request) -> str:
    """A new database for this test: `postgresql+psycopg://modocs:…@127.0.0.1:PORT/test_N_<name>`."""
    name = re.sub(r"[^a-z0-9_]", "_", request.node.name.lower())[:40]
    return postgres_server.create_database(f"t{next(_numbers)}_{name}")


# ---------------------------------------------------------------- Redis

@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    started = time.monotonic()
    server = _started(servers.start_redis, tmp_path_factory.mktemp("redis"))
    print(f"\nredis-server on 127.0.0.1:{server.port} started in {time.monotonic() - started:.1f} s")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_url(redis_server) -> str:
    """The server's database 0, emptied for this test."""
    import redis

    with redis.Redis.from_url(redis_server.url) as client:
        client.flushall()
    return redis_server.url


@pytest.fixture
def sf(pg_url):
    """A session factory on this test's own PostgreSQL database."""
    from sqlalchemy.orm import sessionmaker

    from service.db import make_engine

    engine = make_engine(pg_url)
    yield sessionmaker(engine, expire_on_commit=False)
    engine.dispose()
