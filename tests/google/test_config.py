"""Credentials and clients from explicit settings: key file or ADC, delegation, the
service account's address for messages; nothing read from the environment unasked."""
import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from service.google import config
from service.google.config import (DEFAULT_SCOPES, DRIVE, SHEETS_READONLY, GoogleConfigError, GoogleSettings,
                                   load_credentials, service_account_email)
from service.google.http import RetryingHTTPClient
from service.google.ratelimit import MemoryRateLimiter

EMAIL = "mo-docs@mo-docs-prod.iam.gserviceaccount.com"


@pytest.fixture(scope="module")
def key_file(tmp_path_factory):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    info = {"type": "service_account", "project_id": "mo-docs-prod", "private_key_id": "0123456789abcdef",
            "private_key": pem, "client_email": EMAIL, "client_id": "123456789012345678901",
            "auth_uri": "https://accounts.google.com/o/oauth2/auth", "token_uri": "https://oauth2.googleapis.com/token",
            "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
            "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/mo-docs"}
    path = tmp_path_factory.mktemp("keys") / "mo-docs.json"
    path.write_text(json.dumps(info))
    return str(path)


def test_settings_come_from_a_mapping_the_caller_hands_over():
    env = {"MO_DOCS_GOOGLE_KEY_FILE": "/etc/mo-docs/key.json", "MO_DOCS_GOOGLE_SHARED_DRIVE_ID": "0ADrive",
           "MO_DOCS_GOOGLE_CONVERT_TO_DOCS": "да", "MO_DOCS_GOOGLE_READS_PER_USER_PER_MINUTE": "120",
           "MO_DOCS_GOOGLE_SCOPES": f"{SHEETS_READONLY}, {DRIVE}", "MO_DOCS_GOOGLE_SUBJECT": "  ",
           "MO_DOCS_OTHER": "x"}
    s = GoogleSettings.from_mapping(env)
    assert s.key_file == "/etc/mo-docs/key.json" and s.shared_drive_id == "0ADrive" and s.convert_to_docs
    assert s.reads_per_user_per_minute == 120 and s.scopes == (SHEETS_READONLY, DRIVE) and s.subject is None
    assert s.folder_id == "0ADrive"
    assert GoogleSettings.from_mapping({"GOOGLE_ROOT_FOLDER_ID": "1Root"}, prefix="GOOGLE_").folder_id == "1Root"


def test_a_bad_value_names_its_setting():
    with pytest.raises(GoogleConfigError, match="MO_DOCS_GOOGLE_MAX_ATTEMPTS"):
        GoogleSettings.from_mapping({"MO_DOCS_GOOGLE_MAX_ATTEMPTS": "many"})
    with pytest.raises(GoogleConfigError):
        GoogleSettings.from_mapping({"MO_DOCS_GOOGLE_CONVERT_TO_DOCS": "maybe"})


def test_the_environment_is_not_read_unless_passed(monkeypatch):
    monkeypatch.setenv("MO_DOCS_GOOGLE_KEY_FILE", "/nowhere.json")
    assert GoogleSettings().key_file is None and GoogleSettings().scopes == DEFAULT_SCOPES


def test_a_key_file_gives_service_account_credentials_with_their_address(key_file):
    creds = load_credentials(GoogleSettings(key_file=key_file))
    assert creds.service_account_email == EMAIL and tuple(creds.scopes) == DEFAULT_SCOPES
    assert service_account_email(GoogleSettings(), creds) == EMAIL
    assert service_account_email(GoogleSettings(service_account_email="robot@x.ru"), creds) == "robot@x.ru"


def test_domain_wide_delegation_acts_as_the_subject(key_file):
    creds = load_credentials(GoogleSettings(key_file=key_file, subject="robot@school.edu.ru"))
    assert creds._subject == "robot@school.edu.ru" and creds.service_account_email == EMAIL


def test_a_missing_or_wrong_key_file_is_explained(tmp_path):
    with pytest.raises(GoogleConfigError, match="не найден"):
        load_credentials(GoogleSettings(key_file=str(tmp_path / "none.json")))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"type": "authorized_user"}))
    with pytest.raises(GoogleConfigError, match="не ключ"):
        load_credentials(GoogleSettings(key_file=str(bad)))


