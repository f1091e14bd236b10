"""Failed sign-ins, counted per account and per address in the database (so every web
worker sees the same counts).

The first FREE failures cost nothing; each further attempt must wait a delay that
doubles up to MAX_DELAY seconds (answered at once with «повторите через N с», never by
holding a server thread); at `lockout` failures the account (or address) is locked for
`lockout_minutes`.  An address gets `ADDRESS_FACTOR` times more room than an account:
a whole school may share one.  A successful sign-in or a password reset clears the
account's count.  Attempts are counted before the password is checked, atomically
(`Throttle.admit`), so attempts made at the same moment cannot all pass."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from service.accounts.models import LoginFailure
from service.db import as_utc, utcnow

FREE = 3
MAX_DELAY = 30
ADDRESS_FACTOR = 5


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str
    retry_after: int          # seconds


def _minutes(n: int) -> str:
    from service.russian.plural import plural

    return f"{n} {plural(n, 'минуту', 'минуты', 'минут')}"


def _seconds(n: int) -> str:
    from service.russian.plural import plural

    return f"{n} {plural(n, 'секунду', 'секунды', 'секунд')}"


class Throttle:
    """`admit` counts an attempt before the password is checked, in one transaction that
    holds the counters' rows: 200 guesses at once are decided one after another on the
    count each one leaves (the first FREE are checked, the rest wait), where reading the
    counts, checking the password and only then writing a failure let 17 of them through.
    A successful sign-in takes its attempt back (`succeeded`)."""

    def __init__(self, sf, lockout: int = 10, lockout_minutes: int = 15, purpose: str = "login"):
        self.sf, self.lockout, self.lockout_minutes = sf, max(FREE + 1, lockout), lockout_minutes
        self.purpose = purpose

    @staticmethod
    def keys(email: str, address: str, purpose: str = "login") -> list[str]:
        """The counters of an attempt: the address asked about and the client's address.
        `purpose` "reset": requests for a password-reset letter, counted apart."""
        prefix = "" if purpose == "login" else f"{purpose}-"
        return [f"{prefix}account:{(email or '').strip().lower()[:250]}", f"{prefix}address:{(address or '')[:64]}"]

    def _limit(self, key: str) -> int:
        return self.lockout * (ADDRESS_FACTOR if _per_address(key) else 1)

    @staticmethod
    def _free(key: str) -> int:
        return FREE * (ADDRESS_FACTOR if _per_address(key) else 1)

    def _why_not(self, row: LoginFailure | None, key: str, now: dt.datetime) -> Refusal | None:
        """Why an attempt under this counter must not even be checked now, or None."""
        if row is None:
            return None
        locked = as_utc(row.locked_until)
        if locked and locked > now:
            left = max(1, int((locked - now).total_seconds() + 59) // 60)
            if self.purpose == "reset":
                return Refusal("auth.locked", "Слишком много запросов на восстановление пароля. Повторите через "
                               f"{_minutes(left)}; письмо, отправленное раньше, по-прежнему действует.", left * 60)
            return Refusal("auth.locked", "Слишком много неудачных попыток входа: вход временно заблокирован. "
                           f"Повторите через {_minutes(left)} или восстановите пароль по ссылке «Забыли пароль?».",
                           left * 60)
        extra = row.failures - self._free(key)
        if extra >= 0 and not (locked and locked <= now):
            wait = min(MAX_DELAY, 2 ** min(extra, 10))
            ready = as_utc(row.last_at) + dt.timedelta(seconds=wait)
            if ready > now:
                left = max(1, int((ready - now).total_seconds() + 0.999))
                what = "запросов на восстановление пароля" if self.purpose == "reset" else "неудачных попыток входа"
                return Refusal("auth.throttled", f"Слишком много {what}. Повторите через {_seconds(left)}.", left)
        return None

    def refusal(self, keys: list[str], now: dt.datetime | None = None) -> Refusal | None:
        """Why an attempt would be refused now, or None (reads only: for messages)."""
        now = now or utcnow()
        with self.sf() as s:
            for key in keys:
                why = self._why_not(s.get(LoginFailure, key), key, now)
                if why is not None:
                    return why
        return None

    def admit(self, keys: list[str], now: dt.datetime | None = None) -> Refusal | None:
        """Count this attempt as a failure unless it is refused: None when the password may
        be checked.  The counters' rows are held (a write lock on SQLite, row locks on
        PostgreSQL) from the first read to the commit."""
        now = now or utcnow()
        with self.sf() as s, s.begin():
            rows = {key: _held(s, key, now) for key in sorted(set(keys))}
            for key in keys:
                why = self._why_not(rows[key], key, now)
                if why is not None:
                    return why
            for key, row in rows.items():
                self._count(row, key, now)
        return None

    def _count(self, row: LoginFailure, key: str, now: dt.datetime) -> None:
        locked = as_utc(row.locked_until)
        if locked is not None and locked <= now:                # a served lock-out starts afresh
            row.failures, row.locked_until = 0, None
        row.failures += 1
        row.last_at = now
        if row.failures >= self._limit(key):
            row.locked_until = now + dt.timedelta(minutes=self.lockout_minutes)

    def failed(self, keys: list[str], now: dt.datetime | None = None) -> None:
        """Count a failure whatever the counts (an attempt not admitted through `admit`)."""
        now = now or utcnow()
        with self.sf() as s, s.begin():
            for key in sorted(set(keys)):
                self._count(_held(s, key, now), key, now)

    def succeeded(self, keys: list[str]) -> None:
        """The password was right: the account starts afresh, and the address gets back the
        attempt `admit` counted (a school's many teachers share it)."""
        with self.sf() as s, s.begin():
            for key in keys:
                row = s.get(LoginFailure, key, with_for_update=True)
                if row is None:
                    continue
                if _per_address(key) and row.failures > 1:
                    row.failures -= 1
                else:
                    s.delete(row)

    def clear(self, keys: list[str]) -> None:
        with self.sf() as s, s.begin():
            for key in keys:
                row = s.get(LoginFailure, key)
                if row is not None:
                    s.delete(row)


def _per_address(key: str) -> bool:
    return key.split(":", 1)[0].endswith("address")


def _held(s, key: str, now: dt.datetime) -> LoginFailure:
    """The counter `key`, made if missing, held until the transaction ends: the insert
    takes SQLite's write lock (so the read below is the last word), and PostgreSQL locks
    the row for update."""
    dialect = s.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    s.execute(insert(LoginFailure).values(key=key, failures=0, last_at=now).on_conflict_do_nothing())
    return s.scalars(select(LoginFailure).where(LoginFailure.key == key).with_for_update()
                     .execution_options(populate_existing=True)).one()
