"""The mail module against a real SMTP server (aiosmtpd on a free 127.0.0.1 port):
STARTTLS with a throwaway certificate and a login, implicit TLS, a server without
STARTTLS (refused, the password never sent in clear), a wrong password; and the outbox."""
from __future__ import annotations

import email
import email.policy
import ssl
import stat
import time

import pytest

from service.mail import MailError, send
from tests.support.certs import make_certs

aiosmtpd = pytest.importorskip("aiosmtpd")

USER, PASSWORD = "mo-docs", "smtp-p@ss:word/1"


class Inbox:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.logins: list[str] = []

    async def handle_DATA(self, server, session, envelope):            # noqa: N802 — aiosmtpd's hook name
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=email.policy.default))
        return "250 OK"


def _authenticator(inbox):
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def check(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == USER \
            and auth_data.password.decode() == PASSWORD
        inbox.logins.append(auth_data.login.decode() if isinstance(auth_data, LoginPassword) else "?")
        return AuthResult(success=ok, handled=False)                   # handled=False: answer 535
    return check


@pytest.fixture
def certs(tmp_path):
    return make_certs(tmp_path / "tls")


@pytest.fixture
def smtp_server(certs):
    """start(mode) -> (inbox, port); mode: starttls | ssl | plain."""
    from aiosmtpd.controller import Controller

    controllers = []

    def start(mode: str):
        inbox = Inbox()
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(certs.cert), str(certs.key))
        import socket
        with socket.socket() as probe:                   # aiosmtpd connects to its port to know it is up
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        kwargs = {"hostname": "127.0.0.1", "port": port, "authenticator": _authenticator(inbox),
                  "auth_exclude_mechanism": ["LOGIN"]}       # PLAIN, as most providers; aiosmtpd's LOGIN stalls on a failure
        if mode == "starttls":
            kwargs.update(tls_context=context, require_starttls=True, auth_require_tls=True)
        elif mode == "ssl":
            kwargs.update(ssl_context=context, auth_require_tls=False)
        else:
            kwargs.update(auth_require_tls=False)
        controller = Controller(inbox, **kwargs)
        controller.start()
        controllers.append(controller)
        return inbox, port

    yield start
    for c in controllers:
        c.stop()


def settings(tmp_path, url=None, ca=None):
    return {"MAIL_URL": url, "MAIL_FROM": "МО-документы <mo-docs@mo.example>", "MAIL_CA_FILE": ca,
            "MAIL_TIMEOUT_SECONDS": 10, "OUTBOX_DIR": str(tmp_path / "outbox"), "PUBLIC_URL": None}


def test_starttls_with_a_login_delivers_text_and_html(smtp_server, certs, tmp_path):
    inbox, port = smtp_server("starttls")
    quoted = PASSWORD.replace("@", "%40").replace(":", "%3A").replace("/", "%2F")       # as typed in a URL
    where = send(settings(tmp_path, f"smtp://{USER}:{quoted}@127.0.0.1:{port}", str(certs.ca)),
                 "Белова@mo.example", "Еженедельная сводка МО", "Текст письма.\n", "<p>Текст <b>письма</b>.</p>")
    assert where == f"smtp://127.0.0.1:{port}"
    [msg] = inbox.messages
    assert inbox.logins == [USER]
    assert msg["Subject"] == "Еженедельная сводка МО" and msg["To"] == "Белова@mo.example"
    assert msg.get_body(("plain",)).get_content().strip() == "Текст письма."
    assert "<b>письма</b>" in msg.get_body(("html",)).get_content()


def test_implicit_tls(smtp_server, certs, tmp_path):
    inbox, port = smtp_server("ssl")
    quoted = PASSWORD.replace("@", "%40").replace(":", "%3A").replace("/", "%2F")
    send(settings(tmp_path, f"smtps://{USER}:{quoted}@127.0.0.1:{port}", str(certs.ca)), "a@mo.example", "Тема", "Тело")
    assert len(inbox.messages) == 1


def test_an_unknown_certificate_is_refused(smtp_server, tmp_path):
    inbox, port = smtp_server("starttls")
    with pytest.raises(MailError) as err:
        send(settings(tmp_path, f"smtp://{USER}:x@127.0.0.1:{port}"), "a@mo.example", "Тема", "Тело")
    assert err.value.code == "mail.tls" and inbox.messages == [] and inbox.logins == []


def test_a_server_without_starttls_never_gets_the_password(smtp_server, tmp_path):
    inbox, port = smtp_server("plain")
    with pytest.raises(MailError) as err:
        send(settings(tmp_path, f"smtp://{USER}:x@127.0.0.1:{port}"), "a@mo.example", "Тема", "Тело")
    assert err.value.code == "mail.no_starttls" and "STARTTLS" in err.value.message
    assert inbox.logins == [] and inbox.messages == []
    send(settings(tmp_path, f"smtp+plain://127.0.0.1:{port}"), "a@mo.example", "Тема", "Тело")   # a local relay
    assert len(inbox.messages) == 1


def test_a_wrong_password_or_no_server_is_a_russian_message(smtp_server, certs, tmp_path):
    inbox, port = smtp_server("starttls")
    with pytest.raises(MailError) as err:
        send(settings(tmp_path, f"smtp://{USER}:wrong@127.0.0.1:{port}", str(certs.ca)), "a@mo.example", "Т", "Т")
    assert err.value.code == "mail.auth" and "не принял" in err.value.message
    with pytest.raises(MailError) as err:
        send(settings(tmp_path, f"smtp://{USER}:пароль@127.0.0.1:{port}", str(certs.ca)), "a@mo.example", "Т", "Т")
    assert err.value.code == "mail.config" and "латинских" in err.value.message
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    started = time.monotonic()
    with pytest.raises(MailError) as err:
        send(settings(tmp_path, f"smtp://127.0.0.1:{closed}"), "a@mo.example", "Т", "Т")
    assert err.value.code == "mail.unreachable" and "недоступен" in err.value.message
    assert time.monotonic() - started < 10


def test_without_a_mail_server_messages_go_to_the_outbox_0600(tmp_path):
    path = send(settings(tmp_path), "a@mo.example", "Приглашение", "Ссылка: http://x/invitation/abc")
    from pathlib import Path
    p = Path(path)
    assert p.parent == tmp_path / "outbox" and p.suffix == ".eml"
    assert stat.S_IMODE(p.stat().st_mode) == 0o600 and stat.S_IMODE(p.parent.stat().st_mode) == 0o700
    msg = email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
    assert msg["Subject"] == "Приглашение" and "invitation/abc" in msg.get_content()
    assert list(p.parent.glob(".*.part")) == []
