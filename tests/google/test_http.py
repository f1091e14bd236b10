"""Bounded retries: gspread's requests (through `responses`) and googleapiclient's
(through HttpMockSequence), with the sleep recorded instead of slept."""
import datetime as dt
import email.utils
import functools

import pytest
import requests
from googleapiclient.errors import HttpError
from gspread.exceptions import APIError

from service.google.http import RetryPolicy, execute, retry_after_seconds
from service.google.ratelimit import MemoryRateLimiter
from service.sources.gsheets import GoogleSourceError, GSheetReader
from tests.google.payloads import SHEETS, drive, fail, gspread_client, load, ok

SID = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEF"
URL = f"{SHEETS}/{SID}"
HALF = lambda: 0.5  # noqa: E731 - the jitter's random() fixed in the middle


def client(clock, **options):
    return gspread_client(sleep=clock.sleep, clock=clock, random=HALF, **options)


def get(c):
    return c.http_client.spreadsheets_get(SID, params={"fields": "properties.title"})


# ---------------------------------------------------------------- gspread

def test_a_429_storm_waits_as_long_as_google_says_then_succeeds(rsps, clock):
    later = email.utils.format_datetime(dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=30), usegmt=True)
    for retry_after in ("7", "3", later):
        rsps.add("GET", URL, json=load("sheets/error_429.json"), status=429, headers={"Retry-After": retry_after})
    rsps.add("GET", URL, json={"properties": {"title": "ММО"}})
    assert get(client(clock)) == {"properties": {"title": "ММО"}}
    assert len(rsps.calls) == 4
    assert clock.sleeps[:2] == [7.5, 3.5]                   # Retry-After + half of the 1 s jitter
    assert 28.5 <= clock.sleeps[2] <= 31                     # an HTTP date, 30 s ahead


def test_server_errors_back_off_exponentially_then_succeed(rsps, clock):
    for status in (500, 503, 502):
        rsps.add("GET", URL, json=load("sheets/error_503.json"), status=status)
    rsps.add("GET", URL, json={"properties": {"title": "ММО"}})
    get(client(clock))
    assert len(rsps.calls) == 4
    assert clock.sleeps == [0.75, 1.5, 3.0]                  # 1, 2, 4 s: half fixed, half random (0.5)


def test_a_connect_timeout_is_retried(rsps, clock):
    rsps.add("GET", URL, body=requests.exceptions.ConnectTimeout("connect timed out"))
    rsps.add("GET", URL, body=requests.exceptions.ConnectTimeout("connect timed out"))
    rsps.add("GET", URL, json={"properties": {"title": "ММО"}})
    assert get(client(clock))["properties"]["title"] == "ММО"
    assert len(rsps.calls) == 3 and len(clock.sleeps) == 2


def test_a_read_timeout_is_retried_for_a_get_but_not_for_a_post(rsps, clock):
    rsps.add("GET", URL, body=requests.exceptions.ReadTimeout("read timed out"))
    rsps.add("GET", URL, json={"properties": {"title": "ММО"}})
    get(client(clock))
    rsps.add("POST", f"{URL}:batchUpdate", body=requests.exceptions.ReadTimeout("read timed out"))
    with pytest.raises(requests.exceptions.ReadTimeout):
        client(clock).http_client.batch_update(SID, {"requests": []})
    assert len(rsps.calls) == 3


@pytest.mark.parametrize("status, name", [(400, "error_400_not_a_sheet"), (403, "error_403"), (404, "error_404")])
def test_other_client_errors_are_not_retried(rsps, clock, status, name):
    rsps.add("GET", URL, json=load(f"sheets/{name}.json"), status=status)
    with pytest.raises(APIError):
        get(client(clock))
    assert len(rsps.calls) == 1 and clock.sleeps == []


def test_retries_stop_after_the_maximum_attempts_with_a_russian_message(rsps, clock):
    rsps.add("GET", URL, json=load("sheets/error_429.json"), status=429, headers={"Retry-After": "1"})
    reader = GSheetReader(client(clock, policy=RetryPolicy(max_attempts=4, max_total=600)),
                          service_account_email="mo-docs@mo-docs-prod.iam.gserviceaccount.com")
    with pytest.raises(GoogleSourceError) as info:
        reader.read(SID)
    err = info.value
    assert len(rsps.calls) == 4 and len(clock.sleeps) == 3
    assert err.code == "workbook.unreadable" and err.reason == "rate_limited"
    assert "Google ограничивает число запросов" in err.message and "через минуту" in err.message
    assert err.__cause__.retry_attempts == 4


def test_retries_stop_at_the_time_cap_without_sleeping_in_vain(rsps, clock):
    rsps.add("GET", URL, json=load("sheets/error_429.json"), status=429, headers={"Retry-After": "40"})
    with pytest.raises(APIError):
        get(client(clock, policy=RetryPolicy(max_attempts=10, max_total=90)))
    # 40.5 + 40.5 = 81 s slept; a third wait would end past 90 s, so it is not started
    assert clock.sleeps == [40.5, 40.5] and len(rsps.calls) == 3


