"""Tests of the workspace: job records and the Workspace operations, on real SQLite files."""
from __future__ import annotations

import datetime as dt


def aware(moment: dt.datetime | None) -> dt.datetime | None:
    """SQLite returns the stored UTC times without their zone; compare them as UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.timezone.utc)
