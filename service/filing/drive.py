"""Filing into Google Drive (`gdrive://<shared-drive-id>[/<folder-id>]`), keeping the
promises of every filer: same keys, a new version on changed content, none on
unchanged content, never two files for one key, every recorded version readable.

<root folder>/<Краткое наименование>/<2024-2025>/Протоколы/Протокол №2 от 14.11.2024.docx

* One filer per worker process (the workspace keeps it): folders found or made once
  are remembered, ids from one `files.generateIds` serve the next ten documents, and
  the lock per key means something.  Drive Resources are made per thread (httplib2
  is not thread-safe).
* Folders: looked up by name under their parent (the oldest wins if someone made
  two), created when missing.  A folder just created has no children, so its
  subfolders are created without a lookup.
* A new .docx gets its id from `files.generateIds`, written to `drive_documents`
  *before* the upload: a create retried after a lost answer, or repeated by the next
  run after a crash, carries the same id; Drive answers 409 `fileIdInUse` and the
  file is adopted.
* A conversion to a Google Doc (`GOOGLE_CONVERT_TO_DOCS`) cannot carry a generated
  id (Google's upload guide, as recalled in REFERENCE.md), so it is made the other way
  round: Drive is asked first whether a file with this key's `appProperties.moDocsKey`
  exists (a create whose answer was lost left one); only if not is it created, without
  an id and without automatic retries, and the id Drive returns is recorded.  A create
  that fails without a definite refusal is followed by the same lookup.
* Regenerating updates the same file (`files.update` with the content): links stay
  valid and Drive keeps the previous content as a revision; the registry row's
  `stored_as` names it (`<fileId>/revisions/<id>`).
* Revisions kept forever: exactly those the registry points to.  The first upload
  pins its revision (`keepRevisionForever` on the create, which cannot repeat), later
  ones are pinned by `revisions.update` once the upload is recorded — a retried
  upload leaves no second pinned copy.  Drive keeps at most 200 per file and refuses
  to un-keep one, so at the cap the oldest pinned revision is deleted (`drive_pins`
  counts them).  Only kept revisions of a .docx can be downloaded later: this is what
  makes old versions readable.
* Reading back: the current content with `files.get(alt=media)` (a Google Doc:
  `files.export` as .docx), an older one from its revision (`revisions.get(alt=media)`,
  a Google Doc's revision through its `exportLinks`).
* Sharing with the curator: once per file and address (`drive_shares`), whatever the
  outcome; a refusal is recorded with a sentence saying what the curator must do, and
  not tried again at every regeneration.
* Unchanged content (same sha256 as the registry's last version): no request at all.
* Service accounts own no storage: files must go to a shared drive (the service
  account a Content manager there) or be created as a delegated user.  Every call
  carries `supportsAllDrives=True`; lists also `includeItemsFromAllDrives` and, with a
  shared drive, `corpora="drive", driveId=...`.
"""
from __future__ import annotations

import hashlib
import io
import logging
import re
import threading
from dataclasses import dataclass
from typing import Any, Callable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.db import utcnow
from service.filing.base import KIND_FOLDERS, DocumentKey, Filed, media_type, safe_name, sha256
from service.filing.drive_errors import DriveFilingError, drive_error, share_failure
from service.filing.drive_records import DriveDocument, DrivePin, DriveShare
from service.filing.registry import Registry
from service.google.http import RetryPolicy
from service.google.http import execute as default_execute

__all__ = ["DriveFiler", "DriveFiled", "DriveFilingError", "DriveDocument", "key_hash", "DOCX", "GOOGLE_DOC",
           "FOLDER", "PIN_CAP"]

log = logging.getLogger(__name__)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
GOOGLE_DOC = "application/vnd.google-apps.document"
FOLDER = "application/vnd.google-apps.folder"
FILE_FIELDS = "id,name,mimeType,parents,version,headRevisionId,md5Checksum,appProperties,webViewLink,trashed"
KEY_PROPERTY = "moDocsKey"
COPY_PROPERTY = "moDocsCopy"
PIN_CAP = 200                 # revisions Drive keeps forever per file
ONCE = RetryPolicy(max_attempts=1)
_DRIVE_ID = re.compile(r"^[A-Za-z0-9_-]{10,}$")


