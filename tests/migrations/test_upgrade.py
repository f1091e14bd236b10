"""The schema is made by migrations alone: a new database, one made by the first
release's `create_all` (tests/data/legacy/workspace-0.1.0.sqlite, written by 0.1.0
with its three demo associations), and several processes starting at once all end
at the newest revision with the models' exact schema and no data lost."""
from __future__ import annotations

import multiprocessing
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, select, text

from service.db import Base, make_engine
from service.migrations import current, head, upgrade

LEGACY = Path(__file__).resolve().parents[1] / "data" / "legacy" / "workspace-0.1.0.sqlite"
REPO = Path(__file__).resolve().parents[2]


def all_models() -> None:
    """Import every module that declares tables, so Base.metadata is the whole schema."""
    import service.accounts.models  # noqa: F401
    import service.filing.drive  # noqa: F401
    import service.google.changes  # noqa: F401
    import service.google.push  # noqa: F401
    import service.desk.models  # noqa: F401
    import service.workspace.models  # noqa: F401


def schema_drift(engine) -> list:
    """What autogenerate would add or change: empty when migrations and models agree."""
    all_models()
    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn), Base.metadata)


def test_a_new_database_is_made_by_migrations_and_matches_the_models(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'new.sqlite'}")
    assert current(engine) == head()
    assert schema_drift(engine) == []


def test_a_database_of_the_first_release_is_upgraded_with_its_data(tmp_path):
    db = tmp_path / "old.sqlite"
    shutil.copyfile(LEGACY, db)
    plain = create_engine(f"sqlite:///{db}")
    assert current(plain) is None
    assert not inspect(plain).has_table("drive_documents")       # 0.1.0 made it only when Drive was used
    with plain.connect() as conn:
        before = conn.execute(text("SELECT slug, name FROM associations ORDER BY slug")).all()
        versions = conn.execute(text("SELECT count(*) FROM document_versions")).scalar()
        kept = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in ("snapshots", "audit_log", "jobs")}
    assert len(before) == 3 and versions == 3 and all(kept.values())

    engine = make_engine(f"sqlite:///{db}")
    assert current(engine) == head()
    assert schema_drift(engine) == []
    from service.workspace.models import Association
    from service.db import DocumentVersion
    from sqlalchemy.orm import Session
    with Session(engine) as s:
        assert [(a.slug, a.name) for a in s.scalars(select(Association).order_by(Association.slug))] == before
        assert len(s.scalars(select(DocumentVersion)).all()) == versions
    with engine.connect() as conn:                  # nothing cascaded away while the schema changed
        assert {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in kept} == kept


def test_documents_of_the_first_release_stay_listed_and_downloadable_after_the_switch_to_slugs(tmp_path):
    """0.1.0 filed under the short name (`label`); documents are now keyed and filed by the
    unique slug: the registry's rows follow their association, the files stay where they are."""
    instance = tmp_path / "instance"
    instance.mkdir()
    db = instance / "mo-docs.sqlite"
    shutil.copyfile(LEGACY, db)
    old_root = "/tmp/legacy/instance"                       # where 0.1.0 ran; this instance is the same one
    plain = create_engine(f"sqlite:///{db}")
    with plain.begin() as conn:
        for table, column in (("document_versions", "location"), ("associations", "source")):
            conn.execute(text(f"UPDATE {table} SET {column} = replace({column}, :old, :new)"),
                         {"old": old_root, "new": str(instance)})
        rows = conn.execute(text("SELECT association, location FROM document_versions")).all()
    for label, location in rows:
        Path(location).parent.mkdir(parents=True, exist_ok=True)
        Path(location).write_bytes(f"PK document of {label}".encode())
    plain.dispose()

    from service import create_app
    from tests.accounts.factories import signed_in_client
    app = create_app({"INSTANCE": str(instance), "TESTING": True, "SECRET_KEY": "k", "QUEUE_URL": "memory://"})
    client = signed_in_client(app)
    ws = app.extensions["workspace"]
    by_slug = {a.slug: a for a in ws.associations()}
    assert set(by_slug) == {"mmo-matematikov", "gpmo-istorikov", "mmo-nachalnykh-klassov"}
    for label, location in rows:
        a = next(x for x in by_slug.values() if x.short_name == label)
        [doc] = ws.documents(a)
        assert doc.association == a.slug and doc.location == location
        page = client.get(f"/a/{a.slug}").get_data(as_text=True)
        assert "План работы на 2025-2026 учебный год.docx" in page
        r = client.get(f"/a/{a.slug}/documents/{doc.id}")
        assert r.status_code == 200 and r.data == f"PK document of {label}".encode()
        assert [v.source for v in ws.workbook_versions(a.id)] == [a.source]      # its workbook is version 1
        assert a.register_key and a.territory_key


