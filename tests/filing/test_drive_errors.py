"""Drive's failures, each to its own Russian sentence and code: a 403 is «нет прав на
запись» only when Drive says so (or says nothing more); sharing refusals tell the
curator what to do."""
from __future__ import annotations

import json

import httplib2
import pytest
from googleapiclient.errors import HttpError

from service.filing.drive_errors import CODES, drive_error, share_failure
from tests.google.payloads import google_error

SA = "mo-docs@mo-docs-prod.iam.gserviceaccount.com"


def http_error(status: int, reason: str | None, message: str = "Forbidden", domain: str = "global") -> HttpError:
    body = google_error(status, message, reason, domain)
    return HttpError(httplib2.Response({"status": str(status)}), json.dumps(body).encode())


@pytest.mark.parametrize("status, reason, code, phrase", [
    (403, "insufficientFilePermissions", "drive.forbidden", "Менеджер контента"),
    (403, None, "drive.forbidden", "Нет прав на запись"),
    (403, "storageQuotaExceeded", "drive.storage_full", "закончилось место"),
    (403, "teamDriveFileLimitExceeded", "drive.shared_drive_full", "предел числа файлов"),
    (403, "numChildrenInNonRootLimitExceeded", "drive.folder_full", "слишком много файлов"),
    (403, "teamDriveHierarchyTooDeep", "drive.too_deep", "вложена слишком глубоко"),
    (403, "domainPolicy", "drive.domain_policy", "Правила Google Workspace"),
    (403, "appNotAuthorizedToFile", "drive.app_not_authorized", "создан не службой"),
    (403, "insufficientPermissions", "drive.scope", "auth/drive"),
    (403, "accessNotConfigured", "drive.api_disabled", "Google Drive API"),
    (403, "dailyLimitExceeded", "drive.daily_limit", "суточная квота"),
    (403, "userRateLimitExceeded", "drive.rate_limited", "через минуту"),
    (429, "rateLimitExceeded", "drive.rate_limited", "через минуту"),
    (401, "authError", "drive.auth", "ключ служебного аккаунта"),
    (404, "notFound", "drive.not_found", "MO_DOCS_FILING_URL"),
    (503, "backendError", "drive.unavailable", "не отвечает"),
    (400, "badRequest", "drive.error", "ошибкой 400"),
])
def test_each_reason_has_its_own_sentence(status, reason, code, phrase):
    err = drive_error(http_error(status, reason), service_account=SA, shared_drive=True)
    assert err.code == code and phrase in err.message and code in CODES
    assert err.transient == (code in ("drive.rate_limited", "drive.unavailable"))
    if code != "drive.forbidden":
        assert "Нет прав на запись" not in err.message


def test_no_storage_without_a_shared_drive_is_the_service_accounts_own_quota():
    err = drive_error(http_error(403, "storageQuotaExceeded", "Service Accounts do not have storage quota.",
                                 "usageLimits"), service_account=SA, shared_drive=False)
    assert err.code == "drive.no_storage" and "общий диск" in err.message and SA in err.message


def test_a_bug_is_not_dressed_as_a_google_failure():
    bug = KeyError("id")
    assert drive_error(bug) is bug


def test_sharing_failures_say_what_the_curator_must_do():
    code, message, transient = share_failure(400, frozenset({"invalidSharingRequest"}), "curator@mail.ru")
    assert code == "share.no_google_account" and not transient
    assert message.startswith("Документ сохранён, но куратору (curator@mail.ru) доступ к нему не открыт: "
                              "к этому адресу не привязан аккаунт Google.")
    code, message, transient = share_failure(400, frozenset({"shareOutNotPermitted"}), "curator@mail.ru")
    assert code == "share.outside_not_allowed" and "адрес в домене организации" in message
    assert share_failure(403, frozenset({"sharingRateLimitExceeded"}), "c@x.ru")[2] is True
