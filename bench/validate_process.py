"""`mo-docs validate` as a person runs it — a fresh process, imports included — against
a fresh process that merely opens the same .xlsx with openpyxl (read-only) and walks
every row: the least any openpyxl-based checker pays.  Target: at most half of it, for
the 500-member, 40-meeting register as .xlsx and as .ods (against the same .xlsx
baseline).  In process: reading and the schema stage of that register within 100 ms.

The runs alternate (ours, baseline, ours, …) so a busy moment of a shared machine hits
both; the ratio compares medians.  The .ods is LibreOffice's own conversion when Calc is
installed, else our writer's (service/sheets_out.py); the notes say which.
"""
from __future__ import annotations

import datetime as dt
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import Result, Timing, measure
from bench.validate_workbook import big_workbook

ROOT = Path(__file__).resolve().parents[1]
RUNS = 7
TARGET = 0.5
TARGET_MS = 100.0
AS_OF = "2025-09-01"
BARE = ("import sys, openpyxl\n"
        "wb = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)\n"
        "n = sum(len(row) for ws in wb.worksheets for row in ws.iter_rows(values_only=True))\n"
        "wb.close()\n")


def _timed(argv: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{argv[:4]} failed: {proc.stderr.decode()[-500:]}")
    return seconds


def _timing(samples: list[float]) -> Timing:
    return Timing(best=min(samples), median=statistics.median(samples), runs=len(samples))


def as_ods(xlsx: Path) -> tuple[Path, str]:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe:
        out = xlsx.parent / "ods"
        subprocess.run([exe, f"-env:UserInstallation=file://{xlsx.parent / 'profile'}", "--headless", "--norestore",
                        "--convert-to", "ods", "--outdir", str(out), str(xlsx)], capture_output=True, timeout=300)
        produced = out / f"{xlsx.stem}.ods"
        if produced.exists():
            return produced, "converted by LibreOffice Calc"
    from service.sheets_out import OutSheet, save_ods
    from service.sources.workbook_file import WorkbookFileSource

    raw = WorkbookFileSource(xlsx).read()
    sheets = [OutSheet(t.title, rows=_dense(t.rows)) for t in raw.tabs]
    return save_ods(sheets, xlsx.with_suffix(".ods")), "written by service/sheets_out.py (LibreOffice Calc absent)"


def _dense(rows):
    out = []
    for number, values in rows:
        while len(out) < number - 1:
            out.append([])
        out.append(list(values))
    return out


def run() -> list[Result]:
    with tempfile.TemporaryDirectory() as tmp:
        xlsx = big_workbook(Path(tmp) / "big.xlsx")
        ods, ods_origin = as_ods(xlsx)
        validate = [sys.executable, "-m", "service.cli", "validate", "--as-of", AS_OF]
        bare = [sys.executable, "-c", BARE, str(xlsx)]
        for argv in (validate + [str(xlsx)], validate + [str(ods)], bare):      # warm the disk cache
            _timed(argv)
        ours_x, ours_o, base = [], [], []
        for _ in range(RUNS):
            ours_x.append(_timed(validate + [str(xlsx)]))
            base.append(_timed(bare))
            ours_o.append(_timed(validate + [str(ods)]))

        from service.schema.reader import read_workbook
        from service.sources.workbook_file import WorkbookFileSource

        as_of = dt.date.fromisoformat(AS_OF)
        in_process = measure(lambda: read_workbook(WorkbookFileSource(xlsx).read(), as_of), runs=9)
        in_process_ods = measure(lambda: read_workbook(WorkbookFileSource(ods).read(), as_of), runs=9)
        from bench.validate_workbook import bare_read
        bare_in_process = measure(lambda: bare_read(xlsx), runs=5)

    base_t = _timing(base)
    results = []
    for name, samples, what in (("validate-process", ours_x, ".xlsx"), ("validate-process-ods", ours_o, ".ods")):
        t = _timing(samples)
        ratio = t.median / base_t.median
        results.append(Result(
            name=name, what=f"`mo-docs validate` of the 500 × 40 register as {what}, a fresh process each run "
                            f"(medians of {RUNS}, alternating with the baseline)",
            ours=t, baseline=base_t, baseline_what="a fresh process opening the .xlsx with openpyxl read-only "
                                                   "and walking every row",
            target=f"≤ {TARGET}× (median)", ok=ratio <= TARGET, by="median",
            notes=(f"{what}: {ods_origin}; " if what == ".ods" else "")
            + f"ours {', '.join(f'{s * 1000:.0f}' for s in samples)} ms; "
              f"baseline {', '.join(f'{s * 1000:.0f}' for s in base)} ms"))
    results.append(Result(
        name="read+schema", what="in process: reading the 500 × 40 register (.xlsx) and the schema stage "
                                 "(`WorkbookFileSource.read` + `read_workbook`)",
        ours=in_process, baseline=bare_in_process,
        baseline_what="openpyxl read-only load + iteration of every row, in process",
        target=f"median ≤ {TARGET_MS:.0f} ms", ok=in_process.median * 1000 <= TARGET_MS, by="median",
        notes=f"the same register as .ods: best {in_process_ods.best * 1000:.0f} ms, median "
              f"{in_process_ods.median * 1000:.0f} ms"))
    return results


if __name__ == "__main__":
    for r in run():
        print(f"{r.name}: ours {r.ours.median * 1000:.0f} ms, baseline {r.baseline.median * 1000:.0f} ms, "
              f"ratio {r.ratio:.2f}× ({'ok' if r.ok else 'MISSED'})  {r.notes}")
