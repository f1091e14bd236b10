"""Accounts, roles and scope: who may sign in, and which associations each person sees
and may act on.

roles.py (the roles), models.py (tables), emails.py (one spelling of an address), passwords.py (argon2),
directory.py (creating, inviting, listing, scoping accounts), sessions.py (server-side
sign-in sessions), links.py (one-time signed links: invitations and password resets),
tokens.py (personal API tokens), throttle.py (failed sign-ins), roster.py (associations
offered from the workbook's «Состав»), principal.py (the person a request acts for, and
what they may do).
"""
from service.accounts.roles import ROLES

__all__ = ["ROLES"]
