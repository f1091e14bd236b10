"""Which findings stop which document.

A data error refuses only the documents it would appear in: a wrong category of an
ordinary member makes the annual analysis wrong, not the order (which prints no
categories), so for the order it is a note the person sees while the order is made.
Some refusals no `--force` overrides: a cancelled meeting has no protocol and no
registration sheet, and a meeting whose date cannot be read cannot be dated.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from service.domain.rules.roles import ROLE_CODES, ROLE_GENITIVE
from service.domain.young import items_for_young
from service.pipeline import Report
from service.render.contexts.order import order_day
from service.schema.findings import ERROR, WARNING, Finding, finding
from service.schema.records import CANCELLED, HEAD, HELD, Member, Workbook
from service.schema.regulations import OrderSpec

# Findings about the data itself, as opposed to breaches of the regulation, which an
# analysis reports on rather than being stopped by.
DATA_CODES = ("cell.", "ref.", "member.", "sheet.", "column.", "meeting.duplicate", "agenda.duplicate")


class BadRequest(ValueError):
    """The request names a meeting or plan item that does not exist (an argument error)."""


@dataclass
class Problems:
    blocking: list[Finding] = field(default_factory=list)   # refuse, unless forced (then a red block inside)
    final: list[Finding] = field(default_factory=list)      # refuse, whatever is forced
    notes: list[Finding] = field(default_factory=list)      # say so while generating; the document is right


def _is_data(f: Finding) -> bool:
    return f.code.startswith(DATA_CODES)


def _cells(members: list[Member], fields: tuple[str, ...]) -> set[str]:
    return {m.cells[k] for m in members for k in fields if m.cells.get(k)}


def _member_errors(report: Report, members: list[Member], printed: tuple[str, ...]) -> tuple[list, list]:
    """Errors on «Состав»: those in cells the document prints (or about whole rows and
    columns) block it; the rest are notes."""
    sheet = report.data.sheets.get("members")
    shown = _cells(members, printed)
    blocking, notes = [], []
    for f in report.findings:
        if f.severity != ERROR or f.sheet != sheet or not _is_data(f):
            continue                  # breaches of the regulation (roles, categories) are judged per document
        if f.cell is None or f.cell in shown or f.code in ("member.duplicate", "member.left_before_joined"):
            blocking.append(f)
        else:
            notes.append(f)
    return blocking, notes


def _unique(findings: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in findings:
        k = (f.code, f.cell, f.meeting, f.message)
        if k not in seen:
            seen.add(k)
            out.append(f)
    return out


def _other_errors(report: Report, *used: list[Finding]) -> list[Finding]:
    """Data errors elsewhere in the workbook: the document is right without them, but the
    person making it should know the register needs fixing."""
    taken = {id(f) for group in used for f in group}
    return [f for f in report.findings if f.severity == ERROR and _is_data(f) and id(f) not in taken]


def problems(report: Report, kind: str, today: dt.date, meeting: int | None = None, plan_item: int | None = None,
             order_date: dt.date | None = None) -> Problems:
    check = CHECKS[kind]
    p = check(report, today, meeting=meeting, plan_item=plan_item, order_date=order_date)
    p.blocking, p.final = _unique(p.blocking), _unique(p.final)
    p.notes = _unique([f for f in p.notes if id(f) not in {id(x) for x in p.blocking + p.final}])
    return p


# ---------------------------------------------------------------- meetings

def _meeting(report: Report, number: int | None, what: str) -> tuple:
    """The meeting asked for, or the final reason there is none to make `what` for."""
    wb = report.data
    if number is None:
        raise BadRequest("укажите номер заседания: --meeting N")
    m = wb.meeting(number)
    if m is not None:
        return m, []
    undated = wb.undated_meetings.get(number)
    if undated is not None:
        typed = f"дата «{undated.typed}» не читается" if undated.typed else "не указана дата"
        return None, [finding("cell.bad_date",
                              f"{undated.cell}: заседание №{number}: {typed} — {what} не составить, пока дата не "
                              f"исправлена на листе «{wb.sheets.get('meetings', 'Заседания')}».",
                              sheet=wb.sheets.get("meetings"), cell=undated.cell, meeting=number)]
    known = ", ".join(str(x) for x in sorted({x.number for x in wb.meetings} | set(wb.undated_meetings)))
    raise BadRequest(f"заседания №{number} нет на листе «Заседания» (есть: {known or 'нет ни одного'})")


def _cancelled(report: Report, m, today: dt.date, what: str) -> list[Finding]:
    if m.state(today) != CANCELLED:
        return []
    return [finding("document.cancelled",
                    f"Заседание №{m.number} от {m.date:%d.%m.%Y} отменено (статус «{m.status}»): {what} по нему "
                    "не составляется.", sheet=report.data.sheets.get("meetings"), cell=m.cells.get("status"),
                    meeting=m.number)]


def _protocol(report: Report, today: dt.date, meeting: int | None, **_) -> Problems:
    wb = report.data
    m, final = _meeting(report, meeting, "протокол")
    if m is None:
        return Problems(final=final)
    final = _cancelled(report, m, today, "протокол")
    blocking = [f for f in report.findings if f.severity == ERROR and f.meeting == m.number]
    where = {"sheet": wb.sheets.get("meetings"), "cell": m.cells.get("status"), "meeting": m.number}
    if not final and m.state(today) != HELD:
        blocking.append(finding("document.not_held",
                                f"Заседание №{m.number} от {m.date:%d.%m.%Y} не проведено (статус «{m.state(today)}»): "
                                "протокол составляется после заседания.", **where))
    for role, name, key in (("председатель", m.chair_name, "chair"), ("секретарь", m.secretary_name, "secretary")):
        if not name and not any(f.code == "meeting.no_signers" for f in blocking):
            blocking.append(finding("meeting.no_signers",
                                    f"Заседание №{m.number}: не указан {role} — протокол некому подписать.",
                                    sheet=wb.sheets.get("meetings"), cell=m.cells.get(key), meeting=m.number))
    if not wb.agenda_of(m.number):
        blocking.append(finding("document.missing_data",
                                f"У заседания №{m.number} нет вопросов на листе «Повестка»: протокол был бы пуст.",
                                sheet=wb.sheets.get("agenda"), meeting=m.number))
    members, notes = _member_errors(report, wb.members_on(m.date), ("full_name", "organisation", "position",
                                                                    "role", "joined", "left"))
    return Problems(blocking=blocking + members, final=final, notes=notes + _other_errors(report, blocking, members))


def _registration(report: Report, today: dt.date, meeting: int | None, plan_item: int | None, **_) -> Problems:
    wb = report.data
    final: list[Finding] = []
    day = min(today, report.year.last_day)
    if meeting is not None:
        m, final = _meeting(report, meeting, "лист регистрации")
        if m is None:
            return Problems(final=final)
        final, day = _cancelled(report, m, today, "лист регистрации"), m.date
    elif plan_item is not None:
        item = next((p for p in wb.plan if p.number == plan_item), None)
        if item is None:
            raise BadRequest(f"мероприятия №{plan_item} нет в плане")
    else:
        raise BadRequest("укажите --meeting N или --plan-item N")
    blocking: list[Finding] = []
    if not wb.members:
        blocking.append(finding("document.missing_data", "Лист «Состав» пуст: некого вносить в лист регистрации.",
                                sheet=wb.sheets.get("members")))
    members, notes = _member_errors(report, wb.members_on(day), ("full_name", "organisation", "position",
                                                                 "joined", "left"))
    return Problems(blocking=blocking + members, final=final, notes=notes + _other_errors(report, members))


# ---------------------------------------------------------------- the order

def _order(report: Report, today: dt.date, order_date: dt.date | None, **_) -> Problems:
    wb, reg = report.data, report.regulation
    spec = reg.order if reg else OrderSpec()
    on = order_day(report, order_date)
    members = wb.members_on(on)
    sheet = wb.sheets.get("members")
    day = f"{on:%d.%m.%Y} ({'дата приказа' if order_date else 'начало учебного года'})"
    later = "" if order_date else " Если приказ издаётся позже, укажите его дату: состав берётся на дату приказа."
    blocking, notes = _member_errors(report, members, ("full_name", "organisation", "position", "role",
                                                      "joined", "left"))
    for role in spec.appoints:
        holders = [m for m in members if m.role == role]
        if not holders:
            blocking.append(finding(ROLE_CODES[role], f"На {day} в составе нет {ROLE_GENITIVE[role]}: приказу "
                                    f"некого назначить; укажите «{role}» в столбце «Роль в МО» (и «Дата включения»)"
                                    + (f" ({spec.clause} Положения)." if spec.clause else ".") + later,
                                    sheet=sheet, clause=spec.clause))
        elif len(holders) > 1:
            blocking.append(finding("role.several_heads" if role == HEAD else ROLE_CODES[role],
                                    f"На {day} в составе несколько человек с ролью «{role}»: "
                                    + ", ".join(m.full_name for m in holders) + " — приказ назначает одного.",
                                    severity=ERROR, sheet=sheet, cell=holders[1].cells.get("role")))
    if not members:
        blocking.append(finding("document.missing_data", f"На {day} в составе никого нет: приказу нечего "
                                                         f"утверждать.{later}", sheet=sheet))
    if not wb.info.founder and not (reg and reg.founder):
        blocking.append(finding("document.missing_data",
                                "Не указан «Учредитель» в «Сведениях»: неясно, кто издаёт приказ.",
                                sheet=wb.sheets.get("info"), cell=wb.info.cells.get("founder")))
    if spec.curator and not wb.info.curator:
        blocking.append(finding("document.missing_data",
                                f"Не указан «Куратор» в «Сведениях»: приказом назначается куратор "
                                f"({spec.clause} Положения).",
                                sheet=wb.sheets.get("info"), cell=wb.info.cells.get("curator"), clause=spec.clause))
    if spec.direction and not wb.info.theme:
        notes.append(_gap(wb, "theme", "«Методическая тема»: направление деятельности в приказе останется пустым "
                                       "для заполнения от руки"))
    return Problems(blocking=blocking, notes=notes + _other_errors(report, blocking, notes))


def _gap(wb: Workbook, key: str, text: str) -> Finding:
    return finding("document.missing_data", f"В «Сведениях» не заполнено {text}.", severity=WARNING,
                   sheet=wb.sheets.get("info"), cell=wb.info.cells.get(key))


# ---------------------------------------------------------------- plan and analysis

def _printed_meeting_cells(wb: Workbook) -> set[tuple[str | None, str]]:
    """(sheet, cell) of what a plan prints of «Заседания» and «Повестка»."""
    meetings, agenda = wb.sheets.get("meetings"), wb.sheets.get("agenda")
    cells = {(meetings, c) for m in wb.meetings for k, c in m.cells.items()
             if k in ("number", "date", "topic", "status")}
    cells |= {(meetings, u.cell) for u in wb.undated_meetings.values()}
    cells |= {(agenda, c) for a in wb.agenda for k, c in a.cells.items() if k in ("meeting", "number", "question",
                                                                                 "heard")}
    return cells


def _work_plan(report: Report, today: dt.date, **_) -> Problems:
    wb = report.data
    plan_sheet = wb.sheets.get("plan")
    printed = _printed_meeting_cells(wb)
    blocking = [f for f in report.findings if f.severity == ERROR and (
        f.sheet == plan_sheet or f.code == "plan.missing" or (_is_data(f) and (f.sheet, f.cell) in printed))]
    stamps = report.regulation.stamps("work-plan") if report.regulation else ()
    if any(s.signer == "head" for s in stamps) and not any(m.role == HEAD for m in wb.members_on(
            min(today, report.year.last_day))):
        clause = next(s.clause for s in stamps if s.signer == "head")
        blocking.append(finding("role.no_head", f"В составе нет руководителя: гриф «УТВЕРЖДАЮ» плана некому "
                                                f"подписать ({clause} Положения).", sheet=wb.sheets.get("members"),
                                clause=clause))
    notes = [_gap(wb, key, f"«{label}»: в плане этого раздела нет")
             for key, label in (("theme", "Методическая тема"), ("aim", "Цель"), ("tasks", "Задачи"))
             if not getattr(wb.info, key)]
    return Problems(blocking=blocking, notes=notes + _other_errors(report, blocking))


def _annual_report(report: Report, today: dt.date, **_) -> Problems:
    wb = report.data
    data_sheets = {wb.sheets.get(k) for k in ("members", "meetings", "agenda", "attendance", "plan", "achievements")}
    blocking = [f for f in report.findings if f.severity == ERROR and (
        f.code == "plan.missing" or (_is_data(f) and f.sheet in data_sheets))]
    notes = [_gap(wb, key, f"«{label}»: в анализе этого раздела нет")
             for key, label in (("theme", "Методическая тема"), ("aim", "Цель"), ("tasks", "Задачи"),
                                ("problems", "Проблемы"), ("next_tasks", "Задачи на следующий год"))
             if not getattr(wb.info, key)]
    return Problems(blocking=blocking, notes=notes + _other_errors(report, blocking))


# ---------------------------------------------------------------- the documents each regulation requires

def _sheet_errors(report: Report, *tabs: str) -> list[Finding]:
    """Data errors on the tabs a document is built from."""
    sheets = {report.data.sheets.get(t) for t in tabs} - {None}
    return [f for f in report.findings if f.severity == ERROR and _is_data(f) and f.sheet in sheets]


def _no_members(report: Report, day: dt.date, what: str) -> list[Finding]:
    if report.data.members_on(day):
        return []
    return [finding("document.missing_data", f"В составе на {day:%d.%m.%Y} никого нет: {what}.",
                    sheet=report.data.sheets.get("members"))]


def _members_printed(report: Report, today: dt.date, fields: tuple[str, ...], what: str, *tabs: str) -> Problems:
    """A document listing the members on the reference day with `fields` of theirs, and
    what the other `tabs` give it."""
    day = min(today, report.year.last_day)
    members, notes = _member_errors(report, report.data.members_on(day), fields)
    blocking = _no_members(report, day, what) + members + _sheet_errors(report, *tabs)
    return Problems(blocking=blocking, notes=notes + _other_errors(report, blocking, notes))


BANK_FIELDS = ("full_name", "organisation", "position", "role", "education", "experience", "category",
               "category_date", "szd_date", "birth_date", "email", "phone", "joined", "left", "titles_awards",
               "authored_works")


def _data_bank(report: Report, today: dt.date, **_) -> Problems:
    return _members_printed(report, today, BANK_FIELDS, "банк данных был бы пуст", "achievements")


def _attestation(report: Report, today: dt.date, **_) -> Problems:
    return _members_printed(report, today, ("full_name", "organisation", "position", "category", "category_date",
                                            "szd_date", "experience", "joined", "left"), "графику некого включать")


def _young(report: Report, today: dt.date, **_) -> Problems:
    p = _members_printed(report, today, ("full_name", "organisation", "position", "experience", "joined", "left"),
                         "плану не для кого составляться", "plan")
    if not items_for_young(report.data):
        p.blocking.append(finding(
            "document.missing_data", "В «Плане» нет мероприятий для молодых и вновь прибывших специалистов: отметьте "
            "их значением «молодые и вновь прибывшие специалисты» в столбце «Для кого» — иначе план пуст.",
            sheet=report.data.sheets.get("plan", "План")))
    return p


def _needs(report: Report, today: dt.date, **_) -> Problems:
    wb = report.data
    blocking = _sheet_errors(report, "needs")
    if not wb.needs:
        blocking.append(finding(
            "document.missing_data",
            (f"Лист «{wb.sheets['needs']}» пуст" if "needs" in wb.sheets else "В книге нет листа «Потребности»")
            + ": сведения о профессиональных потребностях составляются по нему (столбцы «ФИО», «Затруднение / "
              "потребность», «Форма помощи», «Срок»).", sheet=wb.sheets.get("needs", "Потребности")))
    members, notes = _member_errors(report, [n.member for n in wb.needs if n.member], ("full_name", "organisation",
                                                                                       "position"))
    return Problems(blocking=blocking + members, notes=notes + _other_errors(report, blocking, members))


def _practices(report: Report, today: dt.date, **_) -> Problems:
    wb = report.data
    blocking = _sheet_errors(report, "achievements")
    found = [a for a in wb.achievements if a.kind == "практика"]
    if not found:
        blocking.append(finding(
            "document.missing_data", "На листе «Достижения» нет записей вида «практика»: банку практик нечего "
            "включать.", sheet=wb.sheets.get("achievements", "Достижения")))
    members, notes = _member_errors(report, [a.member for a in found if a.member], ("full_name", "organisation",
                                                                                   "position"))
    return Problems(blocking=blocking + members, notes=notes + _other_errors(report, blocking, members))


def _cyclogram(report: Report, today: dt.date, **_) -> Problems:
    wb = report.data
    blocking = _work_plan(report, today).blocking
    blocking = [f for f in blocking if f.code != "role.no_head"]      # the cyclogram carries no approval stamp
    if not wb.plan and not wb.meetings:
        blocking.append(finding("document.missing_data", "Ни заседаний, ни мероприятий плана: циклограмма была бы "
                                                          "пуста.", sheet=wb.sheets.get("plan")))
    return Problems(blocking=blocking, notes=_other_errors(report, blocking))


CHECKS = {"protocol": _protocol, "registration-sheet": _registration, "order": _order, "work-plan": _work_plan,
          "annual-report": _annual_report, "data-bank": _data_bank, "attestation-schedule": _attestation,
          "cyclogram": _cyclogram, "young-specialists-plan": _young, "needs": _needs, "portfolio": _annual_report,
          "self-assessment": _annual_report, "practices": _practices}
