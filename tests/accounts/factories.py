"""Accounts built in tests, and clients signed in as them (by a real server-side session,
set in the client's cookie as the sign-in page would — without paying argon2 per test)."""
from __future__ import annotations

import datetime as dt
import itertools

from service.accounts import directory, sessions
from service.accounts.principal import principal_for_account

_numbers = itertools.count(1)


def make_account(sf, role: str = "head", email: str | None = None, name: str = "", associations=(),
                 territories=(), password: str | None = None):
    """An active account; `associations`: Association rows or ids in its scope."""
    email = email or f"{role}{next(_numbers)}@test.example"
    ids = [getattr(a, "id", a) for a in associations]
    return directory.create(sf, email, role, name=name or f"Тест {role}", territories=territories,
                            association_ids=ids, password=password)


def sign_in(app, client, account) -> None:
    """Give `client` a session for `account`, as /login does."""
    sf = app.extensions["workspace"].sf
    token = sessions.open_session(sf, account.id, dt.timedelta(hours=1), "127.0.0.1", "test")
    with client.session_transaction() as s:
        s["sid"] = token
        s.permanent = True


def signed_in_client(app, role: str = "admin", **account):
    client = app.test_client()
    acc = make_account(app.extensions["workspace"].sf, role, **account)
    sign_in(app, client, acc)
    client.account = acc
    client.principal = principal_for_account(app.extensions["workspace"].sf, acc.id)
    return client
