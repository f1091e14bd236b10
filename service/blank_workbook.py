"""An empty workbook in the service's layout, for a teacher to start from, as .xlsx
for Excel or .ods for LibreOffice, МойОфис and Р7-Офис.

Generated from sheet_schemas/workbook.yaml, so the blank and the reader can never
disagree: headers are the canonical names, every enumeration is a drop-down list
(its values on a hidden «Списки» tab), header rows are frozen, dates formatted.
Both formats come from one description (service/sheets_out.py).  Tabs and columns that
serve particular documents (`documents:` in the layout, e.g. «Потребности») are included
for a regulation that requires one of those documents, and all of them when no
regulation is named.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from service.schema.cells import SchoolYear
from service.schema.layout import Layout, load_layout
from service.schema.regulations import Regulation, available, load_regulation
from service.sheets_out import SAVERS, DropDown, OutSheet

LISTS = "Списки"
ROWS_WITH_LISTS = 500
ATTENDANCE_COLUMNS = 10
WIDTHS = {"date": 14, "integer": 10, "choice": 22, "email": 26, "phone": 18, "text": 30, "person": 28,
          "meeting": 12, "due": 18, "mark": 8, "school_year": 14, "text_list": 40, "url": 34}
MARK_VALUES = ["+", "н", "у"]
FORMATS = tuple(SAVERS)                  # "xlsx", "ods"

INSTRUCTIONS = [
    "Как заполнять книгу методического объединения",
    "",
    "1. «Сведения»: заполните значения в столбце B. «Положение» — идентификатор из списка.",
    "2. «Состав»: по строке на педагога. «Роль в МО»: руководитель, заместитель руководителя, секретарь или член.",
    "   Пустая роль означает «член», пустая категория — «нет». Даты — как 12.11.2024.",
    "3. «Заседания»: номер, дата, председатель и секретарь (можно «Иванова М.П.»). Пустой статус после даты",
    "   заседания означает «проведено».",
    "4. «Повестка»: вопросы каждого заседания; «Решили» и голоса «За», «Против», «Воздержались».",
    "5. «Посещаемость»: столбец на каждое заседание с заголовком «№1», «№2»…; отметки: «+» — был,",
    "   «н» или пусто — не был, «у» — уважительная причина (для кворума считается отсутствием).",
    "6. «План»: мероприятия, срок (дата, месяц или «в течение года») и отметка о выполнении.",
    "7. «Достижения» — по желанию: конкурсы, публикации, награды, курсы.",
    "8. Для приказа, плана и анализа работы заполните в «Сведениях» «Место составления» (например, «с. Здвинск»),",
    "   «Методическая тема», «Цель», «Задачи», «Проблемы», «Задачи на следующий год» — задачи по одной на строке",
    "   (Alt+Enter) или через «;». «Контроль исполнения» — на кого возложить контроль по приказу",
    "   (пусто — «Контроль … оставляю за собой»).",
]
# Lines for the tabs and columns of particular documents, shown when the blank has them.
FOR_DOCUMENTS = {
    "needs": ["• «Потребности»: по строке на затруднение педагога — ФИО, затруднение или потребность, форма помощи",
              "  (из списка или своя), срок; из них — «Сведения о профессиональных потребностях» со сводкой."],
    "audience": ["• «План», столбец «Для кого»: отметьте «молодые и вновь прибывшие специалисты» у мероприятий для",
                 "  них — из них составляется «План работы с молодыми и вновь прибывшими специалистами»."],
    "titles_awards": ["• «Состав», столбцы «Звания, награды» и «Авторские разработки» — для банка данных педагогов."],
    "link": ["• «Достижения»: эффективные практики — вид «практика», название, уровень, результат и «Ссылка»",
             "  (адрес https://…) — из них составляется банк эффективных педагогических практик."],
}
CLOSING = [
    "",
    "Порядок столбцов можно менять, лишние столбцы и строки-заголовки над таблицей не мешают.",
    "Проверить книгу: кнопка «Проверить» на странице МО или команда mo-docs validate ФАЙЛ.",
]


def wanted(documents: tuple[str, ...], regulation: Regulation | None) -> bool:
    """A tab or column for `documents`: in every blank when it serves none in particular,
    in a regulation's blank when the regulation requires one of them, in the general one always."""
    if not documents or regulation is None:
        return True
    return any(regulation.requires(kind) for kind in documents)


def write_blank_workbook(path: Path, regulation_id: str | None = None, today: dt.date | None = None,
                         layout: Layout | None = None, fmt: str | None = None) -> Path:
    """Write the blank to `path`; the format is `fmt` or the path's suffix (.xlsx default)."""
    return SAVERS[format_for(path, fmt)](blank_sheets(regulation_id, today, layout), Path(path))


