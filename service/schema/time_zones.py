"""Which time zone an association lives in: «Часовой пояс» in «Сведения» when it is
given (an IANA name «Asia/Novosibirsk», a city «Новосибирск», «МСК+4» or «UTC+7»), else
the zone of its territory's region, else the service's default (setting TIME_ZONE).
Times people see (checked, generated, sent) are shown in it, with the zone named."""
from __future__ import annotations

import re
import zoneinfo

from service.schema.text import key

# Regions of the five seeds and Russia's zones by their usual names: a territory or
# a typed zone is matched by these words (compared without case, punctuation or «ё»).
_PLACES = (
    (("калининград",), "Europe/Kaliningrad"),
    (("москва", "московск", "санкт-петербург", "петербург"), "Europe/Moscow"),
    (("самар", "ижевск", "удмурт"), "Europe/Samara"),
    (("екатеринбург", "свердловск", "каменск-уральск", "каменскуральск", "челябинск", "тюмен", "пермь",
      "пермск", "курган", "уфа", "башкортостан", "оренбург"), "Asia/Yekaterinburg"),
    (("томск",), "Asia/Tomsk"),                 # before «омск», which it contains
    (("омск",), "Asia/Omsk"),
    (("новосибирск", "здвинск"), "Asia/Novosibirsk"),
    (("барнаул", "алтайск", "бийск", "залесов"), "Asia/Barnaul"),
    (("новокузнецк", "кемеров", "кузбасс"), "Asia/Novokuznetsk"),
    (("красноярск", "хакаси", "тыва"), "Asia/Krasnoyarsk"),
    (("иркутск", "бурят", "улан-удэ"), "Asia/Irkutsk"),
    (("якутск", "чита", "забайкаль"), "Asia/Yakutsk"),
    (("владивосток", "приморск", "хабаровск"), "Asia/Vladivostok"),
    (("магадан", "сахалин"), "Asia/Magadan"),
    (("камчат", "петропавловск-камчатск", "чукот"), "Asia/Kamchatka"),
)
_NAMES = {
    "Europe/Kaliningrad": "Калининград", "Europe/Moscow": "Москва", "Europe/Samara": "Самара",
    "Asia/Yekaterinburg": "Екатеринбург", "Asia/Omsk": "Омск", "Asia/Novosibirsk": "Новосибирск",
    "Asia/Barnaul": "Барнаул", "Asia/Novokuznetsk": "Новокузнецк", "Asia/Tomsk": "Томск",
    "Asia/Krasnoyarsk": "Красноярск", "Asia/Irkutsk": "Иркутск", "Asia/Yakutsk": "Якутск",
    "Asia/Vladivostok": "Владивосток", "Asia/Magadan": "Магадан", "Asia/Kamchatka": "Камчатка",
}
_OFFSET = re.compile(r"^(мск|msk|utc|gmt)\s*([+-−])\s*(\d{1,2})$")


def parse(text: str | None) -> str | None:
    """An IANA zone name from what a person typed, or None when it names none."""
    if not text or not str(text).strip():
        return None
    typed = str(text).strip()
    if "/" in typed:
        try:
            zoneinfo.ZoneInfo(typed)
            return typed
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return None
    m = _OFFSET.match(typed.lower().replace(" ", ""))
    if m:
        hours = int(m.group(3)) * (-1 if m.group(2) in "-−" else 1) + (3 if m.group(1) in ("мск", "msk") else 0)
        if -12 <= hours <= 14:
            return "UTC" if hours == 0 else f"Etc/GMT{-hours:+d}"      # POSIX sign: Etc/GMT-7 is UTC+7
        return None
    return from_territory(typed)


def from_territory(territory: str | None) -> str | None:
    words = key(territory or "")
    if not words:
        return None
    for needles, zone in _PLACES:
        if any(key(n) in words for n in needles):
            return zone
    return None


def choose(typed: str | None, territory: str | None, default: str) -> str:
    return parse(typed) or from_territory(territory) or default


def label(zone: str) -> str:
    """«Новосибирск, UTC+7» — how a zone is shown next to a time."""
    import datetime as dt

    try:
        tz = zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zone
    offset = dt.datetime.now(tz).utcoffset() or dt.timedelta(0)
    hours, rest = divmod(int(offset.total_seconds()) // 60, 60)
    utc = "UTC" + (f"{hours:+d}" if hours else "") + (f":{rest:02d}" if rest else "")
    name = _NAMES.get(zone)
    return f"{name}, {utc}" if name else utc
