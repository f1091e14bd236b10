"""Filing into a tree of folders and files: a local folder, a WebDAV server, Yandex Disk.

<root>/<Краткое наименование>/<2024-2025>/Протоколы/Протокол №2 от 14.11.2024.docx

Such storages have no revision API the service can rely on, so the service keeps
versions itself, the same way everywhere: before a document is replaced, the
version being replaced is copied into `.versions/` beside it («Протокол №2 (версия 1,
20241114-101500).docx») and the registry row of the new version names that copy
(`stored_as`).  The new content replaces the old in one step of the storage (a
rename, a server-side MOVE, an upload that lands whole), so a reader never sees
half a document.  The same content again files nothing; a document whose file name
changed (its meeting's date was corrected) keeps one current file, the old name
going to `.versions/`.  A current file someone edited by hand in the storage is not
taken for the version the registry recorded: it is set aside as «изменён вручную».

What differs between storages is only how a file is written, copied, moved, read
and checked — `Store` below.  A lock per document key serialises two requests for
one document in this process (files on one machine: across processes too); jobs
hold their association's lock, which serialises workers on other machines.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import threading
from contextlib import contextmanager
from typing import Iterator, Protocol

from service.filing.base import KIND_FOLDERS, DocumentKey, Filed, safe_name, sha256
from service.filing.registry import Registry

VERSIONS = ".versions"


class Store(Protocol):
    """Folders and files under one root, addressed by relative '/'-separated paths
    whose parts are already safe names."""

    def make_folders(self, folder: str) -> None:
        """Make `folder` and every missing folder above it.  Called for every document: a
        remote store remembers what it made, and forgets it when a write finds a folder gone."""
        ...

    def exists(self, path: str) -> bool: ...

    def read(self, path: str) -> bytes | None:
        """The file's content, None when there is no such file."""
        ...

    def write(self, path: str, content: bytes) -> None:
        """Replace the file whole: readers see the old content or the new, never a part."""
        ...

    def copy(self, source: str, target: str) -> None:
        """Copy a file to a path that does not exist yet."""
        ...

    def move(self, source: str, target: str) -> None:
        """Move a file to a path that does not exist yet."""
        ...

    def delete(self, path: str) -> None: ...

    def holds(self, path: str, digest: str) -> bool:
        """Does the file exist with exactly this content (sha256)?"""
        ...

    def location(self, path: str) -> str:
        """What the registry records for a path: an address that names the storage too,
        so that a registry shared with another storage never mixes their files."""
        ...

    def path_of(self, location: str) -> str | None:
        """The path a recorded location names in this storage; None when it names
        another storage or lies outside the root."""
        ...

    def link(self, path: str) -> str | None:
        """Where a person opens the file, or None."""
        ...


class KeyLocks:
    """One lock per document key, for the threads of this process."""

    def __init__(self):
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}

    @contextmanager
    def hold(self, name: str) -> Iterator[None]:
        with self._guard:
            lock = self._locks.setdefault(name, threading.Lock())
        with lock:
            yield


def lock_name(key: DocumentKey) -> str:
    return hashlib.sha256(repr(key).encode()).hexdigest()[:32]


