"""Filing to Yandex Disk through its REST API (https://cloud-api.yandex.net/v1/disk).

    MO_DOCS_FILING_URL=yadisk://Документы МО        → disk:/Документы МО/<МО>/<год>/<вид>/…
    MO_DOCS_YADISK_TOKEN=<OAuth token with cloud_api:disk.read and cloud_api:disk.write>

(WebDAV on Yandex needs a paid Yandex 360 plan; the REST API works on any account.)

* Folders: `PUT /resources?path=…` from the top down; 409
  `DiskPathPointsToExistentDirectoryError` means it is there already.
* Writing: `GET /resources/upload?path=…&overwrite=true` gives an upload address
  (`Link`: href, method PUT); the bytes go there with PUT (201 Created, or 202
  Accepted while Disk moves them in).  Disk swaps the file in when the upload is
  complete, so nobody reads half a document; an address that failed is not reused.
* Copy and move answer 201 with the new resource, or 202 with an operation to poll
  (`GET /operations/<id>` → `{"status": "success" | "in-progress" | "failed"}`).
* Unchanged content is recognised by the resource's `sha256` — one metadata request,
  no download.
* Errors are Yandex's JSON (`{"message", "description", "error"}`); the status says
  what happened (401 token, 403 no rights, 404 `DiskNotFoundError`, 409
  `DiskPathDoesntExistsError` when a folder is missing, 423 `DiskResourceLockedError`,
  429, 507 no space) and becomes one Russian sentence (failures.py).
"""
from __future__ import annotations

import threading
import time
from typing import Callable
from urllib.parse import quote

import requests

from service.filing.failures import failure
from service.filing.remote import RemoteHttp
from service.filing.versioned import FolderMissing, VersionedFiler

API = "https://cloud-api.yandex.net/v1/disk"
AUTH_HINT = ("OAuth-токен в MO_DOCS_YADISK_TOKEN недействителен или отозван — получите новый "
             "(см. docs/storage.md)")
OPERATION_WAIT = 60.0          # seconds an asynchronous copy or move may take


