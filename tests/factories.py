"""Workbooks built in tests: a compliant association to start from, changed per test.

`Book` holds the tabs as a teacher would type them (headers and cell values), and
can become a RawWorkbook (fast, in memory) or a real .xlsx (through openpyxl) or .ods file.
"""
from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl

from service.sources.base import RawTab, RawWorkbook

D = dt.date

MEMBER_HEADERS = ["ФИО", "ОО", "Должность", "Роль в МО", "Образование", "Педагогический стаж",
                  "Квалификационная категория", "Дата присвоения категории", "Дата аттестации на СЗД",
                  "Дата рождения", "E-mail", "Телефон", "Дата включения", "Дата выбытия", "Звания, награды",
                  "Авторские разработки"]
MEETING_HEADERS = ["№", "Дата", "Форма", "Место", "Председатель", "Секретарь", "Статус", "Тема"]
AGENDA_HEADERS = ["№ заседания", "№ вопроса", "Вопрос", "Слушали", "Выступили", "Решили", "За", "Против",
                  "Воздержались"]
PLAN_HEADERS = ["№", "Мероприятие", "Форма", "Срок", "Ответственный", "Отметка о выполнении", "Для кого"]
ACH_HEADERS = ["ФИО", "Вид", "Название", "Уровень", "Результат", "Дата", "Ссылка"]
NEED_HEADERS = ["ФИО", "Затруднение / потребность", "Форма помощи", "Срок"]

FIRST = ["Мария Петровна", "Ольга Викторовна", "Елена Сергеевна", "Наталья Ивановна", "Светлана Юрьевна",
         "Татьяна Николаевна", "Ирина Александровна", "Анна Михайловна", "Галина Павловна",
         "Людмила Андреевна", "Юлия Олеговна", "Валентина Фёдоровна"]
LAST = ["Иванова", "Кузнецова", "Смирнова", "Попова", "Соколова", "Лебедева", "Козлова", "Новикова",
        "Морозова", "Волкова", "Алексеева", "Павлова"]