class VersionedFiler:
    """The Filer interface over a Store (see the module's docstring)."""

    title = "хранилище документов"

    def __init__(self, store: Store, registry: Registry, locks=None, *, clock=dt.datetime.now):
        self.store = store
        self.registry = registry
        self.locks = locks or KeyLocks()
        self.clock = clock

    # ------------------------------------------------------------ folders

    def folder_path(self, key: DocumentKey) -> str:
        return "/".join((safe_name(key.association, "МО"), safe_name(key.year, "год"), KIND_FOLDERS[key.kind]))

    def folder(self, key: DocumentKey) -> str:
        folder = self.folder_path(key)
        self._make(folder)
        return self.store.location(folder)

    def _make(self, folder: str) -> None:
        """The stores remember the folders they made (a remote one forgets them when a
        write finds one gone), so asking again costs no round trip."""
        self.store.make_folders(folder)

    # ------------------------------------------------------------ filing

    def file(self, key: DocumentKey, filename: str, content: bytes, source_sha256: str,
             requested_by: str = "", *, share_with: str | None = None) -> Filed:
        folder = self.folder_path(key)
        name = safe_name(filename)
        path = f"{folder}/{name}"
        digest = sha256(content)
        with self.locks.hold(lock_name(key)):
            last = self.registry.latest(key)
            previous = self.store.path_of(last.location) if last is not None else None
            if last is not None and last.sha256 == digest and previous == path and self.store.holds(path, digest):
                return Filed(key, last.location, last.version, digest, changed=False, url=self._url(path))
            self._make(folder)
            stored_as = None
            if previous is not None and self.store.holds(previous, last.sha256):
                # the version being replaced stays readable in .versions/; copied when the new
                # content takes its place (so the file is never missing), moved when renamed
                kept = self._versions_path(previous, f"версия {last.version}")
                if previous == path:
                    self.store.copy(previous, kept)
                else:
                    self.store.move(previous, kept)
                stored_as = self.store.location(kept)
            elif previous is not None and self.store.exists(previous):
                # edited by hand in the storage: kept aside, but it is not the recorded version
                self.store.move(previous, self._versions_path(previous, "изменён вручную"))
            if path != previous and self.store.exists(path):
                # someone else's file under the new name: set aside, never overwritten
                self.store.move(path, self._versions_path(path, "чужой файл"))
            self._write(folder, path, content)
            row = self.registry.add(key, self.store.location(path), digest, source_sha256, requested_by, stored_as,
                                    name=name)
            return Filed(key, row.location, row.version, digest, changed=True, url=self._url(path))

    def _write(self, folder: str, path: str, content: bytes) -> None:
        try:
            self.store.write(path, content)
        except FolderMissing:
            # a folder the cache believed in was removed by someone: make it again, once
            self._make(folder)
            self.store.write(path, content)

    def _versions_path(self, path: str, label: str) -> str:
        folder, _, name = path.rpartition("/")
        stem, dot, suffix = name.rpartition(".")
        if not dot:
            stem, suffix = name, ""
        suffix = f".{suffix}" if suffix else ""
        stamp = self.clock().strftime("%Y%m%d-%H%M%S")
        base = f"{folder}/{VERSIONS}"
        self._make(base)
        target = f"{base}/{stem} ({label}, {stamp}){suffix}"
        n = 1
        while self.store.exists(target):
            n += 1
            target = f"{base}/{stem} ({label}, {stamp}, {n}){suffix}"
        return target

    def versions(self, key: DocumentKey):
        return self.registry.versions(key)

    # ------------------------------------------------------------ reading back

    def path_of_version(self, version) -> str | None:
        """Where a recorded version's content lies now: the current file for the latest
        version, else the copy the next version kept (`stored_as`)."""
        key = DocumentKey(version.association, version.kind, version.year, version.number)
        latest = self.registry.latest(key)
        if latest is not None and latest.id == version.id:
            return self.store.path_of(version.location)
        successor = self.registry.version(key, version.version + 1)
        if successor is None or not successor.stored_as:
            return None
        return self.store.path_of(successor.stored_as)

    def read(self, version) -> bytes | None:
        path = self.path_of_version(version)
        return self.store.read(path) if path is not None else None

    def link(self, version) -> str | None:
        path = self.path_of_version(version)
        return self.store.link(path) if path is not None else None

    def _url(self, path: str) -> str:
        return self.store.link(path) or ""

    def notices(self, association: str) -> list[str]:
        return []                          # nothing is shared with anyone: nothing can fail for people

    def attach(self, filed: Filed, filename: str, content: bytes) -> str:
        folder = self.folder_path(filed.key)
        path = f"{folder}/{safe_name(filename)}"
        self._make(folder)
        self._write(folder, path, content)
        return self.store.link(path) or self.store.location(path)


class FolderMissing(Exception):
    """A Store's write found the file's folder gone (someone deleted it meanwhile)."""
