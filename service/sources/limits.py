"""Limits that keep hostile or accidental monster files from hurting the service.

An association has tens of members and meetings; defaults are generous for that
and tiny for an attacker.  All are configurable (MO_DOCS_LIMIT_* variables).

The first group is checked on the file before any parser runs (guard.py, scan.py);
`max_sheet_cells` bounds the rectangle a reader would allocate for one sheet (calamine
holds a sheet as a dense grid: a lone cell at XFD1048576 would ask for 512 GB);
`max_cells` and `max_seconds` are the budget of one read (budget.py), charged by every
source — files, Google Sheets, anything else that produces a RawWorkbook.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 20 * 1024 * 1024          # the workbook file itself
    max_unzipped_bytes: int = 30 * 1024 * 1024      # sum of declared entry sizes (a 500-member register: ~3 MB)
    max_ratio: int = 200                            # uncompressed / compressed, per entry
    max_entries: int = 2_000                        # files inside the zip
    max_rows: int = 5_000                           # rows read per tab
    max_columns: int = 200                          # columns read per row
    max_findings: int = 1_000                       # findings reported per workbook
    max_sheet_cells: int = 4_000_000                # rows × columns spanned by one sheet's cells (≈128 MB to read)
    max_cells: int = 1_000_000                      # cells read per workbook (a 500-member register: ~60 000)
    max_seconds: float = 10.0                       # wall time of one read

    @classmethod
    def from_env(cls, environ=None) -> "Limits":
        """Limits from MO_DOCS_LIMIT_* variables (e.g. MO_DOCS_LIMIT_MAX_ROWS=20000)."""
        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            variable = f"MO_DOCS_LIMIT_{f.name.upper()}"
            raw = environ.get(variable)
            if raw is None:
                continue
            number = float if f.type in (float, "float") else int
            try:
                value = number(raw.strip().replace(",", ".") if number is float else raw)
            except ValueError:
                kind = "числом" if number is float else "целым числом"
                raise ValueError(f"{variable} должно быть {kind}: {raw!r}")
            if value <= 0:
                raise ValueError(f"{variable} должно быть больше нуля: {raw!r}")
            values[f.name] = value
        return cls(**values)
