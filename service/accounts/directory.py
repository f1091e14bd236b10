"""Creating and changing accounts: the one place that writes the accounts tables (the
CLI, the admin pages and the demo all call these)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from service.accounts import passwords
from service.accounts.emails import normalise
from service.accounts.models import (
    GRANT_ROLES, RANK, ROLE_TITLES, ROLES, Account, AccountAssociation, AccountTerritory, ApiToken, LoginSession,
    OneTimeLink,
)
from service.db import utcnow
from service.schema.text import key


class AccountError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True)
class AccountView:
    """An account as lists show it."""
    id: int
    email: str
    name: str
    role: str
    active: bool
    has_password: bool
    territories: tuple[str, ...]
    associations: tuple[str, ...]          # slugs, granted
    offered: tuple[str, ...]               # slugs offered by «Состав», not yet confirmed
    last_login_at: dt.datetime | None
    roles: tuple[tuple[str, str], ...] = ()   # (slug, role there) of each granted association


def _role(role: str) -> str:
    if role not in ROLES:
        raise AccountError("account.role_invalid", f"Роль «{role}» неизвестна; допустимы: {', '.join(ROLES)}.")
    return role


def grant_role(account_role: str, wanted: str | None = None) -> str:
    """The role an account gets on one association: `wanted` (or its own), never above its own."""
    own = account_role if account_role in GRANT_ROLES else "curator"
    if wanted is None:
        return own
    if wanted not in GRANT_ROLES:
        raise AccountError("account.role_invalid", f"Роль в объединении «{wanted}» неизвестна; допустимы: "
                                                   + ", ".join(ROLE_TITLES[r] for r in GRANT_ROLES) + ".")
    return wanted if RANK[wanted] <= RANK[account_role] else own


def create(sf, email: str, role: str, name: str = "", territories=(), association_ids=(),
           password: str | None = None) -> Account:
    email = normalise(email)
    _role(role)
    if password is not None:
        passwords.check_policy(password, email)
    with sf() as s, s.begin():
        if s.scalars(select(Account.id).where(Account.email == email)).first() is not None:
            raise AccountError("account.exists", f"Учётная запись {email} уже есть.")
        account = Account(email=email, role=role, name=(name or "").strip()[:300], active=True,
                          password_hash=passwords.hash_password(password) if password else None)
        s.add(account)
        try:
            s.flush()
        except IntegrityError:                    # the same address added at the same moment
            raise AccountError("account.exists", f"Учётная запись {email} уже есть.")
        for t in dict.fromkeys(x.strip() for x in territories if x and x.strip()):
            s.add(AccountTerritory(account_id=account.id, territory=t[:300]))
        for aid in dict.fromkeys(association_ids):
            s.add(AccountAssociation(account_id=account.id, association_id=aid, state="granted",
                                     role=grant_role(role)))
    return account


def by_email(sf, email: str) -> Account | None:
    email = normalise(email)
    with sf() as s:
        return s.scalars(select(Account).where(Account.email == email)).first()


def get(sf, account_id: int) -> Account | None:
    with sf() as s:
        return s.get(Account, account_id)


def count_admins(sf) -> int:
    with sf() as s:
        return s.scalar(select(func.count()).select_from(Account).where(Account.role == "admin",
                                                                        Account.active.is_(True))) or 0


def set_password(sf, account_id: int, password: str) -> None:
    """A new password; every other session of the account ends (a reset after a theft
    must lock the thief out)."""
    with sf() as s, s.begin():
        account = s.get(Account, account_id)
        if account is None:
            raise AccountError("account.not_found", "Учётная запись не найдена.")
        passwords.check_policy(password, account.email)
        account.password_hash = passwords.hash_password(password)
        s.execute(delete(LoginSession).where(LoginSession.account_id == account_id))


def authenticate(sf, email: str, password: str) -> Account | None:
    """The active account with this address and password, or None (same time either way)."""
    try:
        email = normalise(email)
    except ValueError:
        passwords.verify(None, password)
        return None
    with sf() as s, s.begin():
        account = s.scalars(select(Account).where(Account.email == email)).first()
        ok = passwords.verify(account.password_hash if account else None, password)
        if not ok or account is None or not account.active:
            return None
        if passwords.needs_rehash(account.password_hash):
            account.password_hash = passwords.hash_password(password)
        account.last_login_at = utcnow()
        return account


def set_active(sf, account_id: int, active: bool) -> None:
    """Deactivating ends everything the account holds: sessions, API tokens (revoked) and
    unused links (expired), so switching it on again revives none of them — the person
    signs in with their password, or gets a new link."""
    with sf() as s, s.begin():
        account = s.get(Account, account_id)
        if account is None:
            raise AccountError("account.not_found", "Учётная запись не найдена.")
        account.active = active
        if not active:
            now = utcnow()
            s.execute(delete(LoginSession).where(LoginSession.account_id == account_id))
            s.execute(update(ApiToken).where(ApiToken.account_id == account_id, ApiToken.revoked_at.is_(None))
                      .values(revoked_at=now))
            s.execute(update(OneTimeLink).where(OneTimeLink.account_id == account_id, OneTimeLink.used_at.is_(None),
                                                OneTimeLink.expires_at > now).values(expires_at=now))


def remove(sf, account_id: int) -> None:
    """Delete an account with its sessions, links, tokens and scope (cascade)."""
    with sf() as s, s.begin():
        account = s.get(Account, account_id)
        if account is not None:
            s.delete(account)


def grant(sf, account_id: int, association_id: int, role: str | None = None) -> str:
    """Put an association in the account's scope with `role` there (by default what an
    offer from «Состав» proposed, else the account's own role), confirming an offer if
    there is one.  A member invited as a head becomes a head (they may then add their own
    association); a role above the account's own is never given.  Returns the role given."""
    with sf() as s, s.begin():
        account = s.get(Account, account_id)
        if account is None:
            raise AccountError("account.not_found", "Учётная запись не найдена.")
        row = s.get(AccountAssociation, (account_id, association_id))
        if row is None:
            row = AccountAssociation(account_id=account_id, association_id=association_id)
            s.add(row)
        elif role is None and row.state == "offered":
            role = row.role
        if role == "head" and account.role == "member":
            account.role = "head"
        row.state, row.role = "granted", grant_role(account.role, role)
        return row.role


