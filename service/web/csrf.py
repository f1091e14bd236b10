"""CSRF protection for forms: a per-session token in every form, checked on every
unsafe request that is not JSON.  The JSON API needs `Content-Type: application/json`,
which a cross-site form cannot send without a CORS preflight (we allow none)."""
from __future__ import annotations

import hmac
import secrets

from flask import Flask, abort, request, session

FIELD = "csrf_token"


def token() -> str:
    if FIELD not in session:
        session[FIELD] = secrets.token_urlsafe(32)
    return session[FIELD]


def init_app(app: Flask) -> None:
    app.jinja_env.globals["csrf_token"] = token

    @app.before_request
    def _check():
        if request.method in ("GET", "HEAD", "OPTIONS") or request.path.startswith("/hooks/"):
            return                                # hooks authenticate by their own channel token
        if request.url_rule is None:
            return                                # 404/405 come from routing, not from this check
        if request.path.startswith("/api/"):
            if not request.is_json:
                abort(415)
            return
        sent = request.form.get(FIELD) or request.headers.get("X-CSRF-Token") or ""
        expected = session.get(FIELD, "")
        if not sent or not hmac.compare_digest(sent.encode("utf-8"), expected.encode("utf-8")):
            abort(400, description="csrf")
