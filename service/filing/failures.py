"""What people are told when a storage of documents fails, one sentence per cause.

The same causes come from every storage — wrong credentials, no rights, a missing
folder, no space, a locked file, a slow or unreachable server — and people should
read the same words whichever one the municipality runs.  `where` names the storage
as people know it («cloud.school.ru», «Яндекс Диск»), never with credentials; every
sentence speaks of «хранилище документов», so the words agree whatever the name.
Codes are stable; `transient` failures may pass by themselves (a job retries them),
the others need a person to act.
"""
from __future__ import annotations

from service.filing.base import FilingError

TRANSIENT = frozenset({"filing.locked", "filing.timeout", "filing.unreachable", "filing.unavailable",
                       "filing.rate_limited"})


def failure(code: str, where: str, *, name: str = "", status: int = 0, seconds: float | None = None,
            auth_hint: str = "", folder: str = "") -> FilingError:
    store = f"Хранилище документов ({where})"
    texts = {
        "filing.auth": f"{store} не принимает учётные данные службы: документ не сохранён. Сообщите "
                       f"администратору{': ' + auth_hint if auth_hint else '.'}",
        "filing.forbidden": f"{store} не разрешает службе записывать в папку{' «' + folder + '»' if folder else ''}: "
                            "документ не сохранён. Администратору: дайте учётной записи службы право на запись.",
        "filing.not_found": f"В хранилище документов ({where}) нет папки для документов. Администратору: проверьте "
                            "адрес в MO_DOCS_FILING_URL и что папка создана.",
        "filing.no_space": f"В хранилище документов ({where}) закончилось место: документ не сохранён. Освободите "
                           "место или увеличьте квоту учётной записи службы и сформируйте документ снова.",
        "filing.locked": f"Файл «{name or 'документа'}» в хранилище документов ({where}) заблокирован: его открыл "
                         "для правки другой человек или программа. Закройте его и сформируйте документ снова.",
        "filing.too_large": f"{store} не принимает файл{' «' + name + '»' if name else ''}: он больше допустимого.",
        "filing.timeout": f"{store} не ответило за {_seconds(seconds)} с. Попробуйте позже." if seconds
                          else f"{store} не отвечает. Попробуйте позже.",
        "filing.unreachable": f"Нет связи с хранилищем документов ({where}). Попробуйте позже; если не пройдёт — "
                              "сообщите администратору.",
        "filing.rate_limited": f"{store} ограничивает число запросов. Попробуйте через минуту.",
        "filing.unavailable": f"{store} временно не работает{f' (ошибка {status})' if status else ''}. "
                              "Попробуйте позже.",
    }
    if code not in texts:
        return FilingError("filing.error", f"{store} ответило ошибкой {status}: документ не сохранён.",
                           status=status)
    return FilingError(code, texts[code], transient=code in TRANSIENT, status=status)


def _seconds(value: float) -> str:
    """«60», «0,5»: seconds as people write them."""
    return f"{value:g}".replace(".", ",")
