"""Files the service writes are its own: workbooks, databases, documents, the outbox and
the queue are created 0600 and their folders 0700 (members' birth dates and phones are
in them).  A umask of 077 covers everything the process creates, whichever library
creates it (SQLite, huey, openpyxl, LibreOffice); the instance's folders made by an
older release are tightened on start."""
from __future__ import annotations

import os
from pathlib import Path

UMASK = 0o077


def secure_process() -> None:
    os.umask(UMASK)


def tighten(*folders) -> None:
    """Make each folder (created if missing) 0700 — what is inside is then unreachable to
    other users whatever its own mode."""
    for folder in folders:
        if not folder:
            continue
        path = Path(folder)
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            if path.stat().st_uid == os.getuid():
                path.chmod(0o700)
        except OSError:
            continue
