"""Google Drive v3 in memory, for the filer contract run offline: an httplib2-shaped
`request()` that google-api-python-client's Resources talk to (`build(..., http=fake)`),
answering the calls the Drive filer makes with payloads shaped as the discovery
document says (File, Revision, RevisionList, GeneratedIds, Permission; errors as
`{"error": {"code", "message", "errors": [{"domain", "reason", "message"}]}}`).

What it holds to, because the filer must cope with it:
* `files.create` with a pre-generated id answers 409 `fileIdInUse` when the id is
  taken; with an id *and* conversion to a Google Doc it refuses (400): Google's upload
  guide is recalled as not supporting generated ids for conversions (REFERENCE.md);
* binary files get a new revision per content upload, `headRevisionId` and
  `md5Checksum`; Google Docs have neither (their revisions come from `revisions.list`);
* a revision set to keep forever cannot be set back (400
  `illegalKeepForeverModification`); at most 200 per file; older blob revisions can be
  downloaded only when kept forever;
* `permissions.create` refuses addresses without a Google account when no
  notification is sent (400 `invalidSharingRequest`, Drive's own wording) and, where
  the drive allows no outside sharing, other domains (403
  `cannotShareTeamDriveWithNonGoogleAccounts`).

`calls` logs (method, path) of every request; `faults.add(status, method=, path=)`
answers the next matching request with an error.
"""
from __future__ import annotations

import datetime as dt
import email.parser
import email.policy
import hashlib
import itertools
import json
import re
import threading
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

import httplib2

FOLDER = "application/vnd.google-apps.folder"
GOOGLE_DOC = "application/vnd.google-apps.document"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
KEEP_FOREVER_CAP = 200


@dataclass
class Revision:
    id: str
    content: bytes
    keep_forever: bool = False
    modified: str = ""


@dataclass
class File:
    id: str
    name: str
    mime: str
    parents: list[str]
    app_properties: dict = field(default_factory=dict)
    trashed: bool = False
    created: str = ""
    revisions: list[Revision] = field(default_factory=list)
    permissions: list[dict] = field(default_factory=list)
    version: int = 1

    @property
    def is_folder(self) -> bool:
        return self.mime == FOLDER

    @property
    def is_google_doc(self) -> bool:
        return self.mime == GOOGLE_DOC

    def resource(self) -> dict:
        body = {"kind": "drive#file", "id": self.id, "name": self.name, "mimeType": self.mime,
                "parents": list(self.parents), "trashed": self.trashed, "version": str(self.version),
                "createdTime": self.created, "appProperties": dict(self.app_properties)}
        if not self.is_folder:
            if self.is_google_doc:
                body["webViewLink"] = f"https://docs.google.com/document/d/{self.id}/edit?usp=drivesdk"
            else:
                head = self.revisions[-1]
                body["webViewLink"] = f"https://drive.google.com/file/d/{self.id}/view?usp=drivesdk"
                body["headRevisionId"] = head.id
                body["md5Checksum"] = hashlib.md5(head.content).hexdigest()
                body["size"] = str(len(head.content))
        return body


@dataclass
class Fault:
    status: int
    reason: str
    method: str | None
    path: str | None
    times: int


def _fields(spec: str | None) -> dict | None:
    """`files(id,name),nextPageToken` → {"files": {"id": None, "name": None}, "nextPageToken": None}."""
    if not spec:
        return None
    out, depth, token, nested = {}, 0, "", ""
    for ch in spec + ",":
        if ch == "(" and depth == 0:
            depth, nested = 1, ""
            continue
        if depth:
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    continue
            nested += ch
            continue
        if ch == ",":
            if token.strip():
                out[token.strip().split("/")[0]] = _fields(nested) if nested else None
            token, nested = "", ""
        else:
            token += ch
    return out


def _pick(body: dict, spec: dict | None) -> dict:
    if spec is None:
        return body
    out = {}
    for key, sub in spec.items():
        if key in body:
            value = body[key]
            if sub is not None and isinstance(value, list):
                value = [_pick(v, sub) for v in value]
            elif sub is not None and isinstance(value, dict):
                value = _pick(value, sub)
            out[key] = value
    return out


def _literal(text: str) -> str:
    return text.replace("\\'", "'").replace("\\\\", "\\")


