"""HTTP for remote storages (WebDAV servers, Yandex Disk): one requests Session,
timeouts, and bounded retries of what may pass by itself.

* retried: 429, 502, 503, 504 (honouring `Retry-After`), 423 Locked for a short while
  (servers lock a file for the moment another upload lands), refused connections and
  connect timeouts (nothing was sent); read timeouts only for requests that are safe
  to repeat (GET, PUT, PROPFIND, MKCOL, DELETE — not MOVE or COPY);
* the answer that ends the retries is returned to the caller, which knows what a
  status means for its operation; a connection that never answered becomes
  `filing.unreachable` / `filing.timeout`.

The session, the retry policy, `sleep` and the clock are injectable: tests run in no
time, and a fake storage with added latency and failures can sit behind it.
"""
from __future__ import annotations

import time
from typing import Callable

import requests

from service.filing.failures import failure
from service.retry import NO_RETRY, Decision, Retrier, RetryPolicy, retry_after_seconds

RETRY_STATUSES = frozenset({423, 429, 502, 503, 504})
SAFE_METHODS = frozenset({"GET", "HEAD", "PUT", "PROPFIND", "MKCOL", "DELETE", "OPTIONS"})
DEFAULT_POLICY = RetryPolicy(max_attempts=5, base_delay=0.5, max_delay=8.0, max_total=30.0)


class _Retryable(Exception):
    def __init__(self, response: requests.Response):
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


class RemoteHttp:
    def __init__(self, where: str, *, session: requests.Session | None = None, timeout: float = 60.0,
                 connect_timeout: float = 10.0, policy: RetryPolicy | None = None,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic):
        self.where = where
        self.session = session or requests.Session()
        self.timeout = float(timeout)
        self.connect_timeout = float(connect_timeout)
        self.retrier = Retrier(policy or DEFAULT_POLICY, sleep=sleep, clock=clock)

    def send(self, method: str, url: str, *, headers: dict | None = None, data: bytes | None = None,
             params: dict | None = None, auth: bool = True) -> requests.Response:
        """One request, retried as the module's docstring says.  `auth=False` leaves the
        session's Authorization header out (an upload address that carries its own)."""
        method = method.upper()
        safe = method in SAFE_METHODS
        headers = dict(headers or {})
        if not auth:
            headers["Authorization"] = None          # requests drops a header set to None

        def attempt() -> requests.Response:
            response = self.session.request(method, url, data=data, params=params, headers=headers,
                                            timeout=(self.connect_timeout, self.timeout), allow_redirects=True)
            if response.status_code in RETRY_STATUSES:
                raise _Retryable(response)
            return response

        def decide(exc: BaseException) -> Decision:
            if isinstance(exc, _Retryable):
                return Decision(True, retry_after_seconds(exc.response.headers.get("Retry-After")))
            if isinstance(exc, requests.exceptions.ConnectTimeout):
                return Decision(True)
            if isinstance(exc, requests.exceptions.ReadTimeout):
                return Decision(safe)
            if isinstance(exc, requests.exceptions.ConnectionError):
                return Decision(_refused(exc) or safe)
            return NO_RETRY

        try:
            return self.retrier.call(attempt, decide, what=f"{self.where}: {method}")
        except _Retryable as last:
            return last.response
        except requests.exceptions.ConnectTimeout as exc:
            raise failure("filing.unreachable", self.where) from exc
        except requests.exceptions.ReadTimeout as exc:
            raise failure("filing.timeout", self.where, seconds=self.timeout) from exc
        except requests.exceptions.ConnectionError as exc:
            raise failure("filing.unreachable", self.where) from exc

    def fail(self, response: requests.Response, *, name: str = "", folder: str = "", auth_hint: str = "",
             not_found: bool = False):
        """The FilingError for an answer the operation did not expect."""
        status = response.status_code
        code = {401: "filing.auth", 403: "filing.forbidden", 423: "filing.locked", 413: "filing.too_large",
                507: "filing.no_space", 429: "filing.rate_limited"}.get(status)
        if code is None and (status == 404 or (status == 409 and not_found)):
            code = "filing.not_found"
        if code is None and status >= 500:
            code = "filing.unavailable"
        return failure(code or "filing.error", self.where, name=name, folder=folder, status=status,
                       auth_hint=auth_hint)


def _refused(exc: BaseException) -> bool:
    """A refused connection: the server never saw the request, repeating is safe."""
    while exc is not None:
        if isinstance(exc, ConnectionRefusedError):
            return True
        exc = exc.__cause__ or exc.__context__ or (exc.args[0] if exc.args and isinstance(exc.args[0], BaseException)
                                                    else None)
    return False
