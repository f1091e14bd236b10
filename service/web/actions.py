"""Requests that pages and the API share: ask for a document, a check, a batch."""
from __future__ import annotations

import hashlib

from flask import current_app, g, url_for

from service.kinds import CATALOGUE, KINDS
from service.schema.regulations import available
from service.workspace.service import AlreadyAdded
from service.web import auth
from service.web.errors import ApiError
from service.web.validation import choice, flag, invalid, iso_date, positive_int, text
from service.workspace import jobs as records
from service.workspace.models import Association


def workspace():
    return current_app.extensions["workspace"]


def dispatch(job_id: str) -> None:
    current_app.extensions["tasks"].dispatch(job_id)


def find(slug: str) -> Association:
    """The association of the request's address: the one authorisation has just loaded for
    this route (g.association), else read."""
    a = g.get("association")
    if a is not None and a.slug == slug:
        return a
    a = workspace().association(slug)
    if a is None:
        raise ApiError(404, "association.not_found", f"Объединение «{slug}» не найдено.")
    return a


def owner_of(me) -> int | None:
    """Who gets a new association in scope: a head or curator who adds it (an admin sees all)."""
    return me.account_id if me.role in ("head", "curator") else None


def ensure_current(a: Association) -> None:
    """Archived associations keep everything but do no new work until restored."""
    if a.archived_at is not None:
        raise ApiError(409, "association.archived", f"«{a.short_name or a.name}» в архиве: верните его из архива, "
                                                    "чтобы проверять книгу и формировать документы.")


def _format(kind: str, params: dict) -> str | None:
    formats = CATALOGUE[kind].formats
    wrong = invalid(f"«{CATALOGUE[kind].title}» формируется в формате " + " или ".join(formats) + ".", "format")
    if params.get("format") not in (None, "") and not isinstance(params.get("format"), str):
        raise wrong
    value = text(params, "format", max_length=10)
    if value is None:
        return None
    if value.lower().lstrip(".") not in formats:
        raise wrong
    return value.lower().lstrip(".")


def _personal(a: Association, kind: str, params: dict) -> bool:
    """Personal columns are asked for explicitly, only in the data bank, only by those
    allowed to see them (service.web.auth.may_view_personal)."""
    if not flag(params, "personal"):
        return False
    if "personal" not in CATALOGUE[kind].options:
        raise ApiError(400, "request.invalid", "Личные данные (дата рождения, телефон, e-mail) бывают только в банке "
                                               "данных.")
    if not auth.may_view_personal(a):
        raise ApiError(403, "personal.forbidden", "Личные данные педагогов (дата рождения, телефон, e-mail) вам не "
                                                  "доступны: сформируйте банк данных без них.")
    return True


def request_document(a: Association, params: dict, actor: str, sheet: dict | None = None):
    """Ask for a document: `params` from a form (strings) or the API (JSON), each field
    checked by type and size (service/web/validation.py).  `sheet`: a spreadsheet the
    add-on sent, kept by service/workspace/sent_sheets.py ({"file", "sha256", "as_of"}) —
    the document is made from it instead of the association's workbook."""
    ensure_current(a)
    kind = choice(params, "kind", KINDS, f"Вид документа должен быть одним из: {', '.join(KINDS)}.")
    day = iso_date(params, "date")
    clean = {"kind": kind, "meeting": positive_int(params, "meeting"),
             "plan_item": positive_int(params, "plan_item"), "force": flag(params, "force"),
             "number": text(params, "number", max_length=40), "date": day.isoformat() if day else None,
             "format": _format(kind, params), "personal": _personal(a, kind, params)}
    if kind == "protocol" and clean["meeting"] is None:
        raise ApiError(400, "request.invalid", "Для протокола укажите номер заседания (meeting).")
    if kind == "registration-sheet" and clean["meeting"] is None and clean["plan_item"] is None:
        raise ApiError(400, "request.invalid", "Для листа регистрации укажите заседание или мероприятие плана.")
    key = ":".join(str(clean[k]) for k in ("kind", "meeting", "plan_item", "force", "number", "date", "format",
                                           "personal"))
    content = a.source_sha256
    if sheet is not None:
        clean["sheet"] = sheet
        content = f"sent-{sheet['sha256']}"
    job, created = workspace().enqueue("generate", association_id=a.id, params=clean,
                                   requested_by=actor, dedupe_key=f"generate:{a.id}:{key}:{content}")
    if created:
        dispatch(job.id)
    return records.get(workspace().sf, job.id), created


