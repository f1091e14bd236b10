"""The workbook stays the source of truth for who runs an association: an account whose
e-mail is in «Состав» with the role руководитель, заместитель руководителя or секретарь
is offered that association.  An offer grants nothing until a curator or admin confirms
it once (a head could otherwise claim any association by typing an address into a
workbook); confirmed, the account heads that association (a member account becomes a
head)."""
from __future__ import annotations

from sqlalchemy import select

from service.accounts.emails import BadEmail, normalise
from service.accounts.models import Account, AccountAssociation
from service.schema.records import DEPUTY, HEAD, SECRETARY

OFFERING_ROLES = (HEAD, DEPUTY, SECRETARY)


def offer_from_members(sf, association_id: int, members) -> list[str]:
    """Record offers for the accounts named in «Состав»; returns the addresses newly offered."""
    emails = set()
    for m in members:
        if m.role in OFFERING_ROLES and m.email:
            try:
                emails.add(normalise(m.email))
            except BadEmail:
                continue
    if not emails:
        return []
    made = []
    with sf() as s, s.begin():
        for account in s.scalars(select(Account).where(Account.email.in_(sorted(emails)), Account.active.is_(True),
                                                       Account.role.in_(("head", "member")))):
            if s.get(AccountAssociation, (account.id, association_id)) is None:
                s.add(AccountAssociation(account_id=account.id, association_id=association_id, state="offered",
                                         role="head"))
                made.append(account.email)
    return made
