"""Filing into a local folder, the embedded stand-in for a shared Drive folder.

<root>/<Краткое наименование>/<2024-2025>/Протоколы/Протокол №2 от 14.11.2024.docx

A document is written to a temporary file in its folder, flushed to disk and then
renamed over the old one, so a reader never sees half a document.  The previous
version is moved to `.versions/` first and recorded in the registry.  One lock per
document key serialises two clicks on the same button.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
from contextlib import contextmanager
from pathlib import Path

from service.db import make_engine
from service.filing.base import KIND_FOLDERS, DocumentKey, Filed, safe_name, sha256
from service.filing.registry import Registry

VERSIONS = ".versions"


class LocalFiler:
    def __init__(self, root: Path, registry: Registry | None = None):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        meta = self.root / ".mo-docs"
        meta.mkdir(exist_ok=True)
        self._locks = meta / "locks"
        self._locks.mkdir(exist_ok=True)
        self.registry = registry or Registry(make_engine(f"sqlite:///{meta / 'registry.sqlite'}"))

    def folder(self, key: DocumentKey) -> Path:
        return (self.root / safe_name(key.association, "МО") / safe_name(key.year, "год")
                / KIND_FOLDERS[key.kind])

    @contextmanager
    def _lock(self, key: DocumentKey):
        name = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
        with open(self._locks / f"{name}.lock", "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def file(self, key: DocumentKey, filename: str, content: bytes, source_sha256: str,
             requested_by: str = "") -> Filed:
        folder = self.folder(key)
        path = folder / safe_name(filename)
        digest = sha256(content)
        with self._lock(key):
            last = self.registry.latest(key)
            if last and last.sha256 == digest and Path(last.location) == path and path.exists() \
                    and sha256(path.read_bytes()) == digest:
                return Filed(key, str(path), last.version, digest, changed=False)
            folder.mkdir(parents=True, exist_ok=True)
            stored_as = None
            previous = Path(last.location) if last else None
            for old in {p for p in (previous, path) if p is not None and p.exists()}:
                stored_as = str(self._keep(old, (last.version if last else 0)))
            tmp = folder / f".{path.name}.{os.getpid()}.part"
            try:
                with open(tmp, "wb") as fh:
                    fh.write(content)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, path)
            finally:
                tmp.unlink(missing_ok=True)
            row = self.registry.add(key, str(path), digest, source_sha256, requested_by, stored_as)
            return Filed(key, str(path), row.version, digest, changed=True)

    def _keep(self, old: Path, version: int) -> Path:
        """Move the file being replaced into .versions/, never overwriting an earlier one."""
        target_dir = old.parent / VERSIONS
        target_dir.mkdir(exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = target_dir / f"{old.stem} (версия {version}, {stamp}){old.suffix}"
        n = 1
        while target.exists():
            n += 1
            target = target_dir / f"{old.stem} (версия {version}, {stamp}, {n}){old.suffix}"
        os.replace(old, target)
        return target

    def versions(self, key: DocumentKey):
        return self.registry.versions(key)

    def file_of(self, version) -> Path | None:
        """The file holding a recorded version: the current file for the latest version, else
        where the next version moved it (`stored_as`).  None when it is gone or lies outside
        the root: nothing outside the documents folder is ever served."""
        key = DocumentKey(version.association, version.kind, version.year, version.number)
        latest = self.registry.latest(key)
        if latest is not None and latest.id == version.id:
            path = Path(version.location)
        else:
            successor = self.registry.version(key, version.version + 1)
            if successor is None or not successor.stored_as:
                return None
            path = Path(successor.stored_as)
        path, root = path.resolve(), self.root.resolve()
        return path if root in path.parents and path.is_file() else None
