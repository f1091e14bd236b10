"""`mo-docs demo`: writes the sample workbooks and checks each, as a head would see it.

The samples describe the last finished school year, so every regulation period is
judged; the summary shows the exact command for the full report of each.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TextIO

from service.demo_data import write_samples
from service.pipeline import check
from service.report_text import render_text
from service.russian.plural import count
from service.schema.cells import SchoolYear
from service.sources.workbook_file import WorkbookFileSource


def run_demo(folder: Path, as_of: dt.date | None = None, out: TextIO | None = None) -> int:
    as_of = as_of or dt.date.today()
    year = SchoolYear(SchoolYear.of(as_of).start - 1)
    paths = write_samples(folder / "workbooks", year)
    print(f"Примерные книги за {year.title} учебный год записаны в {folder / 'workbooks'}.\n", file=out)
    for path in paths:
        report = check(WorkbookFileSource(path), as_of=as_of)
        c = report.counts
        print(f"— {report.data.info.short_name or path.name} ({report.regulation.id if report.regulation else '?'}): "
              f"{count(c['error'], 'ошибка', 'ошибки', 'ошибок')}, "
              f"{count(c['warning'], 'предупреждение', 'предупреждения', 'предупреждений')}", file=out)
    print("\nПодробный отчёт по каждой книге:", file=out)
    for path in paths:
        print(f"  mo-docs validate {path} --as-of {as_of.isoformat()}", file=out)
    worst = paths[1]
    print(f"\nНапример, {worst.name}:\n", file=out)
    print(render_text(check(WorkbookFileSource(worst), as_of=as_of)), file=out)
    return 0
