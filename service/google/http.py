"""Bounded retries for Google APIs, shared by gspread and google-api-python-client.

gspread's own `BackOffHTTPClient` ignores `Retry-After` and never stops on a
persistent 429; googleapiclient's `execute()` retries nothing unless asked.  Both
go through `Retrier` here instead:

* retried: 429, 408, every 5xx, Drive's 403 `rateLimitExceeded` /
  `userRateLimitExceeded` (Drive reports rate limits as 403), connection failures
  and connect timeouts; read timeouts only for idempotent requests;
* never retried: any other 4xx (a 403 for a sheet not shared with us stays a 403);
* the loop itself (back-off, `Retry-After`, bounds) is `service.retry.Retrier`.

The clock, `sleep` and `random` are injectable so that tests run in no time.
"""
from __future__ import annotations

import functools
import json
import logging
import random as _random
import time
from typing import Any, Callable, Mapping
from urllib.parse import urlsplit

import requests
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient

from service.google.ratelimit import NO_LIMIT, Rate, RateLimiter
from service.retry import NO_RETRY, Decision, Retrier, RetryPolicy, retry_after_seconds

__all__ = ["Decision", "NO_RETRY", "Retrier", "RetryPolicy", "retry_after_seconds", "execute", "status_decision",
           "error_reasons", "http_error_info", "RetryingHTTPClient", "sheets_rates"]
log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({408, 429})
RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


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
