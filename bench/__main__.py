"""`python -m bench`: run every benchmark, print the table, rewrite docs/benchmarks.md."""
from __future__ import annotations

import datetime as dt
import platform
import sys
from pathlib import Path

from bench import (
    addon_check, desk_matrix, huge_workbook, render_kinds, render_protocols, validate_process, validate_workbook,
    web_dashboard, web_generate,
)
from bench.region.report import section_of

BENCHMARKS = [validate_process, validate_workbook, huge_workbook, render_protocols, render_kinds, web_generate,
              web_dashboard, addon_check, desk_matrix]
DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def main() -> int:
    results = []
    for module in BENCHMARKS:
        print(f"… {module.__name__}", flush=True)
        got = module.run()
        results.extend(got if isinstance(got, list) else [got])       # a module may measure several things
    lines = [
        "# Benchmarks",
        "",
        "Produced by `make bench` (`python -m bench`); every ratio is ours ÷ a baseline run in the same",
        "process (or, for whole-process rows, alternating fresh processes) on the same data, so it compares",
        "across machines.  Times are the best / median of several runs after a warm-up unless the row says",
        "otherwise; rows marked (median) or (p95) compare medians or 95th percentiles.",
        "",
        f"Last run: {dt.date.today():%d.%m.%Y}, Python {platform.python_version()}, {platform.machine()}, "
        f"{platform.processor() or 'cpu n/a'}.",
        "",
        "| benchmark | what | ours (best / median) | baseline | ratio | target | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.what} | {r.ours.best * 1000:.0f} ms / {r.ours.median * 1000:.0f} ms | "
            f"{r.baseline_what}: {r.baseline_by * 1000:.0f} ms | "
            f"**{r.ratio:.2f}×**{f' ({r.by})' if r.by != 'best' else ''} | {r.target} | "
            f"{'yes' if r.ok else 'NO'} |")
    notes = [f"- {r.name}: {r.notes}" for r in results if r.notes]
    text = "\n".join(lines + [""] + notes) + "\n"
    DOC.parent.mkdir(exist_ok=True)
    region = section_of(DOC.read_text(encoding="utf-8")) if DOC.exists() else ""
    DOC.write_text(text + (f"\n{region}" if region else ""), encoding="utf-8")     # `make bench-region`'s stays
    print(text)
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
