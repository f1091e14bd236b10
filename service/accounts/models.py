"""Tables of accounts and everything that hangs on one: scope (territories, associations),
sign-in sessions, one-time links, API tokens, failed sign-ins.  Deleting an account
deletes its sessions, links, tokens and scope with it (ON DELETE CASCADE)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.accounts.roles import GRANT_ROLES, RANK, ROLE_TITLES, ROLES  # noqa: F401  (kept importable from here)
from service.db import Base, utcnow

EMAIL_MAX = 254                       # RFC 5321: the longest address a mail server will take


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(EMAIL_MAX), unique=True)       # normalised (emails.normalise)
    name: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str | None] = mapped_column(String(300), nullable=True)   # None: invited, no password yet
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # the weekly digest by e-mail (service/desk/digests.py); the person can turn it off
    digest: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")


class AccountTerritory(Base):
    """A curator sees every association of these territories (as «Сведения» names them)."""

    __tablename__ = "account_territories"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    territory: Mapped[str] = mapped_column(String(300), primary_key=True)


class AccountAssociation(Base):
    """An association in an account's scope (`granted`), or offered by the workbook's
    «Состав» and waiting for a curator or admin to confirm it (`offered`).  `role` is what
    the account may do on this association (GRANT_ROLES), never more than its own role:
    a head elsewhere invited here as a member is a member here."""

    __tablename__ = "account_associations"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("associations.id", ondelete="CASCADE"), primary_key=True)
    state: Mapped[str] = mapped_column(String(10), default="granted")      # granted | offered
    role: Mapped[str] = mapped_column(String(20), default="head", server_default="head")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LoginSession(Base):
    """A signed-in browser.  The cookie carries a random id; only its hash is stored, so a
    copy of the database signs nobody in.  Signing out deletes the row: a copied cookie
    stops working at once."""

    __tablename__ = "login_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    address: Mapped[str] = mapped_column(String(64), default="")
    via: Mapped[str] = mapped_column(String(20), default="password")        # password | google | link


class OneTimeLink(Base):
    """An invitation or a password reset: usable once, until it expires."""

    __tablename__ = "one_time_links"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))                        # invite | reset
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_by: Mapped[str] = mapped_column(String(200), default="")


class ApiToken(Base):
    """A personal API token: shown once, stored as its SHA-256 (a token is 256 random
    bits, so a fast hash is enough), revocable."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    prefix: Mapped[str] = mapped_column(String(16))                          # shown in lists: «mod_AbCd…»
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class LoginFailure(Base):
    """Failed sign-ins counted per account («account:<e-mail>») and per address
    («address:<ip>»), and requests for a reset letter («reset-account:…», «reset-address:…»),
    shared by every web worker through the database."""

    __tablename__ = "login_failures"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
