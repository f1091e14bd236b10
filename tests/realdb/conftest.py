"""Real servers for the tests of this package, started here and stopped at the end of
the session: nothing has to be running beforehand (CI runs in a fresh clone).

- PostgreSQL: a throwaway cluster in a temporary folder, made with the Debian binaries
  (/usr/lib/postgresql/<version>/bin/initdb, pg_ctl) of the `postgresql` package,
  listening on 127.0.0.1 on a free port, its unix socket in the same folder.  As root
  the cluster runs as the `postgres` user (the server refuses to run as root).  Its
  time zone is deliberately not UTC (Asia/Novosibirsk, like many of the service's
  users): a server's `timezone` setting is what a session gets, and the service must
  not depend on it being UTC.  Every test gets a database of its own.
- Redis: `redis-server` (package `redis-server`) on a free port, no persistence;
  flushed before every test.

Where a program is missing the tests skip with the reason; under CI=true that is a
failure (see tests/conftest.py), and scripts/system-deps.sh installs both packages.
"""
from __future__ import annotations

import glob
import itertools
import os
import pwd
import re
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

READY_TIMEOUT = 20          # seconds a server may take to accept connections
PG_TIMEZONE = "Asia/Novosibirsk"
PG_USER, PG_PASSWORD = "modocs", "mo-docs-test-password"


def unavailable(reason: str):
    """Skip; under CI=true fail at once (CI must prove the real servers work, and a
    test not marked `system` — an expected failure — must not skip silently there)."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"under CI=true this must run: {reason}", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(path: Path, n: int = 4000) -> str:
    try:
        return path.read_text(errors="replace")[-n:]
    except OSError:
        return ""


# ---------------------------------------------------------------- PostgreSQL

def _pg_bindir() -> Path | None:
    """The newest Debian PostgreSQL, else initdb on PATH."""
    def version(path: str) -> tuple:
        return tuple(int(x) for x in re.findall(r"\d+", Path(path).parts[-3]))

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=version)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@dataclass
class PostgresServer:
    bindir: Path
    root: Path                  # data/, sock/, server.log
    port: int
    as_user: list[str]          # prefix that runs a command as the cluster's owner

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def sockets(self) -> Path:
        return self.root / "sock"

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    def run(self, *args: str, timeout: float = READY_TIMEOUT + 10) -> subprocess.CompletedProcess:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.as_user[:1] == ["su"]:                  # su takes one shell command line
            cmd = [*self.as_user, shlex.join(cmd)]
        else:
            cmd = [*self.as_user, *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=self.root)

    def admin(self):
        """A superuser connection over the unix socket (trust), autocommit."""
        import psycopg

        return psycopg.connect(host=str(self.sockets), port=self.port, user="postgres", dbname="postgres",
                               autocommit=True, connect_timeout=5)

    def url(self, database: str) -> str:
        """What a deployment sets as MO_DOCS_DATABASE_URL: TCP, a password user."""
        return f"postgresql+psycopg://{PG_USER}:{PG_PASSWORD}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        with self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}" OWNER {PG_USER}')
        return self.url(name)


def _as_postgres_prefix() -> list[str] | None:
    """How to run the server's programs: as ourselves, or (as root) as `postgres`."""
    if os.geteuid() != 0:
        return []
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--"]
    if shutil.which("su"):
        return ["su", "-s", "/bin/sh", "postgres", "-c"]
    return None


