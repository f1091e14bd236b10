"""An empty workbook in the service's layout, for a teacher to start from.

Generated from sheet_schemas/workbook.yaml, so the blank and the reader can never
disagree: headers are the canonical names, every enumeration is a drop-down list
(its values on a hidden «Списки» tab), header rows are frozen, dates formatted.  Tabs
and columns that serve particular documents (`documents:` in the layout, e.g.
«Потребности») are included for a regulation that requires one of those documents,
and all of them when no regulation is named.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from service.schema.cells import SchoolYear
from service.schema.layout import Layout, load_layout
from service.schema.regulations import Regulation, available, load_regulation

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
BOLD = Font(bold=True)
LISTS = "Списки"
ROWS_WITH_LISTS = 500
ATTENDANCE_COLUMNS = 10
WIDTHS = {"date": 14, "integer": 10, "choice": 22, "email": 26, "phone": 18, "text": 30, "person": 28,
          "meeting": 12, "due": 18, "mark": 8, "school_year": 14, "text_list": 40, "url": 34}
MARK_VALUES = ["+", "н", "у"]

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
                         layout: Layout | None = None) -> Path:
    layout = layout or load_layout()
    year = SchoolYear.of(today or dt.date.today())
    reg = load_regulation(regulation_id) if regulation_id else None
    tabs = [(tab, [c for c in tab.columns if wanted(c.documents, reg)])
            for tab in layout.tabs.values() if wanted(tab.documents, reg)]
    present = {tab.key for tab, _ in tabs} | {c.key for _, columns in tabs for c in columns}
    wb = openpyxl.Workbook()
    guide = wb.active
    guide.title = "Инструкция"
    for line in INSTRUCTIONS + [x for key, lines in FOR_DOCUMENTS.items() if key in present for x in lines] + CLOSING:
        guide.append([line])
    guide["A1"].font = Font(bold=True, size=13)
    guide.column_dimensions["A"].width = 110
    if reg is not None:
        guide.append([])
        guide.append([f"Положение: {' '.join(reg.title.split())} ({reg.id})."])
        for reading in reg.readings:
            guide.append([f"• {reading}"])

    lists = wb.create_sheet(LISTS)
    list_ranges = _write_lists(lists, layout)
    lists.sheet_state = "hidden"

    for tab, columns in tabs:
        ws = wb.create_sheet(tab.title)
        if tab.kind == "keyvalue":
            _info_tab(ws, tab, regulation_id, year)
            continue
        headers = [c.header for c in columns]
        if tab.kind == "attendance":
            headers += [f"№{n}" for n in range(1, ATTENDANCE_COLUMNS + 1)]
        ws.append(headers)
        for idx, header in enumerate(headers, start=1):
            cell = ws.cell(row=1, column=idx)
            cell.font, cell.fill = BOLD, HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.freeze_panes = "A2"
        for idx, column in enumerate(columns, start=1):
            letter = get_column_letter(idx)
            ws.column_dimensions[letter].width = max(WIDTHS[column.type], len(column.header) + 2)
            rng = f"{letter}2:{letter}{ROWS_WITH_LISTS}"
            if column.type == "choice":          # an open list suggests, and still takes another value
                _list(ws, list_ranges[column.choices], rng, column.header, strict=not column.open)
            elif column.type == "date":
                for row in range(2, ROWS_WITH_LISTS + 1):
                    ws.cell(row=row, column=idx).number_format = "DD.MM.YYYY"
        if tab.kind == "attendance":
            first = len(columns) + 1
            rng = f"{get_column_letter(first)}2:{get_column_letter(first + ATTENDANCE_COLUMNS - 1)}{ROWS_WITH_LISTS}"
            _list(ws, list_ranges["mark"], rng, "Отметка", strict=False)
            for offset in range(ATTENDANCE_COLUMNS):
                ws.column_dimensions[get_column_letter(first + offset)].width = 7

    wb.move_sheet(LISTS, offset=len(wb.sheetnames))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    wb.save(tmp)
    tmp.replace(path)                  # never a half-written workbook under the real name
    return path


def _write_lists(ws, layout: Layout) -> dict[str, str]:
    """One column per enumeration; returns absolute references for validations."""
    ranges = {}
    columns = {**{name: choices.values for name, choices in layout.enums.items() if name != "mark"},
               "mark": MARK_VALUES, "regulation": available()}
    for idx, (name, values) in enumerate(columns.items(), start=1):
        letter = get_column_letter(idx)
        ws.cell(row=1, column=idx, value=name)
        for row, value in enumerate(values, start=2):
            ws.cell(row=row, column=idx, value=value)
        ranges[name] = f"{quote_sheetname(LISTS)}!${letter}$2:${letter}${len(values) + 1}"
    return ranges


def _list(ws, source: str, rng: str, title: str, strict: bool = True) -> None:
    dv = DataValidation(type="list", formula1=source, allow_blank=True, showDropDown=False)
    dv.error = "Выберите значение из списка."
    dv.errorTitle = title
    dv.errorStyle = "stop" if strict else "warning"   # synonyms («да», «н») are still accepted
    dv.add(rng)
    ws.add_data_validation(dv)


def _info_tab(ws, tab, regulation_id: str | None, year: SchoolYear) -> None:
    ws.append(["Показатель", "Значение"])
    for cell in ws[1]:
        cell.font, cell.fill = BOLD, HEADER_FILL
    for column in tab.columns:
        value = {"regulation": regulation_id, "school_year": year.label}.get(column.key)
        ws.append([column.header, value])
        if column.type == "date":
            ws.cell(row=ws.max_row, column=2).number_format = "DD.MM.YYYY"
        if column.type == "text_list":             # one item per line (Alt+Enter)
            ws.cell(row=ws.max_row, column=2).alignment = Alignment(wrap_text=True, vertical="top")
        if column.required:
            ws.cell(row=ws.max_row, column=1).font = BOLD
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == "Положение")
    dv = DataValidation(type="list", formula1=f"{quote_sheetname(LISTS)}!$" +
                        get_column_letter(len(load_layout().enums) + 1) + "$2:$" +
                        get_column_letter(len(load_layout().enums) + 1) + f"${len(available()) + 1}",
                        allow_blank=True)
    dv.add(f"B{row}")
    ws.add_data_validation(dv)
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 70
    ws.freeze_panes = "A2"
