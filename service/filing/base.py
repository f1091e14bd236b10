"""The filing interface and document keys.

A key names a document independently of its file name: regenerating «Протокол №2»
after its date was corrected replaces the same document, it does not add a second.
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


@dataclass(frozen=True)
class Filed:
    key: DocumentKey
    location: str             # a path (local) or a file id (Drive)
    version: int
    sha256: str
    changed: bool             # False when the same content was already filed


class Filer(Protocol):
    def file(self, key: DocumentKey, filename: str, content: bytes, source_sha256: str,
             requested_by: str = "") -> Filed: ...

    def versions(self, key: DocumentKey) -> list: ...


__all__ = ["KIND_FOLDERS", "DocumentKey", "Filed", "Filer", "media_type", "safe_name", "sha256"]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*\x7f]+')
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def safe_name(text: str, fallback: str = "документ", limit: int = 120) -> str:
    """A file or folder name that is the same on Windows, Linux and Drive, and never
    leaves its folder: no separators, no «..», no reserved device names."""
    text = unicodedata.normalize("NFC", str(text or ""))
    text = _UNSAFE.sub(" ", text)
    text = re.sub(r"\.{2,}", " ", text)            # no «..» anywhere, not only as a whole name
    text = re.sub(r"\s+", " ", text).strip().strip(".").strip()
    if not text or text.lower().split(".")[0] in _RESERVED:
        text = fallback if not text else f"_{text}"
    return text[:limit].rstrip(". ")