class YandexDiskStore:
    """The Store of one folder of a Yandex Disk (`folder` is its path on the disk)."""

    def __init__(self, folder: str, token: str, *, api: str = API, http: RemoteHttp | None = None,
                 timeout: float = 60.0, sleep: Callable[[float], None] = time.sleep):
        self.folder = folder.strip("/")
        self.api = api.rstrip("/")
        self.http = http or RemoteHttp("Яндекс Диск", timeout=timeout)
        self.http.session.headers["Authorization"] = f"OAuth {token}"
        self.http.session.headers.setdefault("Accept", "application/json")
        self.sleep = sleep
        self._folders: set[str] = set()
        self._lock = threading.Lock()

    def disk_path(self, path: str) -> str:
        inner = "/".join(p for p in (self.folder, path) if p)
        return f"disk:/{inner}"

    def _call(self, method: str, endpoint: str, **params) -> requests.Response:
        return self.http.send(method, f"{self.api}{endpoint}", params=params)

    def _fail(self, response: requests.Response, path: str = "", **kwargs):
        folder, _, name = path.rpartition("/")
        return self.http.fail(response, name=name, folder=folder, auth_hint=AUTH_HINT, **kwargs)

    @staticmethod
    def _error(response: requests.Response) -> str:
        try:
            return str(response.json().get("error") or "")
        except ValueError:
            return ""

    # ------------------------------------------------------------ Store

    def make_folders(self, folder: str) -> None:
        parts = [p for p in (self.folder + "/" + folder).split("/") if p]
        for i in range(1, len(parts) + 1):
            prefix = "/".join(parts[:i])
            with self._lock:
                if prefix in self._folders:
                    continue
            r = self._call("PUT", "/resources", path=f"disk:/{prefix}")
            if r.status_code == 201 or (r.status_code == 409 and
                                        self._error(r) == "DiskPathPointsToExistentDirectoryError"):
                with self._lock:
                    self._folders.add(prefix)
                continue
            raise self._fail(r, folder, not_found=True)

    def _meta(self, path: str, fields: str) -> dict | None:
        r = self._call("GET", "/resources", path=self.disk_path(path), fields=fields)
        if r.status_code == 200:
            return r.json()
        if r.status_code == 404:
            return None
        raise self._fail(r, path)

    def exists(self, path: str) -> bool:
        return self._meta(path, "path,type") is not None

    def read(self, path: str) -> bytes | None:
        r = self._call("GET", "/resources/download", path=self.disk_path(path))
        if r.status_code == 404:
            return None
        if r.status_code != 200:
            raise self._fail(r, path)
        got = self.http.send("GET", r.json()["href"])
        if got.status_code == 200:
            return got.content
        if got.status_code == 404:
            return None
        raise self._fail(got, path)

    def write(self, path: str, content: bytes) -> None:
        r = self._call("GET", "/resources/upload", path=self.disk_path(path), overwrite="true")
        if r.status_code == 409 and self._error(r) == "DiskPathDoesntExistsError":
            with self._lock:
                self._folders.clear()
            raise FolderMissing(path.rpartition("/")[0])
        if r.status_code != 200:
            raise self._fail(r, path)
        link = r.json()
        put = self.http.send(link.get("method") or "PUT", link["href"], data=content, auth=False,
                             headers={"Content-Type": "application/octet-stream"})
        if put.status_code not in (200, 201, 202):
            raise self._fail(put, path)

    def _operation(self, r: requests.Response, path: str) -> None:
        """Wait for a copy or move Disk runs asynchronously (202 with a Link to it)."""
        if r.status_code == 201:
            return
        if r.status_code != 202:
            raise self._fail(r, path)
        href = r.json()["href"]
        waited, pause = 0.0, 0.2
        while waited < OPERATION_WAIT:
            state = self.http.send("GET", href)
            if state.status_code != 200:
                raise self._fail(state, path)
            status = state.json().get("status")
            if status == "success":
                return
            if status == "failed":
                raise failure("filing.error", self.http.where, name=path.rpartition("/")[2])
            self.sleep(pause)
            waited += pause
            pause = min(pause * 2, 2.0)
        raise failure("filing.timeout", self.http.where, seconds=OPERATION_WAIT)

    def copy(self, source: str, target: str) -> None:
        r = self._call("POST", "/resources/copy", **{"from": self.disk_path(source)}, path=self.disk_path(target),
                       overwrite="false")
        self._operation(r, target)

    def move(self, source: str, target: str) -> None:
        r = self._call("POST", "/resources/move", **{"from": self.disk_path(source)}, path=self.disk_path(target),
                       overwrite="false")
        self._operation(r, target)

    def delete(self, path: str) -> None:
        r = self._call("DELETE", "/resources", path=self.disk_path(path), permanently="false")
        if r.status_code in (202,):
            self._operation(r, path)
        elif r.status_code not in (204, 404):
            raise self._fail(r, path)

    def holds(self, path: str, digest: str) -> bool:
        meta = self._meta(path, "sha256,type")
        return meta is not None and meta.get("sha256") == digest

    def location(self, path: str) -> str:
        return f"yadisk://{self.folder}/{path}"

    def path_of(self, location: str) -> str | None:
        prefix = f"yadisk://{self.folder}/"
        if not location.startswith(prefix):
            return None
        path = location[len(prefix):]
        return None if not path or ".." in path.split("/") else path

    def link(self, path: str) -> str | None:
        """The file's folder in Yandex Disk's web interface, for people signed in to the
        disk's account (Disk has no address for one private file)."""
        folder = path.rpartition("/")[0]
        inner = "/".join(p for p in (self.folder, folder) if p)
        return f"https://disk.yandex.ru/client/disk/{quote(inner, safe='/')}"


class YandexDiskFiler(VersionedFiler):
    title = "Яндекс Диск"

    def __init__(self, store: YandexDiskStore, registry, **kwargs):
        super().__init__(store, registry, **kwargs)
        self.title = f"Яндекс Диск (папка «{store.folder}»)"
