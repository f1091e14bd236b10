"""A fake OpenID Connect provider for offline tests, signing real RS256 tokens: a real HTTP
server on a free 127.0.0.1 port serving the discovery document, the JWKS, Google-style PEM
certificates (`/oauth2/v1/certs`, what `google.oauth2.id_token.verify_token(certs_url=…)`
reads) and the token endpoint.

«Войти через Google» tests drive the authorization step themselves (`authorize()` plays
the person choosing an account); the Sheets add-on's tests use `id_token(claims)` to make
ID tokens exactly as Google's are shaped, valid or broken on purpose.
"""
from __future__ import annotations

import datetime as dt
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlsplit

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response


@dataclass
class _Grant:
    claims: dict
    nonce: str | None
    redirect_uri: str


@dataclass
class FakeProvider:
    client_id: str = "test-client.apps.googleusercontent.com"
    client_secret: str = "test-secret"
    issuer: str = ""
    kid: str = field(default_factory=lambda: secrets.token_hex(8))
    grants: dict = field(default_factory=dict)
    token_requests: list = field(default_factory=list)
    broken: bool = False                     # the token endpoint answers 500

    def __post_init__(self):
        from cryptography.hazmat.primitives.asymmetric import rsa

        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._server = make_server("127.0.0.1", 0, self._wsgi, threaded=True)
        self.port = self._server.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        self.issuer = self.issuer or self.url
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> "FakeProvider":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"

    @property
    def certs_url(self) -> str:
        return f"{self.url}/oauth2/v1/certs"

    # ---------------------------------------------------------------- keys and tokens

    def private_pem(self) -> bytes:
        from cryptography.hazmat.primitives import serialization

        return self._key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption())

    def jwks(self) -> dict:
        from cryptography.hazmat.primitives import serialization
        from joserfc.jwk import RSAKey

        public = self._key.public_key().public_bytes(serialization.Encoding.PEM,
                                                     serialization.PublicFormat.SubjectPublicKeyInfo)
        key = RSAKey.import_key(public).as_dict(private=False)
        return {"keys": [{**key, "kid": self.kid, "use": "sig", "alg": "RS256"}]}

    def certificate_pem(self) -> str:
        """A self-signed x509 certificate of the signing key, as Google's v1 certs endpoint gives."""
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.x509.oid import NameOID

        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fake-provider")])
        now = dt.datetime.now(dt.timezone.utc)
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(self._key.public_key())
                .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(hours=1))
                .not_valid_after(now + dt.timedelta(days=1)).sign(self._key, hashes.SHA256()))
        return cert.public_bytes(serialization.Encoding.PEM).decode()

    def claims(self, email: str, **extra) -> dict:
        now = int(time.time())
        return {"iss": self.issuer, "aud": self.client_id, "sub": str(abs(hash(email)) % 10 ** 20), "email": email,
                "email_verified": True, "iat": now, "exp": now + 3600, "azp": self.client_id, **extra}

    def id_token(self, claims: dict, key: bytes | None = None, kid: str | None = None, alg: str = "RS256") -> str:
        """Sign `claims` (anything: tests break them on purpose) with this provider's key or `key`."""
        from joserfc import jwt
        from joserfc.jwk import RSAKey

        return jwt.encode({"alg": alg, "kid": kid or self.kid, "typ": "JWT"}, claims,
                          RSAKey.import_key(key or self.private_pem()))

    # ---------------------------------------------------------------- the person at the provider

    def authorize(self, location: str, email: str, **claims) -> str:
        """The person signs in as `email` at the authorization URL the app redirected to;
        returns the callback path (with code and state) the provider sends the browser to."""
        query = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
        assert query["client_id"] == self.client_id and "openid" in query["scope"].split()
        code = secrets.token_urlsafe(16)
        self.grants[code] = _Grant(self.claims(email, **claims), query.get("nonce"), query["redirect_uri"])
        back = urlsplit(query["redirect_uri"])
        return f"{back.path}?{urlencode({'code': code, 'state': query['state']})}"

    # ---------------------------------------------------------------- HTTP

    def _wsgi(self, environ, start_response):
        request = Request(environ)
        if request.path == "/.well-known/openid-configuration":
            body = {"issuer": self.issuer, "authorization_endpoint": f"{self.url}/o/oauth2/v2/auth",
                    "token_endpoint": f"{self.url}/token", "jwks_uri": f"{self.url}/oauth2/v3/certs",
                    "userinfo_endpoint": f"{self.url}/userinfo", "response_types_supported": ["code"],
                    "subject_types_supported": ["public"], "id_token_signing_alg_values_supported": ["RS256"],
                    "scopes_supported": ["openid", "email", "profile"]}
            response = Response(json.dumps(body), mimetype="application/json")
        elif request.path == "/oauth2/v3/certs":
            response = Response(json.dumps(self.jwks()), mimetype="application/json")
        elif request.path == "/oauth2/v1/certs":
            response = Response(json.dumps({self.kid: self.certificate_pem()}), mimetype="application/json")
        elif request.path == "/token" and request.method == "POST":
            response = self._token(request)
        else:
            response = Response("not found", status=404)
        return response(environ, start_response)

    def _token(self, request: Request) -> Response:
        self.token_requests.append(dict(request.form))
        if self.broken:
            return Response("upstream trouble", status=500)
        grant = self.grants.pop(request.form.get("code", ""), None)
        client_ok = (request.form.get("client_id") == self.client_id
                     or (request.authorization and request.authorization.username == self.client_id))
        if grant is None or not client_ok or request.form.get("redirect_uri") != grant.redirect_uri:
            return Response(json.dumps({"error": "invalid_grant"}), status=400, mimetype="application/json")
        claims = dict(grant.claims)
        if grant.nonce and "nonce" not in claims:
            claims["nonce"] = grant.nonce
        claims = {k: v for k, v in claims.items() if v is not None}
        body = {"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "expires_in": 3599,
                "scope": "openid email profile", "id_token": self.id_token(claims)}
        return Response(json.dumps(body), mimetype="application/json")
