"""The last checks of workbooks, kept by the exact content they were made from.

Documents are asked for in bursts — a head clicks «Сформировать протокол» for each
meeting, the watcher files several at once — and each used to read and check the
whole workbook again.  Here a check is reused while the file's bytes are the same
(its SHA-256 is the key, with the regulation and the day), so a document is always
made from what the file holds at the moment it is asked for.  Reports are shared
read-only between threads; nothing that renders a document changes one.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Callable

from service.pipeline import Report


class ReportCache:
    def __init__(self, size: int = 64):
        self.size = size
        self._items: OrderedDict[tuple, Report] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, source: str, regulation: str | None, as_of: dt.date, make: Callable[[], Report]) -> Report:
        """The report of `source` (a file path) as it is now; `make()` checks it when its
        content was not checked today under this regulation.  Sources that are not files
        (Google Sheets) are checked every time."""
        path = Path(source)
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
        except OSError:
            digest = None
        if digest is None:
            return make()
        key = (str(path), digest, regulation, as_of)
        with self._lock:
            report = self._items.get(key)
            if report is not None:
                self._items.move_to_end(key)
                return report
        report = make()
        with self._lock:
            self._items[key] = report
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return report