def key_hash(key: DocumentKey) -> str:
    """A stable id of a DocumentKey (the same on every machine and in every run)."""
    text = "\x1f".join(["mo-docs/1", key.association, key.kind, key.year, key.number])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class DriveFiled(Filed):
    shared_with: str | None = None      # the e-mail given reader access this time
    share_error: str | None = None      # Russian: why sharing failed (the document itself is filed)


class DriveFiler:
    """The Filer interface over Drive v3 (google-api-python-client).

    `drive`: a Drive v3 Resource (`build("drive", "v3", ...)`), or a callable making
    one; httplib2 is not thread-safe, so with a callable each thread gets its own,
    and with a Resource calls are serialised.  `execute(request, idempotent=...)`
    runs a request (default: `service.google.http.execute`, bounded retries)."""

    title = "Google Диск"

    def __init__(self, drive, *, root_folder_id: str, registry: Registry, shared_drive_id: str | None = None,
                 convert_to_docs: bool = False,
                 share_with: str | Callable[[DocumentKey], str | None] | None = None,
                 service_account_email: str = "", execute: Callable[..., Any] | None = None,
                 id_batch: int = 10, pin_cap: int = PIN_CAP):
        self.root_folder_id = root_folder_id
        self.registry = registry
        self.shared_drive_id = shared_drive_id
        self.convert_to_docs = convert_to_docs
        self.share_with = share_with
        self.service_account_email = service_account_email
        self._execute = execute or default_execute
        self.id_batch = max(1, id_batch)
        self.pin_cap = max(1, pin_cap)
        if callable(drive) and not hasattr(drive, "files"):
            self._factory, self._shared = drive, None
        else:
            self._factory, self._shared = None, drive
        self._local = threading.local()
        self._http_lock = threading.RLock()
        self._lock = threading.Lock()
        self._key_locks: dict[str, threading.Lock] = {}
        self._folders: dict[tuple[str, str], str] = {}
        self._folder_lock = threading.Lock()      # one thread makes a missing folder, the others wait
        self._ids: list[str] = []

    # ------------------------------------------------------------ plumbing

    def _drive(self):
        if self._factory is None:
            return self._shared
        drive = getattr(self._local, "drive", None)
        if drive is None:
            drive = self._local.drive = self._factory()
        return drive

    def _run(self, request, **options):
        if self._factory is None:
            with self._http_lock:
                return self._execute(request, **options)
        return self._execute(request, **options)

    def _call(self, make: Callable[[Any], Any], **options):
        """Build a request from the Resource and run it, mapping Google errors."""
        try:
            return self._run(make(self._drive()), **options)
        except DriveFilingError:
            raise
        except Exception as exc:  # noqa: BLE001
            err = drive_error(exc, service_account=self.service_account_email,
                              shared_drive=bool(self.shared_drive_id))
            if err is exc:
                raise                       # not a Google error: a bug must not look like one
            raise err from exc

    def _list_params(self) -> dict[str, Any]:
        params: dict[str, Any] = {"supportsAllDrives": True, "includeItemsFromAllDrives": True}
        if self.shared_drive_id:
            params.update(corpora="drive", driveId=self.shared_drive_id)
        return params

    def _key_lock(self, key: DocumentKey) -> threading.Lock:
        with self._lock:
            return self._key_locks.setdefault(key_hash(key), threading.Lock())

    def _new_id(self) -> str:
        with self._lock:
            if self._ids:
                return self._ids.pop(0)
        got = self._call(lambda d: d.files().generateIds(count=self.id_batch, space="drive", type="files"))
        ids = list(got.get("ids") or [])
        if not ids:
            raise DriveFilingError("drive.no_ids", "Google Диск не выдал идентификаторы для новых файлов.")
        with self._lock:
            self._ids.extend(ids[1:])
        return ids[0]

    # ------------------------------------------------------------ folders

    def folder(self, key: DocumentKey) -> str:
        """The id of the key's folder, creating the missing ones."""
        with self._folder_lock:
            parent, fresh = self.root_folder_id, False
            for name in (safe_name(key.association, "МО"), safe_name(key.year, "год"), KIND_FOLDERS[key.kind]):
                parent, fresh = self._child_folder(parent, name, known_absent=fresh)
            return parent

    def _child_folder(self, parent: str, name: str, *, known_absent: bool) -> tuple[str, bool]:
        cached = self._folders.get((parent, name))
        if cached:
            return cached, False
        if not known_absent:
            q = (f"name = '{_q(name)}' and '{_q(parent)}' in parents and mimeType = '{FOLDER}' "
                 "and trashed = false")
            got = self._call(lambda d: d.files().list(
                q=q, fields="files(id,name,createdTime)", orderBy="createdTime", pageSize=10,
                **self._list_params()))
            found = got.get("files") or []
            if found:
                self._folders[(parent, name)] = found[0]["id"]
                return found[0]["id"], False
        folder_id = self._new_id()
        body = {"id": folder_id, "name": name, "mimeType": FOLDER, "parents": [parent]}
        try:
            self._call(lambda d: d.files().create(body=body, fields="id", supportsAllDrives=True),
                       idempotent=True)
        except DriveFilingError as err:
            if "fileIdInUse" not in err.reasons:
                raise
        self._folders[(parent, name)] = folder_id
        return folder_id, True

    # ------------------------------------------------------------ records

    def _session(self):
        return Session(self.registry.engine, expire_on_commit=False)

    def _doc(self, key: DocumentKey) -> DriveDocument | None:
        with self._session() as s:
            return s.get(DriveDocument, key_hash(key))

    def _claim(self, key: DocumentKey, file_id: str) -> DriveDocument:
        """Record the id before uploading; if another worker got there first, use theirs."""
        row = DriveDocument(key_hash=key_hash(key), association=key.association, kind=key.kind, year=key.year,
                            number=key.number, file_id=file_id, state="pending")
        try:
            with self._session() as s, s.begin():
                s.add(row)
            return row
        except IntegrityError:
            existing = self._doc(key)
            assert existing is not None
            return existing

    def _save_doc(self, key: DocumentKey, **values) -> None:
        with self._session() as s, s.begin():
            row = s.get(DriveDocument, key_hash(key))
            if row is None:
                row = DriveDocument(key_hash=key_hash(key), association=key.association, kind=key.kind,
                                    year=key.year, number=key.number, file_id=values["file_id"])
                s.add(row)
            for k, v in values.items():
                setattr(row, k, v)
            row.updated_at = utcnow()

    def _forget_doc(self, key: DocumentKey) -> None:
        with self._session() as s, s.begin():
            row = s.get(DriveDocument, key_hash(key))
            if row is not None:
                s.delete(row)

    # ------------------------------------------------------------ requests

    def _find(self, prop: str, value: str) -> dict | None:
        q = f"appProperties has {{ key='{prop}' and value='{value}' }} and trashed = false"
        got = self._call(lambda d: d.files().list(q=q, fields=f"files({FILE_FIELDS})", pageSize=10,
                                                  **self._list_params()))
        files = got.get("files") or []
        return files[0] if files else None

    def _find_by_key(self, key: DocumentKey) -> dict | None:
        return self._find(KEY_PROPERTY, key_hash(key))

    def _media(self, content: bytes, mimetype: str = DOCX):
        from googleapiclient.http import MediaIoBaseUpload

        return MediaIoBaseUpload(io.BytesIO(content), mimetype=mimetype, resumable=False)

    def _converts(self, filename: str) -> bool:
        """Only .docx become Google Docs; a table document (.xlsx) stays as it is."""
        return self.convert_to_docs and filename.lower().endswith(".docx")

    def _name(self, filename: str) -> str:
        name = safe_name(filename)
        if self._converts(name):
            name = name[:-5] or name
        return name

    def _properties(self, key: DocumentKey) -> dict[str, str]:
        return {KEY_PROPERTY: key_hash(key), "moDocsKind": key.kind, "moDocsYear": key.year[:40],
                "moDocsNumber": key.number[:40]}

    def _create(self, key: DocumentKey, file_id: str, filename: str, content: bytes) -> dict:
        """A new file with a generated id (never converted: see `_create_converted`); its
        only revision is kept forever at once."""
        mimetype = media_type(filename)
        body = {"id": file_id, "name": self._name(filename), "parents": [self.folder(key)], "mimeType": mimetype,
                "appProperties": self._properties(key)}
        try:
            return self._call(lambda d: d.files().create(body=body, media_body=self._media(content, mimetype),
                                                         fields=FILE_FIELDS, supportsAllDrives=True,
                                                         keepRevisionForever=True),
                              idempotent=True)
        except DriveFilingError as err:
            if "fileIdInUse" not in err.reasons:
                raise
        # created by an earlier attempt whose answer was lost: adopt it
        existing = self._call(lambda d: d.files().get(fileId=file_id, fields=FILE_FIELDS, supportsAllDrives=True))
        if (existing.get("appProperties") or {}).get(KEY_PROPERTY) not in (None, key_hash(key)):
            raise DriveFilingError("drive.conflict", "Идентификатор нового файла занят чужим файлом Google Диска.")
        if existing.get("md5Checksum") == hashlib.md5(content).hexdigest():
            return existing
        return self._update(key, file_id, filename, content)

    def _create_converted(self, key: DocumentKey, filename: str, content: bytes) -> dict:
        """A new Google Doc: no generated id, so no automatic retry (a repeated create
        would make a second file); a failure that may have created it is resolved by
        the key lookup, now or at the next attempt."""
        body = {"name": self._name(filename), "parents": [self.folder(key)], "mimeType": GOOGLE_DOC,
                "appProperties": self._properties(key)}
        try:
            return self._call(lambda d: d.files().create(body=body, media_body=self._media(content, DOCX),
                                                         fields=FILE_FIELDS, supportsAllDrives=True),
                              idempotent=False, policy=ONCE)
        except DriveFilingError as err:
            if 400 <= err.status < 500 and err.status not in (408, 429):
                raise                                 # refused: nothing was made
            found = self._find_by_key(key)
            if found is not None:
                return found
            raise

    def _update(self, key: DocumentKey, file_id: str, filename: str, content: bytes) -> dict:
        # `trashed: false` brings back a document someone put in the bin: it is being regenerated
        body = {"name": self._name(filename), "appProperties": self._properties(key), "trashed": False}
        return self._call(lambda d: d.files().update(fileId=file_id, body=body,
                                                     media_body=self._media(content, media_type(filename)),
                                                     fields=FILE_FIELDS, supportsAllDrives=True))

    def _head(self, meta: dict) -> str | None:
        """The revision holding what was just uploaded: `headRevisionId` for a .docx; a
        Google Doc has none in its metadata, so its revision list is read."""
        if meta.get("mimeType") != GOOGLE_DOC:
            return meta.get("headRevisionId")
        file_id, token, last = meta["id"], None, None
        while True:
            got = self._call(lambda d: d.revisions().list(fileId=file_id, pageSize=1000, pageToken=token,
                                                          fields="nextPageToken,revisions(id)"))
            items = got.get("revisions") or []
            if items:
                last = items[-1]["id"]
            token = got.get("nextPageToken")
            if not token:
                return last

    # ------------------------------------------------------------ filing

    def file(self, key: DocumentKey, filename: str, content: bytes, source_sha256: str,
             requested_by: str = "", *, share_with: str | None = None) -> DriveFiled:
        digest = sha256(content)
        with self._key_lock(key):
            last = self.registry.latest(key)
            here = last is not None and bool(_DRIVE_ID.match(last.location))   # not filed by another storage
            if here and last.sha256 == digest:
                doc = self._doc(key)
                return DriveFiled(key, last.location, last.version, digest, changed=False,
                                  url=self._view_link(last.location, doc))
            doc = self._doc(key)
            previous_revision = doc.head_revision if doc is not None and doc.state == "filed" else None
            created = False
            meta: dict | None = None
            # 1. the file this key is known to have
            known = last.location if here else (doc.file_id if doc is not None and doc.state == "filed" else None)
            if known:
                self._pin_pending(known)
                try:
                    meta = self._update(key, known, filename, content)
                except DriveFilingError as err:
                    if err.status != 404:
                        raise
                    log.warning("drive: file %s of %s is gone, filing the document anew", known, key)
                    previous_revision = None
                    if doc is not None:
                        self._forget_doc(key)
                        doc = None
                    known = None
            # 2. an id recorded by an earlier attempt whose outcome is unknown
            if meta is None and doc is not None and doc.state == "pending" and not self._converts(filename):
                meta = self._create(key, doc.file_id, filename, content)
                created = True
            # 3. nothing known here (a new database, or a conversion whose answer was lost)
            if meta is None and not known:
                found = self._find_by_key(key)
                if found is not None:
                    same = found.get("md5Checksum") == hashlib.md5(content).hexdigest() and not found.get("trashed")
                    meta = found if same else self._update(key, found["id"], filename, content)
            # 4. a new file
            if meta is None:
                if self._converts(filename):
                    meta = self._create_converted(key, filename, content)
                else:
                    meta = self._create(key, self._claim(key, self._new_id()).file_id, filename, content)
                created = True
            file_id = meta["id"]
            head = self._head(meta)
            stored_as = f"{file_id}/revisions/{previous_revision}" if previous_revision else None
            row = self.registry.add(key, file_id, digest, source_sha256, requested_by, stored_as,
                                    name=safe_name(filename))          # what a download is called: the .docx
            self._save_doc(key, file_id=file_id, state="filed", head_revision=head,
                           mime_type=meta.get("mimeType"), web_link=meta.get("webViewLink"))
            if meta.get("mimeType") != GOOGLE_DOC and head:
                self._pin(file_id, head, already=created)
            shared, share_error = None, None
            email = None if key.personal else (share_with or self._share_target(key))
            if email:                           # personal data stays with the service's account
                shared, share_error = self._share(file_id, email)
            return DriveFiled(key, file_id, row.version, digest, changed=True, url=meta.get("webViewLink", ""),
                              shared_with=shared, share_error=share_error)

    # ------------------------------------------------------------ revisions kept forever

    def _pin(self, file_id: str, revision: str, *, already: bool = False) -> None:
        """Keep `revision` forever (`already`: the create did), within the cap."""
        with self._session() as s, s.begin():
            row = s.scalars(select(DrivePin).where(DrivePin.file_id == file_id,
                                                   DrivePin.revision_id == revision)).first()
            if row is None:
                s.add(DrivePin(file_id=file_id, revision_id=revision, state="pinned" if already else "pending"))
            elif row.state == "pinned":
                return
        if not already:
            self._pin_pending(file_id)

    def _pin_pending(self, file_id: str) -> None:
        """Pin what is recorded as pending (a pin that failed last time is tried again)."""
        with self._session() as s:
            pending = list(s.scalars(select(DrivePin).where(DrivePin.file_id == file_id, DrivePin.state == "pending")
                                     .order_by(DrivePin.id)))
        for pin in pending:
            try:
                self._make_room(file_id)
                self._call(lambda d: d.revisions().update(fileId=file_id, revisionId=pin.revision_id,
                                                          body={"keepForever": True}, fields="id,keepForever"))
            except DriveFilingError as err:
                if err.status == 404:                         # purged meanwhile: nothing left to keep
                    self._set_pin(pin.id, "dropped")
                    continue
                log.warning("drive: revision %s of %s not kept forever yet (%s)", pin.revision_id, file_id, err.code)
                return
            self._set_pin(pin.id, "pinned")

    def _make_room(self, file_id: str) -> None:
        """Drive keeps at most `pin_cap` revisions forever and never un-keeps one: the
        oldest pinned revision is deleted to make room (its version reads as gone)."""
        with self._session() as s:
            pinned = list(s.scalars(select(DrivePin).where(DrivePin.file_id == file_id, DrivePin.state == "pinned")
                                    .order_by(DrivePin.id)))
        for oldest in pinned[:max(0, len(pinned) - self.pin_cap + 1)]:
            try:
                self._call(lambda d: d.revisions().delete(fileId=file_id, revisionId=oldest.revision_id))
            except DriveFilingError as err:
                if err.status != 404:
                    raise
            log.warning("drive: %s keeps %d revisions forever; the oldest (%s) was deleted", file_id, self.pin_cap,
                        oldest.revision_id)
            self._set_pin(oldest.id, "dropped")

    def _set_pin(self, pin_id: int, state: str) -> None:
        with self._session() as s, s.begin():
            s.get(DrivePin, pin_id).state = state

    # ------------------------------------------------------------ sharing

    def _share_target(self, key: DocumentKey) -> str | None:
        if callable(self.share_with):
            return self.share_with(key)
        return self.share_with

    def _share(self, file_id: str, email: str) -> tuple[str | None, str | None]:
        """Give `email` reader access without a notification letter, once per file and
        address.  A refusal does not undo the filing; it is recorded with a sentence
        saying what the curator must do and returned this once."""
        with self._session() as s:
            if s.get(DriveShare, (file_id, email)) is not None:
                return None, None
        body = {"type": "user", "role": "reader", "emailAddress": email}
        try:
            self._call(lambda d: d.permissions().create(fileId=file_id, body=body, sendNotificationEmail=False,
                                                        supportsAllDrives=True, fields="id"))
        except DriveFilingError as err:
            code, message, transient = share_failure(err.status, err.reasons, email)
            if not transient:
                self._record_share(file_id, email, "failed", code, message)
            return None, message
        self._record_share(file_id, email, "shared")
        return email, None

    def _record_share(self, file_id: str, email: str, state: str, code: str | None = None,
                      message: str | None = None) -> None:
        try:
            with self._session() as s, s.begin():
                s.add(DriveShare(file_id=file_id, email=email, state=state, code=code, message=message))
        except IntegrityError:
            pass                                       # another worker recorded it first

    def notices(self, association: str) -> list[str]:
        """Why curators could not be given access to this association's documents (one
        sentence per address), for the association's page."""
        with self._session() as s:
            files = select(DriveDocument.file_id).where(DriveDocument.association == association)
            rows = s.scalars(select(DriveShare).where(DriveShare.state == "failed", DriveShare.file_id.in_(files)))
            return list(dict.fromkeys(r.message for r in rows if r.message))

    # ------------------------------------------------------------ reading back

    def versions(self, key: DocumentKey):
        return self.registry.versions(key)

    def _where(self, version) -> tuple[str, str | None] | None:
        """(file id, revision id or None for the current content) of a recorded version."""
        key = DocumentKey(version.association, version.kind, version.year, version.number)
        latest = self.registry.latest(key)
        if latest is not None and latest.id == version.id:
            return version.location, None
        successor = self.registry.version(key, version.version + 1)
        if successor is None or not successor.stored_as or "/revisions/" not in successor.stored_as:
            return None
        file_id, revision = successor.stored_as.split("/revisions/", 1)
        return file_id, revision

    def read(self, version) -> bytes | None:
        where = self._where(version)
        if where is None or not _DRIVE_ID.match(where[0]):
            return None                                   # recorded by another storage, or not kept
        file_id, revision = where
        try:
            mime = self._mime(file_id, version)
            if revision is None:
                if mime == GOOGLE_DOC:
                    return self._call(lambda d: d.files().export(fileId=file_id, mimeType=DOCX))
                return self._call(lambda d: d.files().get_media(fileId=file_id, supportsAllDrives=True))
            if mime == GOOGLE_DOC:
                got = self._call(lambda d: d.revisions().get(fileId=file_id, revisionId=revision,
                                                              fields="exportLinks"))
                link = (got.get("exportLinks") or {}).get(DOCX)
                return self._call(lambda d: _authorized_get(d, link)) if link else None
            return self._call(lambda d: d.revisions().get_media(fileId=file_id, revisionId=revision))
        except DriveFilingError as err:
            if err.status == 404:
                return None
            raise

    def _mime(self, file_id: str, version) -> str | None:
        key = DocumentKey(version.association, version.kind, version.year, version.number)
        doc = self._doc(key)
        if doc is not None and doc.file_id == file_id and doc.mime_type:
            return doc.mime_type
        got = self._call(lambda d: d.files().get(fileId=file_id, fields="mimeType", supportsAllDrives=True))
        return got.get("mimeType")

    def link(self, version) -> str | None:
        """The document in Drive for its current version; an older version has no page
        of its own in Drive — the service serves its revision."""
        where = self._where(version)
        if where is None or where[1] is not None or not _DRIVE_ID.match(where[0]):
            return None
        key = DocumentKey(version.association, version.kind, version.year, version.number)
        return self._view_link(where[0], self._doc(key))

    @staticmethod
    def _view_link(file_id: str, doc: DriveDocument | None) -> str:
        if doc is not None and doc.file_id == file_id and doc.web_link:
            return doc.web_link
        if doc is not None and doc.mime_type == GOOGLE_DOC:
            return f"https://docs.google.com/document/d/{file_id}/edit"
        return f"https://drive.google.com/file/d/{file_id}/view"

    def attach(self, filed: Filed, filename: str, content: bytes) -> str:
        """A copy beside the document (its PDF/A), found again by its own key property."""
        name = safe_name(filename)
        marker = hashlib.sha256(f"{key_hash(filed.key)}\x1f{name}".encode()).hexdigest()
        mimetype = "application/pdf" if name.lower().endswith(".pdf") else "application/octet-stream"
        found = self._find(COPY_PROPERTY, marker)
        if found is not None:
            meta = self._call(lambda d: d.files().update(fileId=found["id"], body={"name": name},
                                                         media_body=self._media(content, mimetype),
                                                         fields="id,webViewLink", supportsAllDrives=True))
        else:
            body = {"id": self._new_id(), "name": name, "parents": [self.folder(filed.key)], "mimeType": mimetype,
                    "appProperties": {COPY_PROPERTY: marker}}
            try:
                meta = self._call(lambda d: d.files().create(body=body, media_body=self._media(content, mimetype),
                                                             fields="id,webViewLink", supportsAllDrives=True),
                                  idempotent=True)
            except DriveFilingError as err:
                if "fileIdInUse" not in err.reasons:
                    raise
                meta = self._call(lambda d: d.files().get(fileId=body["id"], fields="id,webViewLink",
                                                          supportsAllDrives=True))
        return meta.get("webViewLink") or f"https://drive.google.com/file/d/{meta['id']}/view"


def _authorized_get(drive, url: str):
    """A GET of a Drive-issued address (a revision's export link) with the Resource's
    authorised transport, as an HttpRequest so that it retries like the rest."""
    from googleapiclient.http import HttpRequest

    return HttpRequest(drive._http, lambda resp, content: content, url, method="GET")


def _q(text: str) -> str:
    """A string literal inside a Drive query: backslashes and single quotes escaped."""
    return text.replace("\\", "\\\\").replace("'", "\\'")