def format_for(path: Path | str, fmt: str | None = None) -> str:
    """`fmt`, or the one the file name says; ValueError when the two disagree."""
    suffix = Path(path).suffix.lower()
    named = suffix.lstrip(".") if suffix.lstrip(".") in FORMATS else None
    if fmt and suffix in (".xlsx", ".xlsm", ".ods", ".xls") and named != fmt:
        raise ValueError(f"расширение файла {suffix} не совпадает с форматом {fmt}")
    return fmt or named or "xlsx"


def blank_sheets(regulation_id: str | None = None, today: dt.date | None = None,
                 layout: Layout | None = None) -> list[OutSheet]:
    layout = layout or load_layout()
    year = SchoolYear.of(today or dt.date.today())
    reg = load_regulation(regulation_id) if regulation_id else None
    tabs = [(tab, [c for c in tab.columns if wanted(c.documents, reg)])
            for tab in layout.tabs.values() if wanted(tab.documents, reg)]
    present = {tab.key for tab, _ in tabs} | {c.key for _, columns in tabs for c in columns}
    lines = INSTRUCTIONS + [x for key, extra in FOR_DOCUMENTS.items() if key in present for x in extra] + CLOSING
    guide = OutSheet("Инструкция", rows=[[line] for line in lines], widths={1: 110}, title_size=13)
    if reg is not None:
        guide.rows += [[], [f"Положение: {' '.join(reg.title.split())} ({reg.id})."]]
        guide.rows += [[f"• {reading}"] for reading in reg.readings]
    lists, sources = _lists(layout)
    sheets = [guide]
    for tab, columns in tabs:
        if tab.kind == "keyvalue":
            sheets.append(_info_tab(tab, columns, regulation_id, year, sources["regulation"]))
            continue
        headers = [c.header for c in columns]
        if tab.kind == "attendance":
            headers += [f"№{n}" for n in range(1, ATTENDANCE_COLUMNS + 1)]
        sheet = OutSheet(tab.title, rows=[headers], header_rows={1}, frozen_rows=1)
        for idx, column in enumerate(columns, start=1):
            sheet.widths[idx] = max(WIDTHS[column.type], len(column.header) + 2)
            if column.type == "choice":          # an open list suggests, and still takes another value
                sheet.drop_downs.append(_drop_down(sources[column.choices], idx, idx, column.header,
                                                   strict=not column.open))
            elif column.type == "date":
                sheet.date_ranges.append((idx, 2, ROWS_WITH_LISTS))
        if tab.kind == "attendance":
            first = len(columns) + 1
            last = first + ATTENDANCE_COLUMNS - 1
            sheet.drop_downs.append(_drop_down(sources["mark"], first, last, "Отметка", strict=False))
            sheet.widths.update({c: 7 for c in range(first, last + 1)})
        sheets.append(sheet)
    sheets.append(lists)
    return sheets


def _lists(layout: Layout) -> tuple[OutSheet, dict[str, tuple[int, int]]]:
    """The hidden tab of enumerations, one column each; {name: (column, last row)}."""
    columns = {**{name: choices.values for name, choices in layout.enums.items() if name != "mark"},
               "mark": MARK_VALUES, "regulation": available()}
    height = max(len(v) for v in columns.values()) + 1
    rows = [[None] * len(columns) for _ in range(height)]
    sources = {}
    for idx, (name, values) in enumerate(columns.items(), start=1):
        rows[0][idx - 1] = name
        for row, value in enumerate(values, start=2):
            rows[row - 1][idx - 1] = value
        sources[name] = (idx, len(values) + 1)
    return OutSheet(LISTS, rows=rows, hidden=True), sources


def _drop_down(source: tuple[int, int], first_col: int, last_col: int, title: str, strict: bool = True,
               first_row: int = 2, last_row: int = ROWS_WITH_LISTS) -> DropDown:
    col, last = source
    return DropDown(first_row, first_col, last_row, last_col, LISTS, col, 2, last, title=title, strict=strict)


def _info_tab(tab, columns, regulation_id: str | None, year: SchoolYear, regulations: tuple[int, int]) -> OutSheet:
    sheet = OutSheet(tab.title, rows=[["Показатель", "Значение"]], header_rows={1}, widths={1: 40, 2: 70},
                     frozen_rows=1)
    for column in columns:
        value = {"regulation": regulation_id, "school_year": year.label}.get(column.key)
        sheet.rows.append([column.header, value])
        row = len(sheet.rows)
        if column.type == "date":
            sheet.date_ranges.append((2, row, row))
        if column.type == "text_list":             # one item per line (Alt+Enter)
            sheet.wrapped_cells.add((row, 2))
        if column.required:
            sheet.bold_cells.add((row, 1))
    row = next(i for i, r in enumerate(sheet.rows, start=1) if r[0] == "Положение")
    sheet.drop_downs.append(_drop_down(regulations, 2, 2, "Положение", first_row=row, last_row=row))
    return sheet
