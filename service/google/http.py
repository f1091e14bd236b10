"""Bounded retries for Google APIs, shared by gspread and google-api-python-client.

gspread's own `BackOffHTTPClient` ignores `Retry-After` and never stops on a
persistent 429; googleapiclient's `execute()` retries nothing unless asked.  Both
go through `Retrier` here instead:

* retried: 429, 408, every 5xx, Drive's 403 `rateLimitExceeded` /
  `userRateLimitExceeded` (Drive reports rate limits as 403), connection failures
  and connect timeouts; read timeouts only for idempotent requests;
* never retried: any other 4xx (a 403 for a sheet not shared with us stays a 403);
* the wait is a jittered exponential back-off (half fixed, half random), at least
  the server's `Retry-After` (seconds or an HTTP date);
* bounded by a maximum number of attempts and a total time: a `Retry-After` that
  would overrun the budget ends the retries at once instead of sleeping in vain.

The clock, `sleep` and `random` are injectable so that tests run in no time.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import functools
import json
import logging
import random as _random
import time
from dataclasses import dataclass
from typing import Any, Callable, Mapping, TypeVar
from urllib.parse import urlsplit

import requests
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient

from service.google.ratelimit import NO_LIMIT, Rate, RateLimiter

log = logging.getLogger(__name__)
T = TypeVar("T")

RETRY_STATUSES = frozenset({408, 429})
RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


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


def error_reasons(body: Any) -> set[str]:
    """Reasons of a Google JSON error body (`error.errors[].reason`, Drive style, and
    `error.details[].reason`, the newer style), as a set of strings."""
    if isinstance(body, (bytes, bytearray)):
        body = body.decode("utf-8", "replace")
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except ValueError:
            return set()
    if not isinstance(body, Mapping):
        return set()
    error = body.get("error")
    if not isinstance(error, Mapping):
        return set()
    reasons = set()
    for item in list(error.get("errors") or []) + list(error.get("details") or []):
        if isinstance(item, Mapping) and item.get("reason"):
            reasons.add(str(item["reason"]))
    return reasons


def status_decision(status: int, reasons: set[str], retry_after: str | None) -> Decision:
    if status in RETRY_STATUSES or status >= 500 or (status == 403 and reasons & RATE_LIMIT_REASONS):
        return Decision(True, retry_after_seconds(retry_after))
    return NO_RETRY


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
                log.info("google: %s failed (%s), retry %d in %.1f s", what or "request", _short(exc), attempt, wait)
                self.sleep(wait)
                waited += wait


def _mark(exc: BaseException, attempts: int) -> None:
    try:
        exc.retry_attempts = attempts          # type: ignore[attr-defined]
    except AttributeError:                      # pragma: no cover - exceptions with __slots__
        pass


def _short(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {str(exc)[:120]}"


# ---------------------------------------------------------------- gspread

def sheets_rates(user: str, *, per_user: int = 60, per_project: int = 300, period: float = 60.0,
                 headroom: float = 0.95, kind: str = "read") -> dict[str, Rate]:
    """The two Sheets quotas one request counts against: per user (the service
    account or the delegated subject) and per project.  `headroom` keeps a margin for
    requests that reach Google later than they left here."""
    return {
        f"sheets:{kind}:user:{user}": Rate(max(1, int(per_user * headroom)), period),
        f"sheets:{kind}:project": Rate(max(1, int(per_project * headroom)), period),
    }


class RetryingHTTPClient(HTTPClient):
    """A gspread HTTP client with bounded, jittered retries honouring `Retry-After`
    and a shared rate limiter for Sheets requests.

    gspread builds its client as `http_client(auth, session)`; pass the class made by
    `RetryingHTTPClient.configured(...)` (or the class itself for the defaults):

        gspread.Client(auth=creds, http_client=RetryingHTTPClient.configured(limiter=lim, user=email))
    """

    default_timeout: tuple[float, float] = (10.0, 60.0)   # connect, read: gspread's default is «forever»

    def __init__(self, auth, session=None, *, policy: RetryPolicy | None = None,
                 sleep: Callable[[float], None] = time.sleep, random: Callable[[], float] = _random.random,
                 clock: Callable[[], float] = time.monotonic, limiter: RateLimiter | None = None,
                 user: str = "default", per_user: int = 60, per_project: int = 300,
                 limiter_timeout: float = 60.0) -> None:
        super().__init__(auth, session)
        self.timeout = self.default_timeout
        self.retrier = Retrier(policy, sleep=sleep, random=random, clock=clock)
        self.limiter = limiter or NO_LIMIT
        self.user = user
        self.per_user = per_user
        self.per_project = per_project
        self.limiter_timeout = limiter_timeout

    @classmethod
    def configured(cls, **options: Any):
        """A factory with the options bound, to pass as gspread's `http_client=`."""
        return functools.partial(cls, **options)

    def rates_for(self, method: str, endpoint: str) -> dict[str, Rate]:
        host = urlsplit(endpoint).hostname or ""
        if not host.startswith("sheets."):
            return {}
        kind = "read" if method.upper() in ("GET", "HEAD") else "write"
        return sheets_rates(self.user, per_user=self.per_user, per_project=self.per_project, kind=kind)

    def request(self, method: str, endpoint: str, params=None, data=None, json=None, files=None,
                headers=None) -> requests.Response:
        rates = self.rates_for(method, endpoint)
        parent = super().request

        def attempt() -> requests.Response:
            if rates:
                self.limiter.acquire(rates, timeout=self.limiter_timeout, sleep=self.retrier.sleep)
            return parent(method, endpoint, params=params, data=data, json=json, files=files, headers=headers)

        idempotent = method.upper() in IDEMPOTENT_METHODS
        return self.retrier.call(attempt, lambda exc: _requests_decision(exc, idempotent),
                                 what=f"{method.upper()} {urlsplit(endpoint).path}")


