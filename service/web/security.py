"""What every response and request gets, wherever the service is reached from.

- Host check: the Host header must name the service — its public URL's host when
  `PUBLIC_URL` is set, and always the loopback names — so a page elsewhere cannot reach
  it by DNS rebinding.  `/hooks/*` is exempt: Google's push notifications authenticate
  by their channel token alone.
- Behind a reverse proxy (`PROXY_HOPS` > 0) werkzeug's ProxyFix takes the client's
  address and scheme from that many X-Forwarded-For/-Proto hops, and no more; the host is
  the Host header the proxy passes on, never X-Forwarded-Host.
- Cookies are `Secure` when the public URL is https (with HSTS), HttpOnly, SameSite=Lax.
- Headers on every response: a CSP without inline script (and no inline styles),
  frame-ancestors 'none', nosniff, Referrer-Policy, `no-store` on everything but static files
  (downloads included).
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, abort, request
from werkzeug.middleware.proxy_fix import ProxyFix

LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def public_host(public_url: str | None) -> str | None:
    if not public_url:
        return None
    return (urlsplit(public_url).hostname or "").lower() or None


def allowed_hosts(config) -> set[str]:
    hosts = set(LOOPBACK)
    host = public_host(config.get("PUBLIC_URL"))
    if host:
        hosts.add(host)
    return hosts


def _host_name(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def init_app(app: Flask) -> None:
    public_url = app.config.get("PUBLIC_URL") or ""
    secure = public_url.lower().startswith("https://")
    app.config["SESSION_COOKIE_NAME"] = "__Host-mo-docs" if secure else "mo-docs"
    app.config["SESSION_COOKIE_SECURE"] = secure
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    if public_url:
        parts = urlsplit(public_url)
        app.config["PREFERRED_URL_SCHEME"] = parts.scheme or "http"
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops > 0:
        # the Host header is the proxy's to pass (nginx: `Host $http_host`) and the Host check's to
        # judge: an X-Forwarded-Host is never trusted (a client's own would pass the check)
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0)
    hosts = allowed_hosts(app.config)

    @app.before_request
    def _check_host():
        if request.path.startswith("/hooks/"):
            return None
        if _host_name(request.host) not in hosts:
            abort(400, description="host")
        return None

    @app.after_request
    def _headers(response):
        h = response.headers
        h.setdefault("Content-Security-Policy", CSP)
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("Referrer-Policy", "same-origin")
        h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if secure:
            h.setdefault("Strict-Transport-Security", "max-age=31536000")
        if request.endpoint != "static":
            # every answer but a stylesheet is someone's data: a download too (send_file's own
            # «no-cache» lets a shared computer's browser keep a data bank or a workbook on disk)
            h["Cache-Control"] = "no-store"
            h.pop("Expires", None)
        return response
