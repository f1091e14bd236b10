"""A rate limiter shared by every worker, keeping the service under Google's quotas.

Sheets allows 60 read requests per minute per user and 300 per project.  Each
request takes one slot from every bucket it counts against (`sheets_rates()` in
`http.py` names them) — all at once or none — and waits when a bucket is full.

Buckets are sliding windows: at most `limit` requests in any `period` seconds,
which is never looser than Google's per-minute counting.  Three implementations:

* `MemoryRateLimiter` — one process (threads share it), clock injectable;
* `FileRateLimiter` — every process of one machine (the default: `mo-docs run`
  starts several), the windows in a small file under an exclusive lock;
* `RedisRateLimiter` — every process on every machine, one sorted set per bucket
  updated in a MULTI/EXEC transaction (no Lua), time taken from the Redis server
  so that machines with different clocks agree.  The `redis` package is only needed
  to make the client (`RedisRateLimiter.from_url`); the class itself takes any
  client with redis-py's pipeline interface.
"""
from __future__ import annotations

import fcntl
import json
import os
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass
from typing import Callable, Mapping, Protocol


@dataclass(frozen=True)
class Rate:
    limit: int                 # requests ...
    period: float = 60.0       # ... per this many seconds


class RateLimitTimeout(Exception):
    """The quota would not free up within the caller's timeout."""

    def __init__(self, wait: float, keys: list[str]):
        super().__init__(f"rate limit: {', '.join(keys)} would need {wait:.1f} s more")
        self.wait = wait
        self.keys = keys


class RateLimiter(Protocol):
    def reserve(self, rates: Mapping[str, Rate]) -> float:
        """Take one slot in every bucket, or none: 0.0 when taken, else the seconds
        after which trying again may succeed."""
        ...

    def acquire(self, rates: Mapping[str, Rate], *, timeout: float = 60.0,
                sleep: Callable[[float], None] = time.sleep) -> float:
        """Wait until a slot is taken in every bucket; returns the seconds waited.
        Raises RateLimitTimeout when that would take longer than `timeout`."""
        ...


class _Acquiring:
    """`acquire` on top of `reserve`."""

    def reserve(self, rates: Mapping[str, Rate]) -> float:  # pragma: no cover - abstract
        raise NotImplementedError

    def acquire(self, rates: Mapping[str, Rate], *, timeout: float = 60.0,
                sleep: Callable[[float], None] = time.sleep) -> float:
        if not rates:
            return 0.0
        waited = 0.0
        while True:
            wait = self.reserve(rates)
            if wait <= 0:
                return waited
            if waited + wait > timeout:
                raise RateLimitTimeout(wait, sorted(rates))
            sleep(wait)
            waited += wait


class NullRateLimiter(_Acquiring):
    """No limit (tests, or a deployment that relies on retries alone)."""

    def reserve(self, rates: Mapping[str, Rate]) -> float:
        return 0.0


NO_LIMIT = NullRateLimiter()


class MemoryRateLimiter(_Acquiring):
    """Sliding-window log per bucket, guarded by one lock (threads of one process)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self._lock = threading.Lock()
        self._log: dict[str, deque[float]] = {}

    def reserve(self, rates: Mapping[str, Rate]) -> float:
        with self._lock:
            now = self.clock()
            wait = 0.0
            for key, rate in rates.items():
                log = self._log.setdefault(key, deque())
                while log and log[0] <= now - rate.period:
                    log.popleft()
                if len(log) >= rate.limit:
                    # the slot frees when the entry that keeps the window full leaves it
                    # (never 0: in floating point t + period - now may round to it)
                    wait = max(wait, log[len(log) - rate.limit] + rate.period - now, 1e-6)
            if wait > 0:
                return wait
            for key in rates:
                self._log[key].append(now)
            return 0.0

    def count(self, key: str, period: float = 60.0) -> int:
        """Requests in the bucket's current window (for tests and monitoring)."""
        with self._lock:
            now = self.clock()
            return sum(1 for t in self._log.get(key, ()) if t > now - period)


class FileRateLimiter(_Acquiring):
    """Sliding-window logs of every bucket in one JSON file, read and rewritten under an
    exclusive `flock`: the processes of one machine share the quota (three processes
    of `mo-docs run` each limiting itself would make three times the quota).  Times are
    the wall clock, which all processes of a machine share."""

    def __init__(self, path, clock: Callable[[], float] = time.time):
        self.path = os.fspath(path)
        self.clock = clock
        self._lock = threading.Lock()          # flock is per open file, threads take turns first
        os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)

    def reserve(self, rates: Mapping[str, Rate]) -> float:
        with self._lock, open(self.path, "a+", encoding="utf-8") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                fh.seek(0)
                try:
                    logs = json.loads(fh.read() or "{}")
                except ValueError:
                    logs = {}                  # a torn file (power loss): start the windows anew
                now = self.clock()
                wait = 0.0
                for key, rate in rates.items():
                    log = [t for t in logs.get(key, []) if t > now - rate.period]
                    logs[key] = log
                    if len(log) >= rate.limit:
                        wait = max(wait, log[len(log) - rate.limit] + rate.period - now, 1e-6)
                if wait <= 0:
                    for key in rates:
                        logs[key].append(now)
                fh.seek(0)
                fh.truncate()
                fh.write(json.dumps(logs))
                fh.flush()
                return wait
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)


class RedisRateLimiter(_Acquiring):
    """Sliding window in a Redis sorted set per bucket (member = unique id, score =
    time).  One transaction trims the window, adds this request and counts; when a
    bucket is over its limit a second call removes the request again from every
    bucket (so a refused attempt costs nobody a slot for long)."""

    def __init__(self, client, *, prefix: str = "mo-docs:rate:", clock: Callable[[], float] | None = None):
        self.client = client
        self.prefix = prefix
        self.clock = clock

    @classmethod
    def from_url(cls, url: str, **options) -> "RedisRateLimiter":
        import redis  # optional: only deployments with several machines need it

        return cls(redis.Redis.from_url(url), **options)

    def _now(self) -> float:
        if self.clock is not None:
            return self.clock()
        seconds, micros = self.client.time()
        return float(seconds) + float(micros) / 1_000_000

    def reserve(self, rates: Mapping[str, Rate]) -> float:
        now = self._now()
        member = f"{now:.6f}:{uuid.uuid4().hex}"
        items = list(rates.items())
        pipe = self.client.pipeline(transaction=True)
        for key, rate in items:
            k = self.prefix + key
            pipe.zremrangebyscore(k, "-inf", now - rate.period)
            pipe.zadd(k, {member: now})
            pipe.zcard(k)
            pipe.zrange(k, 0, 0, withscores=True)
            pipe.pexpire(k, int(rate.period * 1000) + 1000)
        results = pipe.execute()
        wait = 0.0
        for i, (key, rate) in enumerate(items):
            card, oldest = results[i * 5 + 2], results[i * 5 + 3]
            if card > rate.limit:
                first = float(oldest[0][1]) if oldest else now
                wait = max(wait, first + rate.period - now, 0.001)
        if wait > 0:
            undo = self.client.pipeline(transaction=True)
            for key, _ in items:
                undo.zrem(self.prefix + key, member)
            undo.execute()
        return wait
