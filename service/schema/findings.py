"""Findings: every problem as data, with a stable code and a place a person can find.

Modelled on frictionless-py's errors: the code is for programs, the message is for
people (Russian), and the position (sheet, A1 cell) is the one shown in the sheet.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Iterable

from service.russian.plural import count as count_words

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITIES = (ERROR, WARNING, INFO)

# Every code the service can emit, with its usual severity and what it means.
# The README's table of codes is checked against this registry by a test.
CODES: dict[str, tuple[str, str]] = {
    # the file as a whole
    "workbook.unreadable": (ERROR, "Книга не читается: не книга электронной таблицы (.xlsx, .xlsm, .ods, .xls), "
                                   "повреждена, защищена паролем, содержит опасный XML; "
                                   "Google Таблица не открыта служебному аккаунту или Google ограничил запросы."),
    "workbook.too_large": (ERROR, "Файл больше допустимого, распаковывается в слишком большой объём (zip-бомба), "
                                  "лист занимает слишком много ячеек или книга не прочитана за отведённое время."),
    "findings.truncated": (INFO, "Замечаний больше предела: показаны первые, остальные опущены."),
    # structure
    "sheet.missing": (ERROR, "Нет обязательного листа (например, «Состав»)."),
    "sheet.too_many_rows": (ERROR, "На листе больше строк, чем допускает служба; строки после предела не прочитаны."),
    "column.missing": (ERROR, "На листе нет обязательного столбца (или его заголовок не распознан)."),
    "column.duplicate": (WARNING, "Два столбца с одинаковым заголовком; используется первый."),
    # cells
    "cell.required": (ERROR, "Обязательная ячейка пуста."),
    "cell.bad_date": (ERROR, "В ячейке не дата (или дата вне разумного диапазона)."),
    "cell.bad_number": (ERROR, "В ячейке не целое число."),
    "cell.bad_choice": (ERROR, "Значение не из списка допустимых (роль, категория, форма, статус, отметка)."),
    "cell.bad_email": (WARNING, "Адрес электронной почты записан неверно."),
    "cell.bad_phone": (WARNING, "Номер телефона записан неверно."),
    "cell.bad_url": (WARNING, "Ссылка записана неверно (нужен адрес http:// или https://); в документы не попадает."),
    "cell.not_a_category": (INFO, "«СЗД» — аттестация, а не квалификационная категория; учтено как «нет»."),
    # references between sheets
    "member.duplicate": (ERROR, "Один и тот же человек записан в «Составе» дважды."),
    "member.left_before_joined": (ERROR, "Дата выбытия раньше даты включения."),
    "ref.unknown_member": (ERROR, "Человек не найден в «Составе» (по ФИО или «Фамилия И.О.»)."),
    "ref.ambiguous_member": (ERROR, "Под «Фамилия И.О.» подходят несколько членов МО; укажите ФИО полностью."),
    "ref.unknown_meeting": (ERROR, "Заседание с таким номером или датой не найдено на листе «Заседания»."),
    "meeting.duplicate": (ERROR, "Два заседания с одним номером."),
    "meeting.outside_year": (WARNING, "Дата заседания вне учебного года, указанного в «Сведениях»."),
    "agenda.duplicate": (ERROR, "Два вопроса с одним номером в повестке одного заседания."),
    "agenda.empty": (WARNING, "У проведённого заседания нет ни одного вопроса повестки."),
    "info.school_year": (WARNING, "Учебный год не указан в «Сведениях»: взят год, в который попадает дата проверки."),
    "info.bad_time_zone": (WARNING, "«Часовой пояс» в «Сведениях» не распознан; время показывается по территории."),
    "info.place_missing": (INFO, "Не заполнено «Место составления» в «Сведениях»: в документах место остаётся пустым."),
    "regulation.unknown": (ERROR, "Положение с таким идентификатором неизвестно службе."),
    # documents
    "document.not_held": (ERROR, "Протокол можно составить только по проведённому заседанию."),
    "document.missing_data": (ERROR, "Для документа не хватает данных (учредитель, руководитель, повестка, состав)."),
    "document.cancelled": (ERROR, "Заседание отменено: протокол и лист регистрации по нему не составляются."),
    "documentation.no_data": (WARNING, "Для документа, который требует Положение, в книге нет данных (лист, столбец "
                                       "или записи нужного вида)."),
    # the regulation
    "meetings.too_few": (ERROR, "За период проведено меньше заседаний, чем требует Положение."),
    "meeting.no_quorum": (ERROR, "На заседании присутствовало не больше половины членов МО: решения неправомочны."),
    "meeting.no_attendance": (WARNING, "Для проведённого заседания нет отметок посещаемости: кворум не проверить."),
    "meeting.no_signers": (ERROR, "В заседании не указан председатель или секретарь, подписывающие протокол."),
    "meeting.wrong_chair": (ERROR, "Заседание ведёт не тот, кому это поручает Положение."),
    "meeting.wrong_secretary": (ERROR, "Протокол ведёт не тот, кто по Положению его подписывает."),
    "meeting.signer_absent": (ERROR, "Председатель или секретарь заседания отмечен на листе «Посещаемость» "
                                     "отсутствующим."),
    "decision.no_majority": (ERROR, "Решение не набрало простого большинства голосов."),
    "decision.votes_exceed_present": (ERROR, "Голосов больше, чем присутствовавших на заседании."),
    "agenda.no_decision": (ERROR, "По вопросу проведённого заседания не записано решение."),
    "role.no_head": (ERROR, "В составе нет руководителя."),
    "role.no_secretary": (ERROR, "В составе нет секретаря."),
    "role.no_deputy": (ERROR, "В составе нет заместителя руководителя."),
    "role.several_heads": (WARNING, "В составе несколько руководителей."),
    "head.category": (ERROR, "У руководителя нет требуемой квалификационной категории (или она истекла)."),
    "head.position": (ERROR, "Руководитель занимает не ту должность, которую требует Положение."),
    "member.position": (WARNING, "Должность члена не соответствует составу, который определяет Положение."),
    "composition.late": (WARNING, "Состав (руководитель) утверждён позже срока, установленного Положением."),
    "plan.missing": (ERROR, "План работы на учебный год не заполнен."),
    "plan.overdue": (WARNING, "Срок мероприятия плана прошёл, а отметки о выполнении нет (или «не выполнено»)."),
    "databank.stale": (ERROR, "Банк данных о членах МО не актуализирован к сроку Положения."),
    "report.deadline": (WARNING, "Нет отметки о представлении анализа работы к сроку Положения (или он представлен поздно)."),
    "attestation.due": (WARNING, "Квалификационная категория или аттестация на СЗД истекает в этом или следующем учебном году."),
    "attestation.expired": (WARNING, "Квалификационная категория истекла (присвоена до 01.09.2023 более пяти лет назад)."),
}


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str
    sheet: str | None = None
    cell: str | None = None
    clause: str | None = None
    meeting: int | None = None
    member: str | None = None
    period: str | None = None

    def __post_init__(self):
        if self.code not in CODES:
            raise ValueError(f"unregistered finding code: {self.code}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"bad severity: {self.severity}")

    def as_dict(self) -> dict:
        return asdict(self)


def without_cell(message: str, cell: str | None) -> str:
    """Messages start with their cell («G6: …») so they read alone; where the cell has its
    own column (text report, web page) it is not repeated."""
    return message[len(cell) + 2:] if cell and message.startswith(f"{cell}: ") else message


def finding(code: str, message: str, *, severity: str | None = None, **where) -> Finding:
    """A finding with the code's usual severity unless told otherwise."""
    return Finding(code=code, severity=severity or CODES[code][0], message=message, **where)


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    result = {s: 0 for s in SEVERITIES}
    for f in findings:
        result[f.severity] += 1
    return result


def bounded(findings: list[Finding], limit: int) -> list[Finding]:
    """Keep the most severe `limit` findings and say how many were left out."""
    if len(findings) <= limit:
        return findings
    order = {ERROR: 0, WARNING: 1, INFO: 2}
    kept = sorted(findings, key=lambda f: order[f.severity])[:limit]
    shown = "Показано" if limit % 10 == 1 and limit % 100 != 11 else "Показаны"
    kept.append(finding("findings.truncated", f"{shown} {count_words(limit, 'замечание', 'замечания', 'замечаний')} "
                                              f"из {len(findings)}; исправьте их и проверьте снова."))
    return kept
