"""Spreadsheets the add-on sent for a document, kept until the job that makes it is over.

A document request carries the spreadsheet's values (the add-on has no other way to
give them), and the job that renders the document may run on another worker, later, or
again after a crash — so the values are kept beside the workbooks (`<WORKBOOKS_DIR>/
.sent/`, which every worker reads), one file per request, written whole or not at all,
readable only by the service (0600).  The job names its file; it is removed when the
document is filed, and the sweeper removes what a lost or failed job left behind.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import time
import uuid
from pathlib import Path

from service.sources.base import SourceError

FOLDER = ".sent"
KEEP_FOR = dt.timedelta(days=1)          # longer than any job waits in the queue
_NAME = re.compile(r"^[0-9a-f]{32}\.json$")

GONE = ("Данные таблицы для этого документа больше не хранятся (задание ждало слишком долго). Сформируйте "
        "документ из надстройки ещё раз.")


def folder(ws) -> Path:
    return Path(ws.settings["WORKBOOKS_DIR"]) / FOLDER


def keep(ws, payload: dict) -> tuple[str, str]:
    """Write `payload`; returns (file name, sha256 of its content)."""
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    name = f"{uuid.uuid4().hex}.json"
    target = folder(ws)
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = target / f".{name}.part"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(target / name)
    finally:
        tmp.unlink(missing_ok=True)
    return name, hashlib.sha256(data).hexdigest()


def load(ws, name: str) -> dict:
    """The payload kept as `name`; SourceError when it is gone (or the name is not ours)."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise SourceError("workbook.unreadable", GONE)
    try:
        return json.loads((folder(ws) / name).read_bytes())
    except (OSError, ValueError):
        raise SourceError("workbook.unreadable", GONE)


def discard(ws, name: str | None) -> None:
    if isinstance(name, str) and _NAME.match(name):
        (folder(ws) / name).unlink(missing_ok=True)


def sweep(ws, older_than: dt.timedelta = KEEP_FOR, now: float | None = None) -> int:
    """Remove kept spreadsheets older than `older_than` (their jobs are long over); returns how many."""
    base = folder(ws)
    if not base.is_dir():
        return 0
    limit = (now if now is not None else time.time()) - older_than.total_seconds()
    removed = 0
    for path in base.iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except OSError:
            continue
    return removed


def report(ws, sheet: dict, regulation_id: str | None = None):
    """The check of a kept spreadsheet, as of the day it was sent (in its own time zone)."""
    from service.pipeline import check
    from service.sources.sheet_values import SheetValuesSource

    payload = load(ws, (sheet or {}).get("file"))
    try:
        as_of = dt.date.fromisoformat(sheet["as_of"]) if sheet.get("as_of") else None
    except (TypeError, ValueError):
        as_of = None
    return check(SheetValuesSource(payload, ws.limits), regulation_id=regulation_id, as_of=as_of, limits=ws.limits)
