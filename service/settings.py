"""Every setting of the service, declared once with its default and its help.

Values come from, in order: the defaults here, `config.py` in the instance folder,
and `MO_DOCS_<NAME>` environment variables.  Nothing is read at import time:
`load_settings()` is called by `create_app()`.  The README's table of settings is
checked against `SETTINGS` by a test.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable


def _bool(v: str) -> bool:
    if v.strip().lower() in ("1", "true", "yes", "on", "да"):
        return True
    if v.strip().lower() in ("0", "false", "no", "off", "нет", ""):
        return False
    raise ValueError(f"ожидается true или false: {v!r}")


def _int(v: str) -> int:
    try:
        return int(v.strip())
    except ValueError:
        raise ValueError(f"ожидается целое число: {v!r}")


def _float(v: str) -> float:
    try:
        return float(v.strip().replace(",", "."))
    except ValueError:
        raise ValueError(f"ожидается число: {v!r}")


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str


SETTINGS: list[Setting] = [
    Setting("ENV", "production", "`development` relaxes the secret-key check; anything else is production."),
    Setting("SECRET_KEY", None, "Signs sessions and CSRF tokens. Required outside development; `make run` "
            "generates one into the instance folder."),
    Setting("DATABASE_URL", None, "SQLAlchemy URL of the workspace database; default SQLite "
            "`<instance>/mo-docs.sqlite` (WAL). PostgreSQL: `postgresql+psycopg://user:pass@host/db`."),
    Setting("QUEUE_URL", None, "Job queue storage: default SQLite `<instance>/queue.sqlite`; `redis://host:6379/0` "
            "for several machines; `memory://` runs jobs inline (tests)."),
    Setting("FILING_URL", None, "Where documents are filed: `file:///path`, `gdrive://<shared-drive-id>[/<folder-id>]`, "
            "`webdav+https://host/path` (Nextcloud, ownCloud, Yandex 360, any WebDAV server), `yadisk://<folder>` "
            "(Yandex Disk). Never with credentials; unset: the documents folder (see docs/storage.md)."),
    Setting("DOCUMENTS_DIR", None, "The documents folder used when `MO_DOCS_FILING_URL` is unset; default "
            "`<instance>/documents`."),
    Setting("WEBDAV_USERNAME", None, "Account on the WebDAV server of `MO_DOCS_FILING_URL=webdav+…`."),
    Setting("WEBDAV_PASSWORD", None, "Its password; for Nextcloud and ownCloud an app password (Settings → Security)."),
    Setting("YADISK_TOKEN", None, "OAuth token for `MO_DOCS_FILING_URL=yadisk://…` with `cloud_api:disk.read` and "
            "`cloud_api:disk.write`."),
    Setting("FILING_TIMEOUT_SECONDS", 60.0, "Longest wait for one answer of a WebDAV server or Yandex Disk; 429 and "
            "5xx answers are retried first.", _float),
    Setting("WORKBOOKS_DIR", None, "Where uploaded workbooks are kept; default `<instance>/workbooks`."),
    Setting("MAX_UPLOAD_BYTES", 20 * 1024 * 1024, "Largest accepted upload; bigger ones get 413.", _int),
    Setting("WATCH_INTERVAL_MINUTES", 5, "How often the periodic job looks for changed workbooks.", _int),
    Setting("JOB_LEASE_SECONDS", 300, "How long a worker may hold a job before the sweeper re-queues it.", _int),
    Setting("JOB_MAX_ATTEMPTS", 3, "Attempts before a job is marked failed.", _int),
    Setting("JOB_WAIT_SECONDS", 30.0, "How long a job waits, in arrival order, for its association's other job to "
            "finish before it goes back to the queue.", _float),
    Setting("WORKERS", 2, "Threads of the job consumer.", _int),
    Setting("QUEUE_POLL_SECONDS", 0.05, "Longest wait of an idle worker before it looks at a SQLite queue again "
            "(Redis wakes it at once).", _float),
    Setting("DATABASE_BUSY_SECONDS", 3.0, "How long a request waits for a locked database before it answers 503 "
            "with Retry-After.", _float),
    Setting("HOST", "127.0.0.1", "Address the web server listens on. Anything but a loopback address (e.g. "
            "`0.0.0.0`) is refused until an active admin account exists.", str),
    Setting("PORT", 8000, "Port of the web server.", _int),
    Setting("PUBLIC_URL", None, "The address people open, e.g. `https://mo.example.ru`: links in e-mails, the "
            "allowed Host name, `Secure` cookies and HSTS when it is https."),
    Setting("PROXY_HOPS", 0, "Reverse proxies in front of the service (nginx: 1); their X-Forwarded-For "
            "and -Proto are trusted for that many hops only (X-Forwarded-Host never: the proxy passes Host).",
            _int),
    Setting("SESSION_HOURS", 12, "A sign-in lasts at most this long.", _int),
    Setting("SESSION_IDLE_MINUTES", 120, "A sign-in ends after this long without a request.", _int),
    Setting("INVITATION_DAYS", 7, "An invitation link works this many days, once.", _int),
    Setting("RESET_MINUTES", 60, "A password-reset link works this many minutes, once.", _int),
    Setting("LOGIN_LOCKOUT_FAILURES", 10, "Failed sign-ins of one account before it is locked for a while (one "
            "address gets five times as many); after the third failure each attempt waits a growing delay.", _int),
    Setting("LOGIN_LOCKOUT_MINUTES", 15, "How long a locked-out account (or address) waits.", _int),
    Setting("MAIL_URL", None, "How mail is sent: `smtp://user:password@host:587` (STARTTLS, required), "
            "`smtps://…:465` (TLS), `smtp+plain://host:25` (no encryption: a relay on this machine only); unset: "
            "messages are written as .eml files to `<instance>/outbox`."),
    Setting("MAIL_FROM", None, "Sender address of the service's mail; default `mo-docs@<host of PUBLIC_URL>`."),
    Setting("MAIL_CA_FILE", None, "Extra CA certificates (PEM) to trust for the SMTP server, e.g. a private CA."),
    Setting("MAIL_TIMEOUT_SECONDS", 20.0, "Longest wait for the SMTP server.", _float),
    Setting("GOOGLE_SIGNIN_CLIENT_ID", None, "OAuth client id of «Войти через Google» (OpenID Connect); unset: "
            "the button is not shown."),
    Setting("GOOGLE_SIGNIN_CLIENT_SECRET", None, "Its client secret."),
    Setting("GOOGLE_SIGNIN_METADATA_URL", "https://accounts.google.com/.well-known/openid-configuration",
            "OpenID Connect discovery document of the provider."),
    Setting("GOOGLE_ID_TOKEN_AUDIENCE", None, "OAuth client id of the Sheets add-on: the `aud` its Google ID tokens "
            "must carry (addon/README.md says where to find it); unset: the add-on's requests are refused (503)."),
    Setting("GOOGLE_ID_TOKEN_CERTS_URL", "https://www.googleapis.com/oauth2/v1/certs", "Google's certificates for "
            "ID tokens ({key id: PEM}); another address for tests or a closed network's mirror."),
    Setting("GOOGLE_ID_TOKEN_HOSTED_DOMAINS", None, "Comma-separated Google Workspace domains whose people may use "
            "the add-on (the token's `hd`); unset: any verified Google address that has an account here."),
    Setting("ADDON_MAX_BYTES", 10 * 1024 * 1024, "Largest request of the Sheets add-on (the spreadsheet's values); "
            "bigger ones get 413. Rows, columns and cells are held to the `MO_DOCS_LIMIT_*` limits.", _int),
    Setting("ADDON_MAX_TABS", 50, "Most tabs a spreadsheet sent by the add-on may have (413 beyond).", _int),
    Setting("ADDON_REQUESTS_PER_MINUTE", 20, "Checks, documents and connections one account may ask for through "
            "the add-on per minute (429 beyond); polling a job does not count.", _int),
    Setting("SWEEP_SECONDS", 60, "`mo-docs run` re-queues jobs of dead workers this often, whether or not its "
            "worker is alive.", _int),
    Setting("DEMO", False, "Create the demo workspace (three sample associations and their accounts) on first "
            "start.", _bool),
    Setting("TIME_ZONE", "Europe/Moscow", "Time zone of times shown for an association whose «Сведения» give no "
            "«Часовой пояс» and whose territory names no known region (an IANA name)."),
    Setting("DIGEST_WEEKDAY", 1, "Day of the week the weekly digests go out (1 = Monday … 7 = Sunday).", _int),
    Setting("DIGEST_HOUR", 7, "Hour (in TIME_ZONE) the weekly digests go out.", _int),
    Setting("AUTO_REGISTRATION_DAYS", 7, "Registration sheets are prepared this many days before a planned "
            "meeting.", _int),
    Setting("GOOGLE_ENABLED", False, "Read `gsheet:<id>` sources and Google Sheets links through the Google APIs "
            "(see docs/google.md).", _bool),
    Setting("GOOGLE_KEY_FILE", None, "Service-account JSON key; unset: Application Default Credentials."),
    Setting("GOOGLE_SUBJECT", None, "Domain-wide delegation: act as this Workspace user (needs a key file)."),
    Setting("GOOGLE_SCOPES", None, "Comma-separated OAuth scopes; default Sheets read-only and Drive."),
    Setting("GOOGLE_SERVICE_ACCOUNT_EMAIL", None, "The address heads share their sheets with (shown in messages)."),
    Setting("GOOGLE_SHARED_DRIVE_ID", None, "Before 0.2: the shared drive for documents; with `MO_DOCS_GOOGLE_ENABLED` "
            "and no `MO_DOCS_FILING_URL` it is read as `gdrive://<id>`."),
    Setting("GOOGLE_ROOT_FOLDER_ID", None, "Before 0.2: the folder inside it; read as `gdrive://<drive>/<folder>`."),
    Setting("GOOGLE_CONVERT_TO_DOCS", False, "File documents as Google Docs instead of .docx.", _bool),
    Setting("GOOGLE_SHARE_WITH_CURATOR", False, "Give the curator reader access to filed documents: only the address "
            "«Сведения» names if it is a curator account over the association; data banks with personal "
            "columns never.", _bool),
    Setting("GOOGLE_WEBHOOK_ADDRESS", None, "Public https address of /hooks/drive for changes.watch push "
            "notifications; unset: polling only."),
    Setting("GOOGLE_REDIS_URL", None, "Redis for the rate limiters (Google's quotas, the add-on's per-account "
            "limit) shared by every machine; unset: "
            "shared by the processes of this machine (a file in the instance folder)."),
    Setting("GOOGLE_READS_PER_USER_PER_MINUTE", 60, "Sheets read quota per user kept by the limiter.", _int),
    Setting("GOOGLE_READS_PER_PROJECT_PER_MINUTE", 300, "Sheets read quota per project kept by the limiter.", _int),
    Setting("GOOGLE_MAX_ATTEMPTS", 6, "Attempts of one Google request (429 and 5xx are retried with back-off).", _int),
    Setting("GOOGLE_MAX_RETRY_SECONDS", 90.0, "Longest total wait for one Google request.", _float),
    Setting("FAULT_DELAY_SECONDS", 0.0, "Testing aid: pause inside every job, so a test can kill a worker "
            "mid-job. Keep 0 in production.", _float),
]
BY_NAME = {s.name: s for s in SETTINGS}


class SettingsError(ValueError):
    pass


def load_settings(instance: Path, overrides: dict | None = None, environ=None) -> dict[str, Any]:
    environ = os.environ if environ is None else environ
    values = {s.name: s.default for s in SETTINGS}
    config = instance / "config.py"
    if config.is_file():
        namespace: dict[str, Any] = {}
        exec(compile(config.read_text(encoding="utf-8"), str(config), "exec"), namespace)
        values.update({k: v for k, v in namespace.items() if k in BY_NAME})
    for s in SETTINGS:
        raw = environ.get(f"MO_DOCS_{s.name}")
        if raw is not None:
            try:
                values[s.name] = s.parse(raw)
            except ValueError as exc:
                raise SettingsError(f"MO_DOCS_{s.name}: {exc}")
    values.update(overrides or {})
    unknown = set(overrides or {}) - set(BY_NAME) - {"TESTING"}
    if unknown:
        raise SettingsError(f"unknown settings: {sorted(unknown)}")
    values["DATABASE_URL"] = values["DATABASE_URL"] or f"sqlite:///{instance / 'mo-docs.sqlite'}"
    values["QUEUE_URL"] = values["QUEUE_URL"] or f"sqlite:///{instance / 'queue.sqlite'}"
    values["DOCUMENTS_DIR"] = str(values["DOCUMENTS_DIR"] or instance / "documents")
    values["INSTANCE"] = str(instance)           # derived, not a setting: where per-machine state lives
    values["WORKBOOKS_DIR"] = str(values["WORKBOOKS_DIR"] or instance / "workbooks")
    values["OUTBOX_DIR"] = str(instance / "outbox")
    if values["PUBLIC_URL"]:
        from urllib.parse import urlsplit

        parts = urlsplit(str(values["PUBLIC_URL"]).strip())
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/") \
                or parts.query or parts.username:
            raise SettingsError(f"MO_DOCS_PUBLIC_URL: ожидается адрес вида https://mo.example.ru (без пути): "
                                f"{values['PUBLIC_URL']!r}")
        values["PUBLIC_URL"] = f"{parts.scheme}://{parts.netloc}"
    if int(values["PROXY_HOPS"]) < 0:
        raise SettingsError("MO_DOCS_PROXY_HOPS: число прокси не может быть отрицательным")
    if not values["SECRET_KEY"]:
        if values["ENV"] != "development" and not values.get("TESTING"):
            raise SettingsError("MO_DOCS_SECRET_KEY не задан: без него служба не запускается вне режима разработки "
                                "(задайте MO_DOCS_SECRET_KEY или MO_DOCS_ENV=development).")
        values["SECRET_KEY"] = _instance_secret(instance)
    return values


def _instance_secret(instance: Path) -> str:
    """Development only: a random key kept in the instance folder so sessions survive restarts."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
