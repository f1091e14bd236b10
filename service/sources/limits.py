"""Limits that keep hostile or accidental monster files from hurting the service.

An association has tens of members and meetings; defaults are generous for that
and tiny for an attacker.  All are configurable (settings, CLI environment).
"""
from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 20 * 1024 * 1024          # the .xlsx itself
    max_unzipped_bytes: int = 30 * 1024 * 1024      # sum of declared entry sizes (a 500-member register: ~3 MB)
    max_ratio: int = 200                            # uncompressed / compressed, per entry
    max_entries: int = 2_000                        # files inside the zip
    max_rows: int = 5_000                           # rows read per tab
    max_columns: int = 200                          # columns read per row
    max_findings: int = 1_000                       # findings reported per workbook

    @classmethod
    def from_env(cls, environ=None) -> "Limits":
        """Limits from MO_DOCS_LIMIT_* variables (e.g. MO_DOCS_LIMIT_MAX_ROWS=20000)."""
        environ = os.environ if environ is None else environ
        values = {}
        for name in cls.__dataclass_fields__:
            raw = environ.get(f"MO_DOCS_LIMIT_{name.upper()}")
            if raw is not None:
                try:
                    values[name] = int(raw)
                except ValueError:
                    raise ValueError(f"MO_DOCS_LIMIT_{name.upper()} должно быть целым числом: {raw!r}")
        return cls(**values)