def revoke(sf, account_id: int, association_id: int) -> bool:
    """Take an association out of the account's scope (or decline an offer)."""
    with sf() as s, s.begin():
        row = s.get(AccountAssociation, (account_id, association_id))
        if row is not None:
            s.delete(row)
        return row is not None


def set_role(sf, account_id: int, role: str) -> None:
    """A new role for the account.  Its roles on associations are lowered to it (a head
    made a member is a member everywhere); a curator's territories go with the role."""
    _role(role)
    with sf() as s, s.begin():
        account = s.get(Account, account_id)
        if account is None:
            raise AccountError("account.not_found", "Учётная запись не найдена.")
        account.role = role
        for row in s.scalars(select(AccountAssociation).where(AccountAssociation.account_id == account_id)):
            if RANK[row.role] > RANK[role]:
                row.role = grant_role(role)
        if role != "curator":
            s.execute(delete(AccountTerritory).where(AccountTerritory.account_id == account_id))


def set_territories(sf, account_id: int, territories) -> tuple[str, ...]:
    """A curator's territories, as «Сведения» name them (the list replaces the old one)."""
    names = tuple(dict.fromkeys(t.strip()[:300] for t in territories if t and t.strip()))
    with sf() as s, s.begin():
        account = s.get(Account, account_id)
        if account is None:
            raise AccountError("account.not_found", "Учётная запись не найдена.")
        if names and account.role != "curator":
            raise AccountError("account.not_curator", "Территории задаются только куратору.")
        s.execute(delete(AccountTerritory).where(AccountTerritory.account_id == account_id))
        for t in names:
            s.add(AccountTerritory(account_id=account_id, territory=t))
    return names


def listing(sf) -> list[AccountView]:
    from service.workspace.models import Association

    with sf() as s:
        accounts = list(s.scalars(select(Account).order_by(Account.role, Account.email)))
        territories: dict[int, list[str]] = {}
        for t in s.scalars(select(AccountTerritory).order_by(AccountTerritory.territory)):
            territories.setdefault(t.account_id, []).append(t.territory)
        granted: dict[int, list[str]] = {}
        offered: dict[int, list[str]] = {}
        roles: dict[int, list[tuple[str, str]]] = {}
        for aid, state, role, slug in s.execute(select(AccountAssociation.account_id, AccountAssociation.state,
                                                       AccountAssociation.role, Association.slug)
                                                .join(Association, Association.id == AccountAssociation.association_id)
                                                .order_by(Association.slug)):
            (granted if state == "granted" else offered).setdefault(aid, []).append(slug)
            if state == "granted":
                roles.setdefault(aid, []).append((slug, role))
    return [AccountView(a.id, a.email, a.name, a.role, a.active, a.password_hash is not None,
                        tuple(territories.get(a.id, ())), tuple(granted.get(a.id, ())),
                        tuple(offered.get(a.id, ())), a.last_login_at, tuple(roles.get(a.id, ())))
            for a in accounts]


def name_taken(sf, name: str, account_id: int | None = None) -> bool:
    """Whether another account already shows this name (compared as people read it): the
    journal and documents name people by it, so no one may take a colleague's."""
    wanted = key(name)
    if not wanted:
        return False
    with sf() as s:
        names = s.scalars(select(Account.name).where(Account.id != (account_id or 0)))
        return any(key(n) == wanted for n in names if n)


def rename(sf, account_id: int, name: str) -> None:
    name = name.strip()[:300]
    if name_taken(sf, name, account_id):
        raise AccountError("account.name_taken", f"Имя «{name}» уже носит другая учётная запись; укажите своё.")
    with sf() as s, s.begin():
        account = s.get(Account, account_id)
        if account is not None:
            account.name = name
