"""Workspace operations shared by the web pages, the API, the jobs and the CLI:
add an association, check it, generate its documents, list them."""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from service.db import DocumentVersion, make_engine, utcnow
from service.documents import Generator, Outcome, Request
from service.domain.deadlines import upcoming
from service.filing.local import LocalFiler
from service.filing.registry import Registry
from service.pipeline import Report, check
from service.schema.records import HELD, PLANNED
from service.sources.base import SourceError, open_source
from service.sources.guard import check_xlsx_file
from service.sources.limits import Limits
from service.workspace.models import Association, AuditEvent, Snapshot

_TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                     ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s",
                      "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"]))


def slugify(text: str) -> str:
    s = "".join(_TRANSLIT.get(c, c) for c in text.lower())
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s[:60] or "mo"


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fingerprint(source: str) -> tuple[float | None, str | None]:
    """(mtime, sha256) of a workbook file, taken BEFORE it is read: a teacher saving during
    a check then still counts as a change.  (None, None) for Google Sheets or a missing file."""
    path = Path(source)
    try:
        if path.is_file():
            return path.stat().st_mtime, file_sha256(path)
    except OSError:
        pass
    return None, None


class AlreadyAdded(Exception):
    """The workspace already has this association (same name and school year)."""

    def __init__(self, association: Association):
        super().__init__(association.slug)
        self.association = association


