"""A copy of a Google Sheet the add-on sent, kept as the association's workbook when the
service does not read Google Sheets itself (MO_DOCS_GOOGLE_ENABLED off, or Google
disallowed — see docs/storage.md).

The copy is an .xlsx beside the uploaded workbooks, named `gsheet-<spreadsheet id>-…`
so the spreadsheet finds its association again; cells keep their positions and typed
values, and text stays text (a cell reading «=1+1» is not turned into a formula).  Each
document the head makes from the add-on refreshes the copy when the sheet changed, so
the association's page and its documents follow the sheet; every earlier copy stays a
version of the workbook, as with uploads.
"""
from __future__ import annotations

import hashlib
import json
import re
import uuid
from pathlib import Path

from service.sources.base import RawWorkbook

PREFIX = "gsheet-"
DIGEST_CHARS = 16
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


def copy_pattern(spreadsheet_id: str) -> str:
    """A LIKE pattern matching the copies of this spreadsheet (escape character «\\»)."""
    escaped = spreadsheet_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{PREFIX}{escaped}-%"


def is_copy_of(source: str, spreadsheet_id: str) -> bool:
    return Path(source).name.startswith(f"{PREFIX}{spreadsheet_id}-")


def same_content(source: str, digest: str) -> bool:
    """Is the copy at `source` made from values with this digest?  (It is in the name.)"""
    return Path(source).stem.endswith(f"-{digest[:DIGEST_CHARS]}")


def save_copy(folder: Path, spreadsheet_id: str, raw: RawWorkbook, digest: str) -> Path:
    """Write `raw` as a new .xlsx in `folder`, whole or not at all; returns its path.
    `digest` (of the values sent) goes into the name, so an unchanged sheet is not copied again."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    wb = openpyxl.Workbook(write_only=True)
    used: set[str] = set()
    for tab in raw.tabs:
        sheet = wb.create_sheet(title=_title(tab.title, used))
        at = 0
        for number, values in tab.rows:
            while at < number - 1:
                sheet.append([])
                at += 1
            cells = []
            for value in values:
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str) and cell.data_type == "f":
                    cell.data_type = "s"                 # the person's text, not a formula to run
                cells.append(cell)
            sheet.append(cells)
            at = number
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{PREFIX}{spreadsheet_id}-{uuid.uuid4().hex[:8]}-{digest[:DIGEST_CHARS]}.xlsx"
    tmp = target.with_name("." + target.name + ".part")
    try:
        wb.save(tmp)
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def digest(raw: RawWorkbook) -> str:
    """What the copy holds, as a hash: tab titles and every cell with its position."""
    data = [[t.title, [[n, [_plain(v) for v in values]] for n, values in t.rows]] for t in raw.tabs]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")).hexdigest()


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def _title(title: str, used: set[str]) -> str:
    """A tab title Excel accepts (31 characters, none of []:*?/\\), unique in the copy."""
    base = _BAD_TITLE.sub(" ", title).strip().strip("'")[:31] or "Лист"
    candidate, n = base, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = base[:31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate
