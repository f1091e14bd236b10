"""No request can make the API answer 500: every value is checked by type and size
before use, bodies that are too deep, too large or not Unicode are refused, and a
locked database is a 503 with Retry-After, not a 500 after ten seconds."""
from __future__ import annotations

import json
import sqlite3
import time
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.accounts.factories import signed_in_client
from tests.factories import association
from tests.web.helpers import add, main, submit, visible

JSON = {"Content-Type": "application/json"}


@pytest.fixture
def queued(queued_app, tmp_path):
    """The API of a service whose jobs are queued but not run, with one association."""
    ws = queued_app.extensions["workspace"]
    a = add(ws, tmp_path, association("zdvinsky-mmo"))
    return signed_in_client(queued_app), a


def assert_refused(r, status: int = 400, code: str | None = None) -> dict:
    assert r.status_code == status, (r.status_code, r.get_data(as_text=True)[:300])
    error = r.json["error"]
    assert error["message"] and any("а" <= ch <= "я" for ch in error["message"].lower())
    if code:
        assert error["code"] == code
    return error


# ---------------------------------------------------------------- the cases people reported

@pytest.mark.parametrize("body, field", [
    ({"kind": "protocol", "meeting": {"a": 1}}, "meeting"),
    ({"kind": "protocol", "meeting": 1, "number": {"a": 1}}, "number"),
    ({"kind": "protocol", "meeting": 1, "number": ["45-ОД"]}, "number"),
    ({"kind": "order", "date": 20250101}, "date"),
    ({"kind": "order", "date": {"y": 2025}}, "date"),
    ({"kind": "protocol", "meeting": 1, "force": {"yes": True}}, "force"),
    ({"kind": ["protocol"], "meeting": 1}, "kind"),
    ({"kind": "protocol", "meeting": 10 ** 30}, "meeting"),
    ({"kind": "protocol", "meeting": float("inf")}, "meeting"),
    ({"kind": "protocol", "meeting": "1" * 5000}, "meeting"),
    ({"kind": "order", "number": "№" * 100_00}, "number"),
])
def test_a_value_of_the_wrong_type_or_size_is_a_400_naming_the_field(queued, body, field):
    client, a = queued
    r = client.post(f"/api/v1/associations/{a.slug}/documents", data=json.dumps(body), headers=JSON)
    error = assert_refused(r, 400, "request.invalid")
    if field:
        assert error["details"] == {"field": field}


@pytest.mark.parametrize("raw", [
    b'{"kind": "order", "number": "\\ud800"}',                      # a lone surrogate: valid JSON, not Unicode
    b'{"kind": "order", "\\udfff": 1}',
    b'{"source": "gsheet:\\ud83d"}',
    b'{"kind": "order", "number": "\xed\xa0\x80"}',              # the same as UTF-8 bytes (json lets them through)
    '{"kind": "order", "number": "x\ud800"}'.encode("utf-16-le", "surrogatepass"),   # a UTF-16 body
])
def test_lone_surrogates_are_refused(queued, raw):
    client, a = queued
    url = "/api/v1/associations" if b"source" in raw else f"/api/v1/associations/{a.slug}/documents"
    assert_refused(client.post(url, data=raw, headers=JSON), 400, "request.invalid")


def test_deep_and_huge_bodies_are_refused_quickly(queued):
    client, a = queued
    url = f"/api/v1/associations/{a.slug}/documents"
    start = time.monotonic()
    assert_refused(client.post(url, data=b"[" * 30_000 + b"]" * 30_000, headers=JSON), 400, "request.invalid")
    assert_refused(client.post(url, data=b"[" * 200_000 + b"]" * 200_000, headers=JSON), 413, "request.too_large")
    assert_refused(client.post(url, data=json.dumps({"kind": "order", "number": "x" * 200_000}), headers=JSON),
                   413, "request.too_large")
    assert_refused(client.post(url, data=b'{"kind": "order", "a": ' + b'{"b": ' * 40 + b"1" + b"}" * 41,
                               headers=JSON), 400, "request.invalid")
    assert time.monotonic() - start < 5


def test_a_good_request_still_works_and_numbers_may_come_as_text(queued):
    client, a = queued
    r = client.post(f"/api/v1/associations/{a.slug}/documents", headers=JSON,
                    data=json.dumps({"kind": "order", "number": 45, "date": "2025-09-02", "force": "true"}))
    assert r.status_code == 202
    assert r.json["job"]["params"] == {"kind": "order", "meeting": None, "plan_item": None, "force": True,
                                       "number": "45", "date": "2025-09-02", "format": None, "personal": False}
    r = client.post(f"/api/v1/associations/{a.slug}/documents", headers=JSON,
                    data=json.dumps({"kind": "protocol", "meeting": "2"}))
    assert r.status_code == 202 and r.json["job"]["params"]["meeting"] == 2


