"""An association's time zone: «Часовой пояс» as people type it, else its territory's."""
from __future__ import annotations

import pytest

from service.schema.time_zones import choose, label, parse


@pytest.mark.parametrize("typed, zone", [
    ("Asia/Novosibirsk", "Asia/Novosibirsk"), ("Новосибирск", "Asia/Novosibirsk"), ("МСК+4", "Etc/GMT-7"),
    ("UTC+7", "Etc/GMT-7"), ("utc - 3", "Etc/GMT+3"), ("МСК", None), ("Омск", "Asia/Omsk"),
    ("Томская область", "Asia/Tomsk"), ("Марс/Олимп", None), ("", None), ("UTC+20", None),
])
def test_typed_zones(typed, zone):
    assert parse(typed) == zone


@pytest.mark.parametrize("territory, zone", [
    ("Здвинский район", "Asia/Novosibirsk"), ("г. Новокузнецк", "Asia/Novokuznetsk"),
    ("Залесовский муниципальный округ", "Asia/Barnaul"), ("г. Бийск", "Asia/Barnaul"),
    ("Каменск-Уральский городской округ", "Asia/Yekaterinburg"), ("Неизвестный район", None),
])
def test_zones_of_the_seeds_territories(territory, zone):
    assert choose(None, territory, "Europe/Moscow") == (zone or "Europe/Moscow")


def test_the_typed_zone_wins_and_labels_name_the_city_and_offset():
    assert choose("Москва", "Здвинский район", "Europe/Moscow") == "Europe/Moscow"
    assert label("Asia/Novosibirsk") == "Новосибирск, UTC+7"
    assert label("Etc/GMT-7") == "UTC+7"
