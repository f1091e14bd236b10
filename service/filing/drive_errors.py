"""What a Google Drive failure means, in one Russian sentence with a stable code.

Drive answers 403 for very different things — no rights on the folder, a Workspace
policy, the API not enabled in the project, a key without the Drive scope, a full
shared drive, the daily quota, the rate limit — and each needs a different person to
do a different thing.  The reason (`error.errors[].reason`) says which; only what is
left is «нет прав на запись».

Sharing failures are about the curator, not the service, and say what the curator
must do (`share_failure`).
"""
from __future__ import annotations

from google.auth.exceptions import RefreshError

from service.filing.base import FilingError
from service.google.http import http_error_info

TRANSIENT = frozenset({"drive.rate_limited", "drive.unavailable"})


class DriveFilingError(FilingError):
    """Filing into Drive failed; `message` is one Russian sentence, `code` is stable,
    `reasons` are Drive's own."""

    def __init__(self, code: str, message: str, status: int = 0, reasons: frozenset[str] = frozenset()):
        super().__init__(code, message, transient=code in TRANSIENT, status=status)
        self.reasons = reasons


CODES = {
    "drive.forbidden": "нет прав на запись в папку Google Диска",
    "drive.no_storage": "у служебного аккаунта нет своего места: нужен общий диск",
    "drive.storage_full": "на Google Диске организации закончилось место",
    "drive.shared_drive_full": "в общем диске достигнут предел числа файлов",
    "drive.folder_full": "в папке достигнут предел числа файлов",
    "drive.too_deep": "слишком глубокая вложенность папок",
    "drive.domain_policy": "правила Google Workspace запрещают службе доступ к Диску",
    "drive.app_not_authorized": "файл создан не службой, и она не может его менять",
    "drive.scope": "ключу не выдан доступ к Google Диску (область drive)",
    "drive.api_disabled": "в проекте Google Cloud не включён Google Drive API",
    "drive.daily_limit": "исчерпана суточная квота Drive API проекта",
    "drive.rate_limited": "Google ограничивает число запросов",
    "drive.auth": "ключ служебного аккаунта недействителен",
    "drive.not_found": "папка или файл не найдены",
    "drive.unavailable": "Google Диск не отвечает",
    "drive.conflict": "идентификатор нового файла занят чужим файлом",
    "drive.no_ids": "Google Диск не выдал идентификаторы",
    "drive.error": "иная ошибка Google Диска",
}


