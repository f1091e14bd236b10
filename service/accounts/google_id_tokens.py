"""Google ID tokens: how the Sheets add-on says who is asking.

`ScriptApp.getIdentityToken()` gives the add-on a token Google signed (RS256) for the
person using it, with `aud` = the add-on's OAuth client id.  It proves the person's
address only when every check passes, and each one matters:

- the signature, against the certificates Google publishes (`certs_url`);
- `alg` RS256 — a token may not pick a weaker scheme for itself;
- `aud` equal to our add-on's client id: without it any Google app's token would do;
- `iss` Google's (google-auth's `verify_token` does not check it);
- not expired, nor issued in the future, with a small clock skew;
- `email_verified` true (not checked for you either);
- `hd` in the allowed Workspace domains, when the service is limited to some.

google-auth checks the signature, the times and the audience; the rest is here.  The
certificates are fetched once and kept as long as their Cache-Control allows (Google
rotates them about daily), so a request costs no fetch; a token signed by a key not
yet in the cache makes one early fetch (rate-limited), as after a rotation.
"""
from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass
from typing import Callable, Iterable

DEFAULT_CERTS_URL = "https://www.googleapis.com/oauth2/v1/certs"
GOOGLE_ISSUERS = ("accounts.google.com", "https://accounts.google.com")
CLOCK_SKEW_SECONDS = 60
MAX_TOKEN_CHARS = 8192                 # Google's ID tokens are about 1 KB
CACHE_DEFAULT_SECONDS = 3600
CACHE_MAX_SECONDS = 24 * 3600
REFETCH_AFTER_SECONDS = 60             # an unknown key id fetches again at most this often

INVALID = "auth.invalid_token"
EXPIRED = "auth.token_expired"
UNVERIFIED = "auth.email_unverified"
DOMAIN = "auth.domain_not_allowed"
UNAVAILABLE = "auth.certs_unavailable"


class IdTokenError(Exception):
    """The token does not prove who is asking.  `code` for programs, `message` in Russian;
    `status` 401, or 503 when Google's certificates could not be fetched (it may pass)."""

    def __init__(self, code: str, message: str, status: int = 401):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


@dataclass(frozen=True)
class GoogleIdentity:
    email: str                     # as Google spells it; the caller normalises
    subject: str                   # Google's stable id of the person
    hosted_domain: str | None      # the Workspace domain, None for a consumer account


class CachedCerts:
    """A google.auth transport `Request` for one thing: the certificates document,
    answered from memory while fresh.  Thread-safe."""

    def __init__(self, fetch: Callable[..., object], clock: Callable[[], float] = time.monotonic):
        self._fetch = fetch                # a google.auth.transport Request
        self._clock = clock
        self._lock = threading.Lock()
        self._cached: tuple[str, object, float, float] | None = None   # url, response, fetched at, fresh until

    def __call__(self, url, method="GET", body=None, headers=None, timeout=None, **kwargs):
        with self._lock:
            now = self._clock()
            if self._cached and self._cached[0] == url and now < self._cached[3]:
                return self._cached[1]
            response = self._fetch(url, method=method, body=body, headers=headers, timeout=timeout, **kwargs)
            if getattr(response, "status", None) == 200:
                self._cached = (url, response, now, now + _max_age(getattr(response, "headers", {}) or {}))
            return response

    def refresh_if_older_than(self, seconds: float) -> bool:
        """Forget the cached certificates if fetched more than `seconds` ago (a key we do
        not know yet was probably added since); True when they were forgotten."""
        with self._lock:
            if self._cached and self._clock() - self._cached[2] > seconds:
                self._cached = None
                return True
            return False


def _max_age(headers) -> float:
    control = ""
    for name, value in dict(headers).items():
        if str(name).lower() == "cache-control":
            control = str(value)
    m = re.search(r"max-age=(\d+)", control)
    seconds = int(m.group(1)) if m else CACHE_DEFAULT_SECONDS
    return float(min(max(seconds, 0), CACHE_MAX_SECONDS))