def add_google_sheet(location: str, regulation: str | None, actor: str, owner_id: int | None = None) -> Association:
    """An association whose registers live in a Google Sheet (`gsheet:<id>` or its link)."""
    from service.sources.base import SourceError
    from service.sources.gsheets import is_gsheet_location, parse_spreadsheet_id

    if regulation is not None and (not isinstance(regulation, str) or regulation not in available()):
        named = f"«{regulation}» " if isinstance(regulation, str) and len(regulation) <= 80 \
            and regulation.isprintable() and regulation.encode("utf-8", "replace").decode() == regulation else ""
        raise ApiError(400, "regulation.unknown", f"Положение {named}неизвестно. Известны: "
                                                  + ", ".join(available()) + ".")
    if not is_gsheet_location(location):
        raise ApiError(400, "request.invalid", "Это не ссылка на Google Таблицу и не gsheet:<id>.")
    if workspace().google is None:
        raise ApiError(400, "google.disabled", "Чтение Google Таблиц на этом сервере не включено (это настраивает "
                                               "администратор службы). Скачайте таблицу как .xlsx («Файл» → «Скачать» "
                                               "→ «Microsoft Excel») и загрузите файлом.")
    try:
        return workspace().add_association(f"gsheet:{parse_spreadsheet_id(location)}", actor, regulation_id=regulation,
                                           owner_id=owner_id)
    except SourceError as err:
        raise ApiError(400, err.code, err.message)
    except AlreadyAdded as exists:
        raise already_added(exists)


def already_added(exists) -> ApiError:
    """The register is in the service already.  It is named, with its page, only to someone
    who sees it: to anyone else an association outside their scope does not exist, and a
    copy of another territory's workbook must not tell them its name, year and address."""
    a = exists.association
    principal = auth.current_user()
    if principal is None or not principal.sees(a):
        return ApiError(409, "association.exists", "Такая книга уже зарегистрирована в службе. Если это книга вашего "
                                                   "объединения, обратитесь к куратору: он откроет вам доступ к нему.")
    return ApiError(409, "association.exists",
                    f"«{a.short_name or a.name}» за {(a.school_year or '').replace('-', '/')} учебный год уже есть. "
                    "Чтобы обновить его книгу, "
                    "откройте объединение и нажмите «Заменить книгу».",
                    {"slug": a.slug, "page": url_for("pages.association", slug=a.slug)})


def request_check(a: Association, actor: str):
    ensure_current(a)
    # one waiting or running check per workbook: a check still reading a replaced workbook
    # is not taken for a check of the new one (its result is dropped: Workspace.record_check)
    of = hashlib.sha256(a.source.encode()).hexdigest()[:16]
    job, created = workspace().enqueue("check", association_id=a.id, requested_by=actor,
                                       dedupe_key=f"check:{a.id}:manual:{of}")
    if created:
        dispatch(job.id)
    return records.get(workspace().sf, job.id), created


def bulk_kinds() -> list:
    """Kinds a person may ask for every association at once: one document per school year
    each (protocols and registration sheets name a meeting)."""
    return [k for k in CATALOGUE.values() if k.per_year]


def request_annual_all(principal, params: dict | None = None):
    """One kind of document (the annual report unless `params` names another) for every
    current association in the person's scope (the job records whose scope it is: the
    worker narrows the list the same way)."""
    kinds = [k.id for k in bulk_kinds()]
    kind = choice(params or {}, "kind", kinds, "Для всех объединений сразу формируются: " + ", ".join(kinds) + ".") \
        if (params or {}).get("kind") not in (None, "") else "annual-report"
    job_kind = "annual-all" if kind == "annual-report" else "bulk"
    job, created = workspace().enqueue(job_kind, requested_by=principal.display,
                                       params={"account_id": principal.account_id, "kind": kind},
                                       dedupe_key=f"{job_kind}:{principal.account_id}:{kind}")
    if created:
        dispatch(job.id)
    return records.get(workspace().sf, job.id), created
