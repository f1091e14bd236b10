"""Failed sign-ins: three free, then a growing delay, then a lock-out — per account and
(five times looser) per address; success clears the account's count.  An attempt is
counted before its password is checked, atomically: attempts made at the same moment
are decided one after another (on SQLite here, on PostgreSQL in tests/realdb)."""
from __future__ import annotations

import datetime as dt

from service.accounts.throttle import FREE, Throttle
from tests.workspace.test_jobs import in_parallel

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


def test_an_attempt_is_counted_before_its_password_is_checked(sf):
    throttle = Throttle(sf, lockout=6, lockout_minutes=15)
    keys = Throttle.keys("head@mo.example", "10.0.0.1")
    assert [throttle.admit(keys, at(0)) for _ in range(FREE)] == [None] * FREE
    refused = throttle.admit(keys, at(0.5))
    assert refused.code == "auth.throttled" and refused.retry_after == 1
    assert throttle.admit(keys, at(1.1)) is None                   # the 4th, after its delay
    assert throttle.admit(keys, at(2)).retry_after == 2
    throttle.succeeded(keys)                                       # …and its password was right
    assert throttle.admit(keys[:1], at(2)) is None                 # the account starts afresh


def test_a_right_password_gives_the_address_its_attempt_back(sf):
    throttle = Throttle(sf, lockout=4, lockout_minutes=15)
    school = "10.0.0.7"
    for i in range(40):                                            # 40 teachers sign in from one school
        keys = Throttle.keys(f"t{i}@mo.example", school)
        assert throttle.admit(keys, at(i)) is None, i
        throttle.succeeded(keys)
    assert throttle.refusal(Throttle.keys("next@mo.example", school), at(41)) is None


def refused_concurrently(throttle, n: int, keys_of) -> tuple[int, int]:
    """(admitted, refused) of `n` attempts released at the same moment."""
    numbers = iter(range(n))
    results, errors = in_parallel(n, lambda: throttle.admit(keys_of(next(numbers))))
    assert errors == [] and len(results) == n
    return sum(r is None for r in results), sum(r is not None for r in results)


def test_attempts_at_the_same_moment_are_counted_one_after_another(sf):
    """Reading the counts, checking the password and then writing a failure let 17 of 200
    simultaneous guesses be checked; counted first, exactly FREE are."""
    throttle = Throttle(sf, lockout=10, lockout_minutes=15)
    admitted, refused = refused_concurrently(throttle, 60, lambda i: Throttle.keys("v@mo.example", f"10.0.{i}.1"))
    assert (admitted, refused) == (FREE, 60 - FREE)
    from service.accounts.models import LoginFailure
    with sf() as s:
        assert s.get(LoginFailure, "account:v@mo.example").failures == FREE
