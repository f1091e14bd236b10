"""A region's registers: 1,000 associations of realistic sizes, as their heads keep them.

Each association is a compliant register (tests/factories.py) of one of the five seed
regulations, resized: 10–60 members (one in fifty much larger, 120–250, as a city-wide
ГПМО is), 4–10 meetings spread over the current school year, 2–4 questions each, a
plan of 5–15 items.  Meetings before today are held, with attendance; later ones are
planned, and about a third of the associations meet within the next week (so the
watch also files their registration sheets).

Two versions of every workbook: the *evening* one, as uploaded, where the latest held
meeting has no decisions typed yet, and the *night* one, where the head has typed them.
The bench loads the evening versions, then writes the night versions over them: every
workbook has changed, and the watch queues a check of each.

What the night's checks must file is known from the dates alone (`expected`): the
protocol of every held meeting (all have their decisions at night) and the registration
sheet of every meeting in the next AUTO_REGISTRATION_DAYS.  No meeting falls within two
days of today's boundaries, so a run that passes midnight expects the same documents.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

from service.schema.cells import SchoolYear
from tests.factories import AGENDA_HEADERS, Book, association

REGULATIONS = ["zdvinsky-mmo", "kamensk-uralsky-cpmss", "novokuznetsk-gpmo", "novokuznetsk-rpmo", "zalesovo-mmo",
               "biysk-social-pedagogues"]
TERRITORIES = [
    "Баганский район", "Барабинский район", "Болотнинский район", "Венгеровский район", "Доволенский район",
    "Здвинский район", "Искитимский район", "Карасукский район", "Каргатский район", "Колыванский район",
    "Коченёвский район", "Кочковский район", "Краснозёрский район", "Куйбышевский район", "Купинский район",
    "Кыштовский район", "Маслянинский район", "Мошковский район", "Новосибирский район", "Ордынский район",
    "Северный район", "Сузунский район", "Татарский район", "Тогучинский район", "Убинский район",
    "Усть-Таркский район", "Чановский район", "Черепановский район", "Чистоозёрный район", "Чулымский район",
    "город Бердск", "город Искитим", "город Обь", "рабочий посёлок Кольцово",
]
SUBJECTS = [
    ("математики", "математиков"), ("русского языка и литературы", "русистов"), ("истории", "историков"),
    ("обществознания", "обществоведов"), ("физики", "физиков"), ("химии", "химиков"), ("биологии", "биологов"),
    ("географии", "географов"), ("информатики", "информатиков"), ("английского языка", "англистов"),
    ("немецкого языка", "германистов"), ("начальных классов", "учителей начальных классов"),
    ("физической культуры", "физкультурников"), ("музыки", "учителей музыки"), ("ИЗО", "учителей ИЗО"),
    ("технологии", "технологов"), ("ОБЗР", "учителей ОБЗР"), ("педагогов-психологов", "психологов"),
    ("учителей-логопедов", "логопедов"), ("социальных педагогов", "социальных педагогов"),
    ("библиотекарей", "библиотекарей"), ("воспитателей ДОО", "воспитателей"), ("классных руководителей", "классных руководителей"),
    ("заместителей директоров по УВР", "завучей"), ("заместителей директоров по ВР", "заместителей по ВР"),
    ("педагогов дополнительного образования", "педагогов ДО"), ("молодых педагогов", "молодых педагогов"),
    ("учителей астрономии", "астрономов"), ("учителей ОРКСЭ", "учителей ОРКСЭ"), ("учителей черчения", "чертёжников"),
]
SIZES = (10, 60)
LARGE = (120, 250)
MEETINGS = (4, 10)


@dataclass
class Planned:
    """One association of the region and what its night's check must file."""

    index: int
    regulation: str
    members: int
    meetings: int
    held: list[int] = field(default_factory=list)          # meeting numbers before today
    soon: list[int] = field(default_factory=list)          # meetings within the registration window
    evening: Book | None = None
    night: Book | None = None


def _dates(year: SchoolYear, today: dt.date, count: int, meets_soon: bool, rng: random.Random) -> list[dt.date]:
    """`count` meeting dates over the school year: the held ones between mid-September
    and two days ago, the rest from three days ahead (or ten, when the association does
    not meet this week) to late May — none within two days of today."""
    start, end = dt.date(year.start, 9, 15), dt.date(year.start + 1, 5, 25)
    if today - dt.timedelta(days=2) < start:
        past_end = None
    else:
        past_end = min(today - dt.timedelta(days=2), end)
    elapsed = 0.0 if past_end is None else (past_end - start).days / max(1, (end - start).days)
    held = min(count, max(1, round(count * elapsed))) if past_end is not None else 0
    future_start = today + dt.timedelta(days=3 if meets_soon else 10)
    if future_start > end:
        held = count
    dates = []
    if held:
        span = max(0, (past_end - start).days)
        dates += sorted(start + dt.timedelta(days=round(span * (i + 0.5) / held)) for i in range(held))
    rest = count - held
    if rest:
        span = max(0, (end - future_start).days)
        dates += [future_start + dt.timedelta(days=round(span * i / max(1, rest - 1)) if rest > 1 else 0)
                  for i in range(rest)]
    return dates


