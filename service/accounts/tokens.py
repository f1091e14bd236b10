"""Personal API tokens for scripts: `Authorization: Bearer mod_…`.  Shown once when
created, stored as SHA-256, revocable; a token of a deactivated or deleted account
stops working with it."""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select

from service.accounts.models import Account, ApiToken
from service.accounts.principal import Principal, principal_in
from service.accounts.sessions import SEEN_RESOLUTION, secret_hash
from service.db import as_utc, utcnow

PREFIX = "mod_"


@dataclass(frozen=True)
class Created:
    id: int
    token: str            # the only time it exists in clear


def create(sf, account_id: int, name: str = "") -> Created:
    token = PREFIX + secrets.token_urlsafe(32)
    with sf() as s, s.begin():
        row = ApiToken(account_id=account_id, name=(name or "").strip()[:100], prefix=token[:10],
                       token_hash=secret_hash(token))
        s.add(row)
        s.flush()
        return Created(row.id, token)


def principal_for_token(sf, token) -> Principal | None:
    if not isinstance(token, str) or not token.startswith(PREFIX) or len(token) > 200:
        return None
    with sf() as s, s.begin():
        row = s.scalars(select(ApiToken).where(ApiToken.token_hash == secret_hash(token))).first()
        if row is None or row.revoked_at is not None:
            return None
        now = utcnow()
        last = row.last_used_at
        if last is None or now - as_utc(last) > SEEN_RESOLUTION:
            row.last_used_at = now                 # written at most once a minute per token
        return principal_in(s, row.account_id)


def listing(sf, account_id: int | None = None) -> list[tuple[ApiToken, str]]:
    """(token, owner's e-mail), newest first."""
    with sf() as s:
        q = select(ApiToken, Account.email).join(Account, Account.id == ApiToken.account_id) \
            .order_by(ApiToken.id.desc())
        if account_id is not None:
            q = q.where(ApiToken.account_id == account_id)
        return [(t, e) for t, e in s.execute(q)]


def revoke(sf, token_id: int) -> bool:
    with sf() as s, s.begin():
        row = s.get(ApiToken, token_id)
        if row is None or row.revoked_at is not None:
            return False
        row.revoked_at = utcnow()
        return True