@dataclass
class Book:
    name: str = "test.xlsx"
    info: dict[str, Any] = field(default_factory=dict)
    members: list[dict[str, Any]] = field(default_factory=list)
    meetings: list[dict[str, Any]] = field(default_factory=list)
    agenda: list[dict[str, Any]] = field(default_factory=list)
    attendance: dict[str, dict[Any, Any]] = field(default_factory=dict)   # name -> {column header: mark}
    attendance_headers: list[Any] = field(default_factory=list)
    plan: list[dict[str, Any]] = field(default_factory=list)
    achievements: list[dict[str, Any]] = field(default_factory=list)
    needs: list[dict[str, Any]] = field(default_factory=list)
    title_rows: int = 0          # rows of titles above each table's header
    omit: set[str] = field(default_factory=set)
    without: set[str] = field(default_factory=set)           # column headers left out of every tab
    renamed: dict[str, str] = field(default_factory=dict)    # header -> the synonym the teacher typed
    titles: dict[str, str] = field(default_factory=dict)   # tab key -> title override

    # ---------------------------------------------------------------- changes

    def copy(self) -> "Book":
        return copy.deepcopy(self)

    def member(self, name: str) -> dict[str, Any]:
        return next(m for m in self.members if m["ФИО"] == name)

    def meeting(self, number: int) -> dict[str, Any]:
        return next(m for m in self.meetings if m["№"] == number)

    def with_role(self, role: str) -> dict[str, Any]:
        return next(m for m in self.members if m.get("Роль в МО") == role)

    def mark(self, number: int, present: int, excused: int = 0) -> None:
        """Make exactly `present` members present at meeting `number`, its chair and
        secretary first (a protocol is signed by people who were there)."""
        header = f"№{number}"
        if header not in self.attendance_headers:
            self.attendance_headers.append(header)
        signers = [self.meeting(number).get(k) for k in ("Председатель", "Секретарь")] \
            if any(m["№"] == number for m in self.meetings) else []
        order = sorted(self.members, key=lambda m: m["ФИО"] not in signers)
        for i, m in enumerate(order):
            row = self.attendance.setdefault(m["ФИО"], {})
            row[header] = "+" if i < present else ("у" if i < present + excused else "")

    # ---------------------------------------------------------------- output

    def tables(self) -> dict[str, list[list[Any]]]:
        def table(headers, rows):
            headers = [h for h in headers if h not in self.without]
            return [[self.renamed.get(h, h) for h in headers]] + [[r.get(h) for h in headers] for r in rows]

        titles = [[f"Заголовок {i + 1}"] for i in range(self.title_rows)]
        tabs = {
            "info": [[k, v] for k, v in self.info.items()],
            "members": titles + table(MEMBER_HEADERS, self.members),
            "meetings": titles + table(MEETING_HEADERS, self.meetings),
            "agenda": titles + table(AGENDA_HEADERS, self.agenda),
            "attendance": titles + [["ФИО", *self.attendance_headers]] + [
                [name, *(marks.get(h) for h in self.attendance_headers)] for name, marks in self.attendance.items()],
            "plan": titles + table(PLAN_HEADERS, self.plan),
            "achievements": table(ACH_HEADERS, self.achievements),
            "needs": table(NEED_HEADERS, self.needs),
        }
        default_titles = {"info": "Сведения", "members": "Состав", "meetings": "Заседания", "agenda": "Повестка",
                          "attendance": "Посещаемость", "plan": "План", "achievements": "Достижения",
                          "needs": "Потребности"}
        return {self.titles.get(k, default_titles[k]): rows for k, rows in tabs.items() if k not in self.omit}

    def raw(self) -> RawWorkbook:
        tabs = []
        for title, rows in self.tables().items():
            tab = RawTab(title)
            for number, values in enumerate(rows, start=1):
                if any(v not in (None, "") for v in values):
                    tab.rows.append((number, tuple(values)))
            tabs.append(tab)
        return RawWorkbook(self.name, tabs)

    def sheet_payload(self, spreadsheet_id: str = "1FactoryBookSheet_abcdefghijklmnop",
                      time_zone: str = "Asia/Novosibirsk") -> dict:
        """What the Sheets add-on sends for this book kept as a Google Sheet: each tab's data
        range from A1 (values with dates as ISO strings, "" for an empty cell, and the
        displayed text), as addon/Code.gs builds it (tests/addon checks they agree)."""
        def value(v):
            if isinstance(v, dt.datetime):
                return v.strftime("%Y-%m-%dT%H:%M:%S") if v.time() != dt.time() else v.date().isoformat()
            if isinstance(v, dt.date):
                return v.isoformat()
            return "" if v is None else v

        def shown(v):
            if isinstance(v, dt.date):
                return v.strftime("%d.%m.%Y")
            if isinstance(v, bool):
                return "TRUE" if v else "FALSE"
            if isinstance(v, (int, float)):
                return str(v).replace(".", ",")
            return "" if v is None else str(v)

        sheets = []
        for title, rows in self.tables().items():
            width = max((i + 1 for row in rows for i, v in enumerate(row) if v not in (None, "")), default=1)
            height = max((n + 1 for n, row in enumerate(rows) if any(v not in (None, "") for v in row)), default=1)
            grid = [list(row[:width]) + [None] * (width - len(row[:width])) for row in rows[:height]] or [[None]]
            sheets.append({"name": title, "values": [[value(v) for v in row] for row in grid],
                           "display_values": [[shown(v) for v in row] for row in grid]})
        return {"spreadsheet": {"id": spreadsheet_id, "name": self.name.removesuffix(".xlsx"),
                                "url": f"https://docs.google.com/spreadsheets/d/{spreadsheet_id}/edit",
                                "time_zone": time_zone},
                "sheets": sheets}

    def save(self, path: Path) -> Path:
        """As an .xlsx (openpyxl), or as an .ods (our OpenDocument writer) when `path` ends so."""
        if Path(path).suffix.lower() == ".ods":
            from service.sheets_out import OutSheet, save_ods

            return save_ods([OutSheet(title, rows=[list(r) for r in rows]) for title, rows in self.tables().items()],
                            Path(path))
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        for title, rows in self.tables().items():
            ws = wb.create_sheet(title)
            for values in rows:
                ws.append(list(values))
        wb.save(path)
        return path


def _name(i: int) -> str:
    """Distinct, realistic names for any size: double-barrelled surnames past the first 12."""
    surname = LAST[i % 12] if i < 12 else f"{LAST[i % 12]}-{LAST[(i // 12) % 12]}"
    return f"{surname} {FIRST[(i + i // 144) % 12]}"


