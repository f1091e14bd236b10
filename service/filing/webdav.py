"""Filing to a WebDAV server (RFC 4918): Nextcloud, ownCloud, Yandex 360, Apache mod_dav,
any server a municipality runs itself.

    MO_DOCS_FILING_URL=webdav+https://cloud.school.ru/remote.php/dav/files/mo-docs/Документы МО
    MO_DOCS_WEBDAV_USERNAME=mo-docs   MO_DOCS_WEBDAV_PASSWORD=<Nextcloud app password>

Credentials come from settings, never from the URL, and never appear in what people
see or the registry records (`webdav+https://host/path/…`).

* Folders: MKCOL from the top down (405 «already there» is fine), remembered for
  the process's life; a folder someone deleted meanwhile is made again.
* Writing: PUT to a temporary name in the same folder, then MOVE over the document
  (Overwrite: T) — the server swaps in the whole file at once, so nobody opens half a
  document, and a failed upload leaves the old one in place.  The temporary file is
  removed whatever happens.
* Versions: plain WebDAV has no revision API, so the version being replaced is
  COPYed into `.versions/` first (see versioned.py).  Nextcloud keeps its own
  versions as well; the service does not rely on them.
* Failures get one Russian sentence each (service/filing/failures.py): 401 wrong
  password, 403 no rights, 404/409 no such folder, 423 locked, 507 no space, 413 too
  large, timeouts, refused connections; 429 and 5xx are retried first (remote.py).
"""
from __future__ import annotations

import threading
import uuid
from urllib.parse import quote, unquote, urlsplit

import requests

from service.filing.base import sha256
from service.filing.remote import RemoteHttp
from service.filing.versioned import FolderMissing, VersionedFiler

PROPFIND_BODY = (b'<?xml version="1.0" encoding="utf-8"?>'
                 b'<d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/></d:prop></d:propfind>')
AUTH_HINT = ("проверьте MO_DOCS_WEBDAV_USERNAME и MO_DOCS_WEBDAV_PASSWORD (для Nextcloud — пароль приложения "
             "из «Настройки → Безопасность»)")


class WebDavStore:
    """The Store of one WebDAV collection.  `url` is the collection's http(s) address;
    `display` is what people and the registry see (`webdav+https://…`)."""

    def __init__(self, url: str, *, username: str | None = None, password: str | None = None,
                 display: str | None = None, http: RemoteHttp | None = None, timeout: float = 60.0):
        parts = urlsplit(url)
        self.host = parts.hostname or ""
        base_path = quote(unquote(parts.path).rstrip("/"), safe="/")
        self.base = f"{parts.scheme}://{parts.netloc}{base_path}"
        self.display = (display or f"webdav+{parts.scheme}://{parts.netloc}{unquote(parts.path)}").rstrip("/")
        self.http = http or RemoteHttp(self.host or "WebDAV", timeout=timeout)
        if username is not None:
            # UTF-8 (RFC 7617): requests would encode str as latin-1 and fail on a Cyrillic password
            self.http.session.auth = (username.encode("utf-8"), (password or "").encode("utf-8"))
        self._folders: set[str] = set()
        self._lock = threading.Lock()

    def url(self, path: str) -> str:
        return f"{self.base}/{quote(path, safe='/')}" if path else self.base

    def _send(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.http.send(method, self.url(path), **kwargs)

    def _fail(self, response: requests.Response, path: str = "", **kwargs):
        folder, _, name = path.rpartition("/")
        return self.http.fail(response, name=name, folder=folder, auth_hint=AUTH_HINT, **kwargs)

    # ------------------------------------------------------------ Store

    def make_folders(self, folder: str) -> None:
        parts = [p for p in folder.split("/") if p]
        for i in range(1, len(parts) + 1):
            prefix = "/".join(parts[:i])
            with self._lock:
                if prefix in self._folders:
                    continue
            r = self._send("MKCOL", prefix)
            if r.status_code in (201, 405) or (r.status_code in (301, 302) and self.exists(prefix)):
                with self._lock:
                    self._folders.add(prefix)
                continue
            if r.status_code == 409:            # the collection above is missing: the root itself
                raise self._fail(r, prefix, not_found=True)
            raise self._fail(r, prefix)

    def forget_folders(self) -> None:
        with self._lock:
            self._folders.clear()

    def exists(self, path: str) -> bool:
        r = self._send("PROPFIND", path, headers={"Depth": "0", "Content-Type": "application/xml; charset=utf-8"},
                       data=PROPFIND_BODY)
        if r.status_code in (200, 207):
            return True
        if r.status_code == 404:
            return False
        raise self._fail(r, path)

    def read(self, path: str) -> bytes | None:
        r = self._send("GET", path)
        if r.status_code == 200:
            return r.content
        if r.status_code in (404, 410):
            return None
        raise self._fail(r, path)

    def write(self, path: str, content: bytes) -> None:
        folder, _, name = path.rpartition("/")
        temporary = f"{folder}/.{name}.{uuid.uuid4().hex}.part"
        try:
            r = self._send("PUT", temporary, data=content,
                           headers={"Content-Type": "application/octet-stream"})
            if r.status_code == 409:
                self.forget_folders()
                raise FolderMissing(folder)
            if r.status_code not in (200, 201, 204):
                raise self._fail(r, path)
            r = self._send("MOVE", temporary, headers={"Destination": self.url(path), "Overwrite": "T"})
            if r.status_code not in (201, 204):
                raise self._fail(r, path)
        except BaseException:
            self._discard(temporary)
            raise

    def _discard(self, path: str) -> None:
        try:
            self._send("DELETE", path)
        except Exception:  # noqa: BLE001 - best effort: the failure being reported matters more
            pass

    def copy(self, source: str, target: str) -> None:
        r = self._send("COPY", source, headers={"Destination": self.url(target), "Overwrite": "F", "Depth": "0"})
        if r.status_code not in (201, 204):
            raise self._fail(r, target)

    def move(self, source: str, target: str) -> None:
        r = self._send("MOVE", source, headers={"Destination": self.url(target), "Overwrite": "F"})
        if r.status_code not in (201, 204):
            raise self._fail(r, target)

    def delete(self, path: str) -> None:
        r = self._send("DELETE", path)
        if r.status_code not in (200, 204, 404):
            raise self._fail(r, path)

    def holds(self, path: str, digest: str) -> bool:
        content = self.read(path)
        return content is not None and sha256(content) == digest

    def location(self, path: str) -> str:
        return f"{self.display}/{path}"

    def path_of(self, location: str) -> str | None:
        prefix = self.display + "/"
        if not location.startswith(prefix):
            return None
        path = location[len(prefix):]
        return None if ".." in path.split("/") or not path else path

    def link(self, path: str) -> str | None:
        return self.url(path)


class WebDavFiler(VersionedFiler):
    def __init__(self, store: WebDavStore, registry, **kwargs):
        super().__init__(store, registry, **kwargs)
        self.title = f"хранилище документов {store.host} (WebDAV)"
