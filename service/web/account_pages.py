"""Signing in and out, invitations, password resets, «Войти через Google», and the
person's own page.  Messages never say whether an address has an account."""
from __future__ import annotations

import datetime as dt
import hashlib
from urllib.parse import urlsplit

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for

from service.accounts import directory, links, sessions
from service.accounts.emails import BadEmail, normalise
from service.accounts.passwords import WeakPassword, check_policy
from service.accounts.throttle import Throttle
from service.web import google_signin
from service.web.auth import SESSION_KEY, current_user
from service.web.links import public_base

bp = Blueprint("account", __name__)


def _sf():
    return current_app.extensions["workspace"].sf


def _safe_next(value: str | None) -> str:
    """Only a path of this site.  Browsers read «//evil.example», «/\\evil.example» and
    «/<tab>/evil.example» (they drop tabs and newlines) as another site, and a control
    character in a Location header is no header at all: anything with a backslash or a
    control character, a scheme or a host is refused and the person goes to the dashboard."""
    home = url_for("pages.dashboard")
    if not value or not isinstance(value, str) or len(value) > 2000:
        return home
    if "\\" in value or any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f for c in value):
        return home
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//"):
        return home
    return value


def _throttle() -> Throttle:
    cfg = current_app.config
    return Throttle(_sf(), int(cfg["LOGIN_LOCKOUT_FAILURES"]), int(cfg["LOGIN_LOCKOUT_MINUTES"]))


def sign_in(account_id: int, via: str) -> None:
    """A new session (a new id: whatever the browser held before is dropped)."""
    old = session.get(SESSION_KEY)
    if old:
        sessions.close_session(_sf(), old)
    session.clear()
    lifetime = dt.timedelta(hours=int(current_app.config["SESSION_HOURS"]))
    session[SESSION_KEY] = sessions.open_session(_sf(), account_id, lifetime, request.remote_addr or "", via)
    session.permanent = True


def _login_page(status: int = 200, error: str | None = None, email: str = "", notice: str | None = None,
                retry_after: int | None = None):
    body = render_template("login.html", error=error, email=email, notice=notice,
                           next=request.values.get("next", ""), google=google_signin.enabled())
    headers = {"Retry-After": str(retry_after)} if retry_after else {}
    return body, status, headers


@bp.get("/login")
def login_form():
    if current_user() is not None:
        return redirect(_safe_next(request.args.get("next")))
    return _login_page()


@bp.post("/login")
def login():
    email_text = (request.form.get("email") or "")[:1000]
    password = request.form.get("password") or ""
    try:
        email = normalise(email_text)
    except BadEmail as err:
        return _login_page(400, err.args[0], email_text[:254])
    throttle = _throttle()
    keys = Throttle.keys(email, request.remote_addr or "")
    refusal = throttle.admit(keys)                  # counted as a failure before the password is checked
    if refusal is not None:
        return _login_page(429, refusal.message, email, retry_after=refusal.retry_after)
    account = directory.authenticate(_sf(), email, password)
    if account is None:
        refusal = throttle.refusal(keys)
        message = "Неверный адрес электронной почты или пароль."
        if refusal is not None and refusal.code == "auth.locked":
            message = refusal.message
        return _login_page(401, message, email)
    throttle.succeeded(keys)
    sign_in(account.id, "password")
    return redirect(_safe_next(request.form.get("next")))


@bp.post("/logout")
def logout():
    sid = session.get(SESSION_KEY)
    if sid:
        sessions.close_session(_sf(), sid)
    session.clear()
    return _login_page(notice="Вы вышли из службы.")


# ---------------------------------------------------------------- Google

@bp.get("/login/google")
def google_start():
    if not google_signin.enabled():
        return _login_page(404, "Вход через Google на этом сервере не настроен.")
    session["next_after_google"] = _safe_next(request.args.get("next"))
    return google_signin.start()


@bp.get("/login/google/callback")
def google_callback():
    if not google_signin.enabled():
        return _login_page(404, "Вход через Google на этом сервере не настроен.")
    try:
        email = google_signin.finish()
    except google_signin.GoogleSignInError as err:
        current_app.logger.warning("Google sign-in refused: %s", err.code)
        return _login_page(401, err.message)
    account = directory.by_email(_sf(), email)
    if account is None or not account.active:
        return _login_page(403, f"Для адреса {email} нет учётной записи в службе. Попросите администратора "
                                "или руководителя МО пригласить вас.")
    target = session.pop("next_after_google", None)
    sign_in(account.id, "google")
    return redirect(_safe_next(target))


# ---------------------------------------------------------------- invitations and resets

