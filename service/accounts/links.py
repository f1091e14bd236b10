"""One-time links: an invitation (set your first password) or a password reset.

The link carries `<id>.<secret>` signed with the service's secret key (itsdangerous,
salted per purpose, with its creation time): a forged or altered link fails the
signature before the database is asked.  The row keeps the secret's hash, the expiry
and the moment it was used; using it is one conditional UPDATE, so two clicks cannot
both succeed."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update

from service.accounts.models import Account, OneTimeLink
from service.db import as_utc, utcnow

PURPOSES = ("invite", "reset")


class LinkError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


INVALID = LinkError("link.invalid", "Ссылка неверна или повреждена. Попросите прислать новую.")
EXPIRED = LinkError("link.expired", "Срок действия ссылки истёк. Попросите прислать новую.")
USED = LinkError("link.used", "Ссылка уже была использована. Если это были не вы, восстановите пароль.")


def _serializer(secret_key: str, purpose: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=f"mo-docs.link.{purpose}")


def make(sf, secret_key: str, account_id: int, purpose: str, ttl: dt.timedelta, created_by: str = "") -> str:
    """A new link token for `account_id`.  A new invitation replaces the earlier ones (whoever
    invites again means the new one); a new reset does not: anyone may ask for a reset of
    any address, and must not be able to kill the link the owner is about to click.  Using a
    reset link ends the others (`consume`)."""
    if purpose not in PURPOSES:
        raise ValueError(purpose)
    link_id, secret = secrets.token_hex(16), secrets.token_urlsafe(24)
    now = utcnow()
    with sf() as s, s.begin():
        if purpose == "invite":
            s.execute(update(OneTimeLink).where(OneTimeLink.account_id == account_id, OneTimeLink.purpose == purpose,
                                                OneTimeLink.used_at.is_(None)).values(expires_at=now))
        s.add(OneTimeLink(id=link_id, account_id=account_id, purpose=purpose, created_at=now,
                          secret_hash=hashlib.sha256(secret.encode()).hexdigest(), expires_at=now + ttl,
                          created_by=created_by[:200]))
    return _serializer(secret_key, purpose).dumps([link_id, secret])


def _row(sf, secret_key: str, token, purpose: str, now: dt.datetime):
    if not isinstance(token, str) or len(token) > 500:
        raise INVALID
    try:
        link_id, secret = _serializer(secret_key, purpose).loads(token)
    except (BadSignature, ValueError, TypeError):
        raise INVALID
    with sf() as s:
        row = s.get(OneTimeLink, str(link_id))
        if row is None or row.purpose != purpose or not hmac.compare_digest(
                row.secret_hash, hashlib.sha256(str(secret).encode()).hexdigest()):
            raise INVALID
        account = s.get(Account, row.account_id)
        if account is None or not account.active:
            raise INVALID
        if row.used_at is not None:
            raise USED
        if as_utc(row.expires_at) <= now:
            raise EXPIRED
        return row, account


def peek(sf, secret_key: str, token, purpose: str, now: dt.datetime | None = None) -> Account:
    """The account a valid, unused link is for (showing the form uses nothing up)."""
    return _row(sf, secret_key, token, purpose, now or utcnow())[1]


def consume(sf, secret_key: str, token, purpose: str, now: dt.datetime | None = None) -> Account:
    """Use the link up: the account, or LinkError (invalid, expired, used)."""
    now = now or utcnow()
    row, account = _row(sf, secret_key, token, purpose, now)
    with sf() as s, s.begin():
        done = s.execute(update(OneTimeLink).where(OneTimeLink.id == row.id, OneTimeLink.used_at.is_(None))
                         .values(used_at=now)).rowcount
        if done == 1:                              # the other unused links of this purpose end with it
            s.execute(update(OneTimeLink).where(OneTimeLink.account_id == row.account_id,
                                                OneTimeLink.purpose == purpose, OneTimeLink.used_at.is_(None),
                                                OneTimeLink.expires_at > now).values(expires_at=now))
    if done != 1:
        raise USED
    return account


def recent(sf, account_id: int, purpose: str, within: dt.timedelta, now: dt.datetime | None = None) -> bool:
    """Whether an unused, unexpired link of `purpose` was made for the account in the last `within`."""
    now = now or utcnow()
    with sf() as s:
        return s.scalars(select(OneTimeLink.id).where(
            OneTimeLink.account_id == account_id, OneTimeLink.purpose == purpose, OneTimeLink.used_at.is_(None),
            OneTimeLink.expires_at > now, OneTimeLink.created_at > now - within).limit(1)).first() is not None
