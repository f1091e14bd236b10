"""Accounts: one spelling of an address, argon2 passwords, sign-in that costs the same for
unknown addresses, a password change that ends every other session."""
from __future__ import annotations

import datetime as dt

import pytest

from service.accounts import directory, passwords, sessions
from service.accounts.emails import BadEmail, normalise
from tests.accounts.factories import make_account

PASSWORD = "верный пароль 2025"


@pytest.mark.parametrize("text, expected", [
    (" Belova@Zdvinsk-Edu.RU ", "belova@zdvinsk-edu.ru"),
    ("учитель@школа.рф", "учитель@школа.рф"),
    ("ivanova.m+mo@mail.ru", "ivanova.m+mo@mail.ru"),
])
def test_addresses_have_one_spelling(text, expected):
    assert normalise(text) == expected


@pytest.mark.parametrize("text, words", [
    ("", "Укажите"), ("не адрес", "не адрес"), ("a@b", "не адрес"), ("a@@b.ru", "не адрес"),
    ("<script>@x.ru", "не адрес"), ("x" * 250 + "@mail.ru", "слишком длинный"), ("a@1.2.3.4", "не адрес"),
])
def test_what_is_not_an_address_is_explained_in_russian(text, words):
    with pytest.raises(BadEmail) as err:
        normalise(text)
    assert words in err.value.args[0]


def test_one_account_per_address_whatever_its_spelling(sf):
    directory.create(sf, "Belova@Zdvinsk-Edu.ru", "head")
    with pytest.raises(directory.AccountError) as err:
        directory.create(sf, "belova@zdvinsk-edu.RU", "member")
    assert err.value.code == "account.exists"
    with pytest.raises(directory.AccountError) as err:
        directory.create(sf, "new@zdvinsk-edu.ru", "director")
    assert err.value.code == "account.role_invalid"


def test_passwords_are_argon2_and_checked(sf):
    account = make_account(sf, "head", email="head@mo.example", password=PASSWORD)
    assert account.password_hash.startswith("$argon2id$") and PASSWORD not in account.password_hash
    assert directory.authenticate(sf, "HEAD@mo.example", PASSWORD).id == account.id
    assert directory.authenticate(sf, "head@mo.example", PASSWORD + "!") is None
    assert directory.authenticate(sf, "nobody@mo.example", PASSWORD) is None
    assert directory.authenticate(sf, "x" * 5000, PASSWORD) is None                   # no exception
    assert directory.get(sf, account.id).last_login_at is not None


@pytest.mark.parametrize("password, words", [("короткий", "не короче"), ("aaaaaaaaaaaa", "простой"),
                                             ("head@mo.example", "не должен совпадать"), ("x" * 2000, "длиннее")])
def test_weak_passwords_are_refused(sf, password, words):
    with pytest.raises(passwords.WeakPassword) as err:
        make_account(sf, "head", email="head@mo.example", password=password)
    assert words in err.value.args[0]


def test_an_invited_account_cannot_sign_in_until_it_sets_a_password(sf):
    account = make_account(sf, "member", email="m@mo.example")
    assert account.password_hash is None
    assert directory.authenticate(sf, "m@mo.example", "") is None


def test_a_new_password_or_deactivation_ends_every_session(sf):
    account = make_account(sf, "head", password=PASSWORD)
    token = sessions.open_session(sf, account.id, dt.timedelta(hours=1))
    idle = dt.timedelta(hours=1)
    assert sessions.principal_for_session(sf, token, idle).account_id == account.id
    directory.set_password(sf, account.id, "совсем новый пароль")
    assert sessions.principal_for_session(sf, token, idle) is None
    token = sessions.open_session(sf, account.id, dt.timedelta(hours=1))
    directory.set_active(sf, account.id, False)
    assert sessions.principal_for_session(sf, token, idle) is None
    assert directory.authenticate(sf, account.email, "совсем новый пароль") is None   # inactive: no sign-in


def test_switching_an_account_on_again_revives_no_token_and_no_link(sf):
    """A deactivated account's API tokens and unused links stopped working only while it was
    off: switched on again, a leaked token or an old invitation worked again."""
    from service.accounts import links, tokens

    account = make_account(sf, "head", password=PASSWORD)
    token = tokens.create(sf, account.id, "сценарий").token
    link = links.make(sf, "secret", account.id, "reset", dt.timedelta(hours=1))
    assert tokens.principal_for_token(sf, token) is not None
    directory.set_active(sf, account.id, False)
    directory.set_active(sf, account.id, True)
    assert tokens.principal_for_token(sf, token) is None
    with pytest.raises(links.LinkError) as err:
        links.peek(sf, "secret", link, "reset")
    assert err.value.code == "link.expired"
    assert directory.authenticate(sf, account.email, PASSWORD).id == account.id        # the password still works
    assert tokens.principal_for_token(sf, tokens.create(sf, account.id).token) is not None


def test_sessions_expire_absolutely_and_when_idle(sf):
    account = make_account(sf, "head", password=PASSWORD)
    token = sessions.open_session(sf, account.id, dt.timedelta(hours=2))
    now = dt.datetime.now(dt.timezone.utc)
    idle = dt.timedelta(minutes=30)
    assert sessions.principal_for_session(sf, token, idle, now + dt.timedelta(minutes=20)) is not None
    assert sessions.principal_for_session(sf, token, idle, now + dt.timedelta(minutes=45)) is not None  # seen at 20
    assert sessions.principal_for_session(sf, token, idle, now + dt.timedelta(hours=2, minutes=1)) is None
    assert sessions.count(sf, account.id) == 0                                        # the expired row is gone
    token = sessions.open_session(sf, account.id, dt.timedelta(hours=2))
    assert sessions.principal_for_session(sf, token, idle, now + dt.timedelta(minutes=31)) is None


def test_a_deleted_account_takes_its_sessions_with_it(sf):
    account = make_account(sf, "head", password=PASSWORD)
    token = sessions.open_session(sf, account.id, dt.timedelta(hours=1))
    directory.remove(sf, account.id)
    assert sessions.principal_for_session(sf, token, dt.timedelta(hours=1)) is None
    assert sessions.count(sf, account.id) == 0
