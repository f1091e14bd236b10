"""Workspace operations shared by the web pages, the API, the jobs and the CLI:
add an association, check it, generate its documents, list them."""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import re
import shutil
import threading
import traceback
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from service.accounts.models import Account, AccountAssociation
from service.accounts.principal import territory_key
from service.accounts.roster import offer_from_members

from service.db import DocumentVersion, make_engine, utcnow
from service.documents import Generator, Outcome, Request
from service.domain import compliance_matrix, obligations as obligations_of
from service.filing.registry import Registry
from service.filing.target import FilingTarget, open_filer
from service.pipeline import Report, check
from service.schema import time_zones
from service.schema.records import HELD, PLANNED
from service.sources.base import SourceError, open_source
from service.sources.guard import EXTENSIONS, SUFFIX
from service.sources.workbook_file import WorkbookFileSource
from service.sources.limits import Limits
from service.workspace.gate import AssociationGate
from service.workspace.identity import register_key
from service.workspace.models import Association, AuditEvent, Snapshot, WorkbookVersion
from service.workspace.reports import ReportCache
from service.workspace.summary import roster, summarize
from service.workspace.upload_names import upload_name

log = logging.getLogger(__name__)

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


def _shown_name(original_name: str, source: str) -> str:
    """The uploaded file's name as people will see and download it ("" for none)."""
    return upload_name(original_name, Path(source).suffix) if original_name else ""


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
            self.engine = make_engine(self.settings["DATABASE_URL"],
                                      busy_seconds=float(self.settings.get("DATABASE_BUSY_SECONDS") or 10.0))
        self.sf = self.sf or sessionmaker(self.engine, expire_on_commit=False)
        self.registry = Registry(self.engine)
        self.gate = AssociationGate()
        self.reports = ReportCache()
        self.limits = dataclasses.replace(Limits.from_env(), max_file_bytes=int(self.settings["MAX_UPLOAD_BYTES"]))
        self.target = FilingTarget.from_settings(self.settings)     # a wrong MO_DOCS_FILING_URL stops the start
        self._lock = threading.Lock()
        self._google = None
        self._filer = None

    # ---------------------------------------------------------------- sources and filing

    def google_services(self):
        """Everything taken from Google, built once on first use (no network until then);
        its rate limiter is shared by the processes of this machine, or by Redis."""
        with self._lock:
            if self._google is None:
                from service.google.config import GoogleServices, GoogleSettings

                self._google = GoogleServices(GoogleSettings.from_mapping(self.settings, prefix="GOOGLE_"),
                                              state_dir=self.settings.get("INSTANCE"))
            return self._google

    @property
    def google(self):
        """Google services when reading Google Sheets is enabled."""
        return self.google_services() if self.settings.get("GOOGLE_ENABLED") else None

    def source(self, location):
        return open_source(location, self.limits, google=self.google)

    def filer(self):
        """The one filer of this process (MO_DOCS_FILING_URL): its folder cache, id pool
        and per-key locks serve every document and every thread."""
        with self._lock:
            if self._filer is not None:
                return self._filer
        filer = open_filer(self.target, self.settings, self.registry, google=self.google_services)
        with self._lock:
            if self._filer is None:
                self._filer = filer
            return self._filer

    def share_with(self, report: Report, association: Association) -> str | None:
        """Whom documents are opened to on Drive (GOOGLE_SHARE_WITH_CURATOR): the curator
        «Сведения» names, only if that address is an active curator account (or an admin)
        whose scope includes the association — a workbook must not be able to send the
        association's documents to any address typed into it."""
        from service.accounts.principal import principal_for_email

        email = report.data.info.curator_email if self.settings.get("GOOGLE_SHARE_WITH_CURATOR") else None
        if not email:
            return None
        p = principal_for_email(self.sf, email)
        if p is None or p.role not in ("curator", "admin") or not p.sees(association):
            log.warning("association %s: documents not shared with %s (no curator account over it)",
                        association.id, email)
            return None
        return p.email

    def enqueue(self, kind: str, **fields):
        """A job record with the configured number of attempts (see jobs.enqueue)."""
        from service.workspace import jobs

        return jobs.enqueue(self.sf, kind, max_attempts=int(self.settings["JOB_MAX_ATTEMPTS"]), **fields)

    # ---------------------------------------------------------------- associations

    def associations(self, principal=None, archived: bool = False) -> list[Association]:
        """Associations `principal` sees (everyone's when None: jobs and the CLI), current or archived,
        in the order of the names people see: the short ones («ММО математиков»); sorted by the full
        names («Муниципальное методическое объединение…») they would look random."""
        from service.accounts.principal import visible

        q = select(Association).where(Association.archived_at.is_not(None) if archived
                                      else Association.archived_at.is_(None))
        if principal is not None:
            q = visible(principal, q)
        with self.sf() as s:
            found = list(s.scalars(q))
        return sorted(found, key=lambda a: ((a.short_name or a.name).casefold(), a.name.casefold(), a.id))

    def associations_of_job(self, job) -> list[Association]:
        """A bulk job's associations: those the account that asked may make documents for
        (none if it is gone).  Seeing is not enough: a head who is only a member of another
        association must not have documents filed there by «для всех МО»."""
        from service.accounts.principal import principal_for_account

        account_id = (job.params or {}).get("account_id")
        if account_id is None:
            return self.associations()
        principal = principal_for_account(self.sf, account_id)
        if principal is None:
            return []
        return [a for a in self.associations(principal) if principal.may("generate", a)]

    def association(self, slug: str) -> Association | None:
        if not isinstance(slug, str) or len(slug) > 80:
            return None
        with self.sf() as s:
            return s.scalars(select(Association).where(Association.slug == slug)).first()

    def by_id(self, association_id: int) -> Association | None:
        with self.sf() as s:
            return s.get(Association, association_id)

    def store_upload(self, upload: Path, original_name: str, regulation_id: str | None = None,
                     today: dt.date | None = None) -> tuple[Path, Report]:
        """Check an uploaded file before keeping it — one read: the guard, the parts' scan,
        the read and the check — so nothing hostile is ever stored.  The stored copy keeps
        its format (.xlsx, .xlsm, .ods, .xls); returns it with the check's report."""
        source = WorkbookFileSource(upload, limits=self.limits)
        report = check(source, regulation_id=regulation_id, as_of=today, limits=self.limits)
        folder = Path(self.settings["WORKBOOKS_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        stem = slugify(Path(original_name).stem) or "workbook"
        suffix = Path(original_name).suffix.lower()
        if suffix not in EXTENSIONS or SUFFIX[source.format] != suffix.replace(".xlsm", ".xlsx"):
            suffix = SUFFIX[source.format]          # named by what it is, whatever it was called
        target = folder / f"{stem}-{uuid.uuid4().hex[:8]}{suffix}"
        tmp = target.with_name("." + target.name + ".part")
        shutil.copyfile(upload, tmp)
        tmp.replace(target)
        return target, report

    def add_association(self, source: str, actor: str, regulation_id: str | None = None,
                        today: dt.date | None = None, owner_id: int | None = None,
                        original_name: str = "", report: Report | None = None) -> Association:
        """Add the association a workbook describes.  The register's identity is unique in the
        database: the same register added twice (even at the same moment) raises AlreadyAdded.
        `owner_id`: the account that added it gets it in its scope (a head, a curator).
        `report`: the check already made of this very file (an upload is read once), else
        the source is read now."""
        seen = fingerprint(source)
        report = report or check(self.source(source), regulation_id=regulation_id, as_of=today, limits=self.limits)
        info = report.data.info
        name = info.name or info.short_name or Path(source).stem
        key = register_key(name, info.short_name, info.territory, report.year.label)
        for _attempt in range(8):
            existing = self._by_register(key)
            if existing is not None:
                raise AlreadyAdded(existing)
            try:
                with self.sf() as s, s.begin():
                    slug = self._free_slug(s, slugify(info.short_name or name))
                    a = Association(slug=slug, name=name, short_name=info.short_name or "",
                                    territory=info.territory or "", territory_key=territory_key(info.territory),
                                    register_key=key, school_year=report.year.label,
                                    regulation_id=regulation_id, regulation_override=regulation_id, source=source,
                                    curator=info.curator or "")
                    s.add(a)
                    s.flush()
                    s.add(WorkbookVersion(association_id=a.id, source=source, sha256=seen[1],
                                          original_name=_shown_name(original_name, source), created_by=actor[:200]))
                    if owner_id is not None:
                        owner = s.get(Account, owner_id)
                        s.add(AccountAssociation(account_id=owner_id, association_id=a.id, state="granted",
                                                 role="curator" if owner and owner.role == "curator" else "head"))
                    s.add(AuditEvent(actor=actor, action="association.add", association_id=a.id,
                                     details={"source": source}))
                    self._record(s, a, report, actor, seen, first=True)      # one transaction: all or nothing
                    s.flush()
                    s.refresh(a)                      # as the database keeps it, like by_id()
                    added = a
                break
            except IntegrityError:
                continue                   # the same register or slug taken a moment ago: look again
        else:
            existing = self._by_register(key)
            if existing is not None:
                raise AlreadyAdded(existing)
            raise RuntimeError("no free slug after 8 attempts")
        try:                                  # committed: nothing after this may fail the upload
            offer_from_members(self.sf, added.id, report.data.members)
        except Exception:                     # offers are made again by the next check
            log.warning("offers for association %s not made: %s", added.id, traceback.format_exc())
        return added

    def association_of(self, source: str, report: Report) -> Association | None:
        """The association a workbook read outside the service is (the CLI): the one stored
        at that location, else the one of the same register (name, territory, year)."""
        location = source if ":" in source and not Path(source).exists() else str(Path(source).resolve())
        with self.sf() as s:
            for a in s.scalars(select(Association).where(Association.archived_at.is_(None))):
                if a.source == location or (not a.source.startswith("gsheet:")
                                            and Path(a.source).resolve() == Path(location)):
                    return a
        info = report.data.info
        name = info.name or info.short_name or Path(source).stem
        return self._by_register(register_key(name, info.short_name, info.territory, report.year.label))

    def _by_register(self, key: str) -> Association | None:
        with self.sf() as s:
            return s.scalars(select(Association).where(Association.register_key == key)).first()

    @staticmethod
    def _free_slug(s, base: str) -> str:
        taken = set(s.scalars(select(Association.slug).where(Association.slug.like(f"{base}%"))))
        n = 1
        while (base if n == 1 else f"{base}-{n}") in taken:
            n += 1
        return base if n == 1 else f"{base}-{n}"

    def replace_source(self, association_id: int, source: str, actor: str, original_name: str = "") -> None:
        """Point the association at a new workbook; the previous one stays on disk as a version."""
        _mtime, sha = fingerprint(source)
        with self.sf() as s, s.begin():
            a = s.get(Association, association_id)
            old = a.source
            a.source, a.source_sha256, a.source_mtime = source, None, None
            name = _shown_name(original_name, source)
            s.add(WorkbookVersion(association_id=a.id, source=source, sha256=sha,
                                  original_name=name, created_by=actor[:200]))
            s.add(AuditEvent(actor=actor, action="association.replace_source", association_id=a.id,
                             details={"old": old, "new": source, "name": name}))

    def workbook_versions(self, association_id: int) -> list[WorkbookVersion]:
        with self.sf() as s:
            return list(s.scalars(select(WorkbookVersion).where(WorkbookVersion.association_id == association_id)
                                  .order_by(WorkbookVersion.id.desc())))

    def restore_workbook(self, association_id: int, version_id: int, actor: str) -> WorkbookVersion | None:
        """Make an earlier workbook the current one again (itself recorded as a new version)."""
        with self.sf() as s:
            v = s.get(WorkbookVersion, version_id)
        if v is None or v.association_id != association_id or not Path(v.source).is_file():
            return None
        self.replace_source(association_id, v.source, actor, original_name=v.original_name)
        with self.sf() as s, s.begin():
            s.add(AuditEvent(actor=actor, action="association.restore_source", association_id=association_id,
                             details={"version": version_id}))
        return v

    def set_archived(self, association_id: int, archived: bool, actor: str) -> None:
        """Archive (hide from the dashboard and the watcher, keep everything) or restore."""
        with self.sf() as s, s.begin():
            a = s.get(Association, association_id)
            a.archived_at = utcnow() if archived else None
            s.add(AuditEvent(actor=actor, action="association.archive" if archived else "association.unarchive",
                             association_id=association_id, details={}))

    # ---------------------------------------------------------------- checking

    def check(self, association_id: int, actor: str = "система", today: dt.date | None = None) -> Report | None:
        a = self.by_id(association_id)
        seen = fingerprint(a.source)
        try:
            report = check(self.source(a.source), regulation_id=a.regulation_override, as_of=today,
                           limits=self.limits)
        except SourceError as err:
            with self.sf() as s, s.begin():
                row = s.get(Association, association_id)
                row.unreadable, row.checked_at, row.errors, row.warnings = err.message, utcnow(), None, None
                row.source_mtime, row.source_sha256 = seen     # checked once per content, not every watch
                s.add(AuditEvent(actor=actor, action="check.unreadable", association_id=association_id,
                                 details={"code": err.code, "message": err.message}))
            return None
        if not self.record_check(association_id, report, actor, seen, source=a.source):
            return None                       # the workbook was replaced while this one was read
        return report

    def record_check(self, association_id: int, report: Report, actor: str,
                     seen: tuple[float | None, str | None] = (None, None), source: str | None = None) -> bool:
        """Keep a check's result as the association's latest.  `source`: the workbook the
        report was read from; if the association has been pointed at another one since (a
        replacement or a restore while this check was reading), the report is dropped
        (journaled `check.stale`) and False returned — an old workbook's findings must
        not overwrite the new one's, nor file its documents."""
        with self.sf() as s, s.begin():
            row = s.scalars(select(Association).where(Association.id == association_id).with_for_update()).one()
            if source is not None and row.source != source:
                s.add(AuditEvent(actor=actor, action="check.stale", association_id=association_id,
                                 details={"read": source, "current": row.source}))
                return False
            self._record(s, row, report, actor, seen)
        offer_from_members(self.sf, association_id, report.data.members)
        return True

    def _record(self, s, row: Association, report: Report, actor: str,
                seen: tuple[float | None, str | None], first: bool = False) -> None:
        """The check's result on the association's row, a snapshot and a journal entry, in
        the caller's transaction."""
        mtime, sha = seen
        association_id = row.id
        rules = list(report.regulation.rules) if report.regulation else []
        duties = obligations_of.of_year(report.data, rules, report.year)
        due = obligations_of.next_due(duties, report.as_of)
        done = {f"{o.kind}_deadline": bool(o.done) for o in duties if o.kind in ("composition", "databank", "report")}
        matrix_row = compliance_matrix.row(rules, list(report.regulation.required_documents) if report.regulation
                                           else [], report.findings, report.year, report.as_of, done)
        matrix_row = compliance_matrix.pack(matrix_row, report.as_of)
        info = report.data.info
        name, short = info.name or row.name, info.short_name or row.short_name
        territory, year = info.territory or row.territory, report.year.label
        if not first and territory_key(territory) != territory_key(row.territory):
            # the scope of curators must not follow whatever a workbook says: held until confirmed
            if row.pending_territory != territory:
                s.add(AuditEvent(actor=actor, action="check.identity_conflict", association_id=association_id,
                                 details={"territory": territory, "kept": row.territory}))
            row.pending_territory, territory = territory, row.territory
        else:
            row.pending_territory = None
        # the territory kept (a change waits for confirmation), so its zone too
        zone = time_zones.choose(info.time_zone, territory, self.settings.get("TIME_ZONE") or "Europe/Moscow")
        key = register_key(name, short, territory, year)
        taken = s.scalars(select(Association.id).where(Association.register_key == key,
                                                       Association.id != association_id)).first()
        if taken is None:
            row.name, row.short_name, row.territory, row.school_year = name, short, territory, year
            row.territory_key, row.register_key = territory_key(territory), key
        else:                       # the workbook now names another association of the workspace
            s.add(AuditEvent(actor=actor, action="check.identity_conflict", association_id=association_id,
                             details={"name": name, "short_name": short, "territory": territory, "year": year}))
        row.curator = info.curator or row.curator
        row.checked_at, row.unreadable = utcnow(), None
        row.errors, row.warnings = report.counts["error"], report.counts["warning"]
        row.source_mtime, row.source_sha256 = mtime, sha
        row.next_deadline = due.day if due else None
        row.next_deadline_what = due.what[:300] if due else None
        row.compliance, row.obligations, row.time_zone = matrix_row, [o.as_dict() for o in duties], zone
        row.regulation_id = report.regulation.id if report.regulation else None
        members, personal_columns = roster(report.data)
        s.add(Snapshot(association_id=association_id, as_of=report.as_of, source_sha256=sha,
                       regulation_id=report.regulation.id if report.regulation else None,
                       counts=report.counts, findings=[f.as_dict() for f in report.findings],
                       summary=summarize(report.data, report.as_of),
                       roster=members, roster_personal=personal_columns))
        s.add(AuditEvent(actor=actor, action="check", association_id=association_id,
                         details={"counts": report.counts, "source_sha256": sha}))

    def confirm_territory(self, association_id: int, actor: str) -> bool:
        """Move the association to the territory its workbook now names (a re-check held
        it back): its curators change.  False when nothing waits or another association of
        the workspace already is that register."""
        with self.sf() as s, s.begin():
            row = s.scalars(select(Association).where(Association.id == association_id).with_for_update()).one()
            new = row.pending_territory
            if not new:
                return False
            key = register_key(row.name, row.short_name, new, row.school_year)
            if s.scalars(select(Association.id).where(Association.register_key == key,
                                                      Association.id != association_id)).first() is not None:
                return False
            s.add(AuditEvent(actor=actor, action="association.territory_confirmed", association_id=association_id,
                             details={"old": row.territory, "new": new}))
            row.territory, row.territory_key, row.register_key = new, territory_key(new), key
            row.pending_territory = None
        return True

    def latest_snapshot(self, association_id: int) -> Snapshot | None:
        with self.sf() as s:
            return s.scalars(select(Snapshot).where(Snapshot.association_id == association_id)
                             .order_by(Snapshot.id.desc()).limit(1)).first()

    def changed_google_sheets(self) -> dict[int, str]:
        """Associations whose Google Sheet changed, from one changes.list call (the change
        feed's page token and the versions read are kept in the database, so a restart
        re-reads nothing unchanged): {association id: new version}.  A sheet whose check
        is still waiting in the queue is left out: that check reads the newest version
        when it runs, so a head typing for ten minutes costs one check, not twenty."""
        from service.google.push import sync_started
        from service.sources.gsheets import is_gsheet_location, parse_spreadsheet_id

        if self.google is None:
            return {}
        sync_started(self.engine)                 # notifications from now on ask for the next pass
        watched = {parse_spreadsheet_id(a.source): a.id for a in self.associations() if is_gsheet_location(a.source)}
        if not watched:
            return {}
        if getattr(self, "_sheet_sync", None) is None:
            self._sheet_sync = self.google.sync(self.engine, limits=self.limits)
        result = self._sheet_sync.sync(list(watched))
        changed = {watched[sid]: version or "" for sid, version in result.changed.items() if sid in watched}
        waiting = self._checks_waiting(list(changed))
        return {aid: version for aid, version in changed.items() if aid not in waiting}

    def _checks_waiting(self, association_ids: list[int]) -> set[int]:
        from service.workspace import jobs
        from service.workspace.models import Job

        if not association_ids:
            return set()
        with self.sf() as s:
            return set(s.scalars(select(Job.association_id).where(
                Job.kind == "check", Job.state == jobs.QUEUED, Job.association_id.in_(association_ids))))

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
        if report is None:
            as_of = today or dt.date.today()
            report = self.reports.get(a.source, a.regulation_override, as_of, lambda: check(
                self.source(a.source), regulation_id=a.regulation_override, as_of=as_of, limits=self.limits))
        outcome = self.generator.generate(report, request, self.filer(), today=today, association=a.slug,
                                          share_with=self.share_with(report, a))
        filed = outcome.filed
        with self.sf() as s, s.begin():
            s.add(AuditEvent(actor=actor, action="document.generate", association_id=association_id, details={
                "kind": request.kind, "meeting": request.meeting, "plan_item": request.plan_item,
                "format": request.format, "personal": request.personal,
                "location": filed.location, "name": outcome.filename, "version": filed.version,
                "changed": filed.changed, "forced": bool(outcome.blocking), "source_sha256": a.source_sha256}))
            if getattr(filed, "shared_with", None):
                s.add(AuditEvent(actor=actor, action="document.share", association_id=association_id,
                                 details={"name": outcome.filename, "email": filed.shared_with,
                                          "location": filed.location}))
            if getattr(filed, "share_error", None):
                s.add(AuditEvent(actor=actor, action="document.share_failed", association_id=association_id,
                                 details={"name": outcome.filename, "message": filed.share_error}))
        return outcome

    def auto_documents(self, association_id: int, report: Report, today: dt.date,
                       source: str | None = None) -> list[dict]:
        """Documents that are due without anyone asking: a registration sheet before a planned
        meeting, a protocol once a held meeting has its decisions.  Idempotent by document key:
        unchanged data files nothing new.  `source`: the workbook the report was read from;
        nothing is filed once the association points at another one (the check of the new
        workbook files what it needs)."""
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
            if source is not None and self.by_id(association_id).source != source:
                break
            try:
                outcome = self.generate(association_id, request, "автоматически", today, report)
            except DocumentRefused:
                continue                 # errors are on the dashboard; nothing half-right is filed
            if outcome.filed.changed:
                made.append({"kind": request.kind, "meeting": request.meeting, "location": outcome.filed.location})
        return made

    def documents(self, a: Association) -> list[DocumentVersion]:
        return self.registry.all(a.slug)

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
