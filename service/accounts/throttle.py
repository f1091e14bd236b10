"""Failed sign-ins, counted per account and per address in the database (so every web
worker sees the same counts).

The first FREE failures cost nothing; each further attempt must wait a delay that
doubles up to MAX_DELAY seconds (answered at once with «повторите через N с», never by
holding a server thread); at `lockout` failures the account (or address) is locked for
`lockout_minutes`.  An address gets `ADDRESS_FACTOR` times more room than an account:
a whole school may share one.  A successful sign-in or a password reset clears the
account's count."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from service.accounts.models import LoginFailure
from service.db import utcnow

FREE = 3
MAX_DELAY = 30
ADDRESS_FACTOR = 5


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str
    retry_after: int          # seconds


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def _minutes(n: int) -> str:
    from service.russian.plural import plural

    return f"{n} {plural(n, 'минуту', 'минуты', 'минут')}"


def _seconds(n: int) -> str:
    from service.russian.plural import plural

    return f"{n} {plural(n, 'секунду', 'секунды', 'секунд')}"


class Throttle:
    def __init__(self, sf, lockout: int = 10, lockout_minutes: int = 15):
        self.sf, self.lockout, self.lockout_minutes = sf, max(FREE + 1, lockout), lockout_minutes

    @staticmethod
    def keys(email: str, address: str) -> list[str]:
        return [f"account:{(email or '').strip().lower()[:250]}", f"address:{(address or '')[:64]}"]

    def _limit(self, key: str) -> int:
        return self.lockout * (ADDRESS_FACTOR if key.startswith("address:") else 1)

    def refusal(self, keys: list[str], now: dt.datetime | None = None) -> Refusal | None:
        """Why this attempt must not even be checked now, or None."""
        now = now or utcnow()
        with self.sf() as s:
            for key in keys:
                row = s.get(LoginFailure, key)
                if row is None:
                    continue
                locked = _aware(row.locked_until)
                if locked and locked > now:
                    left = max(1, int((locked - now).total_seconds() + 59) // 60)
                    return Refusal("auth.locked", "Слишком много неудачных попыток входа: вход временно заблокирован. "
                                   f"Повторите через {_minutes(left)} или восстановите пароль по ссылке «Забыли пароль?».",
                                   left * 60)
                extra = row.failures - FREE * (ADDRESS_FACTOR if key.startswith("address:") else 1)
                if extra >= 0 and not (locked and locked <= now):
                    wait = min(MAX_DELAY, 2 ** min(extra, 10))
                    ready = _aware(row.last_at) + dt.timedelta(seconds=wait)
                    if ready > now:
                        left = max(1, int((ready - now).total_seconds() + 0.999))
                        return Refusal("auth.throttled", f"Слишком много неудачных попыток входа. Повторите через "
                                       f"{_seconds(left)}.", left)
        return None

    def failed(self, keys: list[str], now: dt.datetime | None = None) -> None:
        now = now or utcnow()
        for key in keys:
            for _attempt in range(3):
                try:
                    with self.sf() as s, s.begin():
                        row = s.get(LoginFailure, key, with_for_update=True)
                        if row is None:
                            row = LoginFailure(key=key, failures=0)
                            s.add(row)
                        locked = _aware(row.locked_until)
                        if locked is not None and locked <= now:      # a served lock-out starts afresh
                            row.failures, row.locked_until = 0, None
                        row.failures += 1
                        row.last_at = now
                        if row.failures >= self._limit(key):
                            row.locked_until = now + dt.timedelta(minutes=self.lockout_minutes)
                    break
                except IntegrityError:                              # two first failures at once
                    continue

    def clear(self, keys: list[str]) -> None:
        with self.sf() as s, s.begin():
            for key in keys:
                row = s.get(LoginFailure, key)
                if row is not None:
                    s.delete(row)