@dataclass
class Workspace:
    settings: dict
    engine: object = None
    sf: sessionmaker = None
    generator: Generator = field(default_factory=Generator)

    def __post_init__(self):
        if self.engine is None:
            self.engine = make_engine(self.settings["DATABASE_URL"])
        self.sf = self.sf or sessionmaker(self.engine, expire_on_commit=False)
        self.registry = Registry(self.engine)
        self.limits = dataclasses.replace(Limits.from_env(), max_file_bytes=int(self.settings["MAX_UPLOAD_BYTES"]))

    # ---------------------------------------------------------------- sources and filing

    @property
    def google(self):
        """Google services when enabled (built once, on first use: no network until then)."""
        if not self.settings.get("GOOGLE_ENABLED"):
            return None
        if getattr(self, "_google", None) is None:
            from service.google.config import GoogleServices, GoogleSettings

            self._google = GoogleServices(GoogleSettings.from_mapping(self.settings, prefix="GOOGLE_"))
        return self._google

    def source(self, location):
        return open_source(location, self.limits, google=self.google)

    def filer(self, share_with: str | None = None):
        """Drive when a shared drive is configured (optionally sharing each document with
        the curator's e-mail), else the local documents folder."""
        if self.google is not None and self.google.settings.folder_id:
            if not self.google.settings.share_with_curator:
                share_with = None
            return self.google.filer(self.registry, share_with=share_with)
        return LocalFiler(Path(self.settings["DOCUMENTS_DIR"]), self.registry)

    def enqueue(self, kind: str, **fields):
        """A job record with the configured number of attempts (see jobs.enqueue)."""
        from service.workspace import jobs

        return jobs.enqueue(self.sf, kind, max_attempts=int(self.settings["JOB_MAX_ATTEMPTS"]), **fields)

    # ---------------------------------------------------------------- associations

    def associations(self) -> list[Association]:
        with self.sf() as s:
            return list(s.scalars(select(Association).order_by(Association.name)))

    def association(self, slug: str) -> Association | None:
        with self.sf() as s:
            return s.scalars(select(Association).where(Association.slug == slug)).first()

    def by_id(self, association_id: int) -> Association | None:
        with self.sf() as s:
            return s.get(Association, association_id)

    def store_upload(self, upload: Path, original_name: str) -> Path:
        """Check an uploaded file before keeping it: nothing hostile is ever stored."""
        check_xlsx_file(upload, self.limits)
        self.source(upload).read()                               # parses under the same guards
        folder = Path(self.settings["WORKBOOKS_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        stem = slugify(Path(original_name).stem) or "workbook"
        target = folder / f"{stem}-{uuid.uuid4().hex[:8]}.xlsx"
        tmp = target.with_name("." + target.name + ".part")
        shutil.copyfile(upload, tmp)
        tmp.replace(target)
        return target

    def add_association(self, source: str, actor: str, regulation_id: str | None = None,
                        today: dt.date | None = None) -> Association:
        seen = fingerprint(source)
        report = check(self.source(source), regulation_id=regulation_id, as_of=today)
        info = report.data.info
        name = info.name or info.short_name or Path(source).stem
        with self.sf() as s:
            same = s.scalars(select(Association).where(           # the same register uploaded again
                Association.name == name, Association.short_name == (info.short_name or ""),
                Association.territory == (info.territory or ""), Association.school_year == report.year.label)).first()
        if same is not None:
            raise AlreadyAdded(same)
        with self.sf() as s, s.begin():
            slug, n = slugify(info.short_name or name), 1
            while s.scalars(select(Association.id).where(Association.slug == (slug if n == 1 else f"{slug}-{n}"))).first():
                n += 1
            slug = slug if n == 1 else f"{slug}-{n}"
            label = info.short_name or name
            if s.scalars(select(Association.id).where(Association.label == label)).first():
                label = f"{label} ({info.territory or slug})"
                if s.scalars(select(Association.id).where(Association.label == label)).first():
                    label = f"{info.short_name or name} ({slug})"
            a = Association(slug=slug, name=name, short_name=info.short_name or "", label=label,
                            territory=info.territory or "",
                            regulation_id=regulation_id, regulation_override=regulation_id, source=source,
                            curator=info.curator or "")
            s.add(a)
            s.flush()
            s.add(AuditEvent(actor=actor, action="association.add", association_id=a.id, details={"source": source}))
            association_id = a.id
        self.record_check(association_id, report, actor, seen)
        return self.by_id(association_id)

    def replace_source(self, association_id: int, source: str, actor: str) -> None:
        with self.sf() as s, s.begin():
            a = s.get(Association, association_id)
            old = a.source
            a.source, a.source_sha256, a.source_mtime = source, None, None
            s.add(AuditEvent(actor=actor, action="association.replace_source", association_id=a.id,
                             details={"old": old, "new": source}))

    # ---------------------------------------------------------------- checking

    def check(self, association_id: int, actor: str = "система", today: dt.date | None = None) -> Report | None:
        a = self.by_id(association_id)
        seen = fingerprint(a.source)
        try:
            report = check(self.source(a.source), regulation_id=a.regulation_override, as_of=today)
        except SourceError as err:
            with self.sf() as s, s.begin():
                row = s.get(Association, association_id)
                row.unreadable, row.checked_at, row.errors, row.warnings = err.message, utcnow(), None, None
                row.source_mtime, row.source_sha256 = seen     # checked once per content, not every watch
                s.add(AuditEvent(actor=actor, action="check.unreadable", association_id=association_id,
                                 details={"code": err.code, "message": err.message}))
            return None
        self.record_check(association_id, report, actor, seen)
        return report

    def record_check(self, association_id: int, report: Report, actor: str,
                     seen: tuple[float | None, str | None] = (None, None)) -> None:
        mtime, sha = seen
        rules = list(report.regulation.rules) if report.regulation else []
        due = upcoming(report.data, rules, report.year, report.as_of)
        with self.sf() as s, s.begin():
            row = s.get(Association, association_id)
            info = report.data.info
            row.name = info.name or row.name
            row.short_name = info.short_name or row.short_name
            row.territory = info.territory or row.territory
            row.curator = info.curator or row.curator
            row.school_year = report.year.label
            row.checked_at, row.unreadable = utcnow(), None
            row.errors, row.warnings = report.counts["error"], report.counts["warning"]
            row.source_mtime, row.source_sha256 = mtime, sha
            row.next_deadline = due[0].day if due else None
            row.next_deadline_what = due[0].what if due else None
            row.regulation_id = report.regulation.id if report.regulation else None
            s.add(Snapshot(association_id=association_id, as_of=report.as_of, source_sha256=sha,
                           regulation_id=report.regulation.id if report.regulation else None,
                           counts=report.counts, findings=[f.as_dict() for f in report.findings]))
            s.add(AuditEvent(actor=actor, action="check", association_id=association_id,
                             details={"counts": report.counts, "source_sha256": sha}))

    def latest_snapshot(self, association_id: int) -> Snapshot | None:
        with self.sf() as s:
            return s.scalars(select(Snapshot).where(Snapshot.association_id == association_id)
                             .order_by(Snapshot.id.desc()).limit(1)).first()

    def changed_google_sheets(self) -> dict[int, str]:
        """Associations whose Google Sheet changed, from one changes.list call (the change
        feed's page token is kept in the database): {association id: new version}."""
        from service.sources.gsheets import is_gsheet_location, parse_spreadsheet_id

        if self.google is None:
            return {}
        watched = {parse_spreadsheet_id(a.source): a.id for a in self.associations() if is_gsheet_location(a.source)}
        if not watched:
            return {}
        if getattr(self, "_sheet_sync", None) is None:
            self._sheet_sync = self.google.sync(self.engine, limits=self.limits)
        result = self._sheet_sync.sync(list(watched))
        return {watched[sid]: version or "" for sid, version in result.changed.items() if sid in watched}

    def source_changed(self, a: Association) -> str | None:
        """The new content hash when the workbook file changed since the last check, else None."""
        path = Path(a.source)
        if not path.exists():
            return None
        mtime = path.stat().st_mtime
        if a.source_mtime is not None and mtime == a.source_mtime and a.source_sha256:
            return None
        sha = file_sha256(path)
        return sha if sha != a.source_sha256 else None

    # ---------------------------------------------------------------- documents

    def generate(self, association_id: int, request: Request, actor: str, today: dt.date | None = None,
                 report: Report | None = None) -> Outcome:
        a = self.by_id(association_id)
        report = report or check(self.source(a.source), regulation_id=a.regulation_override, as_of=today)
        outcome = self.generator.generate(report, request, self.filer(share_with=report.data.info.curator_email),
                                          today=today, association=a.label)
        with self.sf() as s, s.begin():
            s.add(AuditEvent(actor=actor, action="document.generate", association_id=association_id, details={
                "kind": request.kind, "meeting": request.meeting, "plan_item": request.plan_item,
                "format": request.format, "personal": request.personal,
                "location": outcome.filed.location, "version": outcome.filed.version,
                "changed": outcome.filed.changed, "forced": bool(outcome.blocking),
                "source_sha256": a.source_sha256}))
        return outcome

    def auto_documents(self, association_id: int, report: Report, today: dt.date) -> list[dict]:
        """Documents that are due without anyone asking: a registration sheet before a planned
        meeting, a protocol once a held meeting has its decisions.  Idempotent by document key:
        unchanged data files nothing new."""
        from service.documents import DocumentRefused

        horizon = today + dt.timedelta(days=int(self.settings["AUTO_REGISTRATION_DAYS"]))
        made = []
        wanted = []
        for m in report.data.meetings:
            if m.state(today) == PLANNED and today <= m.date <= horizon:
                wanted.append(Request("registration-sheet", meeting=m.number, requested_by="автоматически"))
            items = report.data.agenda_of(m.number)
            if m.state(today) == HELD and items and all(i.decided for i in items):
                wanted.append(Request("protocol", meeting=m.number, requested_by="автоматически"))
        for request in wanted:
            try:
                outcome = self.generate(association_id, request, "автоматически", today, report)
            except DocumentRefused:
                continue                 # errors are on the dashboard; nothing half-right is filed
            if outcome.filed.changed:
                made.append({"kind": request.kind, "meeting": request.meeting, "location": outcome.filed.location})
        return made

    def documents(self, a: Association) -> list[DocumentVersion]:
        return self.registry.all(a.label)

    def note(self, association_id: int, actor: str, action: str, details: dict | None = None) -> None:
        """An event of the audit log that changes nothing else (a document with personal data
        downloaded or previewed)."""
        with self.sf() as s, s.begin():
            s.add(AuditEvent(actor=actor, action=action, association_id=association_id, details=details or {}))

    def audit(self, association_id: int | None = None, limit: int = 50) -> list[AuditEvent]:
        with self.sf() as s:
            q = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
            if association_id is not None:
                q = q.where(AuditEvent.association_id == association_id)
            return list(s.scalars(q))
