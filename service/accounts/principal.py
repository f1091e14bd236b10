"""The person a request acts for, and what they may do.

Roles and scope (README «Accounts and roles» has the same table):

| action | admin | curator | head | member |
|---|---|---|---|---|
| view (findings, documents) | all | their territories and associations | their associations | their associations |
| view_personal (birth dates, phones, e-mails) | all | same scope | their associations | — |
| check, replace, generate, manage_members | all | same scope | their associations | — |
| archive (and restore), confirm_identity | all | same scope | — | — |
| add_association | yes | yes | yes | — |
| admin (accounts, offers, settings) | yes | — | — | — |

The role on an association is the one given there (AccountAssociation.role): an account
that heads one association and was invited to another as a member is a member of the
other.  A curator is a curator on every association of their territories.  The account's
own role bounds every role it is given and decides what names no association.

An association outside a person's scope does not exist for them (404); one they see but
may not act on answers 403 (`auth.forbidden`).  `visible()` narrows every list the same
way, so the dashboard, the API, the jobs and bulk reports agree with the pages.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, select

from service.accounts.models import RANK, Account, AccountAssociation, AccountTerritory
from service.schema.text import key

ACTIONS = ("view", "view_personal", "check", "replace", "generate", "manage_members", "add_association",
           "archive", "confirm_identity", "admin")
_ON_ASSOCIATION = {
    "admin": set(ACTIONS),
    "curator": {"view", "view_personal", "check", "replace", "generate", "manage_members", "archive",
                "confirm_identity"},
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
    grants: frozenset[tuple[int, str]] = field(default_factory=frozenset)   # (association id, role there)

    @property
    def display(self) -> str:
        """How the person is named in the audit log and on documents' «кем»."""
        return self.name or self.email

    @property
    def association_ids(self) -> frozenset[int]:
        return frozenset(aid for aid, _role in self.grants)

    def role_on(self, association) -> str | None:
        """The role this person has on `association`, or None outside their scope."""
        if self.role == "admin":
            return "admin"
        roles = [r for aid, r in self.grants if aid == association.id]
        if self.role == "curator" and territory_key(association.territory) in self.territories:
            roles.append("curator")
        if not roles:
            return None
        best = max(roles, key=RANK.__getitem__)
        return best if RANK[best] <= RANK[self.role] else self.role      # never above the account's own role

    def sees(self, association) -> bool:
        return self.role_on(association) is not None

    def may(self, action: str, association=None) -> bool:
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        if association is None:
            return action in _GLOBAL.get(self.role, set())
        return action in _ON_ASSOCIATION.get(self.role_on(association) or "", set())


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
    grants = s.execute(select(AccountAssociation.association_id, AccountAssociation.role).where(
        AccountAssociation.account_id == account.id, AccountAssociation.state == "granted"))
    return Principal(account.id, account.email, account.name or "", account.role,
                     frozenset(territory_key(t) for t in territories), frozenset((aid, r) for aid, r in grants))


def principal_for_account(sf, account_id: int) -> Principal | None:
    """The principal of an active account, or None."""
    with sf() as s:
        return principal_in(s, account_id)


def principal_in(s, account_id: int) -> Principal | None:
    """The same inside a session the caller already holds (a request's session or token
    lookup builds its principal in its own transaction, not in a second one)."""
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
