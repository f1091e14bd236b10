"""Who is asking, and may they.

Every request is authenticated once, before any handler: a personal API token
(`Authorization: Bearer mod_…`), or the sign-in session (the signed cookie holds the
id of a server-side session, service/accounts/sessions.py), or — for requests
authenticated by other means — a handler calls `act_as(principal)`.  A bearer credential
that is not one of our tokens is a Google ID token of the Sheets add-on on the routes
whose rule accepts one (`FromAddon` in access.py: verified by service/web/addon.py, which
answers 401 or 503 itself); on any other API route it is 401 `auth.invalid_token`.

Then the endpoint's rule (service/web/access.py) decides: not signed in → the sign-in
page (pages) or 401 `auth.required` (API); an association outside the person's scope →
404; in scope but not allowed → 403 `auth.forbidden`, on pages and in the API alike
(the person already sees that association, so the refusal tells them nothing new, and
«только руководитель МО или куратор» is more use to them than «не найдено»).
"""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from flask import Flask, current_app, g, has_request_context, redirect, request, session, url_for
from sqlalchemy import event

from service.accounts import sessions, tokens
from service.accounts.models import ROLE_TITLES
from service.accounts.principal import Principal
from service.web.access import RULES
from service.web.errors import ApiError
from service.workspace.models import AuditEvent

SESSION_KEY = "sid"


def current_user() -> Principal | None:
    """The person this request acts for (None only on public routes before sign-in)."""
    return g.get("principal")


def act_as(principal: Principal) -> None:
    """Let this request act for `principal`, authenticated by the caller (e.g. a verified
    Google ID token mapped with `principal_for_email`)."""
    g.principal = principal


@event.listens_for(AuditEvent, "before_insert")
def _sign_journal(_mapper, _connection, entry: AuditEvent) -> None:
    """Every journal entry written while serving a request carries the account that acted:
    its id and e-mail, which its owner cannot choose (the name they can)."""
    if entry.account_id is None and has_request_context():
        principal = g.get("principal")
        if principal is not None:
            entry.account_id, entry.actor_email = principal.account_id, principal.email


def _sf():
    return current_app.extensions["workspace"].sf


def _api() -> bool:
    return request.path.startswith("/api/")


def not_signed_in() -> ApiError:
    return ApiError(401, "auth.required", "Нужно войти в службу (или передать токен: Authorization: Bearer …).")


def forbidden(action: str) -> ApiError:
    return ApiError(403, "auth.forbidden", FORBIDDEN.get(action, "Это действие недоступно для вашей роли."))


FORBIDDEN = {
    "generate": "Формировать документы может руководитель МО или куратор; у вас доступ только для просмотра.",
    "check": "Проверять книгу может руководитель МО или куратор; у вас доступ только для просмотра.",
    "replace": "Заменять книгу может руководитель МО или куратор.",
    "view_personal": "Личные данные членов МО (даты рождения, телефоны, адреса) видят только руководитель МО, "
                     "его куратор и администратор.",
    "manage_members": "Учётными записями объединения управляет его руководитель или куратор.",
    "archive": "Переносить объединения в архив может куратор или администратор.",
    "add_association": "Добавлять объединения может руководитель МО, куратор или администратор.",
    "admin": "Этот раздел — только для администратора службы.",
}


def not_found(slug: str = "") -> ApiError:
    return ApiError(404, "association.not_found", f"Объединение «{slug}» не найдено." if slug
                    else "Объединение не найдено.")


def require(action: str, association=None) -> None:
    """Raise the right error unless the current person may do `action` (on `association`):
    401 not signed in, 404 outside their scope, 403 seen but not allowed."""
    principal = current_user()
    if principal is None:
        raise not_signed_in()
    if association is not None and not principal.sees(association):
        raise not_found(getattr(association, "slug", ""))
    if not principal.may(action, association):
        raise forbidden(action)


