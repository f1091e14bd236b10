"""Bounded, jittered retries that honour `Retry-After`: one loop for every remote
service the project talks to (Google's APIs, WebDAV servers, Yandex Disk).

* the wait is a jittered exponential back-off (half fixed, half random), at least
  the server's `Retry-After` (seconds or an HTTP date);
* bounded by a number of attempts and a total time: a `Retry-After` that would
  overrun the budget ends the retries at once instead of sleeping in vain;
* which errors may be retried is the caller's `decide(exc) -> Decision`.

The clock, `sleep` and `random` are injectable so that tests run in no time.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import logging
import random as _random
import time
from dataclasses import dataclass
from typing import Callable, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6              # attempts in all, the first one included
    base_delay: float = 1.0            # seconds before the first retry (before jitter)
    max_delay: float = 32.0            # the back-off never grows beyond this
    max_total: float = 90.0            # seconds from the first attempt; no retry starts past it

    def backoff(self, retry: int, rnd: Callable[[], float]) -> float:
        """Wait before retry number `retry` (1, 2, ...): half of the exponential delay
        fixed, half random, so that workers told to wait at once do not return at once."""
        delay = min(self.max_delay, self.base_delay * (2 ** (retry - 1)))
        return delay / 2 + (delay / 2) * rnd()


@dataclass(frozen=True)
class Decision:
    """Whether an error may be retried, and the server's `Retry-After` if it sent one."""

    retry: bool
    retry_after: float | None = None


NO_RETRY = Decision(False)


def retry_after_seconds(value: str | None, now: dt.datetime | None = None) -> float | None:
    """`Retry-After` as seconds: either delta-seconds («30») or an HTTP date
    («Wed, 21 Oct 2015 07:28:00 GMT»).  None when absent or unreadable."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    now = now or dt.datetime.now(dt.timezone.utc)
    return max(0.0, (when - now).total_seconds())


class Retrier:
    """The retry loop: `call(fn, decide)` runs `fn` until it returns, `decide` says an
    error is final, or the attempts or the time budget are used up.  The error that
    ends the loop is re-raised as it was, with `retry_attempts` set on it."""

    def __init__(self, policy: RetryPolicy | None = None, *, sleep: Callable[[float], None] = time.sleep,
                 random: Callable[[], float] = _random.random, clock: Callable[[], float] = time.monotonic):
        self.policy = policy or RetryPolicy()
        self.sleep = sleep
        self.random = random
        self.clock = clock

    def call(self, fn: Callable[[], T], decide: Callable[[BaseException], Decision], what: str = "") -> T:
        policy = self.policy
        start = self.clock()
        waited = 0.0
        attempt = 0
        while True:
            attempt += 1
            try:
                return fn()
            except Exception as exc:  # noqa: BLE001 - `decide` says which are final
                decision = decide(exc)
                if not decision.retry or attempt >= policy.max_attempts:
                    _mark(exc, attempt)
                    raise
                wait = policy.backoff(attempt, self.random)
                if decision.retry_after is not None:
                    # honour the server, plus a little jitter so workers do not return together
                    wait = max(wait, decision.retry_after + policy.base_delay * self.random())
                elapsed = max(self.clock() - start, waited)
                if elapsed + wait > policy.max_total:
                    _mark(exc, attempt)
                    raise
                log.info("%s failed (%s), retry %d in %.1f s", what or "request", _short(exc), attempt, wait)
                self.sleep(wait)
                waited += wait


def _mark(exc: BaseException, attempts: int) -> None:
    try:
        exc.retry_attempts = attempts          # type: ignore[attr-defined]
    except AttributeError:                      # pragma: no cover - exceptions with __slots__
        pass


def _short(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {str(exc)[:120]}"
