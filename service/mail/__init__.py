"""The one way the service sends mail: `send(settings, to, subject, text, html=None)`.

Transports (setting MAIL_URL):
- unset: an outbox folder of .eml files in the instance (`make run` needs no mail server;
  each file is written whole, 0600, then renamed into place);
- `smtp://[user:password@]host[:587]`: STARTTLS, required (a server that does not offer
  it is refused rather than sent the password in clear);
- `smtps://[user:password@]host[:465]`: TLS from the first byte;
- `smtp+plain://host[:25]`: no encryption, for a relay on the same machine.
Certificates are verified against the system's CAs plus MAIL_CA_FILE.
"""
from __future__ import annotations

import datetime as dt
import os
import smtplib
import socket
import ssl
import uuid
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from urllib.parse import unquote, urlsplit


class MailError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def sender(settings) -> str:
    if settings.get("MAIL_FROM"):
        return settings["MAIL_FROM"]
    host = urlsplit(settings.get("PUBLIC_URL") or "").hostname or "localhost"
    return f"mo-docs@{host}"


def build(settings, to: str, subject: str, text: str, html: str | None = None) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender(settings)
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(dt.datetime.now(dt.timezone.utc))
    msg["Message-ID"] = make_msgid(domain=sender(settings).rpartition("@")[2] or "localhost")
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(text)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    return msg


def send(settings, to: str, subject: str, text: str, html: str | None = None) -> str:
    """Send one message to one recipient; returns where it went (the .eml path, or
    `smtp://host`).  Raises MailError with a Russian message when it could not be sent."""
    msg = build(settings, to, subject, text, html)
    url = settings.get("MAIL_URL")
    if not url:
        return str(write_outbox(Path(settings["OUTBOX_DIR"]), msg))
    return send_smtp(url, msg, ca_file=settings.get("MAIL_CA_FILE"),
                     timeout=float(settings.get("MAIL_TIMEOUT_SECONDS") or 20))


def write_outbox(folder: Path, msg: EmailMessage) -> Path:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d-%H%M%S")
    target = folder / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
    tmp = folder / f".{target.name}.part"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(msg.as_bytes())
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
    return target


def _context(ca_file: str | None) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    return context


def send_smtp(url: str, msg: EmailMessage, ca_file: str | None = None, timeout: float = 20) -> str:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("smtp", "smtps", "smtp+plain") or not parts.hostname:
        raise MailError("mail.config", "MO_DOCS_MAIL_URL: ожидается smtp://, smtps:// или smtp+plain://хост.")
    host = parts.hostname
    port = parts.port or {"smtp": 587, "smtps": 465, "smtp+plain": 25}[scheme]
    where = f"{scheme}://{host}:{port}"
    try:
        if scheme == "smtps":
            client = smtplib.SMTP_SSL(host, port, timeout=timeout, context=_context(ca_file))
        else:
            client = smtplib.SMTP(host, port, timeout=timeout)
        with client:
            client.ehlo()
            if scheme == "smtp":
                if not client.has_extn("starttls"):
                    raise MailError("mail.no_starttls", f"Почтовый сервер {host} не предлагает STARTTLS: письмо не "
                                                        "отправлено (пароль не передаётся открытым текстом).")
                client.starttls(context=_context(ca_file))
                client.ehlo()
            if parts.username:
                client.login(unquote(parts.username), unquote(parts.password or ""))
            client.send_message(msg)
    except MailError:
        raise
    except UnicodeEncodeError:
        raise MailError("mail.config", "Имя пользователя и пароль почтового сервера должны состоять из латинских букв, "
                                       "цифр и знаков: так требует протокол SMTP (MO_DOCS_MAIL_URL).")
    except smtplib.SMTPAuthenticationError:
        raise MailError("mail.auth", f"Почтовый сервер {host} не принял имя пользователя или пароль.")
    except ssl.SSLError as err:
        raise MailError("mail.tls", f"Не удалось установить защищённое соединение с {host}: {err.reason or err}.")
    except smtplib.SMTPRecipientsRefused:
        raise MailError("mail.refused", f"Почтовый сервер {host} отказался принять письмо для {msg['To']}.")
    except (smtplib.SMTPException, OSError, socket.timeout) as err:
        raise MailError("mail.unreachable", f"Почтовый сервер {host}:{port} недоступен или прервал соединение "
                                            f"({err.__class__.__name__}).")
    return where
