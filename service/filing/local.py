"""Filing into a local folder (`file:///path`, the default: the instance's documents folder).

A file is written to a temporary file in its folder, flushed to disk and renamed
over the old one, so a reader never sees half a document.  Locks per document key
are files (`<root>/.mo-docs/locks/`), so processes on this machine are serialised
too.  Without a registry given, one lives beside the documents
(`<root>/.mo-docs/registry.sqlite`), as `mo-docs generate --out DIR` uses it.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from service.db import make_engine
from service.filing.base import sha256
from service.filing.registry import Registry
from service.filing.versioned import VERSIONS, VersionedFiler

__all__ = ["LocalFiler", "LocalStore", "VERSIONS"]


class LocalStore:
    """The Store of a folder on this machine; locations are absolute paths."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def _p(self, path: str) -> Path:
        return self.root / path

    def make_folders(self, folder: str) -> None:
        self._p(folder).mkdir(parents=True, exist_ok=True)

    def exists(self, path: str) -> bool:
        return self._p(path).exists()

    def read(self, path: str) -> bytes | None:
        try:
            return self._p(path).read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            return None

    def write(self, path: str, content: bytes) -> None:
        target = self._p(path)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.part")
        try:
            with open(tmp, "wb") as fh:
                fh.write(content)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)

    def copy(self, source: str, target: str) -> None:
        shutil.copy2(self._p(source), self._p(target))

    def move(self, source: str, target: str) -> None:
        os.replace(self._p(source), self._p(target))

    def delete(self, path: str) -> None:
        self._p(path).unlink(missing_ok=True)

    def holds(self, path: str, digest: str) -> bool:
        content = self.read(path)
        return content is not None and sha256(content) == digest

    def location(self, path: str) -> str:
        return str(self._p(path))

    def path_of(self, location: str) -> str | None:
        """Nothing outside the root is ever served, whatever the registry says."""
        try:
            resolved = Path(location).resolve()
            relative = resolved.relative_to(self.root.resolve())
        except (ValueError, OSError):
            return None
        return relative.as_posix() if relative.parts else None

    def link(self, path: str) -> str | None:
        return None


class FileKeyLocks:
    """One lock file per document key: threads and processes of this machine."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def hold(self, name: str) -> Iterator[None]:
        with open(self.folder / f"{name}.lock", "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)


class LocalFiler(VersionedFiler):
    title = "папка документов на сервере"

    def __init__(self, root: Path, registry: Registry | None = None):
        store = LocalStore(root)
        meta = store.root / ".mo-docs"
        meta.mkdir(exist_ok=True)
        registry = registry or Registry(make_engine(f"sqlite:///{meta / 'registry.sqlite'}"))
        super().__init__(store, registry, FileKeyLocks(meta / "locks"))
        self.root = store.root

    def path(self, version) -> Path | None:
        """The file holding a recorded version, for callers on this machine (the CLI's
        PDF copy); None when it is gone or lies outside the root."""
        rel = self.path_of_version(version)
        if rel is None:
            return None
        path = self.root / rel
        return path if path.is_file() else None
