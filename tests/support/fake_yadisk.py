"""Yandex Disk's REST API in memory, served through `responses`: the requests and answers
the service exchanges with https://cloud-api.yandex.net/v1/disk, shaped as Yandex
documents them (Resource, Link and Operation objects; errors as
`{"message", "description", "error"}` with the documented statuses).

* `PUT /resources?path=` makes a folder (201 Link; 409
  DiskPathPointsToExistentDirectoryError when it exists, 409 DiskPathDoesntExistsError
  when its parent does not);
* `GET /resources/upload?path=&overwrite=` gives an upload Link (href on the
  uploader host, method PUT); the PUT there answers 201 and the file appears whole;
* `GET /resources/download?path=` gives a download Link; the GET there answers bytes;
* `POST /resources/copy|move?from=&path=&overwrite=` answer 201 Link, or with
  `async_operations=True` 202 Link to an operation that is «in-progress» once, then
  «success»;
* `GET /resources?path=&fields=` answers the Resource (with `md5`, `sha256`, `size`),
  `DELETE /resources?path=` 204.

Every request must carry `Authorization: OAuth <token>` (401 UnauthorizedError otherwise),
except the upload and download addresses, which carry their own authority.  Faults
(`disk.faults.add(507, method="PUT", path="upload-target")`) answer what Disk answers on bad
days; `disk.calls` logs (method, path or host) of every request.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import re
import threading
import uuid
from urllib.parse import parse_qs, urlsplit

import responses

from tests.support.faults import Faults

API = "https://cloud-api.yandex.net/v1/disk"
UPLOADER = "https://uploader12j.disk.yandex.net:443/upload-target/"
DOWNLOADER = "https://downloader.disk.yandex.ru/disk/"

ERRORS = {
    401: ("UnauthorizedError", "Не авторизован.", "Unauthorized"),
    404: ("DiskNotFoundError", "Не удалось найти запрошенный ресурс.", "Resource not found."),
    423: ("DiskResourceLockedError", "Ресурс заблокирован. Возможно, над ним выполняется другая операция.",
          "Resource is locked."),
    429: ("TooManyRequestsError", "Слишком много запросов.", "Too Many Requests"),
    503: ("ServiceUnavailableError", "Сервис временно недоступен.", "Service is unavailable."),
    # the error name of 507 is not documented; the service reads the status
    507: ("DiskStorageQuotaExhaustedError", "Недостаточно свободного места.", "Insufficient Storage"),
}


def error(status: int, name: str | None = None, message: str | None = None) -> tuple[int, dict, str]:
    default = ERRORS.get(status, ("", "Ошибка.", "Error"))
    body = {"message": message or default[1], "description": default[2], "error": name or default[0]}
    return status, {"Content-Type": "application/json; charset=utf-8"}, json.dumps(body, ensure_ascii=False)


def ok(status: int, body: dict | None = None) -> tuple[int, dict, str]:
    return status, {"Content-Type": "application/json; charset=utf-8"}, \
        json.dumps(body, ensure_ascii=False) if body is not None else ""


class FakeYandexDisk:
    def __init__(self, token: str = "y0_AgAAAAB-test-token", *, async_operations: bool = False):
        self.token = token
        self.async_operations = async_operations
        self.folders: set[str] = {"disk:"}
        self.files: dict[str, bytes] = {}
        self.modified: dict[str, str] = {}
        self.uploads: dict[str, tuple[str, bool]] = {}
        self.downloads: dict[str, str] = {}
        self.operations: dict[str, int] = {}
        self.faults = Faults()
        self.calls: list[tuple[str, str]] = []
        self.lock = threading.RLock()
        self._ids = itertools.count(1)

    # ------------------------------------------------------------ plumbing

    def install(self, rsps: responses.RequestsMock) -> "FakeYandexDisk":
        for method in ("GET", "PUT", "POST", "DELETE"):
            rsps.add_callback(method, re.compile(re.escape(API) + r"/.*"), callback=self._api)
        rsps.add_callback("PUT", re.compile(re.escape(UPLOADER) + r".*"), callback=self._upload)
        rsps.add_callback("GET", re.compile(re.escape(DOWNLOADER) + r".*"), callback=self._download)
        return self

    @staticmethod
    def _norm(path: str) -> str:
        path = path if path.startswith("disk:") else "disk:" + ("" if path.startswith("/") else "/") + path
        return path.rstrip("/") if path != "disk:/" else "disk:"

    @staticmethod
    def _parent(path: str) -> str:
        return path.rsplit("/", 1)[0] if "/" in path[len("disk:"):] else "disk:"

    def _resource(self, path: str, fields: str | None) -> dict:
        name = path.rsplit("/", 1)[-1]
        now = self.modified.get(path, "2024-11-14T10:15:00+03:00")
        if path in self.files:
            content = self.files[path]
            body = {"name": name, "path": path, "type": "file", "mime_type":
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    "media_type": "document", "size": len(content), "md5": hashlib.md5(content).hexdigest(),
                    "sha256": hashlib.sha256(content).hexdigest(), "created": now, "modified": now,
                    "resource_id": f"1130000000000000:{hashlib.md5(path.encode()).hexdigest()}",
                    "revision": 1731568500000000}
        else:
            body = {"name": name, "path": path, "type": "dir", "created": now, "modified": now,
                    "resource_id": f"1130000000000000:{hashlib.md5(path.encode()).hexdigest()}"}
        if fields:
            wanted = {f.strip().split(".")[0] for f in fields.split(",")}
            body = {k: v for k, v in body.items() if k in wanted}
        return body

    def _link(self, path: str) -> dict:
        return {"href": f"{API}/resources?path={path}", "method": "GET", "templated": False}

    def _fault(self, request) -> tuple | None:
        rule = self.faults.take(request.method, request.url)
        if rule is None:
            return None
        status, headers, body = error(rule.status)
        return status, {**headers, **rule.headers}, body

    # ------------------------------------------------------------ the API

    def _api(self, request):
        parts = urlsplit(request.url)
        endpoint = parts.path[len(urlsplit(API).path):]
        q = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        with self.lock:
            self.calls.append((request.method, endpoint))
            fault = self._fault(request)
            if fault is not None:
                return fault
            if request.headers.get("Authorization") != f"OAuth {self.token}":
                return error(401)
            if endpoint.startswith("/operations/"):
                op = endpoint.rsplit("/", 1)[-1]
                left = self.operations.get(op)
                if left is None:
                    return error(404, "OperationNotFoundError")
                self.operations[op] = max(0, left - 1)
                return ok(200, {"status": "in-progress" if left else "success"})
            path = self._norm(q.get("path", "")) if "path" in q else None
            route = (request.method, endpoint)
            if route == ("GET", "/resources"):
                if path in self.files or path in self.folders:
                    return ok(200, self._resource(path, q.get("fields")))
                return error(404)
            if route == ("PUT", "/resources"):
                if path in self.folders or path in self.files:
                    return error(409, "DiskPathPointsToExistentDirectoryError", "По указанному пути уже существует "
                                 "папка с таким именем.")
                if self._parent(path) not in self.folders:
                    return error(409, "DiskPathDoesntExistsError", "Указанного пути не существует.")
                self.folders.add(path)
                return ok(201, self._link(path))
            if route == ("DELETE", "/resources"):
                if path in self.files:
                    del self.files[path]
                    return ok(204)
                if path in self.folders:
                    self.folders = {f for f in self.folders if f != path and not f.startswith(path + "/")}
                    self.files = {f: c for f, c in self.files.items() if not f.startswith(path + "/")}
                    return ok(204)
                return error(404)
            if route == ("GET", "/resources/upload"):
                if self._parent(path) not in self.folders:
                    return error(409, "DiskPathDoesntExistsError", "Указанного пути не существует.")
                overwrite = q.get("overwrite") == "true"
                if path in self.files and not overwrite:
                    return error(409, "DiskResourceAlreadyExistsError", "Ресурс уже существует.")
                upload = uuid.uuid4().hex
                self.uploads[upload] = (path, overwrite)
                return ok(200, {"operation_id": uuid.uuid4().hex, "href": UPLOADER + upload, "method": "PUT",
                                "templated": False})
            if route == ("GET", "/resources/download"):
                if path not in self.files:
                    return error(404)
                token = uuid.uuid4().hex
                self.downloads[token] = path
                return ok(200, {"href": DOWNLOADER + token, "method": "GET", "templated": False})
            if request.method == "POST" and endpoint in ("/resources/copy", "/resources/move"):
                source, target = self._norm(q["from"]), path
                if source not in self.files:
                    return error(404)
                if self._parent(target) not in self.folders:
                    return error(409, "DiskPathDoesntExistsError", "Указанного пути не существует.")
                if target in self.files and q.get("overwrite") != "true":
                    return error(409, "DiskResourceAlreadyExistsError", "Ресурс уже существует.")
                self.files[target] = self.files[source]
                if endpoint.endswith("move"):
                    del self.files[source]
                if self.async_operations:
                    op = f"op{next(self._ids)}"
                    self.operations[op] = 1
                    return ok(202, {"href": f"{API}/operations/{op}", "method": "GET", "templated": False})
                return ok(201, self._link(target))
            return error(404)

    def _upload(self, request):
        with self.lock:
            self.calls.append((request.method, "uploader"))
            fault = self._fault(request)
            if fault is not None:
                return fault
            upload = request.url.rsplit("/", 1)[-1]
            if upload not in self.uploads:
                return 404, {}, ""
            path, _overwrite = self.uploads.pop(upload)          # an address serves one upload
            body = request.body or b""
            self.files[path] = body if isinstance(body, bytes) else body.encode()
            self.modified[path] = dt.datetime.now(dt.timezone.utc).isoformat()
            return 201, {}, ""

    def _download(self, request):
        with self.lock:
            self.calls.append((request.method, "downloader"))
            fault = self._fault(request)
            if fault is not None:
                return fault
            path = self.downloads.get(request.url.rsplit("/", 1)[-1])
            if path is None or path not in self.files:
                return 404, {}, ""
            return 200, {"Content-Type": "application/octet-stream"}, self.files[path]

    # ------------------------------------------------------------ for assertions

    def listing(self, folder: str) -> dict[str, bytes]:
        """Files directly in a folder (a path under disk:/), by name."""
        folder = self._norm(folder)
        return {p.rsplit("/", 1)[1]: c for p, c in self.files.items() if self._parent(p) == folder}