def _start_postgres() -> PostgresServer:
    bindir = _pg_bindir()
    if bindir is None or not (bindir / "pg_ctl").exists():
        unavailable("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): "
                    "scripts/system-deps.sh installs the `postgresql` package")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        unavailable("the psycopg driver is not installed (pip install -e .)")
    prefix = _as_postgres_prefix()
    owner = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            unavailable("running as root and there is no `postgres` user to run the server as")
        if prefix is None:
            unavailable("running as root and neither `runuser` nor `su` exists: cannot run the server as `postgres`")
    # not under pytest's tmp folder: that one is private to root, and the server runs as postgres
    root = Path(tempfile.mkdtemp(prefix="mo-docs-pg-"))
    (root / "sock").mkdir()
    if owner is not None:
        for path in (root, root / "sock"):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    server = PostgresServer(bindir, root, 0, prefix)
    pwfile = root / "superuser-password"      # initdb wants one for scram on TCP; the socket is trust
    pwfile.write_text("postgres-test\n")
    if owner is not None:
        os.chown(pwfile, owner.pw_uid, owner.pw_gid)
    r = server.run("initdb", "-D", str(server.data), "-U", "postgres", f"--pwfile={pwfile}",
                   "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-locale", "--no-sync")
    if r.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"initdb failed ({r.returncode}):\n{r.stdout}\n{r.stderr}", pytrace=False)
    last = ""
    for _attempt in range(3):                  # a free port can be taken before the server binds it
        server.port = free_port()
        conf = server.data / "postgresql.conf"
        with open(conf, "a", encoding="utf-8") as fh:
            fh.write(f"\n# tests/realdb\nlisten_addresses = '127.0.0.1'\nport = {server.port}\n"
                     f"unix_socket_directories = '{server.sockets}'\ntimezone = '{PG_TIMEZONE}'\n"
                     "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n")
        r = server.run("pg_ctl", "-D", str(server.data), "-l", str(server.log), "-w", "-t", str(READY_TIMEOUT),
                       "start")
        if r.returncode == 0:
            break
        last = f"pg_ctl start failed ({r.returncode}):\n{r.stdout}\n{r.stderr}\n{_tail(server.log)}"
        server.run("pg_ctl", "-D", str(server.data), "-m", "immediate", "stop")
    else:
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(last, pytrace=False)
    try:
        with server.admin() as conn:
            conn.execute(f"CREATE ROLE {PG_USER} LOGIN PASSWORD '{PG_PASSWORD}'")
    except BaseException:
        _stop_postgres(server)
        raise
    return server


def _stop_postgres(server: PostgresServer) -> None:
    try:
        server.run("pg_ctl", "-D", str(server.data), "-m", "immediate", "-w", "-t", str(READY_TIMEOUT), "stop")
    finally:
        shutil.rmtree(server.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server():
    started = time.monotonic()
    server = _start_postgres()
    print(f"\nPostgreSQL {server.bindir.parent.name} on 127.0.0.1:{server.port} "
          f"started in {time.monotonic() - started:.1f} s")
    try:
        yield server
    finally:
        _stop_postgres(server)


_numbers = itertools.count(1)


@pytest.fixture
def pg_url(postgres_server, request) -> str:
    """A new database for this test: `postgresql+psycopg://modocs:…@127.0.0.1:PORT/test_N_<name>`."""
    name = re.sub(r"[^a-z0-9_]", "_", request.node.name.lower())[:40]
    return postgres_server.create_database(f"t{next(_numbers)}_{name}")


# ---------------------------------------------------------------- Redis

@dataclass
class RedisServer:
    proc: subprocess.Popen
    port: int
    root: Path

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


def _start_redis(root: Path) -> RedisServer:
    binary = shutil.which("redis-server")
    if binary is None:
        unavailable("redis-server is not installed: scripts/system-deps.sh installs the `redis-server` package")
    try:
        import redis
    except ImportError:
        unavailable("the redis client package is not installed (pip install -e .)")
    last = ""
    for _attempt in range(3):
        port = free_port()
        log = root / f"redis-{port}.log"
        with open(log, "wb") as fh:
            proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                     "--appendonly", "no", "--daemonize", "no", "--dir", str(root)],
                                    stdout=fh, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + READY_TIMEOUT
        client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=1, socket_timeout=1)
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if client.ping():
                    client.close()
                    return RedisServer(proc, port, root)
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        client.close()
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        last = f"redis-server did not answer PING within {READY_TIMEOUT} s (exit {proc.returncode}):\n{_tail(log)}"
    pytest.fail(last, pytrace=False)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    started = time.monotonic()
    server = _start_redis(tmp_path_factory.mktemp("redis"))
    print(f"\nredis-server on 127.0.0.1:{server.port} started in {time.monotonic() - started:.1f} s")
    try:
        yield server
    finally:
        server.proc.terminate()
        try:
            server.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.proc.kill()
            server.proc.wait(timeout=10)


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