def association(regulation: str = "zdvinsky-mmo", *, size: int = 12, start: int = 2024,
                position: str = "учитель математики") -> Book:
    """A compliant association for `regulation`, judged as of the year's end."""
    y0, y1 = start, start + 1
    members = []
    for i in range(size):
        role = {0: "руководитель", 1: "заместитель руководителя", 2: "секретарь"}.get(i, "член")
        members.append({
            "ФИО": _name(i),
            "ОО": f"МБОУ СОШ №{i % 4 + 1}",
            "Должность": position,
            "Роль в МО": role,
            "Образование": "высшее",
            "Педагогический стаж": 5 + i % 35,
            "Квалификационная категория": "высшая" if i < 3 else "первая" if i % 2 else "нет",
            "Дата присвоения категории": D(2024, 3, 15) if i < 3 or i % 2 else None,
            "Дата аттестации на СЗД": D(y0 - 1, 10, 1) if i >= 3 and not i % 2 else None,
            "Дата рождения": D(1960 + i % 40, i % 12 + 1, i % 28 + 1),
            "E-mail": f"teacher{i}@school.ru",
            "Телефон": f"+7 913 000-00-{i:02d}",
            "Дата включения": D(y0, 9, 1),
            "Звания, награды": "Почётная грамота Министерства просвещения РФ" if i == 0 else None,
            "Авторские разработки": "Рабочая программа курса «Практикум по геометрии»" if i == 1 else None,
        })
    head, secretary = members[0]["ФИО"], members[2]["ФИО"]
    dates = [D(y0, 9, 24), D(y0, 12, 10), D(y1, 2, 18), D(y1, 5, 20)]
    meetings = [{"№": n, "Дата": d, "Форма": "очная", "Место": "МБОУ СОШ №1, каб. 12", "Председатель": head,
                 "Секретарь": secretary, "Тема": f"Тема заседания {n}"} for n, d in enumerate(dates, start=1)]
    agenda = []
    for n in range(1, 5):
        for q in (1, 2):
            agenda.append({"№ заседания": n, "№ вопроса": q, "Вопрос": f"Вопрос {q} заседания {n}",
                           "Слушали": head, "Выступили": secretary, "Решили": f"Решение по вопросу {q}",
                           "За": 9, "Против": 0, "Воздержались": 0})
    book = Book(
        info={"Наименование МО": "Муниципальное методическое объединение учителей математики",
              "Краткое наименование": "ММО математиков", "Территория": "Здвинский район",
              "Положение": regulation, "Учебный год": f"{y0}-{y1}",
              "Куратор": "Петрова Анна Ивановна", "Должность куратора": "методист ММС",
              "Учредитель": "Управление образования", "Руководитель учредителя": "Сидоров Иван Петрович",
              "Должность руководителя учредителя": "начальник управления образования",
              "Дата актуализации банка данных": D(y0, 9, 25),
              "Дата представления анализа работы": D(y1, 5, 2),
              "Место составления": "с. Здвинск",
              "Методическая тема": "Формирование функциональной грамотности обучающихся на уроках математики",
              "Цель": "Повышение профессиональной компетентности учителей математики",
              "Задачи": "1. Изучать и внедрять эффективные практики;\n2. Обобщать опыт педагогов.",
              "Проблемы": "Низкая активность в конкурсах; мало открытых уроков",
              "Задачи на следующий год": "Подготовить двух участников конкурса «Учитель года»"},
        members=members, meetings=meetings, agenda=agenda,
        plan=[{"№": i + 1, "Мероприятие": f"Мероприятие {i + 1}", "Форма": "семинар",
               "Срок": s, "Ответственный": head, "Отметка о выполнении": "выполнено",
               "Для кого": "молодые и вновь прибывшие специалисты" if i == 2 else None}
              for i, s in enumerate(["сентябрь", "ноябрь", D(y1, 2, 18), "в течение года"])],
        achievements=[{"ФИО": members[3]["ФИО"], "Вид": "конкурс", "Название": "Учитель года",
                       "Уровень": "муниципальный", "Результат": "призёр", "Дата": D(y1, 2, 1)},
                      {"ФИО": members[1]["ФИО"], "Вид": "практика", "Название": "Геометрия на клетчатой бумаге",
                       "Уровень": "муниципальный", "Результат": "представлена на семинаре", "Дата": D(y1, 3, 12),
                       "Ссылка": "https://nsportal.ru/geometriya-na-kletchatoy-bumage"}],
        needs=[{"ФИО": members[4]["ФИО"], "Затруднение / потребность": "Подготовка обучающихся к ОГЭ по геометрии",
                "Форма помощи": "консультация", "Срок": "октябрь"},
               {"ФИО": members[6]["ФИО"], "Затруднение / потребность": "Подготовка обучающихся к ОГЭ по геометрии",
                "Форма помощи": "семинар", "Срок": "ноябрь"},
               {"ФИО": members[5]["ФИО"], "Затруднение / потребность": "Работа с одарёнными детьми",
                "Форма помощи": "мастер-класс", "Срок": "в течение года"}],
    )
    for n in range(1, 5):
        book.mark(n, present=9)
    return book


def year_end(start: int = 2024) -> dt.date:
    """A date on which every period of the school year has ended."""
    return D(start + 1, 9, 1)
