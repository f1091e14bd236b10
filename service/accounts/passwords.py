"""Passwords: argon2id (argon2-cffi, its RFC 9106 low-memory profile), re-hashed on
sign-in when the parameters change; a constant-time answer for unknown addresses."""
from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 10
MAX_LENGTH = 1024            # argon2 takes any length; a megabyte of «password» is only a way to burn CPU


class WeakPassword(ValueError):
    code = "account.password_weak"


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def check_policy(password: str, email: str = "") -> None:
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        raise WeakPassword(f"Пароль должен быть не короче {MIN_LENGTH} символов.")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"Пароль длиннее {MAX_LENGTH} символов не принимается.")
    if len(set(password)) < 4:
        raise WeakPassword("Пароль из одного-трёх повторяющихся символов слишком простой.")
    if email and password.strip().lower() in (email.lower(), email.split("@")[0].lower()):
        raise WeakPassword("Пароль не должен совпадать с адресом электронной почты.")


def hash_password(password: str) -> str:
    return _hasher().hash(password)


@lru_cache(maxsize=1)
def _dummy() -> str:
    return _hasher().hash("an unknown account still costs one verification")


def verify(stored: str | None, password: str) -> bool:
    """True when `password` matches `stored`; an account without a password (or no
    account) costs the same time as a wrong password."""
    if not isinstance(password, str) or len(password) > MAX_LENGTH:
        password = ""
    try:
        return _hasher().verify(stored or _dummy(), password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    try:
        return _hasher().check_needs_rehash(stored)
    except InvalidHashError:
        return True