def test_a_persistent_server_error_ends_as_google_unavailable(rsps, clock):
    rsps.add("GET", URL, json=load("sheets/error_503.json"), status=503)
    reader = GSheetReader(client(clock))
    with pytest.raises(GoogleSourceError) as info:
        reader.read(SID)
    assert info.value.reason == "unavailable" and "не отвечают" in info.value.message
    assert len(rsps.calls) == RetryPolicy().max_attempts
    assert sum(clock.sleeps) <= RetryPolicy().max_total


def test_the_client_takes_a_slot_from_both_sheets_quotas_before_every_attempt(rsps, clock):
    limiter = MemoryRateLimiter(clock=clock)
    c = client(clock, limiter=limiter, user="sa@x.iam.gserviceaccount.com", per_user=3, per_project=300)
    rsps.add("GET", URL, json={"properties": {"title": "ММО"}})
    for _ in range(3):                      # 3 × 0.95 → 2 per minute for this user
        get(c)
    assert clock.sleeps == [60.0]           # the third waited for the first to leave the window
    # both first requests left at t=0 and the third at t=60: the window (0, 60] holds one
    assert limiter.count("sheets:read:project") == 1 == limiter.count("sheets:read:user:sa@x.iam.gserviceaccount.com")


def test_drive_calls_do_not_count_against_the_sheets_quota(clock):
    c = client(clock, user="sa")
    assert c.http_client.rates_for("GET", "https://www.googleapis.com/drive/v3/files") == {}
    assert set(c.http_client.rates_for("POST", f"{URL}:batchUpdate")) == {"sheets:write:user:sa",
                                                                           "sheets:write:project"}


# ---------------------------------------------------------------- Retry-After

def test_retry_after_reads_seconds_and_http_dates():
    now = dt.datetime(2024, 11, 14, 9, 30, tzinfo=dt.timezone.utc)
    assert retry_after_seconds("12", now) == 12
    assert retry_after_seconds(" 2.5 ", now) == 2.5
    assert retry_after_seconds("Thu, 14 Nov 2024 09:30:45 GMT", now) == 45
    assert retry_after_seconds("Thu, 14 Nov 2024 09:29:00 GMT", now) == 0      # already past
    assert retry_after_seconds("soon", now) is None and retry_after_seconds(None, now) is None
    assert retry_after_seconds("-5", now) == 0


# ---------------------------------------------------------------- googleapiclient

def run(clock, **kw):
    return functools.partial(execute, sleep=clock.sleep, clock=clock, random=HALF, **kw)


def test_execute_retries_429_5xx_and_drive_rate_limit_403(clock):
    svc, http = drive([
        fail(429, load("sheets/error_429.json"), **{"retry-after": "5"}),
        fail(500, {"error": {"code": 500, "message": "Internal Error"}}),
        fail(403, load("drive/error_403_rate_limit.json")),
        ok(load("drive/start_page_token.json")),
    ])
    got = run(clock)(svc.changes().getStartPageToken(supportsAllDrives=True))
    assert got["startPageToken"] == "4001"
    assert clock.sleeps == [5.5, 1.5, 3.0] and http.left == 0


def test_execute_does_not_retry_a_permission_403(clock):
    svc, http = drive([fail(403, load("drive/error_403_insufficient_permissions.json")), ok({})])
    with pytest.raises(HttpError):
        run(clock)(svc.files().get(fileId="f", supportsAllDrives=True))
    assert clock.sleeps == [] and http.left == 1


def test_execute_retries_a_timeout_only_when_repeating_is_harmless(clock):
    svc, http = drive([TimeoutError("timed out"), ok({"id": "f"})])
    with pytest.raises(TimeoutError):
        run(clock)(svc.files().create(body={"name": "x"}, supportsAllDrives=True))      # a POST
    svc, http = drive([TimeoutError("timed out"), ok({"id": "f"})])
    assert run(clock)(svc.files().create(body={"id": "f", "name": "x"}, supportsAllDrives=True),
                      idempotent=True) == {"id": "f"}
    svc, http = drive([TimeoutError("timed out"), ok({"id": "f"})])
    assert run(clock)(svc.files().get(fileId="f", supportsAllDrives=True)) == {"id": "f"}   # a GET


def test_execute_gives_up_after_the_maximum_attempts(clock):
    svc, http = drive([fail(503, {"error": {"code": 503, "message": "Backend Error"}})] * 3 + [ok({})])
    with pytest.raises(HttpError) as info:
        run(clock, policy=RetryPolicy(max_attempts=3))(svc.files().get(fileId="f", supportsAllDrives=True))
    assert info.value.resp.status == 503 and info.value.retry_attempts == 3 and http.left == 1
