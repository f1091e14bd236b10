"""The person a request acts for, and what they may do.

Roles and scope (README «Accounts and roles» has the same table):

| action | admin | curator | head | member |
|---|---|---|---|---|
| view (findings, documents) | all | their territories and associations | their associations | their associations |
| view_personal (birth dates, phones, e-mails) | all | same scope | their associations | — |
| check, replace, generate, manage_members | all | same scope | their associations | — |
| archive (and restore) | all | same scope | — | — |
| add_association | yes | yes | yes | — |
| admin (accounts, offers, settings) | yes | — | — | — |

An association outside a person's scope does not exist for them (404); one they see but
may not act on answers 403 (`auth.forbidden`).  `visible()` narrows every list the same
way, so the dashboard, the API, the jobs and bulk reports agree with the pages.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, select

from service.accounts.models import Account, AccountAssociation, AccountTerritory
from service.schema.text import key

ACTIONS = ("view", "view_personal", "check", "replace", "generate", "manage_members", "add_association",
           "archive", "admin")
_ON_ASSOCIATION = {
    "admin": set(ACTIONS),
    "curator": {"view", "view_personal", "check", "replace", "generate", "manage_members", "archive"},
    "head": {"view", "view_personal", "check", "replace", "generate", "manage_members"},
    "member": {"view"},
}
_GLOBAL = {                                    # actions that name no association
    "admin": set(ACTIONS),
    "curator": {"view", "add_association", "generate", "check"},
    "head": {"view", "add_association", "generate", "check"},
    "member": {"view"},
}


def territory_key(text: str | None) -> str:
    """A territory as compared: «Здвинский  район» = «здвинский район»; ё = е; punctuation ignored."""
    return key(text)[:300]


@dataclass(frozen=True)
class Principal:
    account_id: int
    email: str
    name: str
    role: str
    territories: frozenset[str] = field(default_factory=frozenset)      # territory_key() of each
    association_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def display(self) -> str:
        """How the person is named in the audit log and on documents' «кем»."""
        return self.name or self.email

    def sees(self, association) -> bool:
        if self.role == "admin":
            return True
        if association.id in self.association_ids:
            return True
        return self.role == "curator" and territory_key(association.territory) in self.territories

    def may(self, action: str, association=None) -> bool:
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        if association is None:
            return action in _GLOBAL.get(self.role, set())
        return self.sees(association) and action in _ON_ASSOCIATION.get(self.role, set())


def visible(principal: Principal, stmt: Select) -> Select:
    """`stmt` (a select over Association) narrowed to what `principal` sees."""
    from service.workspace.models import Association

    if principal.role == "admin":
        return stmt
    condition = Association.id.in_(sorted(principal.association_ids))
    if principal.role == "curator" and principal.territories:
        condition = condition | Association.territory_key.in_(sorted(principal.territories))
    return stmt.where(condition)


def _build(s, account: Account) -> Principal:
    territories = s.scalars(select(AccountTerritory.territory).where(AccountTerritory.account_id == account.id))
    ids = s.scalars(select(AccountAssociation.association_id).where(
        AccountAssociation.account_id == account.id, AccountAssociation.state == "granted"))
    return Principal(account.id, account.email, account.name or "", account.role,
                     frozenset(territory_key(t) for t in territories), frozenset(ids))


def principal_for_account(sf, account_id: int) -> Principal | None:
    """The principal of an active account, or None."""
    with sf() as s:
        account = s.get(Account, account_id)
        if account is None or not account.active:
            return None
        return _build(s, account)


def principal_for_email(sf, email: str) -> Principal | None:
    """The principal of the active account with this address (any spelling), or None.
    Used by requests authenticated by other means (the add-on's Google ID token)."""
    from service.accounts.emails import BadEmail, normalise

    try:
        email = normalise(email)
    except BadEmail:
        return None
    with sf() as s:
        account = s.scalars(select(Account).where(Account.email == email)).first()
        if account is None or not account.active:
            return None
        return _build(s, account)