def _start(url: str, queue) -> None:
    try:
        queue.put(upgrade(create_engine(url)))
    except Exception as exc:                      # reported to the test, which fails with it
        queue.put(repr(exc))


def test_processes_starting_together_upgrade_once_and_all_succeed(tmp_path):
    db = tmp_path / "race.sqlite"
    shutil.copyfile(LEGACY, db)
    url = f"sqlite:///{db}"
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_start, args=(url, queue)) for _ in range(4)]
    for p in procs:
        p.start()
    results = [queue.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(30)
    assert results == [head()] * 4
    with create_engine(url).connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1


def test_db_commands_report_and_upgrade(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    shutil.copyfile(LEGACY, instance / "mo-docs.sqlite")
    env = {"PATH": "/usr/bin:/bin", "MO_DOCS_INSTANCE": str(instance)}

    def mo_docs(*args):
        return subprocess.run([sys.executable, "-m", "service.cli", *args], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=60)

    shown = mo_docs("db", "current")
    assert shown.returncode == 0, shown.stderr
    assert "без версии" in shown.stdout
    done = mo_docs("db", "upgrade")
    assert done.returncode == 0, done.stderr
    assert f"без версии → {head()}" in done.stdout
    again = mo_docs("db", "upgrade")
    assert "уже последней версии" in again.stdout
    assert current(create_engine(f"sqlite:///{instance / 'mo-docs.sqlite'}")) == head()


def test_only_one_head(tmp_path):
    """Two branches adding migrations on the same parent must be re-chained (or merged)."""
    assert head()


def test_a_database_of_0_1_with_drive_documents_keeps_whom_they_were_shared_with(tmp_path):
    """0002 adds the file name people see (old rows keep showing their location's last
    part); 0003 turns `drive_documents.shared_with` into `drive_shares` rows, so a curator
    given access before the upgrade is not asked again."""
    url = f"sqlite:///{tmp_path / 'drive.sqlite'}"
    engine = create_engine(url)
    assert upgrade(engine, "0001_baseline") == "0001_baseline"
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO drive_documents (key_hash, association, kind, year, number, file_id, state, head_revision, "
            "shared_with, created_at, updated_at) VALUES ('k1', 'ММО', 'protocol', '2024-2025', '2', '1FileA', "
            "'filed', 'rev1', 'curator@school.edu.ru', '2025-01-01 10:00:00', '2025-01-02 10:00:00'), "
            "('k2', 'ММО', 'order', '2024-2025', '', '1FileB', 'filed', 'rev1', NULL, "
            "'2025-01-01 10:00:00', '2025-01-02 10:00:00')"))
        conn.execute(text(
            "INSERT INTO document_versions (association, kind, year, number, version, location, sha256, "
            "source_sha256, created_at, requested_by) VALUES ('ММО', 'protocol', '2024-2025', '2', 1, "
            "'/srv/documents/ММО/2024-2025/Протоколы/Протокол №2.docx', 'a', 'b', '2025-01-01 10:00:00', '')"))
    engine = make_engine(url)
    assert current(engine) == head() and schema_drift(engine) == []
    with engine.connect() as conn:
        shares = conn.execute(text("SELECT file_id, email, state FROM drive_shares")).all()
        columns = {c["name"] for c in inspect(conn).get_columns("drive_documents")}
    assert shares == [("1FileA", "curator@school.edu.ru", "shared")]
    assert "shared_with" not in columns and {"mime_type", "web_link"} <= columns
    from sqlalchemy.orm import Session

    from service.db import DocumentVersion
    with Session(engine) as s:
        [v] = s.scalars(select(DocumentVersion)).all()
    assert v.name is None and v.file_name == "Протокол №2.docx"


def test_snapshots_of_an_older_database_keep_their_findings_and_gain_an_empty_summary(tmp_path):
    """0006 adds the summary the association page shows; older checks have none (the page
    asks for a new check) and lose nothing."""
    db = tmp_path / "old.sqlite"
    shutil.copyfile(LEGACY, db)
    with create_engine(f"sqlite:///{db}").connect() as conn:
        before = conn.execute(text("SELECT id, findings, counts FROM snapshots ORDER BY id")).all()
    assert before
    engine = make_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        after = conn.execute(text("SELECT id, findings, counts, summary FROM snapshots ORDER BY id")).all()
    assert [tuple(r[:3]) for r in after] == [tuple(r) for r in before]
    assert all(r[3] is None for r in after)


def test_an_older_database_gains_the_desk_and_its_associations_wait_for_their_next_check(tmp_path):
    """0007 adds each association's compliance row, obligations and time zone (empty until
    its next check: the matrix says «не проверено») and each account's digest (on)."""
    from service import create_app
    from service.accounts import directory
    from service.desk.matrix import Query, load

    db = tmp_path / "old.sqlite"
    shutil.copyfile(LEGACY, db)
    app = create_app({"INSTANCE": str(tmp_path / "instance"), "TESTING": True, "QUEUE_URL": "memory://",
                      "SECRET_KEY": "t", "DATABASE_URL": f"sqlite:///{db}"})
    ws = app.extensions["workspace"]
    assert current(ws.engine) == head()
    rows = load(ws, None, Query()).rows
    assert rows and {r.status for r in rows} <= {"unchecked", "unreadable"}
    account = directory.create(ws.sf, "curator@old.example", "curator", name="Куратор")
    with ws.engine.connect() as conn:
        assert conn.execute(text("SELECT digest FROM accounts WHERE id = :i"), {"i": account.id}).scalar() in (1, True)
    a = ws.associations()[0]
    if not a.unreadable and Path(a.source).is_file():
        ws.check(a.id)
        assert ws.by_id(a.id).compliance is not None


def test_grants_of_an_older_database_keep_what_their_accounts_could_do(tmp_path):
    """0008 gives every granted association a role of its own (the account's role until
    then); offers from «Состав» become offers for a head."""
    url = f"sqlite:///{tmp_path / 'roles.sqlite'}"
    engine = create_engine(url)
    assert upgrade(engine, "0006_snapshot_summary") == "0006_snapshot_summary"
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO associations (id, slug, name, short_name, territory, label, source, curator, "
                          "created_at) VALUES (1, 'a', 'ММО', 'ММО', 'Т', 'ММО', '/x.xlsx', '', '2025-01-01 10:00:00')"))
        for i, role in enumerate(("head", "member", "curator"), start=1):
            conn.execute(text("INSERT INTO accounts (id, email, name, role, active, created_at) VALUES "
                              f"({i}, '{role}@x.example', '', '{role}', 1, '2025-01-01 10:00:00')"))
            conn.execute(text("INSERT INTO account_associations (account_id, association_id, state, created_at) "
                              f"VALUES ({i}, 1, 'granted', '2025-01-01 10:00:00')"))
        conn.execute(text("INSERT INTO accounts (id, email, name, role, active, created_at) VALUES "
                          "(4, 'offered@x.example', '', 'member', 1, '2025-01-01 10:00:00')"))
        conn.execute(text("INSERT INTO account_associations (account_id, association_id, state, created_at) "
                          "VALUES (4, 1, 'offered', '2025-01-01 10:00:00')"))
    engine = make_engine(url)
    assert current(engine) == head() and schema_drift(engine) == []
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT account_id, state, role FROM account_associations ORDER BY account_id")).all()
    assert [tuple(r) for r in rows] == [(1, "granted", "head"), (2, "granted", "member"), (3, "granted", "curator"),
                                        (4, "offered", "head")]
