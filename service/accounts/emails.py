"""One spelling of an e-mail address, so «Belova@Zdvinsk-Edu.RU » and «belova@zdvinsk-edu.ru»
are one account, and a clear Russian message for what is not an address."""
from __future__ import annotations

import re
import unicodedata

from service.accounts.models import EMAIL_MAX

_LOCAL = re.compile(r"^[^\s@\"(),:;<>\[\\\]]{1,64}$")
_LABEL = re.compile(r"^(?!-)[\w-]{1,63}(?<!-)$", re.UNICODE)


class BadEmail(ValueError):
    code = "account.email_invalid"


def normalise(text: str) -> str:
    """The address as stored: NFKC, trimmed, lower case.  Raises BadEmail."""
    if not isinstance(text, str):
        raise BadEmail("Укажите адрес электронной почты.")
    email = unicodedata.normalize("NFKC", text).strip().lower()
    if not email:
        raise BadEmail("Укажите адрес электронной почты.")
    if len(email) > EMAIL_MAX:
        raise BadEmail(f"Адрес электронной почты слишком длинный (допускается до {EMAIL_MAX} символов).")
    local, at, domain = email.rpartition("@")
    labels = domain.split(".")
    if not at or not _LOCAL.match(local) or len(labels) < 2 or not all(_LABEL.match(x) for x in labels) \
            or labels[-1].isdigit():
        raise BadEmail(f"«{text.strip()[:80]}» — не адрес электронной почты.")
    return email
