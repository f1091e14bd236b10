"""Google ID tokens as the Sheets add-on sends them, signed with real RS256 keys by a fake
provider that serves its certificates in Google's format on 127.0.0.1: every check the
verifier owes (signature, algorithm, audience, issuer, expiry with skew, verified e-mail,
hosted domain) refuses what it must, and certificates are fetched once, not per request."""
from __future__ import annotations

import base64
import json
import time

import pytest

from service.accounts.google_id_tokens import (
    CachedCerts, DOMAIN, EXPIRED, GoogleIdTokenVerifier, IdTokenError, INVALID, UNAVAILABLE, UNVERIFIED,
)
from tests.support.oidc_provider import FakeProvider

GOOGLE = "https://accounts.google.com"


@pytest.fixture(scope="module")
def google():
    """A provider that calls itself Google (the add-on's tokens come from Google); one per
    module (stopping its server takes half a second)."""
    p = FakeProvider(client_id="addon-client.apps.googleusercontent.com", issuer=GOOGLE).start()
    yield p
    p.stop()


class Counting:
    """The real transport, counting the certificate fetches."""

    def __init__(self):
        import requests
        from google.auth.transport.requests import Request

        self.inner = Request(requests.Session())
        self.urls = []

    def __call__(self, url, **kwargs):
        self.urls.append(url)
        return self.inner(url, **kwargs)


def verifier(provider, transport=None, **options):
    return GoogleIdTokenVerifier(provider.client_id, certs_url=provider.certs_url, transport=transport, **options)


def test_a_token_google_signed_for_the_addon_names_its_person(google):
    token = google.id_token(google.claims("Belova@Zdvinsk-Edu.ru", hd="zdvinsk-edu.ru"))
    who = verifier(google).verify(token)
    assert (who.email, who.hosted_domain) == ("Belova@Zdvinsk-Edu.ru", "zdvinsk-edu.ru")
    assert who.subject


def test_the_short_issuer_spelling_is_googles_too(google):
    assert verifier(google).verify(google.id_token(google.claims("a@b.ru", iss="accounts.google.com"))).email == "a@b.ru"


@pytest.mark.parametrize("claims, code, words", [
    ({"aud": "some-other-app.apps.googleusercontent.com"}, INVALID, "для другого приложения"),
    ({"aud": None}, INVALID, "для другого приложения"),
    ({"iss": "https://evil.example"}, INVALID, "не Google"),
    ({"exp": int(time.time()) - 600, "iat": int(time.time()) - 4200}, EXPIRED, "устарело"),
    ({"iat": int(time.time()) + 3600, "exp": int(time.time()) + 7200}, INVALID, "не прошло проверку"),
    ({"email_verified": False}, UNVERIFIED, "не подтверждён"),
    ({"email_verified": "true"}, UNVERIFIED, "не подтверждён"),
    ({"email": None}, INVALID, "адрес электронной почты"),
])
def test_a_token_that_fails_one_check_is_refused(google, claims, code, words):
    token = google.id_token({k: v for k, v in {**google.claims("h@mo.example"), **claims}.items() if v is not None})
    with pytest.raises(IdTokenError) as refused:
        verifier(google).verify(token)
    assert (refused.value.code, refused.value.status) == (code, 401)
    assert words in refused.value.message


def test_a_small_clock_skew_is_forgiven_a_large_one_is_not(google):
    now = int(time.time())
    v = verifier(google, clock_skew=60)
    assert v.verify(google.id_token(google.claims("h@mo.example", exp=now - 20, iat=now - 3620))).email
    with pytest.raises(IdTokenError) as refused:
        v.verify(google.id_token(google.claims("h@mo.example", exp=now - 120, iat=now - 3720)))
    assert refused.value.code == EXPIRED


def test_a_token_signed_by_another_key_under_googles_key_id_is_refused(google):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    with pytest.raises(IdTokenError) as refused:
        verifier(google).verify(google.id_token(google.claims("h@mo.example"), key=other))
    assert refused.value.code == INVALID


