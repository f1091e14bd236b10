"""What every response carries wherever the service is reached from: CSP without inline
script, frame-ancestors 'none', nosniff, Referrer-Policy; the Host check (public URL,
loopback, hooks exempt); secure cookies and the client's address behind a proxy."""
from __future__ import annotations

import re

from tests.accounts.factories import signed_in_client
from tests.factories import association
from tests.web.helpers import add, upload


def test_every_page_has_the_security_headers_and_no_inline_script(client, ws, tmp_path):
    a = add(ws, tmp_path, association())
    pages = ["/", f"/a/{a.slug}", f"/a/{a.slug}/members", f"/a/{a.slug}/workbooks", f"/a/{a.slug}/people",
             "/upload", "/archive", "/admin/accounts", "/me", "/a/nobody", "/api/v1/associations"]
    for url in pages:
        r = client.get(url)
        csp = r.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp, url
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["Referrer-Policy"] == "same-origin" and r.headers["X-Frame-Options"] == "DENY"
        assert "Strict-Transport-Security" not in r.headers                          # plain http here
        html = r.get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url               # no inline script
        assert not re.search(r"\son[a-z]+\s*=", html), url                             # no inline handlers
        assert "javascript:" not in html and ' style="' not in html, url


def test_the_sign_in_page_is_also_covered(anonymous):
    r = anonymous.get("/login")
    assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
    assert r.headers["Cache-Control"] == "no-store"


def test_downloads_are_never_stored_by_the_browser(app, client, ws, tmp_path):
    """send_file's «no-cache» (with ETag and Last-Modified) let a shared computer's browser
    keep the personal data bank and every workbook version (with birth dates and phones)."""
    upload(client, association("zdvinsky-mmo").save(tmp_path / "b.xlsx").read_bytes())
    [a] = ws.associations()
    r = client.post(f"/api/v1/associations/{a.slug}/documents", json={"kind": "data-bank", "personal": True})
    assert r.status_code == 202 and r.get_json()["job"]["state"] == "done"
    [bank] = [d for d in ws.documents(a) if d.number.endswith("personal")]
    [version] = ws.workbook_versions(a.id)
    for url in (f"/a/{a.slug}/documents/{bank.id}", f"/a/{a.slug}/workbooks/{version.id}", "/blank.xlsx"):
        r = client.get(url)
        assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store", (url, r.headers)
    assert app.test_client().get("/static/style.css").headers.get("Cache-Control") != "no-store"


def test_hosts_come_from_the_public_url(make_app):
    app = make_app(PUBLIC_URL="https://mo.example.ru")
    assert signed_in_client(app).get("/", headers={"Host": "evil.example"}).status_code == 400
    client = app.test_client()
    assert client.get("/login", headers={"Host": "mo.example.ru"}).status_code == 200
    assert client.get("/login", headers={"Host": "localhost:8000"}).status_code == 200  # the machine itself
    r = client.post("/hooks/drive", headers={"Host": "hooks.example"})              # Google's own Host header
    assert r.status_code != 400 or r.data == b""                                    # not refused by the Host check
    r = client.get("/login", headers={"Host": "mo.example.ru"})
    assert r.headers["Strict-Transport-Security"].startswith("max-age=")
    assert app.config["SESSION_COOKIE_SECURE"] is True and app.config["SESSION_COOKIE_NAME"].startswith("__Host-")


def test_hooks_are_exempt_from_the_host_check_and_authenticate_by_channel_token(make_app):
    app = make_app()
    r = app.test_client().post("/hooks/drive", headers={"Host": "push.googleapis.example"})
    assert r.status_code == 404                                  # Google is off here: unknown, not «bad host»


def test_behind_one_proxy_the_forwarded_address_and_scheme_are_used(make_app):
    app = make_app(PUBLIC_URL="https://mo.example.ru", PROXY_HOPS=1)
    client = app.test_client()
    headers = {"Host": "127.0.0.1:8000", "X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https",
               "X-Forwarded-Host": "mo.example.ru"}
    r = client.get("/", headers=headers)
    assert r.status_code == 302 and r.headers["Location"].startswith("/login")
    spoofed = {**headers, "X-Forwarded-For": "198.51.100.1, 203.0.113.7"}
    seen = []
    app.before_request_funcs.setdefault(None, []).insert(0, lambda: seen.append(__import__("flask").request.remote_addr))
    client.get("/login", headers=spoofed)
    assert seen == ["203.0.113.7"]                               # only the one trusted hop counts


def test_a_forwarded_host_never_passes_the_host_check(make_app):
    """ProxyFix trusted X-Forwarded-Host, which nginx passes on from the client: «Host:
    rebind.evil» with «X-Forwarded-Host: localhost» was 200 (DNS rebinding again)."""
    app = make_app(PUBLIC_URL="https://mo.example.ru", PROXY_HOPS=1)
    client = app.test_client()
    for forwarded in ("localhost", "mo.example.ru", "127.0.0.1:8000"):
        r = client.get("/login", headers={"Host": "rebind.evil", "X-Forwarded-Host": forwarded,
                                          "X-Forwarded-Proto": "https", "X-Forwarded-Port": "443"})
        assert r.status_code == 400, forwarded
    assert client.get("/login", headers={"Host": "mo.example.ru", "X-Forwarded-Host": "rebind.evil"}).status_code == 200


def test_a_bad_public_url_stops_the_start(make_app):
    import pytest
    from service.settings import SettingsError
    for bad in ("mo.example.ru", "ftp://mo.example.ru", "https://mo.example.ru/mo-docs", "https://user@mo.example.ru"):
        with pytest.raises(SettingsError) as err:
            make_app(PUBLIC_URL=bad)
        assert "MO_DOCS_PUBLIC_URL" in str(err.value)