def test_without_a_key_file_application_default_credentials_are_used(monkeypatch):
    class Adc:
        service_account_email = "default"           # a metadata-server account before its first refresh

    asked = []
    monkeypatch.setattr("google.auth.default", lambda scopes=None: (asked.append(scopes) or Adc(), "proj"))
    creds = load_credentials(GoogleSettings())
    assert isinstance(creds, Adc) and asked == [list(DEFAULT_SCOPES)]
    assert service_account_email(GoogleSettings(), creds) == ""           # «default» is not an address
    with pytest.raises(GoogleConfigError, match="GOOGLE_KEY_FILE"):
        load_credentials(GoogleSettings(subject="robot@school.edu.ru"))


def test_no_credentials_at_all_is_explained(monkeypatch):
    from google.auth.exceptions import DefaultCredentialsError

    def none(scopes=None):
        raise DefaultCredentialsError("Could not automatically determine credentials.")

    monkeypatch.setattr("google.auth.default", none)
    with pytest.raises(GoogleConfigError, match="Нет учётных данных Google"):
        load_credentials(GoogleSettings())


def test_clients_are_built_offline_with_the_settings(key_file, tmp_path):
    settings = GoogleSettings(key_file=key_file, reads_per_user_per_minute=100, max_attempts=4,
                              shared_drive_id="0ADrive")
    creds = load_credentials(settings)
    limiter = MemoryRateLimiter()
    reader = config.sheet_reader(settings, creds, limiter=limiter)
    http = reader.client.http_client
    assert isinstance(http, RetryingHTTPClient) and http.user == EMAIL and http.per_user == 100
    assert http.limiter is limiter and http.retrier.policy.max_attempts == 4 and http.timeout == (10.0, 60.0)
    assert reader.service_account_email == EMAIL
    drive = config.drive_service(creds)
    assert drive.files().list(pageSize=1).uri.startswith("https://www.googleapis.com/drive/v3/files")

    from service.db import make_engine
    from service.filing.registry import Registry

    filer = config.drive_filer(settings, creds, Registry(make_engine(f"sqlite:///{tmp_path / 'r.sqlite'}")))
    assert filer.root_folder_id == "0ADrive" and filer.shared_drive_id == "0ADrive"
    assert filer.service_account_email == EMAIL
    with pytest.raises(GoogleConfigError, match="папка"):
        config.drive_filer(GoogleSettings(key_file=key_file), creds, None)


def test_the_limiter_is_redis_only_when_asked():
    assert isinstance(config.make_limiter(GoogleSettings()), MemoryRateLimiter)
    try:
        import redis  # noqa: F401
    except ImportError:
        with pytest.raises(GoogleConfigError, match="redis"):
            config.make_limiter(GoogleSettings(redis_url="redis://localhost:6379/0"))


def test_a_service_account_reads_a_sheet_end_to_end_offline(key_file, rsps):
    """The key signs a JWT, the token endpoint (served here) answers, then the two
    Sheets requests carry the token; Drive gives the version; the next read is free."""
    from urllib.parse import parse_qs

    from tests.google.payloads import SHEETS, add_sheet, batch_get, drive, ok, sheets_meta

    sid = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEF"
    rsps.add("POST", "https://oauth2.googleapis.com/token",
             json={"access_token": "ya29.test-token", "expires_in": 3599, "token_type": "Bearer"})
    tables = {"Состав": [["ФИО"], ["Иванова Мария Петровна"]]}
    meta = sheets_meta(sid, "ММО", tables)
    add_sheet(rsps, sid, meta, batch_get(sid, tables, meta))
    google = config.GoogleServices(GoogleSettings(key_file=key_file), limiter=MemoryRateLimiter())
    svc, http = drive([ok({"version": "5", "modifiedTime": "2024-11-14T09:30:00.000Z"})] * 2)
    google._local.drive = svc
    source = google.source(f"https://docs.google.com/spreadsheets/d/{sid}/edit#gid=0")
    assert source.read().tabs[0].rows[1] == (2, ("Иванова Мария Петровна",))
    # (google-auth may also ask iamcredentials.googleapis.com for the account's trust
    # boundary; unanswered here, it carries on without it)
    token_request, get, batch = [c for c in rsps.calls if "iamcredentials" not in c.request.url]
    body = token_request.request.body
    body = body.decode() if isinstance(body, bytes) else body
    assert parse_qs(body)["grant_type"] == ["urn:ietf:params:oauth:grant-type:jwt-bearer"]
    assert get.request.headers["Authorization"] == batch.request.headers["Authorization"] == "Bearer ya29.test-token"
    assert get.request.url.startswith(f"{SHEETS}/{sid}?")
    again = google.source(sid)
    again.read()
    assert again.from_cache and google.email == EMAIL
    assert sum(1 for c in rsps.calls if c.request.url.startswith(SHEETS)) == 2
    assert len(http.request_sequence) == 2                         # the version, asked twice
