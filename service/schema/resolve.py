"""Cross-sheet references: people named on other tabs, meetings named by number.

Done after every tab is read, so a chair typed «Иванова М.П.» on Заседания can be
matched with «Иванова Мария Петровна» on Состав.
"""
from __future__ import annotations

from service.schema.cells import SchoolYear
from service.schema.findings import WARNING, Finding, finding
from service.schema.names import NameIndex, NameKey
from service.russian.declension import name_gender
from service.schema.records import CANCELLED, EXCUSED, PRESENT, Member, Workbook


def resolve_references(wb: Workbook, year: SchoolYear, broken_meetings: set[int],
                       findings: list[Finding]) -> None:
    sheets = wb.sheets
    index = _members(wb, findings)

    def person(name: str, sheet: str, cell: str | None, what: str, severity: str | None = None,
               meeting: int | None = None, note: str = "") -> Member | None:
        found = index.find(name)
        if len(found) == 1:
            return found[0]  # type: ignore[return-value]
        if not found:
            findings.append(finding(
                "ref.unknown_member",
                f"{cell}: {what} «{name}» — такого человека нет в «Составе»{note}.",
                severity=severity, sheet=sheet, cell=cell, member=name, meeting=meeting))
        else:
            names = ", ".join(f"«{m.full_name}»" for m in found)  # type: ignore[attr-defined]
            findings.append(finding(
                "ref.ambiguous_member", f"{cell}: «{name}» может означать {names}; укажите ФИО полностью.",
                sheet=sheet, cell=cell, member=name, meeting=meeting))
        return None

    seen: dict[int, int] = {}
    for m in wb.meetings:
        if m.number in seen:
            findings.append(finding(
                "meeting.duplicate", f"{m.cells['number']}: заседание №{m.number} уже записано в строке {seen[m.number]}.",
                sheet=sheets["meetings"], cell=m.cells["number"], meeting=m.number))
        seen.setdefault(m.number, m.row)
        if not year.contains(m.date):
            findings.append(finding(
                "meeting.outside_year",
                f"{m.cells['date']}: заседание №{m.number} ({m.date:%d.%m.%Y}) вне {year.title} учебного года.",
                sheet=sheets["meetings"], cell=m.cells["date"], meeting=m.number))
        if m.chair_name:
            m.chair = person(m.chair_name, sheets["meetings"], m.cells.get("chair"), "председатель", meeting=m.number)
        if m.secretary_name:
            m.secretary = person(m.secretary_name, sheets["meetings"], m.cells.get("secretary"), "секретарь",
                                 meeting=m.number)

    known = set(seen) | broken_meetings
    items: dict[tuple[int, int], int] = {}
    for item in wb.agenda:
        if item.meeting not in known:
            findings.append(finding(
                "ref.unknown_meeting",
                f"{item.cells['meeting']}: заседания №{item.meeting} нет на листе «{sheets.get('meetings', 'Заседания')}».",
                sheet=sheets["agenda"], cell=item.cells["meeting"], meeting=item.meeting))
        pair = (item.meeting, item.number)
        if pair in items:
            findings.append(finding(
                "agenda.duplicate",
                f"{item.cells['number']}: вопрос №{item.number} заседания №{item.meeting} уже записан в строке {items[pair]}.",
                sheet=sheets["agenda"], cell=item.cells["number"], meeting=item.meeting))
        items.setdefault(pair, item.row)

    resolved: dict[str, Member | None] = {}     # one finding per person, not per meeting column
    for mark in wb.attendance:
        if mark.name not in resolved:
            resolved[mark.name] = person(mark.name, sheets["attendance"], mark.cell, "участник", severity=WARNING,
                                         note="; учитывается как приглашённый, не как член МО")
        mark.member = resolved[mark.name]
    for a in wb.achievements:
        a.member = person(a.full_name, sheets["achievements"], a.cells.get("full_name"), "педагог", severity=WARNING,
                          note="; достижение учтено, но не привязано к члену МО")
    for n in wb.needs:
        n.member = person(n.full_name, sheets["needs"], n.cells.get("full_name"), "педагог", severity=WARNING,
                          note="; потребность учтена, но без ОО и должности")
    findings.extend(_absent_signers(wb))


def _absent_signers(wb: Workbook):
    """A protocol is signed by the chair and the secretary who were there: «Посещаемость»
    marking either of them absent contradicts «Заседания», and one of the two is wrong."""
    for m in wb.meetings:
        if m.status == CANCELLED:
            continue
        marks = {id(a.member): a for a in wb.marks_of(m.number) if a.member is not None}
        for field_key, who, role, whom in (("chair", m.chair, "председатель", "председателя"),
                                           ("secretary", m.secretary, "секретарь", "секретаря")):
            mark = marks.get(id(who)) if who is not None else None
            if mark is None or mark.mark == PRESENT:
                continue
            female = name_gender(who.full_name) == "femn"
            was = "отсутствовала" if female else "отсутствовал"
            why = " по уважительной причине" if mark.mark == EXCUSED else ""
            cell = m.cells.get(field_key)
            yield finding(
                "meeting.signer_absent",
                f"{cell}: {role} заседания №{m.number} от {m.date:%d.%m.%Y} — {who.full_name}, а по листу "
                f"«{wb.sheets.get('attendance', 'Посещаемость')}» ({mark.cell}) {'она' if female else 'он'} {was}{why}: "
                f"укажите верного {whom} заседания или исправьте отметку.",
                sheet=wb.sheets.get("meetings"), cell=cell, meeting=m.number, member=who.full_name)


def _members(wb: Workbook, findings: list[Finding]) -> NameIndex:
    index = NameIndex()
    seen: dict[str, Member] = {}
    for m in wb.members:
        k = NameKey.parse(m.full_name)
        if k and k.full in seen:
            findings.append(finding(
                "member.duplicate",
                f"{m.cells['full_name']}: «{m.full_name}» уже записан(а) в строке {seen[k.full].row}.",
                sheet=wb.sheets["members"], cell=m.cells["full_name"], member=m.full_name))
            continue
        if k:
            seen[k.full] = m
        if m.joined and m.left and m.left < m.joined:
            findings.append(finding(
                "member.left_before_joined",
                f"{m.cells['left']}: дата выбытия {m.left:%d.%m.%Y} раньше даты включения {m.joined:%d.%m.%Y}.",
                sheet=wb.sheets["members"], cell=m.cells["left"], member=m.full_name))
        index.add(m.full_name, m)
    return index