def plan(count: int, today: dt.date, seed: int = 14, registration_days: int = 7) -> list[Planned]:
    rng = random.Random(seed)
    year = SchoolYear.of(today)
    out = []
    for i in range(count):
        large = rng.random() < 0.02
        size = rng.randint(*(LARGE if large else SIZES))
        meetings = rng.randint(*MEETINGS)
        regulation = REGULATIONS[i % len(REGULATIONS)]
        p = Planned(i, regulation, size, meetings)
        dates = _dates(year, today, meetings, meets_soon=rng.random() < 0.35, rng=rng)
        p.held = [n for n, d in enumerate(dates, start=1) if d <= today]
        horizon = today + dt.timedelta(days=registration_days)
        p.soon = [n for n, d in enumerate(dates, start=1) if today < d <= horizon]
        p.evening, p.night = _books(i, p, year, dates, today, rng)
        out.append(p)
    return out


def _books(i: int, p: Planned, year: SchoolYear, dates: list[dt.date], today: dt.date, rng: random.Random) -> tuple[Book, Book]:
    position = "социальный педагог" if p.regulation == "biysk-social-pedagogues" else "учитель"
    book = association(p.regulation, size=p.members, start=year.start, position=position)
    subject, short = SUBJECTS[i % len(SUBJECTS)]
    territory = TERRITORIES[(i // len(SUBJECTS)) % len(TERRITORIES)]
    series = i // (len(SUBJECTS) * len(TERRITORIES))          # past 1,020 the names repeat: number them
    suffix = f" (объединение {series + 1})" if series else ""
    book.name = f"region-{i:04d}.xlsx"
    book.info.update({"Наименование МО": f"Муниципальное методическое объединение {subject}, {territory}{suffix}",
                      "Краткое наименование": f"ММО {short}{suffix}", "Территория": territory,
                      "Учебный год": year.label})
    head, deputy, secretary = (book.with_role(r)["ФИО"] for r in ("руководитель", "заместитель руководителя",
                                                                   "секретарь"))
    book.meetings = [{"№": n, "Дата": d, "Форма": rng.choice(["очная", "дистанционная"]),
                      "Место": f"МБОУ СОШ №{rng.randint(1, 12)}, каб. {rng.randint(1, 40)}",
                      "Председатель": head, "Секретарь": secretary,
                      "Тема": f"Тема заседания {n}"} for n, d in enumerate(dates, start=1)]
    present = {n: p.members - rng.randint(0, max(1, p.members // 5)) for n in p.held}
    book.attendance, book.attendance_headers = {}, []
    for n in p.held:
        book.mark(n, present=present[n])
    book.agenda = []
    for n in range(1, len(dates) + 1):
        for q in range(1, rng.randint(2, 4) + 1):
            decided = n in p.held
            book.agenda.append({"№ заседания": n, "№ вопроса": q, "Вопрос": f"Вопрос {q} заседания {n}",
                                "Слушали": head if q % 2 else deputy, "Выступили": secretary,
                                "Решили": f"Решение по вопросу {q} заседания {n}" if decided else None,
                                "За": present[n] if decided else None, "Против": 0 if decided else None,
                                "Воздержались": 0 if decided else None})
    items = rng.randint(5, 15)
    book.plan = [{"№": k, "Мероприятие": f"Мероприятие {k}", "Форма": rng.choice(["семинар", "мастер-класс",
                                                                                   "открытый урок", "конкурс"]),
                  "Срок": dates[min(k, len(dates)) - 1], "Ответственный": rng.choice([head, deputy]),
                  "Отметка о выполнении": "выполнено" if dates[min(k, len(dates)) - 1] <= today else None,
                  "Для кого": None} for k in range(1, items + 1)]
    for a in book.achievements:
        a["Дата"] = year.first_day + dt.timedelta(days=30)
    night = book.copy()
    evening = book.copy()
    if p.held:                               # the latest held meeting: its decisions typed tonight
        last = p.held[-1]
        for row in evening.agenda:
            if row["№ заседания"] == last:
                row.update({"Решили": None, "За": None, "Против": None, "Воздержались": None})
    return evening, night


def write(books: list[Book], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [b.save(folder / b.name) for b in books]


__all__ = ["AGENDA_HEADERS", "Planned", "plan", "write"]