def _b64(data: dict | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.mark.parametrize("header", [{"alg": "none", "typ": "JWT"}, {"alg": "HS256", "typ": "JWT"},
                                    {"alg": "ES256", "typ": "JWT"}])
def test_a_token_may_not_choose_its_own_algorithm(google, header):
    token = f"{_b64({**header, 'kid': google.kid})}.{_b64(google.claims('h@mo.example'))}.{_b64(b'sig')}"
    with pytest.raises(IdTokenError) as refused:
        verifier(google).verify(token)
    assert refused.value.code == INVALID and "RS256" in refused.value.message


@pytest.mark.parametrize("token", ["", "abc", "a.b.c", "a.b", "x" * 9000, "…..", "eyJ.eyJ.sig", None, 42])
def test_garbage_is_refused_with_a_sentence_never_an_exception(google, token):
    with pytest.raises(IdTokenError) as refused:
        verifier(google).verify(token)
    assert refused.value.status == 401 and refused.value.message


def test_the_hosted_domain_allow_list(google):
    v = verifier(google, hosted_domains=["Zdvinsk-Edu.ru", " school.ru "])
    assert v.verify(google.id_token(google.claims("a@zdvinsk-edu.ru", hd="zdvinsk-edu.ru"))).email
    for claims in ({"hd": "evil.ru"}, {}):
        with pytest.raises(IdTokenError) as refused:
            v.verify(google.id_token(google.claims("a@gmail.com", **claims)))
        assert refused.value.code == DOMAIN and "school.ru, zdvinsk-edu.ru" in refused.value.message


def test_certificates_are_fetched_once_and_again_for_a_new_key(google):
    transport = Counting()
    v = verifier(google, transport=transport)
    for _ in range(5):
        v.verify(google.id_token(google.claims("h@mo.example")))
    assert transport.urls == [google.certs_url]
    # Google rotates its keys: a token under a key id we have not seen fetches once more
    v.certs._cached = (v.certs._cached[0], v.certs._cached[1], v.certs._cached[2] - 120, v.certs._cached[3])
    kid, google.kid = google.kid, "rotated-key"
    try:
        v.verify(google.id_token(google.claims("h@mo.example")))
    finally:
        google.kid = kid
    assert len(transport.urls) == 2
    # …but a stream of tokens with made-up key ids does not make the service fetch each time
    for made_up in ("x1", "x2", "x3"):
        with pytest.raises(IdTokenError):
            v.verify(google.id_token(google.claims("h@mo.example"), kid=made_up))
    assert len(transport.urls) == 2


def test_unreachable_certificates_are_503_not_a_refusal_of_the_person(google):
    v = GoogleIdTokenVerifier(google.client_id, certs_url="http://127.0.0.1:9/certs")
    with pytest.raises(IdTokenError) as refused:
        v.verify(google.id_token(google.claims("h@mo.example")))
    assert (refused.value.code, refused.value.status) == (UNAVAILABLE, 503)
    broken = GoogleIdTokenVerifier(google.client_id, certs_url=google.url + "/.well-known/openid-configuration")
    with pytest.raises(IdTokenError) as refused:
        broken.verify(google.id_token(google.claims("h@mo.example")))
    assert refused.value.status in (401, 503)


def test_the_cache_follows_cache_control():
    class Answer:
        def __init__(self, max_age):
            self.status, self.headers, self.data = 200, {"Cache-Control": f"public, max-age={max_age}"}, b"{}"

    now = [0.0]
    fetched = []

    def fetch(url, **kw):
        fetched.append(url)
        return Answer(100)

    certs = CachedCerts(fetch, clock=lambda: now[0])
    certs("u")
    now[0] = 99
    certs("u")
    assert len(fetched) == 1
    now[0] = 101
    certs("u")
    assert len(fetched) == 2
