"""RawWorkbook → typed Workbook plus findings about its structure and cells.

The one entry point of the schema stage.  It never raises on bad content: every
problem becomes a finding and the rest of the workbook is still read, so a person
sees all their mistakes at once rather than one per upload.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from service.schema.time_zones import parse as parse_zone
from service.schema.cells import CellError, SchoolYear, parse_date, parse_email, parse_lines, parse_school_year
from service.schema.findings import Finding, finding
from service.schema.layout import Layout, Tab, load_layout
from service.schema.records import (
    ABSENT, Achievement, AgendaItem, AttendanceMark, Info, Meeting, Member, Need, PlanItem, UndatedMeeting, Workbook,
)
from service.schema.resolve import resolve_references
from service.schema.table import CellReader, find_header, read_rows
from service.schema.text import clean, key, shown
from service.sources.base import RawTab, RawWorkbook, a1, column_letter, is_blank


def read_workbook(raw: RawWorkbook, as_of: dt.date, layout: Layout | None = None) -> tuple[Workbook, list[Finding]]:
    layout = layout or load_layout()
    findings: list[Finding] = []
    tabs = _match_tabs(raw, layout, findings)

    info = _read_info(tabs.get("info"), layout.tabs["info"], findings)
    year = info.school_year
    if year is None:
        year = SchoolYear.of(as_of)
        if "info" in tabs:
            findings.append(finding(
                "info.school_year",
                f"В «Сведениях» не указан учебный год; проверка ведётся за {year.title} учебный год.",
                sheet=tabs["info"].title))
    reader = CellReader(layout, year)
    wb = Workbook(name=raw.name, info=info, sheets={k: t.title for k, t in tabs.items()})

    rows = {}
    for tab_key in ("members", "meetings", "agenda", "plan", "achievements", "needs"):
        raw_tab = tabs.get(tab_key)
        if raw_tab is None:
            continue
        header = find_header(raw_tab, layout.tabs[tab_key], findings)
        rows[tab_key] = read_rows(raw_tab, layout.tabs[tab_key], header, reader, findings) if header else []

    for r in rows.get("members", []):
        if r.values.get("full_name"):
            wb.members.append(Member(row=r.number, cells=r.cells, **r.values))
    for r in rows.get("meetings", []):
        v = r.values
        if v.get("number") is None or v.get("date") is None:
            if v.get("number") is not None:
                typed = r.failed.get("date")
                wb.undated_meetings.setdefault(v["number"], UndatedMeeting(
                    v["number"], r.cells.get("date", ""), None if typed is None else shown(typed)))
            continue
        wb.meetings.append(Meeting(
            row=r.number, number=v["number"], date=v["date"], form=v.get("form"), place=v.get("place"),
            chair_name=v.get("chair"), secretary_name=v.get("secretary"), status=v.get("status"),
            topic=v.get("topic"), invited=v.get("invited"), cells=r.cells))
    for r in rows.get("agenda", []):
        v = r.values
        if v.get("meeting") is None or v.get("number") is None:
            continue
        wb.agenda.append(AgendaItem(row=r.number, cells=r.cells, question=v.get("question") or "", **{
            k: v.get(k) for k in ("meeting", "number", "heard", "spoke", "decided",
                                  "votes_for", "votes_against", "votes_abstained")}))
    for r in rows.get("plan", []):
        v = r.values
        if v.get("event") is None:
            continue
        wb.plan.append(PlanItem(row=r.number, number=v.get("number") or 0, event=v["event"], due=v.get("due"),
                                form=v.get("form"), responsible=v.get("responsible"), mark=v.get("mark"),
                                audience=v.get("audience"), cells=r.cells))
    for r in rows.get("achievements", []):
        v = r.values
        if v.get("full_name") is None or v.get("kind") is None:
            continue
        wb.achievements.append(Achievement(row=r.number, cells=r.cells, **v))
    for r in rows.get("needs", []):
        v = r.values
        if v.get("full_name") is None or v.get("need") is None:
            continue
        wb.needs.append(Need(row=r.number, cells=r.cells, **v))

    if "attendance" in tabs:
        _read_attendance(tabs["attendance"], layout, wb, findings)
    resolve_references(wb, year, set(wb.undated_meetings), findings)
    return wb, findings


def _match_tabs(raw: RawWorkbook, layout: Layout, findings: list[Finding]) -> dict[str, RawTab]:
    found: dict[str, RawTab] = {}
    for raw_tab in raw.tabs:
        tab = layout.tab_for_title(raw_tab.title)
        if tab and tab.key not in found:
            found[tab.key] = raw_tab
            if raw_tab.truncated_at:
                findings.append(finding(
                    "sheet.too_many_rows",
                    f"На листе «{raw_tab.title}» слишком много строк; прочитаны строки до "
                    f"{raw_tab.truncated_at - 1}, остальные пропущены.",
                    sheet=raw_tab.title, cell=a1(raw_tab.truncated_at, 1)))
    present = ", ".join(f"«{t}»" for t in raw.titles()) or "нет ни одного листа"
    for tab in layout.tabs.values():
        if tab.required and tab.key not in found:
            findings.append(finding(
                "sheet.missing",
                f"Нет листа «{tab.title}». Листы в файле: {present}.",
                sheet=tab.title))
    return found


def _read_info(raw: RawTab | None, tab: Tab, findings: list[Finding]) -> Info:
    """Сведения: a key in column A and its value in column B, in any order."""
    info = Info()
    if raw is None:
        return info
    for number, values in raw.rows:
        if not values or is_blank(values[0]):
            continue
        column = tab.header_index.get(key(values[0]))
        if column is None or column.key in info.cells:
            continue
        cell = a1(number, 2)
        info.cells[column.key] = cell
        value = values[1] if len(values) > 1 else None
        if is_blank(value):
            continue
        try:
            if column.type == "date":
                parsed: Any = parse_date(value)
            elif column.type == "school_year":
                parsed = parse_school_year(value)
            elif column.type == "email":
                parsed = parse_email(value)
            elif column.type == "text_list":
                parsed = parse_lines(value)
            else:
                parsed = clean(str(value))
        except CellError as err:
            findings.append(finding(err.code, f"{cell}: {err.message}", sheet=raw.title, cell=cell))
            continue
        setattr(info, column.key, parsed)
    if info.time_zone is not None:
        if parse_zone(info.time_zone) is None:
            cell = info.cells.get("time_zone")
            findings.append(finding(
                "info.bad_time_zone",
                f"{cell}: часовой пояс «{info.time_zone}» не распознан; укажите город («Новосибирск»), «МСК+4» "
                "или «UTC+7». Пока время показывается по территории объединения.", sheet=raw.title, cell=cell))
            info.time_zone = None
    if info.place is None:
        cell = info.cells.get("place")
        where = f"{cell}: не заполнено" if cell else "В «Сведениях» нет строки"
        findings.append(finding(
            "info.place_missing",
            f"{where} «Место составления» — населённый пункт, где составляются документы (например, "
            "«с. Здвинск», «г. Новокузнецк»); в документах место составления останется пустым.",
            sheet=raw.title, cell=cell))
    for column in tab.columns:
        if column.required and getattr(info, column.key) is None:
            cell = info.cells.get(column.key)
            where = f"{cell}: не заполнено" if cell else "нет строки"
            findings.append(finding("cell.required", f"{where} «{column.header}» в «Сведениях».",
                                    sheet=raw.title, cell=cell))
    return info


_NUMBERED = re.compile(r"^(?:заседание)?\s*№?\s*(\d{1,3})$")


def _read_attendance(raw: RawTab, layout: Layout, wb: Workbook, findings: list[Finding]) -> None:
    """Посещаемость: ФИО and one column per meeting, headed by number or date."""
    tab = layout.tabs["attendance"]
    header = find_header(raw, tab, findings)
    if header is None:
        return
    name_idx = header.columns["full_name"]
    by_date: dict[dt.date, list[int]] = {}
    for m in wb.meetings:
        by_date.setdefault(m.date, []).append(m.number)
    numbers = {m.number for m in wb.meetings}
    columns: dict[int, int] = {}
    data = [values for number, values in raw.rows if number > header.row]
    for idx, title in header.extra.items():
        cell = a1(header.row, idx + 1)
        number = _meeting_of_header(title, by_date)
        if number in wb.undated_meetings:
            continue          # the meeting exists; its date finding says what to fix
        if number is None or number not in numbers:
            if not any(idx < len(v) and not is_blank(v[idx]) for v in data):
                continue          # a column prepared for a future meeting, still empty
            findings.append(finding(
                "ref.unknown_meeting",
                f"{cell}: столбец «{shown(title)}» не соответствует ни одному заседанию "
                "(ожидается номер заседания, например «№2», или его дата).",
                sheet=raw.title, cell=cell))
            continue
        if not any(idx < len(v) and not is_blank(v[idx]) for v in data):
            continue          # not filled in yet: «no attendance», not «nobody came»
        columns[idx] = number
    wb.attendance_columns = set(columns.values())
    marks = layout.enums["mark"]
    letters = {idx: column_letter(idx + 1) for idx in columns}
    marked = list(columns.items())
    append = wb.attendance.append                # 20 000 marks in a large register: kept tight
    known: dict = {}                             # a register repeats a handful of marks: each read once
    for number, values in raw.rows:
        if number <= header.row:
            continue
        name = values[name_idx] if name_idx < len(values) else None
        if is_blank(name):
            continue
        name = clean(str(name))
        width = len(values)
        for idx, meeting in marked:
            value = values[idx] if idx < width else None
            cell = f"{letters[idx]}{number}"
            if value is None or (value.__class__ is str and not value.strip()):
                mark = ABSENT
            elif (mark := known.get(value)) is None:
                try:
                    mark = known[value] = marks.read(value)
                except CellError:
                    findings.append(finding(
                        "cell.bad_choice",
                        f"{cell}: «{shown(value)}» — непонятная отметка. Присутствие: «+», «да», «1»; "
                        "отсутствие: «-», «н», пусто; уважительная причина: «у», «б», «уваж».",
                        sheet=raw.title, cell=cell, meeting=meeting))
                    continue
            append(AttendanceMark(meeting, name, None, mark, cell))


def _meeting_of_header(title: Any, by_date: dict[dt.date, list[int]]) -> int | None:
    if isinstance(title, (int, float)) and not isinstance(title, bool) and float(title).is_integer() and 0 < title < 1000:
        return int(title)
    m = _NUMBERED.match(clean(str(title)).lower())
    if m:
        return int(m.group(1))
    try:
        day = parse_date(title)
    except CellError:
        return None
    matches = by_date.get(day, [])
    return matches[0] if len(matches) == 1 else None
