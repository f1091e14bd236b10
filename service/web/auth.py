"""Who is asking.  Accounts and roles come later; until then every request is the local
user with every role, and the server listens on 127.0.0.1 only.  Handlers already ask
`current_user()` so that adding accounts changes this file, not them."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, g


@dataclass(frozen=True)
class User:
    name: str
    roles: frozenset[str]

    def can(self, role: str) -> bool:
        return role in self.roles


LOCAL = User("локальный пользователь", frozenset({"head", "curator", "admin"}))


def current_user() -> User:
    return g.get("user", LOCAL)


def init_app(app: Flask) -> None:
    @app.before_request
    def _load_user():
        g.user = LOCAL
