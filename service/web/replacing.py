"""Replacing an association's workbook without mixing two associations.

The new workbook is compared with the association (name, short name, territory,
regulation).  The same association: replaced at once, the previous workbook kept as a
version.  Another one: refused (409) with both names shown; the uploaded file waits in
`<workbooks>/.pending/` and the page offers an explicit confirmation, which replaces it
without a second upload.  Pending files older than a day are removed."""
from __future__ import annotations

import re
import time
from pathlib import Path

from flask import redirect, render_template, url_for

from service.web.actions import request_check, workspace
from service.web.auth import current_user
from service.web.errors import ApiError
from service.workspace.identity import Identity
from service.workspace.service import fingerprint

PENDING = ".pending"
PENDING_NAME = re.compile(r"^[a-z0-9-]{1,80}-[0-9a-f]{8}\.[a-z]{3,4}$")
PENDING_TTL = 24 * 3600


def _pending_root() -> Path:
    return Path(workspace().settings["WORKBOOKS_DIR"]) / PENDING


def _pending_dir(a) -> Path:
    """Where the upload waits: one folder per association and account, so only the person
    who uploaded it can confirm it, and only for the association it was uploaded to."""
    me = current_user()
    return _pending_root() / f"{a.id}-{me.account_id or 0}"


def _sweep_pending() -> None:
    root = _pending_root()
    if root.is_dir():
        for p in root.rglob("*"):
            try:
                if p.is_file() and time.time() - p.stat().st_mtime > PENDING_TTL:
                    p.unlink()
            except OSError:
                continue


def _done(a, stored: Path, original_name: str, report=None):
    """Point the association at its new workbook.  With the upload's own check (`report`)
    the page shows its findings at once; the background check then files the documents
    that became due."""
    ws, me = workspace(), current_user()
    ws.replace_source(a.id, str(stored), me.display, original_name=original_name)
    if report is not None:
        ws.record_check(a.id, report, me.display, fingerprint(str(stored)), source=str(stored))
    request_check(ws.by_id(a.id), me.display)
    return redirect(url_for("pages.association", slug=a.slug))


def replace(a, stored: Path, original_name: str, report):
    """`stored`: the checked upload, already kept in the workbooks folder; `report`: its
    check (an upload is read once)."""
    new = Identity.of_report(report)
    old = Identity.of_association(a)
    differences = old.differences(new)
    if not differences:
        return _done(a, stored, original_name, report)
    return render_template("replace_confirm.html", a=a, old=old, new=new, differences=differences,
                           pending=keep(stored, a), filename=original_name), 409


def keep(stored: Path, a) -> str:
    """Put a checked upload aside until the person confirms what to do with it (a day at
    most; only they, and only for `a`); returns the name a form sends back."""
    _sweep_pending()
    folder = _pending_dir(a)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    pending = folder / stored.name
    stored.replace(pending)
    return pending.name


def confirmed(a, form):
    name = form.get("pending") or ""
    if not PENDING_NAME.match(name) or form.get("confirm") != "1":
        raise ApiError(400, "replace.unconfirmed", "Замена книги другого объединения требует подтверждения.")
    pending = _pending_dir(a) / name
    stored = _pending_root().parent / name
    try:
        pending.replace(stored)                # atomic: of two clicks at once, one moves the file
    except FileNotFoundError:
        if stored.is_file():                   # the other click took it and is replacing the workbook
            return redirect(url_for("pages.association", slug=a.slug))
        raise ApiError(410, "replace.expired", "Загруженная книга больше не ожидает подтверждения: загрузите её снова.")
    return _done(a, stored, (form.get("original_name") or "")[:300])