def may_view_personal(association) -> bool:
    """Whether the person asking may see the members' birth dates, phones and e-mails of
    `association`: make, download or preview a data bank with personal columns.  The
    pages, the API and the downloads all ask here and nowhere else."""
    principal = current_user()
    return principal is not None and principal.may("view_personal", association)


def login_url(next_path: str | None = None) -> str:
    url = url_for("account.login_form")
    return url + ("?" + urlencode({"next": next_path}) if next_path and next_path != "/" else "")


def _authenticate() -> None:
    g.principal = None
    g.auth_via = None
    if request.endpoint == "static":
        return                                       # a stylesheet needs no database
    g.foreign_bearer = None
    scheme, _, credential = request.headers.get("Authorization", "").partition(" ")
    credential = credential.strip()
    if scheme.lower() == "bearer" and not credential.startswith(tokens.PREFIX):
        g.foreign_bearer = credential               # e.g. the add-on's Google ID token
        rule = RULES.get(request.endpoint or "")
        if rule is not None and rule.google_id_token:
            from service.web.addon import principal_from_id_token

            g.principal, g.auth_via = principal_from_id_token(credential), "google_id_token"
            return
    elif scheme.lower() == "bearer":                # other schemes (a proxy's Basic) are not ours
        principal = tokens.principal_for_token(_sf(), credential)
        if principal is None:
            raise ApiError(401, "auth.invalid_token", "Токен недействителен, отозван или его учётная запись "
                                                      "отключена.")
        g.principal, g.auth_via = principal, "token"
        return
    sid = session.get(SESSION_KEY)
    if sid:
        idle = dt.timedelta(minutes=int(current_app.config["SESSION_IDLE_MINUTES"]))
        principal = sessions.principal_for_session(_sf(), sid, idle)
        if principal is None:
            session.pop(SESSION_KEY, None)          # expired, signed out elsewhere, or the account is gone
        g.principal, g.auth_via = principal, "session" if principal else None


def _authorise():
    endpoint = request.endpoint
    if endpoint is None:
        return None                                  # routing answers 404/405 itself
    rule = RULES.get(endpoint)
    if rule is None:
        current_app.logger.error("route %s has no access rule (service/web/access.py): refused", endpoint)
        raise ApiError(404, "not_found", "Не найдено.")
    if rule.kind == "public":
        return None
    principal = current_user()
    if principal is None:
        if _api() and g.get("foreign_bearer"):
            raise ApiError(401, "auth.invalid_token", "Токен не распознан: нужен личный токен службы (mo-docs tokens "
                                                      "create).")
        if _api():
            raise not_signed_in()
        return redirect(login_url(request.full_path.rstrip("?") if request.method == "GET" else None))
    if rule.kind == "global":
        if not principal.may(rule.action):
            raise forbidden(rule.action)
    elif rule.kind == "association":
        from service.web.actions import workspace

        slug = (request.view_args or {}).get("slug", "")
        a = workspace().association(slug)
        if a is None or not principal.sees(a):
            raise not_found(slug)
        if not principal.may(rule.action, a):
            raise forbidden(rule.action)
        g.association = a
    elif rule.kind == "job":
        _authorise_job(principal, (request.view_args or {}).get("job_id", ""), rule.action)
    return None


def _authorise_job(principal: Principal, job_id: str, action: str) -> None:
    from service.web.actions import workspace
    from service.workspace import jobs as records

    job = records.get(workspace().sf, job_id) if isinstance(job_id, str) and len(job_id) <= 36 else None
    missing = ApiError(404, "job.not_found", "Задание не найдено.")
    if job is None:
        raise missing
    if job.association_id is not None:
        a = workspace().by_id(job.association_id)
        if a is None or not principal.may(action, a):
            raise missing
    elif principal.role != "admin" and (job.params or {}).get("account_id") != principal.account_id:
        raise missing
    g.job = job


def init_app(app: Flask) -> None:
    app.jinja_env.globals["role_title"] = lambda role: ROLE_TITLES.get(role, role)

    @app.before_request
    def _who_and_may():
        _authenticate()
        return _authorise()

    @app.context_processor
    def _user():
        return {"me": current_user()}