def drive_error(exc: BaseException, *, service_account: str = "", shared_drive: bool = True) -> BaseException:
    """The DriveFilingError for a Google error; `exc` itself when it is not one (a bug
    must not look like a Google failure)."""
    status, reasons = http_error_info(exc)
    r = frozenset(reasons)
    who = f"служебный аккаунт {service_account}" if service_account else "служебный аккаунт"

    def err(code: str, message: str) -> DriveFilingError:
        return DriveFilingError(code, message, status, r)

    if not status and not isinstance(exc, RefreshError):
        if isinstance(exc, (TimeoutError, ConnectionError, OSError)):
            return err("drive.unavailable", "Google Диск не отвечает. Попробуйте позже.")
        return exc
    if status == 429 or r & {"rateLimitExceeded", "userRateLimitExceeded", "sharingRateLimitExceeded"}:
        return err("drive.rate_limited", "Google ограничивает число запросов к Диску. Попробуйте через минуту.")
    if status == 401 or isinstance(exc, RefreshError):
        return err("drive.auth", "Служба не смогла войти в Google: ключ служебного аккаунта недействителен или "
                                 "отозван. Сообщите администратору.")
    if "storageQuotaExceeded" in r:
        if shared_drive:
            return err("drive.storage_full", "На Google Диске организации закончилось место: документ не сохранён. "
                                             "Администратору Google Workspace: освободите место или расширьте "
                                             "хранилище.")
        return err("drive.no_storage",
                   f"У служебного аккаунта нет своего места на Google Диске: документы нужно складывать в общий "
                   f"диск, где {who} — «Менеджер контента». Укажите общий диск в MO_DOCS_FILING_URL "
                   "(gdrive://<идентификатор общего диска>).")
    if "teamDriveFileLimitExceeded" in r:
        return err("drive.shared_drive_full", "В общем диске достигнут предел числа файлов, который ставит Google. "
                                              "Администратору: перенесите документы прошлых лет в другой общий диск "
                                              "или укажите новый в MO_DOCS_FILING_URL.")
    if "numChildrenInNonRootLimitExceeded" in r:
        return err("drive.folder_full", "В папке Google Диска слишком много файлов (предел Google). "
                                        "Администратору: разнесите документы прошлых лет по другим папкам.")
    if "teamDriveHierarchyTooDeep" in r:
        return err("drive.too_deep", "Папка для документов вложена слишком глубоко (предел Google Диска). "
                                     "Администратору: укажите папку ближе к корню общего диска.")
    if "domainPolicy" in r:
        return err("drive.domain_policy", "Правила Google Workspace вашей организации не разрешают службе работать "
                                          "с Диском. Администратору Workspace: разрешите доступ служебному аккаунту "
                                          "(«Безопасность → Управление доступом к API»).")
    if "appNotAuthorizedToFile" in r:
        return err("drive.app_not_authorized", "Файл на Google Диске создан не службой, и она не может его менять. "
                                               "Удалите или переименуйте его — служба создаст документ заново.")
    if r & {"insufficientPermissions", "ACCESS_TOKEN_SCOPE_INSUFFICIENT"}:
        return err("drive.scope", "Ключу служебного аккаунта не выдан доступ к Google Диску. Администратору: "
                                  "добавьте область https://www.googleapis.com/auth/drive (MO_DOCS_GOOGLE_SCOPES, "
                                  "для делегирования — в консоли администратора).")
    if r & {"accessNotConfigured", "SERVICE_DISABLED"}:
        return err("drive.api_disabled", "В проекте Google Cloud не включён Google Drive API. Администратору: "
                                         "включите его («API и сервисы → Библиотека → Google Drive API»).")
    if "dailyLimitExceeded" in r:
        return err("drive.daily_limit", "Исчерпана суточная квота Google Drive API проекта. Документы сохранятся "
                                        "завтра; администратору: проверьте квоты проекта в Google Cloud.")
    if status == 403:
        return err("drive.forbidden",
                   f"Нет прав на запись в папку Google Диска: {who} не может создавать и менять файлы. "
                   "Добавьте его в общий диск с ролью «Менеджер контента» (Content manager) "
                   "или дайте ему права «Редактор» на папку.")
    if status == 404:
        return err("drive.not_found",
                   f"Папка или файл на Google Диске не найдены либо не открыты для {service_account or 'службы'}. "
                   "Проверьте идентификатор папки в MO_DOCS_FILING_URL и доступ служебного аккаунта.")
    if status >= 500 or status == 408:
        return err("drive.unavailable", "Google Диск сейчас не отвечает. Попробуйте позже.")
    return err("drive.error", f"Google Диск ответил ошибкой {status}.")


NO_ACCOUNT = "share.no_google_account"
OUTSIDE = "share.outside_not_allowed"


def share_failure(status: int, reasons: frozenset[str], email: str) -> tuple[str, str, bool]:
    """(code, Russian sentence saying what the curator must do, transient) for a failed
    `permissions.create` answered with `status` and Drive's `reasons`."""
    head = f"Документ сохранён, но куратору ({email}) доступ к нему не открыт"
    if reasons & {"rateLimitExceeded", "userRateLimitExceeded", "sharingRateLimitExceeded"} or status in (0, 429) \
            or status >= 500:
        return "share.later", f"{head}: Google просит повторить позже. Служба попробует снова.", True
    if "invalidSharingRequest" in reasons:
        return NO_ACCOUNT, (f"{head}: к этому адресу не привязан аккаунт Google. Куратору нужно создать аккаунт "
                            f"Google на этот адрес (accounts.google.com → «Создать аккаунт» → «Использовать текущий "
                            f"адрес электронной почты») или сообщить адрес, у которого аккаунт Google есть, — его "
                            f"укажут в «Сведениях» в графе «E-mail куратора»."), False
    if reasons & {"shareOutNotPermitted", "cannotShareTeamDriveWithNonGoogleAccounts",
                  "teamDrivesSharingRestrictionNotAllowed", "shareOutNotPermittedToUser", "publishOutNotPermitted"}:
        return OUTSIDE, (f"{head}: правила общего диска не разрешают открывать документы адресам вне организации. "
                         "Куратору нужно сообщить адрес в домене организации (его укажут в «Сведениях» в графе "
                         "«E-mail куратора»), либо администратор Google Workspace должен разрешить внешний доступ "
                         "к общему диску."), False
    return "share.error", f"{head}: Google Диск ответил ошибкой {status}.", False
