"""Requests that pages and the API share: ask for a document, a check, a batch."""
from __future__ import annotations

import datetime as dt

from flask import current_app, url_for

from service.kinds import CATALOGUE, KINDS
from service.schema.regulations import available
from service.workspace.service import AlreadyAdded
from service.web import auth
from service.web.errors import ApiError
from service.workspace import jobs as records
from service.workspace.models import Association


def workspace():
    return current_app.extensions["workspace"]


def dispatch(job_id: str) -> None:
    current_app.extensions["tasks"].dispatch(job_id)


def find(slug: str) -> Association:
    a = workspace().association(slug)
    if a is None:
        raise ApiError(404, "association.not_found", f"Объединение «{slug}» не найдено.")
    return a


def _int(value, name: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise ApiError(400, "request.invalid", f"«{name}» должно быть целым числом.")
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise ApiError(400, "request.invalid", f"«{name}» должно быть целым числом.")
    if n < 1:
        raise ApiError(400, "request.invalid", f"«{name}» должно быть положительным.")
    return n


def _flag(value) -> bool:
    return value is True or str(value or "").lower() in ("1", "true", "on", "yes")


def _format(kind: str, value) -> str | None:
    formats = CATALOGUE[kind].formats
    if value in (None, ""):
        return None
    if not isinstance(value, str) or value.lower().lstrip(".") not in formats:
        raise ApiError(400, "request.invalid", f"«{CATALOGUE[kind].title}» формируется в формате "
                                               + " или ".join(formats) + ".")
    return value.lower().lstrip(".")


def _personal(a: Association, kind: str, value) -> bool:
    """Personal columns are asked for explicitly, only in the data bank, only by those
    allowed to see them (service.web.auth.may_view_personal)."""
    if not _flag(value):
        return False
    if "personal" not in CATALOGUE[kind].options:
        raise ApiError(400, "request.invalid", "Личные данные (дата рождения, телефон, e-mail) бывают только в банке "
                                               "данных.")
    if not auth.may_view_personal(a):
        raise ApiError(403, "personal.forbidden", "Личные данные педагогов (дата рождения, телефон, e-mail) вам не "
                                                  "доступны: сформируйте банк данных без них.")
    return True


def request_document(a: Association, params: dict, actor: str):
    kind = params.get("kind")
    if kind not in KINDS:
        raise ApiError(400, "request.invalid", f"Вид документа должен быть одним из: {', '.join(KINDS)}.")
    clean = {"kind": kind, "meeting": _int(params.get("meeting"), "meeting"),
             "plan_item": _int(params.get("plan_item"), "plan_item"),
             "force": _flag(params.get("force")),
             "number": str(params.get("number") or "").strip()[:40] or None,
             "date": None, "format": _format(kind, params.get("format")),
             "personal": _personal(a, kind, params.get("personal"))}
    if params.get("date"):
        try:
            clean["date"] = dt.date.fromisoformat(str(params["date"])).isoformat()
        except ValueError:
            raise ApiError(400, "request.invalid", "Дата должна быть в виде ГГГГ-ММ-ДД.")
    if kind == "protocol" and clean["meeting"] is None:
        raise ApiError(400, "request.invalid", "Для протокола укажите номер заседания (meeting).")
    if kind == "registration-sheet" and clean["meeting"] is None and clean["plan_item"] is None:
        raise ApiError(400, "request.invalid", "Для листа регистрации укажите заседание или мероприятие плана.")
    key = ":".join(str(clean[k]) for k in ("kind", "meeting", "plan_item", "force", "number", "date", "format",
                                           "personal"))
    job, created = workspace().enqueue("generate", association_id=a.id, params=clean,
                                   requested_by=actor, dedupe_key=f"generate:{a.id}:{key}:{a.source_sha256}")
    if created:
        dispatch(job.id)
    return records.get(workspace().sf, job.id), created


def add_google_sheet(location: str, regulation: str | None, actor: str) -> Association:
    """An association whose registers live in a Google Sheet (`gsheet:<id>` or its link)."""
    from service.sources.base import SourceError
    from service.sources.gsheets import is_gsheet_location, parse_spreadsheet_id

    if regulation is not None and (not isinstance(regulation, str) or regulation not in available()):
        raise ApiError(400, "regulation.unknown", f"Положение «{regulation}» неизвестно. Известны: "
                                                  + ", ".join(available()) + ".")
    if not is_gsheet_location(location):
        raise ApiError(400, "request.invalid", "Это не ссылка на Google Таблицу и не gsheet:<id>.")
    if workspace().google is None:
        raise ApiError(400, "google.disabled", "Чтение Google Таблиц не настроено на этом сервере "
                                               "(MO_DOCS_GOOGLE_ENABLED); загрузите книгу файлом .xlsx.")
    try:
        return workspace().add_association(f"gsheet:{parse_spreadsheet_id(location)}", actor, regulation_id=regulation)
    except SourceError as err:
        raise ApiError(400, err.code, err.message)
    except AlreadyAdded as exists:
        raise already_added(exists)


def already_added(exists) -> ApiError:
    a = exists.association
    return ApiError(409, "association.exists",
                    f"«{a.short_name or a.name}» за {a.school_year} учебный год уже есть. Чтобы обновить его книгу, "
                    "откройте объединение и нажмите «Заменить книгу».",
                    {"slug": a.slug, "page": url_for("pages.association", slug=a.slug)})


def request_check(a: Association, actor: str):
    job, created = workspace().enqueue("check", association_id=a.id, requested_by=actor,
                                   dedupe_key=f"check:{a.id}:manual")
    if created:
        dispatch(job.id)
    return records.get(workspace().sf, job.id), created


def request_annual_all(actor: str):
    job, created = workspace().enqueue("annual-all", requested_by=actor, dedupe_key="annual-all")
    if created:
        dispatch(job.id)
    return records.get(workspace().sf, job.id), created
