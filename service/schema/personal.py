"""Members' personal data (152-ФЗ): birth date, e-mail and phone.  Only those who may see
it (service/accounts/principal.py `view_personal`) are shown it, and every view is
journaled — so a finding, which every member of the association sees and which is kept in
snapshots and job results, names the cell and its column but never quotes the value.
Findings stored before this rule (older snapshots, job results) are redacted when shown."""
from __future__ import annotations

import re

from service.schema.layout import load_layout

FIELDS = ("birth_date", "email", "phone")

# what the cell should hold, for each code a personal cell can fail with
_EXPECTED = {
    "cell.bad_date": "нужна дата, например 05.03.1985",
    "cell.bad_email": "нужен адрес электронной почты, например ivanova@school.ru",
    "cell.bad_phone": "нужен номер телефона, например +7 383 612-34-56",
}
_HIDDEN = "значение не показано: это личные данные"
_QUOTED = re.compile(r"^(?P<cell>[A-Z]{1,3}\d{1,7}: )«.*?» — ", re.S)


def cell_message(code: str, cell: str, header: str) -> str:
    """The message of a finding about a personal cell that could not be read."""
    expected = _EXPECTED.get(code, "значение не распознано")
    return f"{cell}: значение в столбце «{header}» записано неверно ({expected}); {_HIDDEN}."


def _on_members_sheet(sheet: str | None) -> bool:
    tab = load_layout().tab_for_title(sheet or "")
    return tab is not None and tab.key == "members"


def redact(finding: dict) -> dict:
    """A stored finding as it may be shown to anyone who sees the association: one written
    before values were kept out of personal cells' messages loses the quoted value."""
    code, message = finding.get("code"), finding.get("message") or ""
    if code not in _EXPECTED or not _on_members_sheet(finding.get("sheet")):
        return finding
    m = _QUOTED.match(message)
    if m is None:
        return finding
    return {**finding, "message": f"{m.group('cell')}{_EXPECTED[code].capitalize()}; {_HIDDEN}."}


def redact_all(findings) -> list:
    return [redact(f) if isinstance(f, dict) else f for f in (findings or [])]


_TAILS = ("не дата", "такой даты нет", "дата вне", "не адрес электронной почты", "не номер телефона")


def redact_message(message: str) -> str:
    """A bare message kept without its code and sheet (a job's `forced` list): one that
    quotes a value a personal cell could have failed with loses the value."""
    m = _QUOTED.match(message or "")
    if m is None or not message[m.end():].startswith(_TAILS):
        return message
    return f"{m.group('cell')}значение записано неверно; {_HIDDEN}."


def redact_job(result, error) -> tuple:
    """A job's stored result and error as they may be shown (see `redact`)."""
    if isinstance(result, dict) and isinstance(result.get("forced"), list):
        result = {**result, "forced": [redact_message(x) if isinstance(x, str) else x for x in result["forced"]]}
    if isinstance(error, dict) and isinstance(error.get("findings"), list):
        error = {**error, "findings": redact_all(error["findings"])}
    return result, error
