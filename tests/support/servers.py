"""Real PostgreSQL and Redis servers started on 127.0.0.1 for as long as they are needed:
by the tests (tests/realdb/conftest.py) and by `make bench-region` (bench/region).

- PostgreSQL: a throwaway cluster in a temporary folder, made with the Debian binaries
  (/usr/lib/postgresql/<version>/bin/initdb, pg_ctl) of the `postgresql` package,
  listening on 127.0.0.1 on a free port, its unix socket in the same folder.  As root
  the cluster runs as the `postgres` user (the server refuses to run as root).  Its
  time zone is deliberately not UTC (Asia/Novosibirsk, like many of the service's
  users): a server's `timezone` setting is what a session gets, and the service must
  not depend on it being UTC.
- Redis: `redis-server` (package `redis-server`) on a free port, no persistence.

A program that is missing raises `Unavailable` with the reason (the tests skip, or fail
under CI=true); a server that does not come up raises `StartFailed` with its log.
Nothing here depends on pytest.
"""
from __future__ import annotations

import glob
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

READY_TIMEOUT = 20          # seconds a server may take to accept connections
PG_TIMEZONE = "Asia/Novosibirsk"
PG_USER, PG_PASSWORD = "modocs", "mo-docs-test-password"


class Unavailable(Exception):
    """The program (or its Python client) is not installed here."""


class StartFailed(Exception):
    """The server was there but did not start; the message carries its log."""


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

    def create_database(self, name: str, template: str | None = None) -> str:
        """A new database owned by the service's user; `template`: a copy of that one
        (which nobody may be connected to)."""
        with self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}" OWNER {PG_USER}' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)

    def stop(self) -> None:
        try:
            self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "-t", str(READY_TIMEOUT), "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def _as_postgres_prefix() -> list[str] | None:
    """How to run the server's programs: as ourselves, or (as root) as `postgres`."""
    if os.geteuid() != 0:
        return []
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--"]
    if shutil.which("su"):
        return ["su", "-s", "/bin/sh", "postgres", "-c"]
    return None


def start_postgres(settings: dict[str, str] | None = None) -> PostgresServer:
    """`settings`: more postgresql.conf lines (e.g. {"max_connections": "200"})."""
    bindir = _pg_bindir()
    if bindir is None or not (bindir / "pg_ctl").exists():
        raise Unavailable("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): "
                          "scripts/system-deps.sh installs the `postgresql` package")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise Unavailable("the psycopg driver is not installed (pip install -e .)")
    prefix = _as_postgres_prefix()
    owner = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            raise Unavailable("running as root and there is no `postgres` user to run the server as")
        if prefix is None:
            raise Unavailable("running as root and neither `runuser` nor `su` exists: cannot run the server as "
                              "`postgres`")
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
        raise StartFailed(f"initdb failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    extra = "".join(f"{k} = {v}\n" for k, v in (settings or {}).items())
    last = ""
    for _attempt in range(3):                  # a free port can be taken before the server binds it
        server.port = free_port()
        conf = server.data / "postgresql.conf"
        with open(conf, "a", encoding="utf-8") as fh:
            fh.write(f"\n# tests/support/servers.py\nlisten_addresses = '127.0.0.1'\nport = {server.port}\n"
                     f"unix_socket_directories = '{server.sockets}'\ntimezone = '{PG_TIMEZONE}'\n"
                     f"fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n{extra}")
        r = server.run("pg_ctl", "-D", str(server.data), "-l", str(server.log), "-w", "-t", str(READY_TIMEOUT),
                       "start")
        if r.returncode == 0:
            break
        last = f"pg_ctl start failed ({r.returncode}):\n{r.stdout}\n{r.stderr}\n{_tail(server.log)}"
        server.run("pg_ctl", "-D", str(server.data), "-m", "immediate", "stop")
    else:
        shutil.rmtree(root, ignore_errors=True)
        raise StartFailed(last)
    try:
        with server.admin() as conn:
            conn.execute(f"CREATE ROLE {PG_USER} LOGIN PASSWORD '{PG_PASSWORD}'")
    except BaseException:
        server.stop()
        raise
    return server


# ---------------------------------------------------------------- Redis

@dataclass
class RedisServer:
    proc: subprocess.Popen
    port: int
    root: Path

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


def start_redis(root: Path) -> RedisServer:
    binary = shutil.which("redis-server")
    if binary is None:
        raise Unavailable("redis-server is not installed: scripts/system-deps.sh installs the `redis-server` package")
    try:
        import redis
    except ImportError:
        raise Unavailable("the redis client package is not installed (pip install -e .)")
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
    raise StartFailed(last)
