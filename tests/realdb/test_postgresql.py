"""The service on a real PostgreSQL server (MO_DOCS_DATABASE_URL=postgresql+psycopg://…):
the whole web path (add an association, ask for a document through the API, follow
its job, list the documents), races the job-record suite (tests/realdb/test_jobs_postgresql.py
runs the whole of tests/workspace/test_jobs.py here) does not cover, and the times
the API gives.  Every test has a database of its own on the session's server, which
tests/realdb/conftest.py starts; the server's time zone is not UTC on purpose."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import select, text

from service import create_app
from service.db import DocumentVersion, utcnow
from service.workspace import jobs
from service.workspace.models import Association, AuditEvent, Job
from tests.accounts.factories import signed_in_client
from tests.factories import association
from tests.support.servers import PG_TIMEZONE
from tests.web.helpers import Contract, docx_text, upload
from tests.workspace import aware
from tests.workspace.test_jobs import LEASE, in_parallel, new_job, row

API = "/api/v1"
ROUNDS = 10                  # each race is run this many times, on fresh rows
POSTGRESQL = pytest.mark.system("postgresql")
UTC_OFFSET = re.compile(r"\+00:00$")


@pytest.fixture
def app(pg_url, tmp_path):
    application = create_app({"INSTANCE": str(tmp_path / "instance"), "TESTING": True, "QUEUE_URL": "memory://",
                              "SECRET_KEY": "test", "DATABASE_URL": pg_url})
    yield application
    application.extensions["workspace"].engine.dispose()


@pytest.fixture
def ws(app):
    return app.extensions["workspace"]


@pytest.fixture
def client(app):
    return signed_in_client(app)


@pytest.fixture
def contract(client) -> Contract:
    return Contract(client.get(f"{API}/openapi.json").get_json())


def add(ws, tmp_path: Path, book=None) -> Association:
    path = (book or association("zdvinsky-mmo")).save(tmp_path / "mmo.xlsx")
    return ws.add_association(str(path), "Петрова А.И.")


def api(client, contract, method: str, path: str, template: str, status: int, body=None) -> dict:
    r = client.open(f"{API}{path}", method=method, json=body)
    assert r.status_code == status, r.get_data(as_text=True)
    contract.response(template, method, status, r.get_json())
    return r.get_json()


# ---------------------------------------------------------------- the server is the one asked for

@POSTGRESQL
def test_the_workspace_lives_in_postgresql(ws, pg_url):
    assert ws.engine.dialect.name == "postgresql" and ws.engine.dialect.driver == "psycopg"
    with ws.engine.connect() as conn:
        assert conn.execute(text("SHOW TimeZone")).scalar() == PG_TIMEZONE
        tables = set(conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())
    assert {"associations", "jobs", "snapshots", "audit_log", "document_versions"} <= tables


# ---------------------------------------------------------------- the web path

@POSTGRESQL
def test_request_a_document_through_the_api_and_follow_it(ws, client, contract, tmp_path):
    a = add(ws, tmp_path)
    listed = api(client, contract, "get", "/associations", "/associations", 200)["associations"]
    assert [(x["slug"], x["status"]["errors"]) for x in listed] == [(a.slug, 0)]

    accepted = api(client, contract, "post", f"/associations/{a.slug}/documents", "/associations/{slug}/documents",
                   202, {"kind": "protocol", "meeting": 2})
    job = accepted["job"]
    assert accepted["created"] is True and job["state"] == "done"          # memory:// runs it inline
    followed = api(client, contract, "get", f"/jobs/{job['id']}", "/jobs/{job_id}", 200)
    assert followed["state"] == "done" and followed["attempts"] == 1 and followed["error"] is None
    assert followed["result"]["location"] == "Протокол №2 от 10.12.2024.docx"     # a name, not a server path
    (location,) = Path(ws.settings["DOCUMENTS_DIR"]).rglob("Протокол №2 от 10.12.2024.docx")
    assert followed["result"]["version"] == 1 and followed["result"]["changed"] is True

    docs = api(client, contract, "get", f"/associations/{a.slug}/documents", "/associations/{slug}/documents",
               200)["documents"]
    [doc] = docs
    assert (doc["kind"], doc["year"], doc["number"], doc["version"]) == ("protocol", "2024-2025", "2", 1)
    assert doc["requested_by"] == client.account.name                        # who asked, by name
    download = client.get(doc["download"])
    assert download.status_code == 200 and "ПРОТОКОЛ" in docx_text(download.data)

    # the job record, read back from PostgreSQL
    record = jobs.get(ws.sf, job["id"])
    assert (record.kind, record.state, record.attempts, record.worker is not None) == ("generate", "done", 1, True)
    assert (record.lease_until, record.dedupe_key, record.error) == (None, None, None)
    assert record.params == {"kind": "protocol", "meeting": 2, "plan_item": None, "force": False, "number": None,
                             "date": None, "format": None, "personal": False}
    assert record.created_at <= record.started_at <= record.finished_at <= utcnow()
    assert ws.by_id(a.id).lock_owner is None

    # the registry, and the audit trail, in PostgreSQL as well
    with ws.sf() as s:
        versions = s.scalars(select(DocumentVersion)).all()
        actions = s.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert [(v.association, v.kind, v.number, v.version, v.location) for v in versions] == [
        (a.slug, "protocol", "2", 1, str(location))]
    assert actions == ["association.add", "check", "document.generate"]

    again = api(client, contract, "post", f"/associations/{a.slug}/documents", "/associations/{slug}/documents",
                202, {"kind": "protocol", "meeting": 2})
    assert again["created"] is True and again["job"]["id"] != job["id"]    # the first ended: its key is free
    assert again["job"]["result"]["changed"] is False and again["job"]["result"]["version"] == 1
    assert [d["version"] for d in api(client, contract, "get", f"/associations/{a.slug}/documents",
                                      "/associations/{slug}/documents", 200)["documents"]] == [1]


@POSTGRESQL
def test_a_refused_document_fails_with_its_findings(ws, client, contract, tmp_path):
    book = association("zdvinsky-mmo")
    book.mark(1, present=6)                        # no quorum at meeting 1
    a = add(ws, tmp_path, book)
    job = api(client, contract, "post", f"/associations/{a.slug}/documents", "/associations/{slug}/documents",
              202, {"kind": "protocol", "meeting": 1})["job"]
    assert job["state"] == "failed" and job["error"]["code"] == "document.refused"
    assert any(f["code"] == "meeting.no_quorum" for f in job["error"]["findings"])   # JSON column round trip
    findings = api(client, contract, "get", f"/associations/{a.slug}/findings", "/associations/{slug}/findings",
                   200)
    assert findings["counts"]["error"] >= 1
    assert ws.documents(a) == []


@POSTGRESQL
def test_an_expired_lease_is_taken_over_by_exactly_one_worker(sf):
    for n in range(ROUNDS):
        job_id = new_job(sf)
        start = utcnow()
        assert jobs.claim(sf, job_id, "dead", LEASE, now=start)
        later = start + LEASE + dt.timedelta(seconds=1)
        names = iter(range(100))
        results, errors = in_parallel(8, lambda: jobs.claim(sf, job_id, f"w{n}-{next(names)}", LEASE, now=later))
        assert errors == [] and sorted(results) == [False] * 7 + [True]
        r = row(sf, job_id)
        assert r.attempts == 2 and r.worker != "dead" and aware(r.lease_until) == later + LEASE


@POSTGRESQL
def test_finish_and_a_late_claim_race_leaves_one_consistent_end(sf):
    """The owner finishing while seven others try to take over its (expired) lease: either
    the job is done by its owner, or one other worker took it and the finish was refused."""
    for n in range(ROUNDS):
        job_id = new_job(sf, f"k{n}")
        start = utcnow() - 2 * LEASE
        assert jobs.claim(sf, job_id, "owner", LEASE, now=start)
        names = iter(range(100))

        def act():
            i = next(names)
            if i == 0:
                return "finish", jobs.finish(sf, job_id, "owner", {"n": n})
            return "claim", jobs.claim(sf, job_id, f"w{i}", LEASE)

        results, errors = in_parallel(8, act)
        assert errors == []
        finished = dict(results)["finish"] if ("finish", True) in results else False
        claims = [ok for what, ok in results if what == "claim"]
        r = row(sf, job_id)
        if finished:
            assert r.state == jobs.DONE and r.worker == "owner" and r.result == {"n": n} and not any(claims)
        else:
            assert r.state == jobs.RUNNING and r.worker != "owner" and claims.count(True) == 1


@POSTGRESQL
def test_sweeping_on_postgresql(sf):
    start = utcnow()
    expired, live, last = new_job(sf), new_job(sf), new_job(sf, max_attempts=1)
    jobs.claim(sf, expired, "dead", dt.timedelta(seconds=3), now=start)
    jobs.claim(sf, live, "alive", LEASE, now=start)
    jobs.claim(sf, last, "dead", dt.timedelta(seconds=3), now=start)
    later = start + dt.timedelta(seconds=4)
    assert jobs.expire_exhausted(sf, now=later) == 1
    assert row(sf, last).state == jobs.FAILED and row(sf, last).error["code"] == "job.lost"
    assert jobs.to_requeue(sf, now=later) == [expired]
    lost = new_job(sf)                                     # recorded, but its message never reached the queue
    with sf() as s, s.begin():
        s.get(Job, lost).created_at = start - jobs.LOST_AFTER
    assert sorted(jobs.to_requeue(sf, now=later)) == sorted([expired, lost])


# ---------------------------------------------------------------- times

@POSTGRESQL
def test_times_are_stored_as_the_moment_they_were(sf):
    job_id = new_job(sf)
    now = dt.datetime(2025, 3, 1, 23, 30, 0, 123456, tzinfo=dt.timezone.utc)
    assert jobs.claim(sf, job_id, "w1", LEASE, now=now)
    r = row(sf, job_id)
    assert r.started_at == now and r.lease_until == now + LEASE          # the same instants, to the microsecond


def test_the_api_gives_times_in_utc(ws, client, contract, tmp_path):
    a = add(ws, tmp_path)
    job = api(client, contract, "post", f"/associations/{a.slug}/documents", "/associations/{slug}/documents",
              202, {"kind": "protocol", "meeting": 1})["job"]
    followed = api(client, contract, "get", f"/jobs/{job['id']}", "/jobs/{job_id}", 200)
    [doc] = api(client, contract, "get", f"/associations/{a.slug}/documents", "/associations/{slug}/documents",
                200)["documents"]
    one = api(client, contract, "get", f"/associations/{a.slug}", "/associations/{slug}", 200)
    findings = api(client, contract, "get", f"/associations/{a.slug}/findings", "/associations/{slug}/findings", 200)
    stamps = {"job.created_at": followed["created_at"], "job.finished_at": followed["finished_at"],
              "document.created_at": doc["created_at"], "association.checked_at": one["checked_at"],
              "findings.checked_at": findings["checked_at"]}
    for name, value in stamps.items():
        moment = dt.datetime.fromisoformat(value)
        assert abs(moment - utcnow()) < dt.timedelta(minutes=5), (name, value)   # the right instant either way
    assert {name: value for name, value in stamps.items() if not UTC_OFFSET.search(value)} == {}


def test_the_pages_show_the_moment_in_the_associations_time_zone(ws, client, tmp_path):
    import zoneinfo

    a = add(ws, tmp_path)
    row = ws.by_id(a.id)
    assert row.time_zone == "Asia/Novosibirsk"                          # «Здвинский район»
    expected = aware(row.checked_at).astimezone(zoneinfo.ZoneInfo(row.time_zone)).strftime("%d.%m.%Y %H:%M")
    body = client.get(f"/a/{a.slug}").get_data(as_text=True)
    shown = re.search(r"проверено (\d\d\.\d\d\.\d{4} \d\d:\d\d) \(Новосибирск, UTC\+7\)", body).group(1)
    assert shown == expected


# ---------------------------------------------------------------- what SQLite lets through

LONG_SHORT_NAME = "ММО " + "учителей математики " * 10          # 203 characters after trimming


def upload_long_named_and_generate(app, tmp_path) -> None:
    """Upload a workbook whose short name is 203 characters long (SQLite ignores VARCHAR
    lengths, PostgreSQL enforces them), then ask for a protocol."""
    client, ws = signed_in_client(app), app.extensions["workspace"]
    book = association("zdvinsky-mmo")
    book.info["Краткое наименование"] = LONG_SHORT_NAME
    r = upload(client, book.save(tmp_path / "long.xlsx").read_bytes())
    assert r.status_code == 302, f"upload answered {r.status_code}"
    [a] = ws.associations()
    assert a.short_name == LONG_SHORT_NAME.strip()
    job = client.post(f"{API}/associations/{a.slug}/documents", json={"kind": "protocol", "meeting": 1}).get_json()
    assert (job["job"]["state"], job["job"]["error"]) == ("done", None)


def test_a_long_short_name_is_accepted_on_sqlite(tmp_path):
    """The baseline for the test below: the same workbook works on the default SQLite."""
    app = create_app({"INSTANCE": str(tmp_path / "instance"), "TESTING": True, "QUEUE_URL": "memory://",
                      "SECRET_KEY": "test"})
    assert app.extensions["workspace"].engine.dialect.name == "sqlite"
    try:
        upload_long_named_and_generate(app, tmp_path)
    finally:
        app.extensions["workspace"].engine.dispose()


def test_a_long_short_name_is_accepted_on_postgresql(app, tmp_path):
    upload_long_named_and_generate(app, tmp_path)


@POSTGRESQL
def test_migrations_make_the_models_schema_on_postgresql(pg_url):
    from service.db import make_engine
    from service.migrations import current, head
    from tests.migrations.test_upgrade import schema_drift

    engine = make_engine(pg_url)
    try:
        assert current(engine) == head()
        assert schema_drift(engine) == []
        assert make_engine(pg_url) is not None          # a second start finds it current
    finally:
        engine.dispose()


@POSTGRESQL
def test_ids_past_postgresqls_integers_are_not_found(app, ws, client, tmp_path):
    """`integer out of range` was a 500 for /a/<slug>/documents/2147483648."""
    from tests.web.test_ids import OUT_OF_RANGE, answers

    a = add(ws, tmp_path)
    for value in OUT_OF_RANGE:
        seen = answers(app, client, a.slug, value)
        assert set(seen.values()) == {404}, seen
    assert set(answers(app, client, a.slug, "2147483647").values()) <= {404, 400}


@POSTGRESQL
def test_sign_in_attempts_at_the_same_moment_are_counted_one_after_another(sf):
    from service.accounts.throttle import FREE, Throttle
    from tests.accounts.test_throttle import refused_concurrently

    throttle = Throttle(sf, lockout=10, lockout_minutes=15)
    for _round in range(3):
        throttle.clear(["account:v@mo.example"])
        admitted, refused = refused_concurrently(throttle, 40, lambda i: Throttle.keys("v@mo.example", f"10.1.{i}.1"))
        assert (admitted, refused) == (FREE, 40 - FREE)
