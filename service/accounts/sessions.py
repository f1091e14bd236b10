"""Sign-in sessions kept on the server.  The browser's (signed) cookie holds a random
id; the row says whose it is and until when.  A session ends when it expires (absolute
lifetime), when it is idle too long, on sign-out, when the password changes, or when
the account is deactivated or deleted."""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import delete, select

from service.accounts.models import Account, LoginSession
from service.accounts.principal import Principal, principal_in
from service.db import as_utc, utcnow

SEEN_RESOLUTION = dt.timedelta(minutes=1)      # `seen_at` is written at most once a minute per session


def secret_hash(token: str) -> str:
    """What is stored of a secret handed out (a session cookie, an API token): never the
    secret itself."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def open_session(sf, account_id: int, lifetime: dt.timedelta, address: str = "", via: str = "password") -> str:
    token = secrets.token_urlsafe(32)
    now = utcnow()
    with sf() as s, s.begin():
        s.add(LoginSession(id_hash=secret_hash(token), account_id=account_id, created_at=now, seen_at=now,
                           expires_at=now + lifetime, address=(address or "")[:64], via=via))
        s.execute(delete(LoginSession).where(LoginSession.expires_at < now))      # housekeeping
    return token


def principal_for_session(sf, token, idle: dt.timedelta, now: dt.datetime | None = None) -> Principal | None:
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    now = now or utcnow()
    with sf() as s, s.begin():
        row = s.get(LoginSession, secret_hash(token))
        if row is None:
            return None
        if as_utc(row.expires_at) <= now or as_utc(row.seen_at) + idle <= now:
            s.delete(row)
            return None
        if now - as_utc(row.seen_at) >= SEEN_RESOLUTION:
            row.seen_at = now
        return principal_in(s, row.account_id)


def close_session(sf, token) -> None:
    if isinstance(token, str) and token:
        with sf() as s, s.begin():
            s.execute(delete(LoginSession).where(LoginSession.id_hash == secret_hash(token)))


def count(sf, account_id: int) -> int:
    with sf() as s:
        return len(s.scalars(select(LoginSession.id_hash).where(LoginSession.account_id == account_id)).all())


__all__ = ["open_session", "principal_for_session", "close_session", "count", "Account"]
