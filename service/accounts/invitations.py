"""Invitations and password resets: make the one-time link and send it by e-mail.  Shared
by the admin pages, a head's page of their association's people, the reset form (through
the job queue: `reset_requested`) and `mo-docs users add`."""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from service.accounts import links
from service.accounts.emails import BadEmail, normalise
from service.accounts.models import ROLE_TITLES
from service.mail import MailError, send

log = logging.getLogger("mo-docs.accounts")


@dataclass(frozen=True)
class Sent:
    url: str
    delivered: str | None           # where the mail went, or None
    error: str | None               # why it was not sent (Russian), or None


def invitation_url(settings, sf, account, created_by: str, base: str) -> str:
    token = links.make(sf, settings["SECRET_KEY"], account.id, "invite",
                       dt.timedelta(days=int(settings["INVITATION_DAYS"])), created_by)
    return f"{base}/invitation/{token}"


def reset_url(settings, sf, account, base: str) -> str:
    token = links.make(sf, settings["SECRET_KEY"], account.id, "reset",
                       dt.timedelta(minutes=int(settings["RESET_MINUTES"])), "восстановление пароля")
    return f"{base}/reset/{token}"


def _deliver(settings, to: str, subject: str, text: str) -> tuple[str | None, str | None]:
    try:
        return send(settings, to, subject, text), None
    except MailError as err:
        return None, err.message


def invite(settings, sf, account, created_by: str, base: str) -> Sent:
    url = invitation_url(settings, sf, account, created_by, base)
    days = int(settings["INVITATION_DAYS"])
    text = (f"Здравствуйте{', ' + account.name if account.name else ''}!\n\n"
            f"{created_by} приглашает вас в службу документов методических объединений "
            f"(роль: {ROLE_TITLES.get(account.role, account.role)}).\n\n"
            f"Чтобы задать пароль и войти, откройте ссылку (она действует {days} дн. и только один раз):\n{url}\n\n"
            f"Ваш адрес для входа: {account.email}\n\nЕсли вы не ждали этого письма, просто удалите его.\n")
    delivered, error = _deliver(settings, account.email, "Приглашение в службу документов МО", text)
    return Sent(url, delivered, error)


def reset(settings, sf, account, base: str) -> Sent:
    url = reset_url(settings, sf, account, base)
    minutes = int(settings["RESET_MINUTES"])
    text = (f"Здравствуйте{', ' + account.name if account.name else ''}!\n\n"
            f"Для вашей учётной записи {account.email} запрошено восстановление пароля.\n"
            f"Чтобы задать новый пароль, откройте ссылку (она действует {minutes} мин. и только один раз):\n{url}\n\n"
            "Если вы не запрашивали восстановление, ничего не делайте: пароль останется прежним.\n")
    delivered, error = _deliver(settings, account.email, "Восстановление пароля в службе документов МО", text)
    return Sent(url, delivered, error)


RESEND = dt.timedelta(minutes=5)     # a reset letter sent this recently, its link unused: no second one


def reset_requested(settings, sf, email: str, base: str) -> None:
    """The worker's half of «Забыли пароль?»: the page only queues the request, so it costs
    the same whether the address has an account or not (and however slow the mail server
    is).  An active account gets a letter, unless one went out in the last RESEND minutes
    and its link is still unused: asking again and again sends nothing more and kills no
    link (links.make keeps earlier reset links)."""
    from service.accounts import directory

    try:
        account = directory.by_email(sf, normalise(email))
    except BadEmail:
        return
    if account is None or not account.active:
        return
    minutes = int(settings["RESET_MINUTES"])
    if links.recent(sf, account.id, "reset", min(RESEND, dt.timedelta(minutes=minutes))):
        return
    sent = reset(settings, sf, account, base)
    if sent.error:
        log.error("password reset mail for account %s not sent: %s", account.id, sent.error)