def _requests_decision(exc: BaseException, idempotent: bool) -> Decision:
    if isinstance(exc, APIError):
        response = exc.response
        try:
            body = response.json()
        except ValueError:
            body = None
        return status_decision(response.status_code, error_reasons(body), response.headers.get("Retry-After"))
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return Decision(True)                       # nothing was sent: always safe
    if isinstance(exc, (requests.exceptions.ReadTimeout, requests.exceptions.ConnectionError)):
        return Decision(idempotent)                 # may have been received: only if repeating is harmless
    return NO_RETRY


# ---------------------------------------------------------------- googleapiclient

def execute(request, *, policy: RetryPolicy | None = None, sleep: Callable[[float], None] = time.sleep,
            random: Callable[[], float] = _random.random, clock: Callable[[], float] = time.monotonic,
            limiter: RateLimiter | None = None, rates: Mapping[str, Rate] | None = None,
            idempotent: bool | None = None, limiter_timeout: float = 60.0, retrier: Retrier | None = None):
    """`request.execute()` for a googleapiclient HttpRequest, with the same policy.

    `idempotent` says whether a timeout may be retried (the request may have arrived);
    by default every method but POST is.  A POST whose effect cannot repeat (a create
    with a generated file id) may pass `idempotent=True`."""
    retrier = retrier or Retrier(policy, sleep=sleep, random=random, clock=clock)
    limiter = limiter or NO_LIMIT
    if idempotent is None:
        idempotent = str(getattr(request, "method", "GET")).upper() != "POST"

    def attempt():
        if rates:
            limiter.acquire(rates, timeout=limiter_timeout, sleep=retrier.sleep)
        return request.execute(num_retries=0)

    what = f"{getattr(request, 'method', '')} {urlsplit(getattr(request, 'uri', '') or '').path}"
    return retrier.call(attempt, lambda exc: _api_decision(exc, idempotent), what=what)


def _api_decision(exc: BaseException, idempotent: bool) -> Decision:
    from googleapiclient.errors import HttpError

    if isinstance(exc, HttpError):
        status = int(getattr(exc.resp, "status", 0) or 0)
        retry_after = exc.resp.get("retry-after") if hasattr(exc.resp, "get") else None
        return status_decision(status, error_reasons(exc.content), retry_after)
    if isinstance(exc, ConnectionRefusedError):
        return Decision(True)                       # refused: nothing was received
    if isinstance(exc, (TimeoutError, ConnectionError)):
        return Decision(idempotent)
    return NO_RETRY


def http_error_info(exc: BaseException) -> tuple[int, set[str]]:
    """(status, reasons) of a googleapiclient HttpError or a gspread APIError; (0, ∅) otherwise."""
    from googleapiclient.errors import HttpError

    if isinstance(exc, HttpError):
        return int(getattr(exc.resp, "status", 0) or 0), error_reasons(exc.content)
    if isinstance(exc, APIError):
        try:
            body = exc.response.json()
        except ValueError:
            body = None
        return exc.response.status_code, error_reasons(body)
    return 0, set()
