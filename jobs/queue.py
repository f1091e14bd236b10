"""The huey instance, built from settings: SQLite by default, Redis by URL, in-memory
(immediate) for tests.

A job's outcome lives in the workspace's jobs table, so the real queues keep no task
results: huey would store every task's return value and nobody would ever read it (the
queue's database grew by a row per job, and each job paid one more write)."""
from __future__ import annotations

from urllib.parse import urlparse

from huey import MemoryHuey, RedisHuey, SqliteHuey


def create_huey(url: str, name: str = "mo-docs"):
    parsed = urlparse(url)
    if parsed.scheme == "memory":
        return MemoryHuey(name, immediate=True)
    if parsed.scheme == "sqlite":
        path = url[len("sqlite:///"):]
        return SqliteHuey(name, filename=path, results=False)          # WAL journal, no server needed
    if parsed.scheme in ("redis", "rediss"):
        return RedisHuey(name, url=url, blocking=True, read_timeout=1, results=False)   # BRPOP: wakes with the job
    raise ValueError(f"MO_DOCS_QUEUE_URL: неизвестная схема очереди {parsed.scheme!r} (sqlite:///…, redis://…, memory://)")
