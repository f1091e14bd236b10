"""Google credentials and clients, from settings passed in explicitly.

Nothing is read from the environment at import time.  The service maps its
`MO_DOCS_GOOGLE_*` settings onto `GoogleSettings` (`GoogleSettings.from_mapping`
takes the environment or the settings dict when the caller hands it over).

Credentials: a service-account key file (`key_file`), or Application Default
Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud, or the metadata server on
Google Cloud) when no key file is given.  `subject` turns on domain-wide
delegation: the service account acts as that Workspace user (a key file is needed).
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Callable, Mapping

SHEETS_READONLY = "https://www.googleapis.com/auth/spreadsheets.readonly"
DRIVE = "https://www.googleapis.com/auth/drive"
DEFAULT_SCOPES = (SHEETS_READONLY, DRIVE)


class GoogleConfigError(ValueError):
    """The Google settings are unusable; the message is Russian, for the administrator."""


def _bool(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    text = str(v).strip().lower()
    if text in ("1", "true", "yes", "on", "да"):
        return True
    if text in ("0", "false", "no", "off", "нет", ""):
        return False
    raise GoogleConfigError(f"ожидается true или false: {v!r}")


def _scopes(v: Any) -> tuple[str, ...]:
    if isinstance(v, (list, tuple)):
        return tuple(str(s).strip() for s in v if str(s).strip())
    return tuple(s.strip() for s in str(v).replace(" ", ",").split(",") if s.strip())


@dataclass(frozen=True)
class GoogleSettings:
    key_file: str | None = None                  # GOOGLE_KEY_FILE: service-account JSON key; none → ADC
    subject: str | None = None                   # GOOGLE_SUBJECT: domain-wide delegation to this user
    scopes: tuple[str, ...] = DEFAULT_SCOPES     # GOOGLE_SCOPES: comma-separated
    service_account_email: str | None = None     # GOOGLE_SERVICE_ACCOUNT_EMAIL: shown to heads (ADC can't tell)
    shared_drive_id: str | None = None           # GOOGLE_SHARED_DRIVE_ID: where documents go
    root_folder_id: str | None = None            # GOOGLE_ROOT_FOLDER_ID: folder in it (default: the drive's root)
    convert_to_docs: bool = False                # GOOGLE_CONVERT_TO_DOCS: file as Google Docs, not .docx
    share_with_curator: bool = False             # GOOGLE_SHARE_WITH_CURATOR: reader access for the curator
    webhook_address: str | None = None           # GOOGLE_WEBHOOK_ADDRESS: https URL for changes.watch
    redis_url: str | None = None                 # GOOGLE_REDIS_URL: shared rate limiter; none → in process
    reads_per_user_per_minute: int = 60          # GOOGLE_READS_PER_USER_PER_MINUTE
    reads_per_project_per_minute: int = 300      # GOOGLE_READS_PER_PROJECT_PER_MINUTE
    max_attempts: int = 6                        # GOOGLE_MAX_ATTEMPTS
    max_retry_seconds: float = 90.0              # GOOGLE_MAX_RETRY_SECONDS

    _PARSE = {"scopes": _scopes, "convert_to_docs": _bool, "share_with_curator": _bool,
              "reads_per_user_per_minute": int, "reads_per_project_per_minute": int, "max_attempts": int,
              "max_retry_seconds": float}

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any], prefix: str = "MO_DOCS_GOOGLE_") -> "GoogleSettings":
        """Settings from `{prefix}KEY_FILE`-style entries of a mapping the caller
        passes (os.environ, or the service's settings dict with prefix "GOOGLE_").
        Empty strings count as unset."""
        out: dict[str, Any] = {}
        for f in fields(cls):
            if f.name.startswith("_"):
                continue
            raw = values.get(prefix + f.name.upper())
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            parse = cls._PARSE.get(f.name, lambda v: str(v).strip())
            try:
                out[f.name] = parse(raw)
            except (TypeError, ValueError) as exc:
                raise GoogleConfigError(f"{prefix}{f.name.upper()}: {exc}") from exc
        return cls(**out)

    @property
    def folder_id(self) -> str | None:
        """Where documents go: the root folder, else the shared drive's root (its id)."""
        return self.root_folder_id or self.shared_drive_id


def load_credentials(settings: GoogleSettings):
    """google-auth credentials for the settings (nothing is fetched from Google here)."""
    if settings.key_file:
        from google.oauth2 import service_account

        try:
            creds = service_account.Credentials.from_service_account_file(settings.key_file,
                                                                          scopes=list(settings.scopes))
        except FileNotFoundError as exc:
            raise GoogleConfigError(f"Файл ключа служебного аккаунта не найден: {settings.key_file}") from exc
        except (ValueError, KeyError) as exc:
            raise GoogleConfigError(
                f"Файл {settings.key_file} — не ключ служебного аккаунта Google (JSON): {exc}") from exc
    else:
        import google.auth
        from google.auth.exceptions import DefaultCredentialsError

        try:
            creds, _project = google.auth.default(scopes=list(settings.scopes))
        except DefaultCredentialsError as exc:
            raise GoogleConfigError(
                "Нет учётных данных Google: укажите файл ключа служебного аккаунта (GOOGLE_KEY_FILE) или "
                "настройте Application Default Credentials.") from exc
    if settings.subject:
        if not hasattr(creds, "with_subject"):
            raise GoogleConfigError("Делегирование домена (GOOGLE_SUBJECT) требует ключа служебного аккаунта "
                                    "(GOOGLE_KEY_FILE).")
        creds = creds.with_subject(settings.subject)
    return creds


def service_account_email(settings: GoogleSettings, credentials=None) -> str:
    """The address heads must share their sheets with: the setting if given, else the
    credentials' own (a key file always has it; ADC on a laptop may not)."""
    if settings.service_account_email:
        return settings.service_account_email
    for attr in ("service_account_email", "signer_email"):
        value = getattr(credentials, attr, None)
        if isinstance(value, str) and "@" in value:
            return value
    return ""


def retry_policy(settings: GoogleSettings):
    from service.google.http import RetryPolicy

    return RetryPolicy(max_attempts=settings.max_attempts, max_total=settings.max_retry_seconds)


def make_limiter(settings: GoogleSettings, state_dir: str | None = None):
    """The shared limiter: Redis when `redis_url` is set (every machine), else a file in
    `state_dir` (every process of this machine), else one per process."""
    from pathlib import Path

    from service.google.ratelimit import FileRateLimiter, MemoryRateLimiter, RedisRateLimiter

    if settings.redis_url:
        try:
            return RedisRateLimiter.from_url(settings.redis_url)
        except ImportError as exc:
            raise GoogleConfigError("GOOGLE_REDIS_URL задан, но пакет redis не установлен.") from exc
    if state_dir:
        return FileRateLimiter(Path(state_dir) / "google-rate-limit.json")
    return MemoryRateLimiter()


def sheets_client(settings: GoogleSettings, credentials, *, limiter=None, **options):
    """A gspread Client whose requests retry (bounded) and respect the shared quota."""
    import gspread

    from service.google.http import RetryingHTTPClient

    user = settings.subject or service_account_email(settings, credentials) or "default"
    factory = RetryingHTTPClient.configured(
        policy=retry_policy(settings), limiter=limiter, user=user,
        per_user=settings.reads_per_user_per_minute, per_project=settings.reads_per_project_per_minute, **options)
    return gspread.Client(auth=credentials, http_client=factory)


def drive_service(credentials, *, http=None):
    """A Drive v3 Resource from the shipped discovery document (no discovery request).
    httplib2 is not thread-safe: make one per thread (DriveFiler accepts a factory)."""
    from googleapiclient.discovery import build

    if http is not None:
        return build("drive", "v3", http=http, static_discovery=True, cache_discovery=False)
    return build("drive", "v3", credentials=credentials, static_discovery=True, cache_discovery=False)


def sheet_reader(settings: GoogleSettings, credentials, *, limits=None, limiter=None, **options):
    from service.sources.gsheets import GSheetReader

    return GSheetReader(sheets_client(settings, credentials, limiter=limiter, **options), limits=limits,
                        service_account_email=service_account_email(settings, credentials))


class GoogleServices:
    """Everything the service takes from Google, made from the settings on first use
    and shared: credentials, the rate limiter, the workbook cache, one Sheets reader
    and one Drive Resource per thread (neither requests' Session nor httplib2 is
    promised to be thread-safe).

        google = GoogleServices(GoogleSettings.from_mapping(os.environ))
        report = check(google.source("https://docs.google.com/spreadsheets/d/…/edit"))
    """

    def __init__(self, settings: GoogleSettings, credentials=None, *, limiter=None, cache=None,
                 state_dir: str | None = None):
        import threading

        from service.sources.gsheets import MemoryWorkbookCache

        self.settings = settings
        self.state_dir = state_dir
        self._credentials = credentials
        self._limiter = limiter
        self.cache = cache if cache is not None else MemoryWorkbookCache()
        self._local = threading.local()
        self._lock = threading.Lock()

    @property
    def credentials(self):
        with self._lock:
            if self._credentials is None:
                self._credentials = load_credentials(self.settings)
            return self._credentials

    @property
    def email(self) -> str:
        return service_account_email(self.settings, self.credentials)

    @property
    def limiter(self):
        with self._lock:
            if self._limiter is None:
                self._limiter = make_limiter(self.settings, self.state_dir)
            return self._limiter

    def reader(self, limits=None):
        readers = self._local.__dict__.setdefault("readers", {})
        key = limits
        if key not in readers:
            readers[key] = sheet_reader(self.settings, self.credentials, limits=limits, limiter=self.limiter)
        return readers[key]

    def drive(self):
        if getattr(self._local, "drive", None) is None:
            self._local.drive = drive_service(self.credentials)
        return self._local.drive

    def source(self, location: str, *, limits=None, version: str | None = None):
        """A GSheetSource; without a known version, Drive is asked for it (one cheap
        Drive request) so that an unchanged sheet is not read again."""
        from service.sources.gsheets import GSheetSource, drive_versions

        versions = None if version is not None else (lambda sid: drive_versions(self.drive())(sid))
        return GSheetSource(location, self.reader(limits), cache=self.cache, version=version, versions=versions)

    def filer(self, registry, *, share_with=None, root_folder_id: str | None = None,
              shared_drive_id: str | None = None):
        """A DriveFiler into `root_folder_id` (default: the settings' folder); keep it for
        the process's life — its folder cache and id pool are what make it cheap."""
        return drive_filer(self.settings, self.credentials, registry, drive_factory=lambda: drive_service(
            self.credentials), share_with=share_with, root_folder_id=root_folder_id, shared_drive_id=shared_drive_id)

    def sync(self, engine, *, limits=None):
        """A SheetSync whose page token and versions read live in the service database:
        a restart re-reads nothing unchanged, and failed reads are tried again."""
        from service.google.changes import ChangeFeed, SheetSync, SqlSheetVersions, SqlTokenStore

        return SheetSync(ChangeFeed(self.drive(), SqlTokenStore(engine)), self.reader(limits), self.cache,
                         known=SqlSheetVersions(engine))


def drive_filer(settings: GoogleSettings, credentials, registry, *,
                drive_factory: Callable[[], Any] | None = None, share_with=None, root_folder_id: str | None = None,
                shared_drive_id: str | None = None):
    """A DriveFiler for the settings (one Drive Resource per thread); `root_folder_id`
    and `shared_drive_id` come from MO_DOCS_FILING_URL when it names the folder."""
    from service.filing.drive import DriveFiler

    folder = root_folder_id or settings.folder_id
    if not folder:
        raise GoogleConfigError("Не задана папка для документов: MO_DOCS_FILING_URL=gdrive://<общий диск>[/<папка>].")
    return DriveFiler(drive_factory or (lambda: drive_service(credentials)), root_folder_id=folder,
                      registry=registry, shared_drive_id=shared_drive_id if root_folder_id else settings.shared_drive_id,
                      convert_to_docs=settings.convert_to_docs, share_with=share_with,
                      service_account_email=service_account_email(settings, credentials))
