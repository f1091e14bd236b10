"""`mo-docs backup DIR` and `mo-docs restore DIR`: the database and the files that go with
it, copied together so they can be put back together.

- The database: SQLite through its online backup API (a consistent copy while the service
  runs); PostgreSQL with `pg_dump --format=custom` (restored with `pg_restore`).
- The files: the workbooks and documents folders and the instance's `config.py` and
  `secret_key` (sessions, invitation links), as one tar archive.
- `manifest.json` says what was copied, from where, at which schema revision.

The database stores the files' full paths, so a restore puts them back where they were:
restore on a machine laid out the same way (docs/deploy.md uses /var/lib/mo-docs).  A
restore refuses to write over a database or folders that already hold data.
"""
from __future__ import annotations

import datetime as dt
import glob
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

FORMAT = 1


class BackupError(Exception):
    pass


def _pg_tool(name: str) -> str:
    def version(path: str) -> tuple:
        return tuple(int(x) for x in re.findall(r"\d+", Path(path).parts[-3]))

    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=version)
    tool = found[-1] if found else shutil.which(name)
    if not tool:
        raise BackupError(f"не найдена программа {name}: установите пакет postgresql-client")
    return tool


def _libpq_url(url) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _folders(settings, instance: Path) -> dict[str, Path]:
    return {"workbooks": Path(settings["WORKBOOKS_DIR"]), "documents": Path(settings["DOCUMENTS_DIR"]),
            "instance": instance}


def backup(settings, instance: Path, target: Path) -> dict:
    """Write a backup into `target` (a new or empty folder); returns the manifest."""
    from service.migrations import current

    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"папка {target} не пуста: укажите новую")
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    url = make_url(settings["DATABASE_URL"])
    engine = create_engine(url)
    revision = current(engine)
    with engine.connect() as conn:
        counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                  for t in ("associations", "document_versions", "accounts") if inspect(conn).has_table(t)}
    engine.dispose()
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(url.database)
        copy = sqlite3.connect(target / "database.sqlite")
        with copy:
            source.backup(copy)
        source.close()
        copy.close()
        database = "database.sqlite"
    elif url.get_backend_name() == "postgresql":
        out = target / "database.dump"
        r = subprocess.run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                            f"--file={out}", f"--dbname={_libpq_url(url)}"], capture_output=True, text=True,
                           timeout=3600)
        if r.returncode != 0:
            raise BackupError(f"pg_dump не смог выгрузить базу: {r.stderr.strip()[:500]}")
        database = "database.dump"
    else:
        raise BackupError(f"резервное копирование базы {url.get_backend_name()} не поддерживается")
    folders = _folders(settings, instance)
    with tarfile.open(target / "files.tar", "w") as tar:
        for name in ("workbooks", "documents"):
            if folders[name].is_dir():
                tar.add(folders[name], arcname=name)
        for extra in ("config.py", "secret_key"):
            if (instance / extra).is_file():
                tar.add(instance / extra, arcname=f"instance/{extra}")
    manifest = {"format": FORMAT, "made_at": dt.datetime.now(dt.timezone.utc).isoformat(), "revision": revision,
                "database": database, "backend": url.get_backend_name(), "counts": counts,
                "folders": {k: str(v) for k, v in folders.items()}}
    (target / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest


def _empty_database(url) -> bool:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("associations"):
                return True
            return not conn.execute(text("SELECT count(*) FROM associations")).scalar()
    finally:
        engine.dispose()


def restore(settings, instance: Path, source: Path) -> dict:
    """Put a backup back: into an empty database, files to where they were."""
    source = Path(source)
    try:
        manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError(f"в {source} нет manifest.json: это не резервная копия mo-docs")
    if manifest.get("format") != FORMAT:
        raise BackupError(f"неизвестный формат резервной копии: {manifest.get('format')!r}")
    folders = _folders(settings, instance)
    for name in ("workbooks", "documents"):
        if str(folders[name]) != manifest["folders"][name]:
            raise BackupError(f"копия сделана с папкой {name} = {manifest['folders'][name]}, а здесь {folders[name]}: "
                              "база хранит полные пути, восстанавливайте с теми же папками (MO_DOCS_WORKBOOKS_DIR, "
                              "MO_DOCS_DOCUMENTS_DIR)")
        if folders[name].is_dir() and any(folders[name].iterdir()):
            raise BackupError(f"папка {folders[name]} не пуста: восстановление ничего не перезаписывает")
    url = make_url(settings["DATABASE_URL"])
    if url.get_backend_name() != manifest["backend"]:
        raise BackupError(f"копия базы {manifest['backend']}, а настроена {url.get_backend_name()}")
    if url.get_backend_name() == "sqlite":
        db = Path(url.database)
        if db.exists() and not _empty_database(url):
            raise BackupError(f"в базе {db} уже есть объединения: восстановление ничего не перезаписывает")
        db.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(source / manifest["database"], db)
        os.chmod(db, 0o600)
    else:
        if not _empty_database(url):
            raise BackupError("в базе PostgreSQL уже есть объединения: восстанавливайте в пустую базу")
        r = subprocess.run([_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
                            f"--dbname={_libpq_url(url)}", str(source / manifest["database"])],
                           capture_output=True, text=True, timeout=3600)
        if r.returncode != 0:
            raise BackupError(f"pg_restore не смог загрузить базу: {r.stderr.strip()[:500]}")
    with tarfile.open(source / "files.tar") as tar:
        for member in tar.getmembers():
            top, _, rest = member.name.partition("/")
            if top not in folders or not (member.isfile() or member.isdir()):
                continue
            dest = folders[top] / rest if rest else folders[top]
            if not dest.resolve().is_relative_to(folders[top].resolve()):
                continue                                  # nothing leaves its folder
            if member.isdir():
                dest.mkdir(mode=0o700, parents=True, exist_ok=True)
            elif top != "instance" or not dest.exists():
                dest.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                with tar.extractfile(member) as fh, open(dest, "wb") as out:
                    shutil.copyfileobj(fh, out)
                os.chmod(dest, 0o600)
    return manifest