class GoogleIdTokenVerifier:
    """verify(token) -> GoogleIdentity, or IdTokenError."""

    def __init__(self, audience: str, *, certs_url: str = DEFAULT_CERTS_URL, hosted_domains: Iterable[str] = (),
                 clock_skew: int = CLOCK_SKEW_SECONDS, timeout: float = 10.0, transport=None):
        if not audience:
            raise ValueError("the add-on's OAuth client id (audience) is required")
        if transport is None:
            import requests
            from google.auth.transport.requests import Request

            session = requests.Session()
            session.trust_env = True
            transport = Request(session)
        self.audience = audience
        self.certs_url = certs_url or DEFAULT_CERTS_URL
        self.hosted_domains = frozenset(d.strip().lower() for d in hosted_domains if d and d.strip())
        self.clock_skew = int(clock_skew)
        self.timeout = timeout
        self.certs = CachedCerts(lambda url, **kw: transport(url, **{**kw, "timeout": kw.get("timeout") or timeout}))

    def verify(self, token: str) -> GoogleIdentity:
        claims = self._verified_claims(token)
        if claims.get("iss") not in GOOGLE_ISSUERS:
            raise IdTokenError(INVALID, "Подтверждение входа выдано не Google.")
        email = claims.get("email")
        if not isinstance(email, str) or not email:
            raise IdTokenError(INVALID, "Google не сообщил адрес электронной почты: надстройке нужно разрешение "
                                        "«видеть ваш адрес электронной почты».")
        if claims.get("email_verified") is not True:
            raise IdTokenError(UNVERIFIED, f"Адрес {email} не подтверждён в Google: подтвердите его в аккаунте Google "
                                           "и откройте надстройку заново.")
        domain = claims.get("hd")
        domain = domain.lower() if isinstance(domain, str) and domain else None
        if self.hosted_domains and domain not in self.hosted_domains:
            allowed = ", ".join(sorted(self.hosted_domains))
            raise IdTokenError(DOMAIN, f"Надстройкой можно пользоваться только из аккаунтов Google Workspace домена "
                                       f"{allowed}; вы вошли как {email}.")
        return GoogleIdentity(email=email, subject=str(claims.get("sub") or ""), hosted_domain=domain)

    def _verified_claims(self, token: str) -> dict:
        from google.auth import exceptions, jwt
        from google.oauth2 import id_token

        if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_CHARS or token.count(".") != 2:
            raise IdTokenError(INVALID, "Подтверждение входа Google не распознано.")
        try:
            header = jwt.decode_header(token)
        except (exceptions.GoogleAuthError, ValueError, TypeError, UnicodeError):
            raise IdTokenError(INVALID, "Подтверждение входа Google не распознано.")
        if not isinstance(header, dict) or header.get("alg") != "RS256":
            raise IdTokenError(INVALID, "Подтверждение входа подписано не так, как подписывает Google (нужен RS256).")
        for attempt in (1, 2):
            try:
                claims = id_token.verify_token(token, self.certs, audience=self.audience, certs_url=self.certs_url,
                                               clock_skew_in_seconds=self.clock_skew)
                break
            except (exceptions.TransportError, json.JSONDecodeError, ImportError):
                # unreachable, or not Google's format ({key id: PEM}): it is ours to fix, not the person's
                self.certs.refresh_if_older_than(-1)
                raise IdTokenError(UNAVAILABLE, "Не удалось получить сертификаты Google для проверки входа. "
                                                "Повторите через минуту.", status=503)
            except (exceptions.GoogleAuthError, ValueError, TypeError, KeyError, UnicodeError) as err:
                text = str(err)
                if attempt == 1 and "not found" in text and self.certs.refresh_if_older_than(REFETCH_AFTER_SECONDS):
                    continue                     # a key Google added since our last fetch
                if "expired" in text.lower():
                    raise IdTokenError(EXPIRED, "Подтверждение входа Google устарело: закройте и снова откройте "
                                                "надстройку.")
                if "audience" in text.lower():
                    raise IdTokenError(INVALID, "Подтверждение входа выдано для другого приложения, а не для "
                                                "надстройки «МО-документы».")
                raise IdTokenError(INVALID, "Подтверждение входа Google не прошло проверку.")
        if not isinstance(claims, dict):
            raise IdTokenError(INVALID, "Подтверждение входа Google не распознано.")
        return claims