def _password_page(purpose: str, token: str, account=None, error: str | None = None, status: int = 200):
    return render_template("password.html", purpose=purpose, token=token, account=account, error=error), status


def _link_error(purpose: str, err: links.LinkError):
    status = 410 if err.code in ("link.expired", "link.used") else 404
    return render_template("message.html", title="Ссылка не работает", message=err.message,
                           action=url_for("account.reset_request_form"), action_text="Восстановить пароль"), status


def _form_token(purpose: str, token: str):
    try:
        return links.peek(_sf(), current_app.config["SECRET_KEY"], token, purpose), None
    except links.LinkError as err:
        return None, _link_error(purpose, err)


def _set_password_from_link(purpose: str, token: str):
    account, failure = _form_token(purpose, token)
    if failure:
        return failure
    password, again = request.form.get("password") or "", request.form.get("password2") or ""
    if password != again:
        return _password_page(purpose, token, account, "Пароли не совпадают.", 400)
    try:
        check_policy(password, account.email)
    except WeakPassword as err:
        return _password_page(purpose, token, account, err.args[0], 400)
    name = (request.form.get("name") or "").strip()[:300]
    if purpose == "invite" and name and directory.name_taken(_sf(), name, account.id):
        return _password_page(purpose, token, account,
                              f"Имя «{name}» уже носит другая учётная запись; укажите своё (фамилию и инициалы).", 400)
    try:
        account = links.consume(_sf(), current_app.config["SECRET_KEY"], token, purpose)
    except links.LinkError as err:
        return _link_error(purpose, err)
    directory.set_password(_sf(), account.id, password)
    if purpose == "invite" and name:
        try:
            directory.rename(_sf(), account.id, name)
        except directory.AccountError:            # taken a moment ago: the account keeps the name it had
            pass
    _throttle().clear(Throttle.keys(account.email, "")[:1])
    sign_in(account.id, "link")
    return redirect(url_for("pages.dashboard"))


@bp.after_request
def _no_referrer(response):
    """A page opened by a one-time link never names it to the next request (a stylesheet's
    Referer would carry the secret into logs)."""
    if request.view_args and "token" in request.view_args:
        response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/invitation/<token>")
def invitation_form(token):
    account, failure = _form_token("invite", token)
    return failure or _password_page("invite", token, account)


@bp.post("/invitation/<token>")
def invitation(token):
    return _set_password_from_link("invite", token)


@bp.get("/reset")
def reset_request_form():
    return render_template("reset_request.html", sent=False, error=None, email="")


@bp.post("/reset")
def reset_request():
    """Counted per address asked about and per client address (Throttle, purpose "reset"),
    then handed to the job queue: the answer and the time it takes are the same for every
    address (invitations.reset_requested sends the letter, or not)."""
    email_text = (request.form.get("email") or "")[:1000]
    try:
        email = normalise(email_text)
    except BadEmail as err:
        return render_template("reset_request.html", sent=False, error=err.args[0], email=email_text[:254]), 400
    cfg = current_app.config
    throttle = Throttle(_sf(), int(cfg["LOGIN_LOCKOUT_FAILURES"]), int(cfg["LOGIN_LOCKOUT_MINUTES"]), purpose="reset")
    refusal = throttle.admit(Throttle.keys(email, request.remote_addr or "", purpose="reset"))
    if refusal is not None:
        return (render_template("reset_request.html", sent=False, error=refusal.message, email=email), 429,
                {"Retry-After": str(refusal.retry_after)})
    ws = current_app.extensions["workspace"]
    job, created = ws.enqueue("reset-mail", params={"email": email, "base": public_base(cfg)},
                              requested_by="восстановление пароля",
                              dedupe_key="reset-mail:" + hashlib.sha256(email.encode()).hexdigest()[:32])
    if created:
        current_app.extensions["tasks"].dispatch(job.id)
    return render_template("reset_request.html", sent=True, error=None, email=email)


@bp.get("/reset/<token>")
def reset_form(token):
    account, failure = _form_token("reset", token)
    return failure or _password_page("reset", token, account)


@bp.post("/reset/<token>")
def reset(token):
    return _set_password_from_link("reset", token)


# ---------------------------------------------------------------- the person's own page

@bp.get("/me")
def profile():
    me = current_user()
    ws = current_app.extensions["workspace"]
    from service.accounts.models import Account
    from service.desk.calendar_feed import has_feed

    with ws.sf() as s:
        account = s.get(Account, me.account_id)
        digest = bool(account.digest) if account is not None else False
    return render_template("profile.html", me=me, associations=ws.associations(me), via=g.get("auth_via"),
                           has_feed=has_feed(ws.sf, me.account_id), digest=digest)
