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
    import service.filing.drive  # noqa: F401
    import service.google.changes  # noqa: F401
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
    assert len(before) == 3 and versions == 3

    engine = make_engine(f"sqlite:///{db}")
    assert current(engine) == head()
    assert schema_drift(engine) == []
    from service.workspace.models import Association
    from service.db import DocumentVersion
    from sqlalchemy.orm import Session
    with Session(engine) as s:
        assert [(a.slug, a.name) for a in s.scalars(select(Association).order_by(Association.slug))] == before
        assert len(s.scalars(select(DocumentVersion)).all()) == versions


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


def test_snapshots_of_an_older_database_keep_their_findings_and_gain_an_empty_summary(tmp_path):
    """0002 adds the summary the association page shows; older checks have none (the page
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
