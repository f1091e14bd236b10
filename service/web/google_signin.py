"""«Войти через Google»: OpenID Connect with authlib, shown only when
GOOGLE_SIGNIN_CLIENT_ID is set.  The provider's discovery document, keys and token
endpoint come from GOOGLE_SIGNIN_METADATA_URL (Google's by default; tests serve a fake
provider that signs real RS256 tokens).  authlib checks the ID token's signature,
issuer, audience, expiry and nonce; we also require `email_verified`.  Google only
says who the person is: the account (and so the role and scope) must already exist."""
from __future__ import annotations

from flask import Flask, current_app, url_for

from service.web.links import public_base

NAME = "google"


class GoogleSignInError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def enabled(app: Flask | None = None) -> bool:
    app = app or current_app
    return bool(app.config.get("GOOGLE_SIGNIN_CLIENT_ID"))


def init_app(app: Flask) -> None:
    if not enabled(app):
        return
    from authlib.integrations.flask_client import OAuth

    oauth = OAuth(app)
    oauth.register(NAME, client_id=app.config["GOOGLE_SIGNIN_CLIENT_ID"],
                   client_secret=app.config.get("GOOGLE_SIGNIN_CLIENT_SECRET") or "",
                   server_metadata_url=app.config["GOOGLE_SIGNIN_METADATA_URL"],
                   client_kwargs={"scope": "openid email profile", "timeout": 10})
    app.extensions["google_signin"] = oauth


def _client():
    return current_app.extensions["google_signin"].create_client(NAME)


def start():
    """The redirect to the provider (state and nonce kept in the session by authlib)."""
    redirect_uri = public_base(current_app.config) + url_for("account.google_callback")
    return _client().authorize_redirect(redirect_uri)


def finish() -> str:
    """The verified e-mail of the person the provider sent back, or GoogleSignInError."""
    from authlib.common.errors import AuthlibBaseError
    from joserfc.errors import JoseError
    from requests import RequestException

    client = _client()
    try:
        issuer = client.load_server_metadata().get("issuer")
        # authlib checks only the issuer unless told: the audience must be this service
        options = {"iss": {"essential": True, "values": [issuer]},
                   "aud": {"essential": True, "values": [current_app.config["GOOGLE_SIGNIN_CLIENT_ID"]]}}
        token = client.authorize_access_token(claims_options=options)
    except (AuthlibBaseError, JoseError) as err:
        raise GoogleSignInError("google.signin_failed", "Google не подтвердил вход "
                                                        f"({getattr(err, 'error', '') or 'ответ не прошёл проверку'}). "
                                                        "Попробуйте ещё раз.")
    except (RequestException, ValueError) as err:
        raise GoogleSignInError("google.unreachable", "Не удалось связаться с Google для проверки входа "
                                                      f"({err.__class__.__name__}). Попробуйте позже.")
    claims = token.get("userinfo") or {}
    email = claims.get("email")
    if not email:
        raise GoogleSignInError("google.no_email", "Google не сообщил адрес электронной почты.")
    if claims.get("email_verified") is not True:
        raise GoogleSignInError("google.email_unverified", f"Адрес {email} не подтверждён в Google: войдите по паролю.")
    return email
