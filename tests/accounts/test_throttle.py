"""Failed sign-ins: three free, then a growing delay, then a lock-out — per account and
(five times looser) per address; success clears the account's count."""
from __future__ import annotations

import datetime as dt

from service.accounts.throttle import Throttle

T0 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.timezone.utc)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def test_delay_then_lockout_per_account(sf):
    throttle = Throttle(sf, lockout=6, lockout_minutes=15)
    keys = Throttle.keys("head@mo.example", "10.0.0.1")
    for i in range(3):
        assert throttle.refusal(keys, at(i)) is None
        throttle.failed(keys, at(i))
    refusal = throttle.refusal(keys, at(2.5))
    assert refusal.code == "auth.throttled" and "Повторите через 1 секунду" in refusal.message
    assert throttle.refusal(keys, at(3.1)) is None                 # the delay has passed
    throttle.failed(keys, at(3.1))                                 # 4th
    assert throttle.refusal(keys, at(4)).retry_after == 2          # 2 s after the 4th, asked 0.9 s later
    throttle.failed(keys, at(10))                                  # 5th
    throttle.failed(keys, at(20))                                  # 6th: locked
    refusal = throttle.refusal(keys, at(21))
    assert refusal.code == "auth.locked" and "15 минут" in refusal.message and "восстановите пароль" in refusal.message
    assert throttle.refusal(keys, at(20 + 15 * 60 + 1)) is None    # served
    throttle.failed(keys, at(20 + 15 * 60 + 2))                    # starts afresh: one failure, no delay
    assert throttle.refusal(keys, at(20 + 15 * 60 + 3)) is None


def test_the_lock_is_per_account_and_an_address_gets_more_room(sf):
    throttle = Throttle(sf, lockout=4, lockout_minutes=15)
    for i in range(4):
        throttle.failed(Throttle.keys("one@mo.example", "10.0.0.1"), at(i * 100))
    assert throttle.refusal(Throttle.keys("one@mo.example", "10.0.0.9"), at(500)).code == "auth.locked"
    assert throttle.refusal(Throttle.keys("two@mo.example", "10.0.0.1"), at(500)) is None   # same school, other teacher
    for i in range(19):
        throttle.failed(Throttle.keys(f"u{i}@mo.example", "10.0.0.2"), at(1000 + i * 100))
    assert throttle.refusal(Throttle.keys("fresh@mo.example", "10.0.0.2"), at(3000)) is None
    throttle.failed(Throttle.keys("u19@mo.example", "10.0.0.2"), at(3000))             # 20 = 5 × 4
    assert throttle.refusal(Throttle.keys("fresh@mo.example", "10.0.0.2"), at(3100)).code == "auth.locked"


def test_success_clears_the_account(sf):
    throttle = Throttle(sf, lockout=10)
    keys = Throttle.keys("head@mo.example", "10.0.0.1")
    for i in range(5):
        throttle.failed(keys, at(i * 100))
    assert throttle.refusal(keys[:1], at(401)) is not None
    throttle.clear(keys[:1])
    assert throttle.refusal(keys[:1], at(401)) is None