# ---------------------------------------------------------------- any JSON at all

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=12)
keys = st.sampled_from(["kind", "meeting", "plan_item", "force", "number", "date", "source", "regulation"])
bodies = st.dictionaries(keys | st.text(max_size=8), values, max_size=6) | values
kinds = st.sampled_from(["protocol", "registration-sheet", "order", "work-plan", "annual-report"])
document_requests = st.fixed_dictionaries({"kind": kinds}, optional={
    "meeting": values, "plan_item": values, "force": values, "number": values, "date": values})


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies | document_requests, route=st.sampled_from(["documents", "associations", "check", "annual"]))
def test_no_json_body_makes_the_api_answer_5xx(queued, body, route):
    client, a = queued
    url = {"documents": f"/api/v1/associations/{a.slug}/documents", "associations": "/api/v1/associations",
           "check": f"/api/v1/associations/{a.slug}/check", "annual": "/api/v1/reports/annual"}[route]
    r = client.post(url, data=json.dumps(body), headers=JSON)
    assert r.status_code < 500, (r.status_code, body, r.get_data(as_text=True)[:300])
    if r.status_code >= 400:
        assert set(r.json) == {"error"} and r.json["error"]["code"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=200), segment=st.text(max_size=40))
def test_no_bytes_and_no_path_make_the_api_answer_5xx(queued, raw, segment):
    client, a = queued
    r = client.post(f"/api/v1/associations/{a.slug}/documents", data=raw, headers=JSON)
    assert r.status_code < 500, (r.status_code, raw)
    for url in (f"/api/v1/associations/{quote(segment, safe='')}", f"/api/v1/jobs/{quote(segment, safe='')}",
                f"/api/v1/associations/{quote(segment, safe='')}/findings"):
        r = client.get(url)
        assert r.status_code < 500, (r.status_code, url)


def test_the_openapi_description_lists_503_and_413(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    post = paths["/associations/{slug}/documents"]["post"]["responses"]
    assert {"413", "503"} <= set(post) and "503" in paths["/jobs/{job_id}"]["get"]["responses"]


# ---------------------------------------------------------------- a locked database

@pytest.fixture
def locked(make_app, tmp_path):
    """A service that waits 0.3 s for a locked database, and a connection that holds the
    write lock of its SQLite file (as a long write of another process would)."""
    app = make_app(DATABASE_BUSY_SECONDS=0.3, QUEUE_URL=f"sqlite:///{tmp_path / 'queue.sqlite'}")
    ws = app.extensions["workspace"]
    a = add(ws, tmp_path, association("zdvinsky-mmo"))
    client = signed_in_client(app)
    token_page = client.get("/")                                   # a session and its CSRF token first
    assert token_page.status_code == 200
    holder = sqlite3.connect(ws.engine.url.database, timeout=0)
    holder.execute("BEGIN IMMEDIATE")
    yield client, a
    holder.rollback()
    holder.close()


def test_a_locked_database_is_a_503_with_retry_after_for_the_api(locked):
    client, a = locked
    start = time.monotonic()
    r = client.post(f"/api/v1/associations/{a.slug}/check", headers=JSON, data="{}")
    assert time.monotonic() - start < 3
    assert r.status_code == 503 and r.headers["Retry-After"] == "5"
    assert r.json["error"]["code"] == "service.busy" and "Повторите" in r.json["error"]["message"]
    assert client.get(f"/api/v1/associations/{a.slug}").status_code == 200       # reading still works (WAL)


def test_a_locked_database_is_a_russian_503_page_for_people(locked):
    client, a = locked
    r = submit(client, f"/a/{a.slug}/check", page=f"/a/{a.slug}")
    assert r.status_code == 503 and r.headers["Retry-After"] == "5" and r.mimetype == "text/html"
    assert "База данных службы сейчас занята" in visible(main(r.get_data(as_text=True)))


def _nesting(value) -> int:
    if isinstance(value, dict):
        return 1 + max((_nesting(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_nesting(v) for v in value), default=0)
    return 0


_documents = st.recursive(st.one_of(st.none(), st.integers(), st.text(alphabet='[]{}"\\ab\u0416\ud7ff', max_size=6)),
                          lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                  st.dictionaries(st.text(alphabet='[]{}"\\a', max_size=4), inner,
                                                                  max_size=3)), max_leaves=25)


@given(_documents, st.booleans())
def test_the_depth_is_measured_on_the_bytes_as_the_parser_would_nest(document, ascii_only):
    from service.web.validation import _depth

    raw = json.dumps(document, ensure_ascii=ascii_only).encode()
    assert _depth(raw) == _nesting(json.loads(raw))
