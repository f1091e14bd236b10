"""Invitations and resets: signed, expiring, usable once; a forged, altered, expired,
reused link or one of a deactivated account is refused with a Russian message."""
from __future__ import annotations

import datetime as dt
import threading

import pytest

from service.accounts import directory, links
from tests.accounts.factories import make_account

KEY = "test-secret"
HOUR = dt.timedelta(hours=1)


def test_a_link_works_once(sf):
    account = make_account(sf, "member")
    token = links.make(sf, KEY, account.id, "invite", HOUR)
    assert links.peek(sf, KEY, token, "invite").id == account.id
    assert links.peek(sf, KEY, token, "invite").id == account.id                    # looking uses nothing up
    assert links.consume(sf, KEY, token, "invite").id == account.id
    with pytest.raises(links.LinkError) as err:
        links.consume(sf, KEY, token, "invite")
    assert err.value.code == "link.used" and "уже была использована" in err.value.message


def test_an_expired_link_is_refused(sf):
    account = make_account(sf, "member")
    token = links.make(sf, KEY, account.id, "reset", HOUR)
    later = dt.datetime.now(dt.timezone.utc) + HOUR + dt.timedelta(seconds=1)
    with pytest.raises(links.LinkError) as err:
        links.consume(sf, KEY, token, "reset", now=later)
    assert err.value.code == "link.expired" and "истёк" in err.value.message


@pytest.mark.parametrize("change", ["tamper", "other key", "other purpose", "garbage", "huge", "not a string"])
def test_forged_or_altered_links_are_invalid(sf, change):
    account = make_account(sf, "member")
    token = links.make(sf, KEY, account.id, "invite", HOUR)
    key, purpose = KEY, "invite"
    if change == "tamper":
        token = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    elif change == "other key":
        key = "another-secret"
    elif change == "other purpose":
        purpose = "reset"
    elif change == "garbage":
        token = "abc.def"
    elif change == "huge":
        token = "x" * 100_000
    else:
        token = ["a", "b"]
    with pytest.raises(links.LinkError) as err:
        links.consume(sf, key, token, purpose)
    assert err.value.code == "link.invalid"


def test_a_new_invitation_replaces_the_previous_one(sf):
    account = make_account(sf, "member")
    first = links.make(sf, KEY, account.id, "invite", HOUR)
    second = links.make(sf, KEY, account.id, "invite", HOUR)
    with pytest.raises(links.LinkError):
        links.consume(sf, KEY, first, "invite")
    assert links.consume(sf, KEY, second, "invite").id == account.id


def test_asking_for_a_reset_again_kills_no_link_and_using_one_ends_the_others(sf):
    """Anyone may ask for a reset of any address: each request used to expire the link the
    owner was about to click."""
    account = make_account(sf, "member")
    first = links.make(sf, KEY, account.id, "reset", HOUR)
    second = links.make(sf, KEY, account.id, "reset", HOUR)
    assert links.peek(sf, KEY, first, "reset").id == account.id
    assert links.consume(sf, KEY, second, "reset").id == account.id
    with pytest.raises(links.LinkError) as err:
        links.consume(sf, KEY, first, "reset")
    assert err.value.code == "link.expired"


def test_a_recent_unused_link_is_found(sf):
    account = make_account(sf, "member")
    assert not links.recent(sf, account.id, "reset", dt.timedelta(minutes=5))
    token = links.make(sf, KEY, account.id, "reset", HOUR)
    assert links.recent(sf, account.id, "reset", dt.timedelta(minutes=5))
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=6)
    assert not links.recent(sf, account.id, "reset", dt.timedelta(minutes=5), now=later)
    links.consume(sf, KEY, token, "reset")
    assert not links.recent(sf, account.id, "reset", dt.timedelta(minutes=5))


def test_a_link_of_a_deactivated_or_deleted_account_is_invalid(sf):
    account = make_account(sf, "member")
    token = links.make(sf, KEY, account.id, "invite", HOUR)
    directory.set_active(sf, account.id, False)
    with pytest.raises(links.LinkError) as err:
        links.consume(sf, KEY, token, "invite")
    assert err.value.code == "link.invalid"
    directory.remove(sf, account.id)
    with pytest.raises(links.LinkError):
        links.peek(sf, KEY, token, "invite")


def test_two_clicks_at_once_use_a_link_once(sf):
    account = make_account(sf, "member")
    token = links.make(sf, KEY, account.id, "invite", HOUR)
    outcomes, barrier = [], threading.Barrier(6)

    def click():
        barrier.wait()
        try:
            links.consume(sf, KEY, token, "invite")
            outcomes.append("ok")
        except links.LinkError as err:
            outcomes.append(err.code)

    threads = [threading.Thread(target=click) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1 and set(outcomes) - {"ok"} <= {"link.used"}
