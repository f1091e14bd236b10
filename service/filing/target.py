"""Where documents are filed: one setting, `MO_DOCS_FILING_URL`, read once.

    file:///srv/mo-docs/documents                  a folder on this machine (default: DOCUMENTS_DIR)
    gdrive://<shared-drive-id>[/<folder-id>]      a shared drive in Google Drive, optionally a folder in it
    gdrive:///<folder-id>                          a folder outside shared drives (domain-wide delegation)
    webdav+https://host/path                      a WebDAV server: Nextcloud, ownCloud, Yandex 360, any RFC 4918
    webdav+http://127.0.0.1:8080/path             plain HTTP only to a server on this machine
    yadisk://<folder on the disk>                 Yandex Disk through its REST API

Credentials are settings of their own (MO_DOCS_WEBDAV_USERNAME / _PASSWORD,
MO_DOCS_YADISK_TOKEN, MO_DOCS_GOOGLE_KEY_FILE) and the URL may not carry any: it is
shown to people and written to logs.

The Google settings of the first release (MO_DOCS_GOOGLE_SHARED_DRIVE_ID,
MO_DOCS_GOOGLE_ROOT_FOLDER_ID, with MO_DOCS_GOOGLE_ENABLED) still work when
MO_DOCS_FILING_URL is unset: they are read as the `gdrive://` URL they mean.  When both
name a Drive folder and disagree, the service refuses to start rather than guess.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from service.settings import SettingsError

log = logging.getLogger(__name__)

FORMS = ("file:///папка, gdrive://<общий диск>[/<папка>], webdav+https://сервер/путь, yadisk://<папка на Диске>")
_DRIVE_ID = re.compile(r"^[A-Za-z0-9_-]+$")
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class FilingConfigError(SettingsError):
    """MO_DOCS_FILING_URL (or the credentials it needs) cannot be used; Russian, for the administrator."""


@dataclass(frozen=True)
class FilingTarget:
    scheme: str                     # file | gdrive | webdav | yadisk
    location: str = ""              # file: the folder; webdav: the http(s) URL; yadisk: the folder on the disk
    shared_drive: str | None = None
    folder_id: str | None = None

    @property
    def display(self) -> str:
        """The target as people may see it (never with credentials)."""
        if self.scheme == "file":
            return f"file://{self.location}"
        if self.scheme == "gdrive":
            return "gdrive://" + (self.shared_drive or "") + (f"/{self.folder_id}" if self.folder_id else "")
        if self.scheme == "webdav":
            return f"webdav+{self.location}"
        return f"yadisk://{self.location}"

    # ---------------------------------------------------------------- reading the setting

    @classmethod
    def parse(cls, url: str) -> "FilingTarget":
        text = str(url or "").strip()
        if text.startswith("yadisk://"):
            folder = unquote(text[len("yadisk://"):]).strip("/")
            if ".." in folder.split("/"):
                raise FilingConfigError(f"MO_DOCS_FILING_URL: путь на Яндекс Диске не может содержать «..»: {text}")
            return cls("yadisk", folder)
        parts = urlsplit(text)
        if parts.username or parts.password:
            raise FilingConfigError(
                "MO_DOCS_FILING_URL не должен содержать логин и пароль (адрес показывается людям и пишется в "
                "журналы): задайте MO_DOCS_WEBDAV_USERNAME и MO_DOCS_WEBDAV_PASSWORD.")
        scheme = parts.scheme.lower()
        if scheme == "file":
            if parts.netloc not in ("", "localhost"):
                raise FilingConfigError(f"MO_DOCS_FILING_URL: в file:// укажите полный путь с тремя косыми "
                                        f"чертами, например file:///srv/mo-docs/documents (получено {text}).")
            path = unquote(parts.path)
            if not path.startswith("/"):
                raise FilingConfigError(f"MO_DOCS_FILING_URL: путь в file:// должен быть полным: {text}")
            return cls("file", str(Path(path)))
        if scheme == "gdrive":
            ids = [p for p in unquote(parts.path).split("/") if p]
            shared = parts.netloc or None
            if len(ids) > 1 or not (shared or ids) or any(not _DRIVE_ID.match(i) for i in [*ids, *([shared] if shared
                                                                                                    else [])]):
                raise FilingConfigError(f"MO_DOCS_FILING_URL: ожидается gdrive://<идентификатор общего диска>"
                                        f"[/<идентификатор папки>] (получено {text}).")
            return cls("gdrive", shared_drive=shared, folder_id=ids[0] if ids else None)
        if scheme in ("webdav+https", "webdav+http"):
            if not parts.hostname:
                raise FilingConfigError(f"MO_DOCS_FILING_URL: не указан сервер WebDAV: {text}")
            if scheme == "webdav+http" and parts.hostname not in _LOOPBACK:
                raise FilingConfigError(
                    f"MO_DOCS_FILING_URL: webdav+http:// (без шифрования) допустим только для сервера на этой же "
                    f"машине; для {parts.hostname} укажите webdav+https://.")
            return cls("webdav", f"{scheme[len('webdav+'):]}://{parts.netloc}{parts.path.rstrip('/')}")
        raise FilingConfigError(f"MO_DOCS_FILING_URL: неизвестный вид адреса «{text}». Допустимы: {FORMS}.")

    @classmethod
    def from_settings(cls, settings: dict) -> "FilingTarget":
        url = (settings.get("FILING_URL") or "").strip()
        legacy = _legacy_drive(settings)
        if not url:
            if legacy is not None:
                log.info("filing: MO_DOCS_GOOGLE_SHARED_DRIVE_ID / _ROOT_FOLDER_ID read as MO_DOCS_FILING_URL=%s",
                         legacy.display)
                return legacy
            return cls("file", str(Path(settings["DOCUMENTS_DIR"]).resolve()))
        target = cls.parse(url)
        if legacy is not None and target.scheme == "gdrive" and target != legacy:
            raise FilingConfigError(
                f"Заданы и MO_DOCS_FILING_URL={target.display}, и прежние MO_DOCS_GOOGLE_SHARED_DRIVE_ID / "
                f"MO_DOCS_GOOGLE_ROOT_FOLDER_ID ({legacy.display}), и они расходятся. Оставьте один MO_DOCS_FILING_URL.")
        if target.scheme == "webdav" and not settings.get("WEBDAV_USERNAME"):
            raise FilingConfigError("Для MO_DOCS_FILING_URL=webdav+… задайте MO_DOCS_WEBDAV_USERNAME и "
                                    "MO_DOCS_WEBDAV_PASSWORD (для Nextcloud — пароль приложения).")
        if target.scheme == "yadisk" and not settings.get("YADISK_TOKEN"):
            raise FilingConfigError("Для MO_DOCS_FILING_URL=yadisk://… задайте MO_DOCS_YADISK_TOKEN "
                                    "(OAuth-токен Яндекс Диска, см. docs/storage.md).")
        return target


def _legacy_drive(settings: dict) -> FilingTarget | None:
    shared = (settings.get("GOOGLE_SHARED_DRIVE_ID") or "").strip() or None
    folder = (settings.get("GOOGLE_ROOT_FOLDER_ID") or "").strip() or None
    if not settings.get("GOOGLE_ENABLED") or not (shared or folder):
        return None
    return FilingTarget("gdrive", shared_drive=shared, folder_id=folder)


def open_filer(target: FilingTarget, settings: dict, registry, *, google=None):
    """The filer for a target.  `google`: a callable giving the GoogleServices (made
    only for gdrive://)."""
    timeout = float(settings.get("FILING_TIMEOUT_SECONDS") or 60)
    if target.scheme == "file":
        from service.filing.local import LocalFiler

        return LocalFiler(Path(target.location), registry)
    if target.scheme == "webdav":
        from service.filing.webdav import WebDavFiler, WebDavStore

        store = WebDavStore(target.location, username=settings.get("WEBDAV_USERNAME") or "",
                            password=settings.get("WEBDAV_PASSWORD") or "", timeout=timeout)
        return WebDavFiler(store, registry)
    if target.scheme == "yadisk":
        from service.filing.yadisk import YandexDiskFiler, YandexDiskStore

        return YandexDiskFiler(YandexDiskStore(target.location, settings.get("YADISK_TOKEN") or "", timeout=timeout),
                               registry)
    services = google() if callable(google) else google
    if services is None:
        from service.google.config import GoogleServices, GoogleSettings

        services = GoogleServices(GoogleSettings.from_mapping(settings, prefix="GOOGLE_"))
    return services.filer(registry, root_folder_id=target.folder_id or target.shared_drive,
                          shared_drive_id=target.shared_drive)
