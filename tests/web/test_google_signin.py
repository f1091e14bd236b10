"""«Войти через Google» (OpenID Connect, authlib) against a fake provider that signs real
RS256 tokens, served on 127.0.0.1: the token's signature, issuer, audience, expiry and
nonce are checked, the e-mail must be verified and belong to an active account."""
from __future__ import annotations

import time

import pytest

from service.accounts import directory
from tests.accounts.factories import make_account
from tests.support.oidc_provider import FakeProvider


@pytest.fixture
def provider():
    p = FakeProvider().start()
    yield p
    p.stop()


@pytest.fixture
def google_app(make_app, provider):
    return make_app(GOOGLE_SIGNIN_CLIENT_ID=provider.client_id, GOOGLE_SIGNIN_CLIENT_SECRET=provider.client_secret,
                    GOOGLE_SIGNIN_METADATA_URL=provider.metadata_url)


def sign_in_with_google(client, provider, email: str, **claims):
    start = client.get("/login/google?next=/archive")
    assert start.status_code == 302 and start.headers["Location"].startswith(provider.url)
    return client.get(provider.authorize(start.headers["Location"], email, **claims))


def test_a_known_verified_address_signs_in(google_app, provider):
    ws = google_app.extensions["workspace"]
    make_account(ws.sf, "curator", email="kurator@mo.example", territories=["Здвинский район"], name="Куратор Здвинска")
    client = google_app.test_client()
    assert "Войти через Google" in client.get("/login").get_data(as_text=True)
    r = sign_in_with_google(client, provider, "Kurator@Mo.Example")
    assert r.status_code == 302 and r.headers["Location"] == "/archive"
    assert "Куратор Здвинска" in client.get("/").get_data(as_text=True)
    [request] = provider.token_requests
    assert request["grant_type"] == "authorization_code"


@pytest.mark.parametrize("claims, status, words", [
    ({"email_verified": False}, 401, "не подтверждён"),
    ({"aud": "another-app.apps.googleusercontent.com"}, 401, "Google не подтвердил вход"),
    ({"exp": int(time.time()) - 600, "iat": int(time.time()) - 4200}, 401, "Google не подтвердил вход"),
    ({"iss": "https://evil.example"}, 401, "Google не подтвердил вход"),
    ({"nonce": "not-the-nonce"}, 401, "Google не подтвердил вход"),
])
def test_a_token_that_does_not_verify_signs_nobody_in(google_app, provider, claims, status, words):
    make_account(google_app.extensions["workspace"].sf, "head", email="h@mo.example")
    client = google_app.test_client()
    r = sign_in_with_google(client, provider, "h@mo.example", **claims)
    assert r.status_code == status and words in r.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_an_unknown_or_deactivated_address_is_told_to_ask_for_an_invitation(google_app, provider):
    client = google_app.test_client()
    r = sign_in_with_google(client, provider, "stranger@mo.example")
    assert r.status_code == 403 and "нет учётной записи" in r.get_data(as_text=True)
    account = make_account(google_app.extensions["workspace"].sf, "head", email="gone@mo.example")
    directory.set_active(google_app.extensions["workspace"].sf, account.id, False)
    assert sign_in_with_google(client, provider, "gone@mo.example").status_code == 403


def test_a_forged_state_or_a_provider_down_changes_nothing(google_app, provider):
    make_account(google_app.extensions["workspace"].sf, "head", email="h@mo.example")
    client = google_app.test_client()
    start = client.get("/login/google")
    back = provider.authorize(start.headers["Location"], "h@mo.example")
    r = client.get(back.replace("state=", "state=forged"))
    assert r.status_code == 401 and client.get("/").status_code == 302
    provider.broken = True
    start = client.get("/login/google")
    r = client.get(provider.authorize(start.headers["Location"], "h@mo.example"))
    assert r.status_code == 401 and client.get("/").status_code == 302
    r = google_app.test_client().get("/login/google/callback?code=x&state=y")
    assert r.status_code == 401


def test_without_settings_there_is_no_google_button(anonymous):
    assert "Войти через Google" not in anonymous.get("/login").get_data(as_text=True)
    assert anonymous.get("/login/google").status_code == 404


def test_the_provider_serves_google_style_certificates_for_the_add_on(provider):
    """The add-on verifies ID tokens with google-auth and a certificates URL: the same fake works."""
    import google.auth.transport.requests
    from google.oauth2 import id_token

    token = provider.id_token(provider.claims("h@mo.example"))
    claims = id_token.verify_token(token, google.auth.transport.requests.Request(), audience=provider.client_id,
                                   certs_url=provider.certs_url)
    assert claims["email"] == "h@mo.example"
    with pytest.raises(ValueError):
        id_token.verify_token(token, google.auth.transport.requests.Request(), audience="someone-else",
                              certs_url=provider.certs_url)
