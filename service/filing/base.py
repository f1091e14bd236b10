"""The filing interface, document keys and filing errors.

A key names a document independently of its file name: regenerating «Протокол №2»
after its date was corrected replaces the same document, it does not add a second.

Every filer (a local folder, a WebDAV server, Yandex Disk, Google Drive) keeps the
same promises, checked by one contract suite (tests/filing/contract.py): it makes the
folders a document needs, files it, updates it in place keeping every earlier version
readable, reads any recorded version back, and says where people can open it.  The
pages, the API, the jobs and the CLI know nothing else about where documents live.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Protocol

from service.kinds import CATALOGUE, media_type

KIND_FOLDERS = {k.id: k.folder for k in CATALOGUE.values()}


@dataclass(frozen=True)
class DocumentKey:
    association: str          # the association's short name as the head typed it
    kind: str                 # one of KIND_FOLDERS
    year: str                 # «2024-2025»
    number: str = ""          # meeting or plan item number where the kind has one

    def __post_init__(self):
        if self.kind not in KIND_FOLDERS:
            raise ValueError(f"unknown document kind {self.kind!r}")

    @property
    def personal(self) -> bool:
        """A document made with members' personal columns (its number ends with PERSONAL):
        downloaded only by those who may see personal data, never shared by a filer."""
        return self.number.endswith(PERSONAL)


PERSONAL = "personal"             # the key number of a data bank made with personal columns ends with it


@dataclass(frozen=True)
class Filed:
    key: DocumentKey
    location: str             # what the registry records: a path, a storage address, a Drive file id
    version: int
    sha256: str
    changed: bool             # False when the same content was already filed
    url: str = ""             # where people open it in the storage ("" when only the service serves it)


class Filer(Protocol):
    """Where generated documents go.  `title` names the storage for people
    («папка на сервере», «Яндекс Диск», …), never with credentials."""

    title: str

    def folder(self, key: DocumentKey) -> str:
        """The key's folder (association / school year / kind), made when missing."""
        ...

    def file(self, key: DocumentKey, filename: str, content: bytes, source_sha256: str,
             requested_by: str = "", *, share_with: str | None = None) -> Filed:
        """File `content` under `key`: a new version when it differs from the last one,
        none when it is the same; the version it replaces stays readable.  `share_with`
        (an e-mail) is given read access where the storage has accounts to share with
        (Google Drive); other filers ignore it."""
        ...

    def versions(self, key: DocumentKey) -> list: ...

    def read(self, version) -> bytes | None:
        """The content of a recorded version (a registry row); None when the storage no
        longer has it.  Raises FilingError when the storage cannot be reached."""
        ...

    def link(self, version) -> str | None:
        """Where a person opens this version in the storage itself, or None when only
        the service can serve it (a local folder).  Never carries credentials."""
        ...

    def attach(self, filed: Filed, filename: str, content: bytes) -> str:
        """A copy beside a filed document (its PDF/A), replaced each time, not versioned;
        returns where it went, for people."""
        ...

    def notices(self, association: str) -> list[str]:
        """What people must know about this association's documents in the storage (a
        curator who could not be given access, and what to do), one sentence each."""
        ...


class FilingError(Exception):
    """The storage refused or could not be reached.  `message` is one Russian sentence
    saying what happened and what to do; `code` is stable for programs; `transient`
    says whether the same request may succeed later without anyone changing anything."""

    def __init__(self, code: str, message: str, *, transient: bool = False, status: int = 0):
        super().__init__(message)
        self.code = code
        self.message = message
        self.transient = transient
        self.status = status


__all__ = ["KIND_FOLDERS", "DocumentKey", "Filed", "Filer", "media_type", "safe_name", "sha256"]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*\x7f-\x9f]+')
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def safe_name(text: str, fallback: str = "документ", limit: int = 120) -> str:
    """A file or folder name that is the same on Windows, Linux and Drive, and never
    leaves its folder: no separators, no «..», no reserved device names, no control or
    invisible format characters."""
    text = unicodedata.normalize("NFC", str(text or ""))
    # invisible format characters (a right-to-left override makes «exe.xlsx» read «xslx.exe»)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    text = _UNSAFE.sub(" ", text)
    text = re.sub(r"\.{2,}", " ", text)            # no «..» anywhere, not only as a whole name
    text = re.sub(r"\s+", " ", text).strip().strip(".").strip()
    if not text or text.lower().split(".")[0] in _RESERVED:
        text = fallback if not text else f"_{text}"
    return text[:limit].rstrip(". ")
