"""Who is asking.  Accounts and roles come later; until then every request is the local
user with every role, and the server listens on 127.0.0.1 only.  Handlers already ask
`current_user()` so that adding accounts changes this file, not them."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, abort, g, request


@dataclass(frozen=True)
class User:
    name: str
    roles: frozenset[str]

    def can(self, role: str) -> bool:
        return role in self.roles


LOCAL = User("локальный пользователь", frozenset({"head", "curator", "admin"}))


def current_user() -> User:
    return g.get("user", LOCAL)


def may_view_personal(association) -> bool:
    """Whether the person asking may see the members' birth dates, phones and e-mails of
    `association`: make, download or preview a data bank with personal columns.

    WIRING POINT (accounts, issue 8): replace the body with
        return current_user().may("view_personal", association)
    — the pages, the API and the downloads all ask here and nowhere else.  Until accounts
    exist, the only user is the local one (the server listens on 127.0.0.1), who heads."""
    return current_user().can("head")


LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]"}


def init_app(app: Flask) -> None:
    @app.before_request
    def _load_user():
        # Until accounts exist the only protection is listening on 127.0.0.1: refuse other
        # Host names too, so a page elsewhere cannot reach the service by DNS rebinding.
        host = request.host.rsplit(":", 1)[0] if not request.host.startswith("[") else request.host.split("]")[0] + "]"
        if host not in LOCAL_HOSTS:
            abort(400)
        g.user = LOCAL
