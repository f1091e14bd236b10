"""The demo workspace `make run` starts with: the three sample associations."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from service.demo_data import write_samples
from service.schema.cells import SchoolYear
from service.workspace.service import Workspace


def ensure_demo(ws: Workspace, today: dt.date | None = None) -> int:
    """Add the sample associations once, when the workspace is empty; returns how many."""
    if ws.associations():
        return 0
    today = today or dt.date.today()
    folder = Path(ws.settings["WORKBOOKS_DIR"]) / "demo"
    paths = write_samples(folder, SchoolYear(SchoolYear.of(today).start - 1))
    for path in paths:
        ws.add_association(str(path), "демонстрация", today=today)
    return len(paths)