_BY_KEY = re.compile(r"^appProperties has \{ key='((?:[^'\\]|\\.)*)' and value='((?:[^'\\]|\\.)*)' \}"
                     r" and trashed = false$")
_BY_NAME = re.compile(r"^name = '((?:[^'\\]|\\.)*)' and '((?:[^'\\]|\\.)*)' in parents and mimeType = "
                      r"'((?:[^'\\]|\\.)*)' and trashed = false$")


class FakeDrive:
    def __init__(self, shared_drive_id: str = "0ASharedDrive00000PVA", *, no_google_account=(),
                 outside_sharing: bool = True):
        self.shared_drive_id = shared_drive_id
        self.files: dict[str, File] = {}
        self.no_google_account = set(no_google_account)
        self.outside_sharing = outside_sharing
        self.calls: list[tuple[str, str]] = []
        self.faults: list[Fault] = []
        self.lock = threading.RLock()
        self._ids = itertools.count(1)
        self._clock = itertools.count(1)
        root = File(shared_drive_id, "Общий диск", FOLDER, [])
        self.files[root.id] = root

    # ------------------------------------------------------------ helpers for tests

    def new_id(self) -> str:
        return f"1Fake{next(self._ids):06d}{'x' * 22}"

    def _now(self) -> str:
        t = dt.datetime(2024, 11, 14, 10, 0, tzinfo=dt.timezone.utc) + dt.timedelta(seconds=next(self._clock))
        return t.isoformat().replace("+00:00", ".000Z")

    def add_fault(self, status: int, reason: str, *, method: str | None = None, path: str | None = None,
                  times: int = 1) -> None:
        self.faults.append(Fault(status, reason, method, path, times))

    def child(self, parent: str, name: str) -> File | None:
        found = [f for f in self.files.values() if parent in f.parents and f.name == name and not f.trashed]
        return sorted(found, key=lambda f: f.created)[0] if found else None

    def folder(self, path: str, root: str | None = None) -> File | None:
        node = self.files[root or self.shared_drive_id]
        for part in path.split("/"):
            node = self.child(node.id, part)
            if node is None or not node.is_folder:
                return None
        return node

    def listing(self, path: str, root: str | None = None) -> dict[str, bytes] | None:
        node = self.folder(path, root)
        if node is None:
            return None
        return {f.name: f.revisions[-1].content for f in self.files.values()
                if node.id in f.parents and not f.is_folder and not f.trashed}

    def paths(self, root: str | None = None) -> set[str]:
        out = set()
        for f in self.files.values():
            if f.is_folder or f.trashed:
                continue
            parts, node = [f.name], f
            while node.parents and node.parents[0] != (root or self.shared_drive_id):
                node = self.files[node.parents[0]]
                parts.insert(0, node.name)
            out.add("/".join(parts))
        return out

    def kept_forever(self, file_id: str) -> list[str]:
        return [r.id for r in self.files[file_id].revisions if r.keep_forever]

    # ------------------------------------------------------------ httplib2's interface

    def request(self, uri, method="GET", body=None, headers=None, redirections=5, connection_type=None):
        parts = urlsplit(uri)
        path = unquote(parts.path)
        query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        headers = {k.lower(): v for k, v in (headers or {}).items()}
        with self.lock:
            self.calls.append((method, path))
            for fault in self.faults:
                if (fault.method in (None, method)) and (fault.path is None or fault.path in path):
                    fault.times -= 1
                    if fault.times <= 0:
                        self.faults.remove(fault)
                    return self._error(fault.status, fault.reason, "Injected fault.")
            try:
                return self._route(method, path, query, headers, body)
            except KeyError:
                return self._error(404, "notFound", f"File not found: {path}.")

    def _answer(self, status: int, payload) -> tuple:
        if isinstance(payload, bytes):
            return httplib2.Response({"status": str(status), "content-type": "application/octet-stream"}), payload
        content = json.dumps(payload, ensure_ascii=False).encode() if payload is not None else b""
        return httplib2.Response({"status": str(status), "content-type": "application/json; charset=UTF-8"}), content

    def _error(self, status: int, reason: str, message: str) -> tuple:
        return self._answer(status, {"error": {"code": status, "message": message,
                                               "errors": [{"domain": "global", "reason": reason,
                                                           "message": message}]}})

    @staticmethod
    def _multipart(headers: dict, body) -> tuple[dict, bytes | None]:
        raw = body if isinstance(body, bytes) else (body or "").encode("utf-8")
        ctype = headers.get("content-type", "")
        if not ctype.startswith("multipart/"):
            return (json.loads(raw) if raw.strip() else {}), None
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {ctype}\r\n\r\n".encode() + raw)
        meta, media = {}, None
        for part in message.iter_parts():
            payload = part.get_payload(decode=True)
            if part.get_content_type() == "application/json":
                meta = json.loads(payload)
            else:
                media = payload
        return meta, media

    # ------------------------------------------------------------ routes

    def _route(self, method: str, path: str, q: dict, headers: dict, body) -> tuple:
        fields = _fields(q.get("fields"))
        m = re.match(r"^(/upload)?/drive/v3/files(?:/([^/]+))?(?:/(revisions|permissions|export)(?:/([^/]+))?)?$",
                     path)
        if m is None:
            m2 = re.match(r"^/feeds/download/documents/export/Export$", path)
            if m2 and method == "GET":
                f = self.files[q["id"]]
                rev = next(r for r in f.revisions if r.id == q["revision"])
                return self._answer(200, rev.content)
            return self._error(404, "notFound", "Not Found")
        upload, file_id, sub, sub_id = m.groups()
        if file_id == "generateIds" and method == "GET":
            count = int(q.get("count", 10))
            return self._answer(200, {"kind": "drive#generatedIds", "space": q.get("space", "drive"),
                                      "ids": [self.new_id() for _ in range(count)]})
        if file_id is None and method == "GET":
            return self._answer(200, _pick({"kind": "drive#fileList", "incompleteSearch": False,
                                            "files": [f.resource() for f in self._search(q)]}, fields))
        if file_id is None and method == "POST":
            meta, media = self._multipart(headers, body)
            return self._create(meta, media, q, fields)
        f = self.files[file_id]
        if sub is None and method == "GET":
            if q.get("alt") == "media":
                if f.is_google_doc or f.is_folder:
                    return self._error(403, "fileNotDownloadable", "Only files with binary content can be "
                                                                   "downloaded. Use Export with Docs Editors files.")
                return self._answer(200, f.revisions[-1].content)
            return self._answer(200, _pick(f.resource(), fields))
        if sub is None and method == "PATCH":
            meta, media = self._multipart(headers, body)
            return self._update(f, meta, media, q, fields)
        if sub == "export" and method == "GET":
            return self._answer(200, f.revisions[-1].content)
        if sub == "revisions":
            return self._revisions(f, method, sub_id, q, body, fields)
        if sub == "permissions" and method == "POST":
            return self._share(f, json.loads(body), q)
        return self._error(400, "badRequest", "Unsupported request in the fake.")

    def _search(self, q: dict) -> list[File]:
        text = q.get("q", "")
        by_key, by_name = _BY_KEY.match(text), _BY_NAME.match(text)
        if by_key:
            key, value = _literal(by_key.group(1)), _literal(by_key.group(2))
            found = [f for f in self.files.values() if f.app_properties.get(key) == value and not f.trashed]
        elif by_name:
            name, parent, mime = (_literal(g) for g in by_name.groups())
            found = [f for f in self.files.values()
                     if f.name == name and parent in f.parents and f.mime == mime and not f.trashed]
        else:
            raise AssertionError(f"the fake does not understand q={text!r}")
        if q.get("orderBy") == "createdTime":
            found.sort(key=lambda f: f.created)
        return found[: int(q.get("pageSize", 100))]

    def _create(self, meta: dict, media: bytes | None, q: dict, fields) -> tuple:
        mime = meta.get("mimeType") or DOCX
        wanted = meta.get("id")
        if wanted and mime == GOOGLE_DOC and media is not None:
            return self._error(400, "badRequest", "Generated IDs are not supported for this upload.")
        if wanted and wanted in self.files:
            return self._error(409, "fileIdInUse", "A file already exists with the provided ID.")
        parent = (meta.get("parents") or [self.shared_drive_id])[0]
        if parent not in self.files:
            return self._error(404, "notFound", f"File not found: {parent}.")
        f = File(wanted or self.new_id(), meta["name"], mime, [parent], dict(meta.get("appProperties") or {}),
                 created=self._now())
        if media is not None:
            f.revisions.append(Revision(self._revision_id(), media,
                                        keep_forever=q.get("keepRevisionForever") == "true" and not f.is_google_doc,
                                        modified=f.created))
        self.files[f.id] = f
        return self._answer(200, _pick(f.resource(), fields))

    def _revision_id(self) -> str:
        return f"0B{next(self._ids):08d}Rev"

    def _update(self, f: File, meta: dict, media: bytes | None, q: dict, fields) -> tuple:
        for key in ("name", "trashed"):
            if key in meta:
                setattr(f, key, meta[key])
        if "appProperties" in meta:
            f.app_properties.update(meta["appProperties"])
        if media is not None:
            keep = q.get("keepRevisionForever") == "true" and not f.is_google_doc
            if keep and len(self.kept_forever(f.id)) >= KEEP_FOREVER_CAP:
                return self._error(400, "badRequest", "Cannot keep more revisions forever.")
            f.revisions.append(Revision(self._revision_id(), media, keep_forever=keep, modified=self._now()))
        f.version += 1
        return self._answer(200, _pick(f.resource(), fields))

    def _revisions(self, f: File, method: str, revision_id: str | None, q: dict, body, fields) -> tuple:
        if revision_id is None and method == "GET":
            items = [{"kind": "drive#revision", "id": r.id, "mimeType": f.mime, "modifiedTime": r.modified}
                     for r in f.revisions]
            return self._answer(200, _pick({"kind": "drive#revisionList", "revisions": items}, fields))
        rev = next((r for r in f.revisions if r.id == revision_id), None)
        if rev is None:
            return self._error(404, "notFound", f"Revision not found: {revision_id}.")
        head = rev is f.revisions[-1]
        if method == "GET" and q.get("alt") == "media":
            if f.is_google_doc:
                return self._error(403, "fileNotDownloadable", "Use Export with Docs Editors files.")
            if not rev.keep_forever and not head:
                return self._error(403, "revisionNotDownloadable",
                                   "Only revisions marked as keep forever can be downloaded.")
            return self._answer(200, rev.content)
        if method == "GET":
            body_ = {"kind": "drive#revision", "id": rev.id, "mimeType": f.mime, "modifiedTime": rev.modified}
            if f.is_google_doc:
                body_["exportLinks"] = {DOCX: "https://docs.google.com/feeds/download/documents/export/Export"
                                              f"?id={f.id}&revision={rev.id}&exportFormat=docx"}
            else:
                body_["keepForever"] = rev.keep_forever
                body_["md5Checksum"] = hashlib.md5(rev.content).hexdigest()
            return self._answer(200, _pick(body_, fields))
        if method == "PATCH":
            keep = json.loads(body).get("keepForever")
            if f.is_google_doc:
                return self._error(400, "badRequest", "keepForever applies to files with binary content only.")
            if keep is False and rev.keep_forever:
                return self._error(400, "illegalKeepForeverModification",
                                   "Bad Request. Cannot update a revision to false that is marked as keepForever.")
            if keep and not rev.keep_forever and len(self.kept_forever(f.id)) >= KEEP_FOREVER_CAP:
                return self._error(400, "badRequest", "Cannot keep more revisions forever.")
            rev.keep_forever = bool(keep)
            return self._answer(200, {"kind": "drive#revision", "id": rev.id, "keepForever": rev.keep_forever})
        if method == "DELETE":
            if head:
                return self._error(400, "badRequest", "The head revision cannot be deleted.")
            f.revisions.remove(rev)
            return self._answer(204, None)
        return self._error(400, "badRequest", "Unsupported revision request in the fake.")

    def _share(self, f: File, body: dict, q: dict) -> tuple:
        address = body.get("emailAddress", "")
        if address in self.no_google_account and q.get("sendNotificationEmail") == "false":
            return self._error(400, "invalidSharingRequest",
                               f'Bad Request. User message: "You are trying to invite {address}. Since there is no '
                               "Google account associated with this email address, you must check the 'Notify "
                               "people' box to invite this recipient.\"")
        if not self.outside_sharing and not address.endswith("@school.edu.ru"):
            return self._error(403, "cannotShareTeamDriveWithNonGoogleAccounts",
                               "Cannot share a shared drive with non Google accounts.")
        permission = {"kind": "drive#permission", "id": f"perm{next(self._ids)}", "type": body.get("type"),
                      "role": body.get("role"), "emailAddress": address}
        f.permissions.append(permission)
        return self._answer(200, {"kind": "drive#permission", "id": permission["id"]})
