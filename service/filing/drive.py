"""Filing into Google Drive, behaving like LocalFiler: same keys, a new version on
changed content, none on unchanged content, never two files for one key.

<root folder>/<Краткое наименование>/<2024-2025>/Протоколы/Протокол №2 от 14.11.2024.docx

* Folders: looked up by name under their parent (the oldest wins if someone made
  two), created when missing, remembered for the filer's life.  A folder just
  created has no children, so its subfolders are created without a lookup.
* Creation is idempotent: file ids come from `files.generateIds` and are written to
  the `drive_documents` table *before* the upload.  A create retried after a lost
  answer, or repeated by the next run after a crash, carries the same id; Drive
  answers 409 `fileIdInUse` and the existing file is adopted.  Two workers filing
  one new key meet on the table's primary key and so on one id.
* Regenerating a document updates the same file (`files.update` with the content,
  a PATCH upload): Drive keeps the previous content as a revision, kept forever for
  .docx files (`keepRevisionForever`); the registry row's `stored_as` names it.
* The file is found through the registry, or — when the registry lacks it (a new
  database) — through its `appProperties.moDocsKey`, a stable hash of the key.
* Unchanged content (same sha256 as the registry's last version): no request at all.
* Service accounts own no storage: files must go to a shared drive (`shared_drive_id`,
  the service account a Content manager there) or be created as a delegated user.
  Every call carries `supportsAllDrives=True`; lists also `includeItemsFromAllDrives`
  and, with a shared drive, `corpora="drive", driveId=...`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import threading
from dataclasses import dataclass
from typing import Any, Callable

from google.auth.exceptions import RefreshError
from sqlalchemy import DateTime, String, Text, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from service.db import Base, utcnow
from service.filing.base import KIND_FOLDERS, DocumentKey, Filed, media_type, safe_name, sha256
from service.filing.registry import Registry
from service.google.http import execute as default_execute
from service.google.http import http_error_info

log = logging.getLogger(__name__)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
GOOGLE_DOC = "application/vnd.google-apps.document"
FOLDER = "application/vnd.google-apps.folder"
FILE_FIELDS = "id,name,mimeType,parents,version,headRevisionId,md5Checksum,appProperties,webViewLink,trashed"
KEY_PROPERTY = "moDocsKey"


def key_hash(key: DocumentKey) -> str:
    """A stable id of a DocumentKey (the same on every machine and in every run)."""
    text = "\x1f".join(["mo-docs/1", key.association, key.kind, key.year, key.number])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class DriveDocument(Base):
    """The Drive file of each document key, recorded before the file exists."""

    __tablename__ = "drive_documents"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    association: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40))
    year: Mapped[str] = mapped_column(String(9))
    number: Mapped[str] = mapped_column(String(40), default="")
    file_id: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(10), default="pending")       # pending | filed
    head_revision: Mapped[str | None] = mapped_column(String(200), nullable=True)
    shared_with: Mapped[str | None] = mapped_column(String(320), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


@dataclass(frozen=True)
class DriveFiled(Filed):
    url: str = ""                       # webViewLink
    shared_with: str | None = None      # the e-mail given reader access this time
    share_error: str | None = None      # Russian: why sharing failed (the document itself is filed)


class DriveFilingError(Exception):
    """Filing failed; `message` is one Russian sentence, `code` is stable."""

    def __init__(self, code: str, message: str, status: int = 0, reasons: frozenset[str] = frozenset()):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.reasons = reasons


class DriveFiler:
    """The Filer protocol over Drive v3 (google-api-python-client).

    `drive`: a Drive v3 Resource (`build("drive", "v3", ...)`), or a callable making
    one; httplib2 is not thread-safe, so with a callable each thread gets its own,
    and with a Resource calls are serialised.  `execute(request, idempotent=...)`
    runs a request (default: `service.google.http.execute`, bounded retries)."""

    def __init__(self, drive, *, root_folder_id: str, registry: Registry, shared_drive_id: str | None = None,
                 convert_to_docs: bool = False,
                 share_with: str | Callable[[DocumentKey], str | None] | None = None,
                 service_account_email: str = "", execute: Callable[..., Any] | None = None,
                 id_batch: int = 10):
        self.root_folder_id = root_folder_id
        self.registry = registry
        self.shared_drive_id = shared_drive_id
        self.convert_to_docs = convert_to_docs
        self.share_with = share_with
        self.service_account_email = service_account_email
        self._execute = execute or default_execute
        self.id_batch = max(1, id_batch)
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

    def _run(self, request, *, idempotent: bool | None = None):
        if self._factory is None:
            with self._http_lock:
                return self._execute(request, idempotent=idempotent)
        return self._execute(request, idempotent=idempotent)

    def _call(self, make: Callable[[Any], Any], *, idempotent: bool | None = None):
        """Build a request from the Resource and run it, mapping Google errors."""
        try:
            return self._run(make(self._drive()), idempotent=idempotent)
        except DriveFilingError:
            raise
        except Exception as exc:  # noqa: BLE001
            err = self._error(exc)
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

    # ------------------------------------------------------------ documents

    def _doc(self, key: DocumentKey) -> DriveDocument | None:
        with Session(self.registry.engine, expire_on_commit=False) as s:
            return s.get(DriveDocument, key_hash(key))

    def _claim(self, key: DocumentKey, file_id: str) -> DriveDocument:
        """Record the id before uploading; if another worker got there first, use theirs."""
        row = DriveDocument(key_hash=key_hash(key), association=key.association, kind=key.kind, year=key.year,
                            number=key.number, file_id=file_id, state="pending")
        try:
            with Session(self.registry.engine, expire_on_commit=False) as s, s.begin():
                s.add(row)
            return row
        except IntegrityError:
            existing = self._doc(key)
            assert existing is not None
            return existing

    def _save_doc(self, key: DocumentKey, **values) -> None:
        with Session(self.registry.engine) as s, s.begin():
            row = s.get(DriveDocument, key_hash(key))
            if row is None:
                row = DriveDocument(key_hash=key_hash(key), association=key.association, kind=key.kind,
                                    year=key.year, number=key.number, file_id=values["file_id"])
                s.add(row)
            for k, v in values.items():
                setattr(row, k, v)
            row.updated_at = utcnow()

    def _forget_doc(self, key: DocumentKey) -> None:
        with Session(self.registry.engine) as s, s.begin():
            row = s.get(DriveDocument, key_hash(key))
            if row is not None:
                s.delete(row)

    def _find_by_key(self, key: DocumentKey) -> dict | None:
        q = (f"appProperties has {{ key='{KEY_PROPERTY}' and value='{key_hash(key)}' }} "
             "and trashed = false")
        got = self._call(lambda d: d.files().list(q=q, fields=f"files({FILE_FIELDS})", pageSize=10,
                                                  **self._list_params()))
        files = got.get("files") or []
        return files[0] if files else None

    def _media(self, content: bytes, filename: str):
        from googleapiclient.http import MediaIoBaseUpload

        return MediaIoBaseUpload(io.BytesIO(content), mimetype=media_type(filename), resumable=False)

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
        body = {"id": file_id, "name": self._name(filename), "parents": [self.folder(key)],
                "mimeType": GOOGLE_DOC if self._converts(filename) else media_type(filename),
                "appProperties": self._properties(key)}
        extra = {} if self._converts(filename) else {"keepRevisionForever": True}
        try:
            return self._call(lambda d: d.files().create(body=body, media_body=self._media(content, filename),
                                                         fields=FILE_FIELDS, supportsAllDrives=True, **extra),
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

    def _update(self, key: DocumentKey, file_id: str, filename: str, content: bytes) -> dict:
        # `trashed: false` brings back a document someone put in the bin: it is being regenerated
        body = {"name": self._name(filename), "appProperties": self._properties(key), "trashed": False}
        extra = {} if self._converts(filename) else {"keepRevisionForever": True}
        return self._call(lambda d: d.files().update(fileId=file_id, body=body,
                                                     media_body=self._media(content, filename),
                                                     fields=FILE_FIELDS, supportsAllDrives=True, **extra))

    def file(self, key: DocumentKey, filename: str, content: bytes, source_sha256: str,
             requested_by: str = "", *, share_with: str | None = None) -> DriveFiled:
        digest = sha256(content)
        with self._key_lock(key):
            last = self.registry.latest(key)
            if last is not None and last.sha256 == digest:
                return DriveFiled(key, last.location, last.version, digest, changed=False)
            doc = self._doc(key)
            previous_revision = doc.head_revision if doc is not None and doc.state == "filed" else None
            created = False
            meta: dict | None = None
            # 1. the file this key is known to have
            known = last.location if last is not None else (
                doc.file_id if doc is not None and doc.state == "filed" else None)
            file_id = known
            if known:
                try:
                    meta = self._update(key, known, filename, content)
                except DriveFilingError as err:
                    if err.status != 404:
                        raise
                    log.warning("drive: file %s of %s is gone, filing the document anew", known, key)
                    previous_revision = None
                    if doc is not None and doc.state == "filed":
                        self._forget_doc(key)
                        doc = None
            # 2. an id recorded by an earlier attempt whose outcome is unknown
            if meta is None and doc is not None and doc.state == "pending":
                file_id = doc.file_id
                meta = self._create(key, file_id, filename, content)
                created = True
            # 3. nothing known here (a new database): Drive may still have it
            if meta is None and not known:
                found = self._find_by_key(key)
                if found is not None:
                    file_id = found["id"]
                    if found.get("md5Checksum") == hashlib.md5(content).hexdigest() and not found.get("trashed"):
                        meta = found
                    else:
                        meta = self._update(key, file_id, filename, content)
            # 4. a new file, its id recorded before the upload
            if meta is None:
                claimed = self._claim(key, self._new_id())
                file_id = claimed.file_id
                meta = self._create(key, file_id, filename, content)
                created = True
            file_id = meta.get("id") or file_id
            stored_as = f"{file_id}/revisions/{previous_revision}" if previous_revision else None
            row = self.registry.add(key, file_id, digest, source_sha256, requested_by, stored_as)
            self._save_doc(key, file_id=file_id, state="filed", head_revision=meta.get("headRevisionId"))
            shared, share_error = None, None
            email = share_with or self._share_target(key)
            if email and (created or doc is None or doc.shared_with != email):
                shared, share_error = self._share(key, file_id, email)
            return DriveFiled(key, file_id, row.version, digest, changed=True, url=meta.get("webViewLink", ""),
                              shared_with=shared, share_error=share_error)

    def _share_target(self, key: DocumentKey) -> str | None:
        if callable(self.share_with):
            return self.share_with(key)
        return self.share_with

    def _share(self, key: DocumentKey, file_id: str, email: str) -> tuple[str | None, str | None]:
        """Give `email` reader access without a notification letter.  A failure does not
        undo the filing: it is returned as a Russian sentence."""
        body = {"type": "user", "role": "reader", "emailAddress": email}
        try:
            self._call(lambda d: d.permissions().create(fileId=file_id, body=body, sendNotificationEmail=False,
                                                        supportsAllDrives=True, fields="id"))
        except DriveFilingError as err:
            return None, f"Документ сохранён, но открыть его {email} не удалось: {err.message}"
        self._save_doc(key, file_id=file_id, shared_with=email)
        return email, None

    def versions(self, key: DocumentKey):
        return self.registry.versions(key)

    def revision_of(self, version) -> tuple[str, str | None] | None:
        """Where a recorded version's content lives in Drive: (file id, revision id).
        The latest version is the file's head revision; an older one is the revision
        its successor recorded in `stored_as`.  None when nothing recorded it (e.g. a
        Google Doc, whose revisions have no ids in the API's answers)."""
        key = DocumentKey(version.association, version.kind, version.year, version.number)
        latest = self.registry.latest(key)
        if latest is not None and latest.id == version.id:
            doc = self._doc(key)
            return version.location, (doc.head_revision if doc is not None else None)
        successor = self.registry.version(key, version.version + 1)
        if successor is None or not successor.stored_as or "/revisions/" not in successor.stored_as:
            return None
        file_id, revision = successor.stored_as.split("/revisions/", 1)
        return file_id, revision

    # ------------------------------------------------------------ errors

    def _error(self, exc: BaseException) -> BaseException:
        status, reasons = http_error_info(exc)
        reasons_f = frozenset(reasons)
        who = f"служебный аккаунт {self.service_account_email}" if self.service_account_email else "служебный аккаунт"
        if not status and not isinstance(exc, RefreshError):
            if isinstance(exc, (TimeoutError, ConnectionError, OSError)):
                return DriveFilingError("drive.unavailable", "Google Диск не отвечает. Попробуйте позже.")
            return exc
        if status == 429 or reasons & {"rateLimitExceeded", "userRateLimitExceeded"}:
            return DriveFilingError("drive.rate_limited", "Google ограничивает число запросов к Диску. "
                                    "Попробуйте через минуту.", status, reasons_f)
        if "storageQuotaExceeded" in reasons:
            return DriveFilingError(
                "drive.no_storage",
                f"У служебного аккаунта нет своего места на Google Диске: документы нужно складывать в общий "
                f"диск, где {who} — «Менеджер контента». Укажите общий диск в настройках.", status, reasons_f)
        if status == 401 or isinstance(exc, RefreshError):
            return DriveFilingError("drive.auth", "Служба не смогла войти в Google: ключ служебного аккаунта "
                                    "недействителен. Сообщите администратору.", status, reasons_f)
        if status == 403:
            return DriveFilingError(
                "drive.forbidden",
                f"Нет прав на запись в папку Google Диска: {who} не может создавать и менять файлы. "
                "Добавьте его в общий диск с ролью «Менеджер контента» (Content manager) "
                "или дайте ему права «Редактор» на папку.", status, reasons_f)
        if status == 404:
            return DriveFilingError(
                "drive.not_found",
                f"Папка или файл на Google Диске не найдены либо не открыты для {self.service_account_email or 'службы'}. "
                "Проверьте идентификатор папки в настройках и доступ служебного аккаунта.", status, reasons_f)
        if status >= 500 or status == 408:
            return DriveFilingError("drive.unavailable", "Google Диск сейчас не отвечает. Попробуйте позже.",
                                    status, reasons_f)
        return DriveFilingError("drive.error", f"Google Диск ответил ошибкой {status}.", status, reasons_f)


def _q(text: str) -> str:
    """A string literal inside a Drive query: backslashes and single quotes escaped."""
    return text.replace("\\", "\\\\").replace("'", "\\'")
