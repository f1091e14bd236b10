"""The registry of generated documents: key, location, hashes, time, who asked."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from service.db import DocumentVersion
from service.filing.base import DocumentKey


class Registry:
    def __init__(self, engine: Engine):
        self.engine = engine

    def _where(self, key: DocumentKey):
        return (DocumentVersion.association == key.association, DocumentVersion.kind == key.kind,
                DocumentVersion.year == key.year, DocumentVersion.number == key.number)

    def latest(self, key: DocumentKey) -> DocumentVersion | None:
        with Session(self.engine, expire_on_commit=False) as s:
            return s.scalars(select(DocumentVersion).where(*self._where(key))
                             .order_by(DocumentVersion.version.desc()).limit(1)).first()

    def versions(self, key: DocumentKey) -> list[DocumentVersion]:
        with Session(self.engine, expire_on_commit=False) as s:
            return list(s.scalars(select(DocumentVersion).where(*self._where(key)).order_by(DocumentVersion.version)))

    def version(self, key: DocumentKey, number: int) -> DocumentVersion | None:
        with Session(self.engine, expire_on_commit=False) as s:
            return s.scalars(select(DocumentVersion).where(*self._where(key), DocumentVersion.version == number)).first()

    def by_id(self, version_id: int) -> DocumentVersion | None:
        with Session(self.engine, expire_on_commit=False) as s:
            return s.get(DocumentVersion, version_id)

    def add(self, key: DocumentKey, location: str, sha: str, source_sha: str, requested_by: str,
            stored_as: str | None = None, *, name: str | None = None) -> DocumentVersion:
        with Session(self.engine, expire_on_commit=False) as s, s.begin():
            current = s.scalar(select(func.max(DocumentVersion.version)).where(*self._where(key))) or 0
            row = DocumentVersion(association=key.association, kind=key.kind, year=key.year, number=key.number,
                                  version=current + 1, location=location, sha256=sha, source_sha256=source_sha,
                                  requested_by=requested_by, stored_as=stored_as,
                                  name=name)
            s.add(row)
        return row

    def all(self, association: str | None = None) -> list[DocumentVersion]:
        with Session(self.engine, expire_on_commit=False) as s:
            q = select(DocumentVersion).order_by(DocumentVersion.created_at)
            if association:
                q = q.where(DocumentVersion.association == association)
            return list(s.scalars(q))
