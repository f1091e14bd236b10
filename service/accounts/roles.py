"""The roles a person can have, in one small module: the CLI's argument choices read them
without loading the database layer (models.py imports SQLAlchemy, 0.2 s of a command)."""
from __future__ import annotations

ROLES = ("admin", "curator", "head", "member")
ROLE_TITLES = {"admin": "администратор", "curator": "куратор", "head": "руководитель МО", "member": "член МО"}
GRANT_ROLES = ("curator", "head", "member")        # roles on one association (AccountAssociation.role)
RANK = {"member": 0, "head": 1, "curator": 2, "admin": 3}
