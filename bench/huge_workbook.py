"""The workbook that stalled the service: a 2.6 MB .xlsx whose shared-strings part holds a
million strings (25 MB of XML) beside an ordinary register.  openpyxl took 71 s to accept
its upload and 31 s for every view of its association page.

Measured here: `mo-docs validate` of it in a fresh process (wall time and the process's
own peak memory, VmHWM) — target: refused or read within 5 s under 400 MB; then, in a
Flask app on a temporary instance, its upload (`Workspace.store_upload` + `add_association`,
one read) and GET of its association page — target: under 100 ms (median of 7).
Baseline: the same page of an ordinary register.
"""
from __future__ import annotations

import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from bench.harness import Result, Timing
from service.sources.base import column_letter
from tests.factories import association

ROOT = Path(__file__).resolve().parents[1]
STRINGS = 1_000_000
LIMIT_SECONDS, LIMIT_MB, PAGE_MS = 5.0, 400, 100.0
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'


def huge_workbook(path: Path) -> Path:
    """The compliant association with every text cell a shared string, and a million more
    strings nobody uses."""
    tables = association("zdvinsky-mmo").tables()
    strings: dict[str, int] = {}

    def cell(ref: str, value) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, bool) or not isinstance(value, (int, float, dt.date)):
            index = strings.setdefault(str(value), len(strings))
            return f'<c r="{ref}" t="s"><v>{index}</v></c>'
        if isinstance(value, dt.date):
            value = value.toordinal() - 693594
        return f'<c r="{ref}"><v>{value}</v></c>'

    sheets = []
    for title, rows in tables.items():
        body = "".join(f'<row r="{r}">' + "".join(cell(f"{column_letter(c)}{r}", v) for c, v in enumerate(row, 1))
                       + "</row>" for r, row in enumerate(rows, 1))
        sheets.append((title, f'{HEAD}<worksheet xmlns="{MAIN}"><sheetData>{body}</sheetData></worksheet>'))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        types = ['<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>',
                 '<Default Extension="xml" ContentType="application/xml"/>',
                 '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                 'spreadsheetml.sheet.main+xml"/>',
                 '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                 'officedocument.spreadsheetml.sharedStrings+xml"/>']
        rels, entries = [], []
        for i, (title, xml) in enumerate(sheets, 1):
            zf.writestr(f"xl/worksheets/sheet{i}.xml", xml)
            types.append(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.'
                         'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
            rels.append(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>')
            entries.append(f'<sheet name="{escape(title)}" sheetId="{i}" r:id="rId{i}"/>')
        rels.append(f'<Relationship Id="rIdS" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>')
        with zf.open("xl/sharedStrings.xml", "w") as fh:
            total = len(strings) + STRINGS
            fh.write(f'{HEAD}<sst xmlns="{MAIN}" count="{total}" uniqueCount="{total}">'.encode())
            fh.write("".join(f"<si><t>{escape(s)}</t></si>" for s in strings).encode())
            for start in range(0, STRINGS, 50_000):
                fh.write("".join(f"<si><t>s{i}</t></si>" for i in range(start, start + 50_000)).encode())
            fh.write(b"</sst>")
        zf.writestr("[Content_Types].xml", f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                    f'content-types">{"".join(types)}</Types>')
        zf.writestr("_rels/.rels", f'{HEAD}<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
                    f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        zf.writestr("xl/workbook.xml", f'{HEAD}<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>{"".join(entries)}'
                    "</sheets></workbook>")
        zf.writestr("xl/_rels/workbook.xml.rels", f'{HEAD}<Relationships xmlns="{PKG}">{"".join(rels)}</Relationships>')
    return path


_MEASURED = """
import os, sys
from service.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
with open('/proc/self/status') as fh:
    hwm = next(line.split()[1] for line in fh if line.startswith('VmHWM'))
sys.stderr.write(f'\\nVmHWM {hwm}\\n')
sys.exit(code)
"""


def validate_in_a_process(path: Path) -> tuple[float, float, int, str]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _MEASURED, "validate", str(path), "--as-of", "2025-09-01"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    seconds = time.perf_counter() - start
    hwm = int(proc.stderr.rsplit("VmHWM", 1)[1].split()[0]) / 1024
    said = proc.stderr.rsplit("VmHWM", 1)[0].strip().splitlines()
    return seconds, hwm, proc.returncode, said[-1] if said else ""


def page_times(app, slug: str, runs: int = 7) -> list[float]:
    from tests.accounts.factories import signed_in_client

    client = signed_in_client(app, "admin")                        # the page is for signed-in people
    client.get(f"/a/{slug}")                                       # warm: templates compiled
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        r = client.get(f"/a/{slug}")
        samples.append(time.perf_counter() - start)
        assert r.status_code == 200
    return samples


def run() -> Result:
    from service import create_app

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        huge = huge_workbook(tmp / "huge.xlsx")
        size_mb = huge.stat().st_size / 1024 / 1024
        runs = [validate_in_a_process(huge) for _ in range(3)]
        seconds = statistics.median(r[0] for r in runs)
        peak = max(r[1] for r in runs)
        code, said = runs[0][2], runs[0][3]

        app = create_app({"INSTANCE": str(tmp / "instance"), "TESTING": True, "QUEUE_URL": "memory://",
                          "SECRET_KEY": "bench"})
        ws = app.extensions["workspace"]
        start = time.perf_counter()
        stored, report = ws.store_upload(huge, "huge.xlsx")
        a = ws.add_association(str(stored), "бенчмарк", report=report)
        upload_s = time.perf_counter() - start
        huge_page = page_times(app, a.slug)
        plain = association("zdvinsky-mmo")
        plain.info["Краткое наименование"] = "ММО для сравнения"
        plain.info["Наименование МО"] = "Обычное объединение для сравнения"
        b = ws.add_association(str(plain.save(tmp / "plain.xlsx")), "бенчмарк")
        plain_page = page_times(app, b.slug)
        ws.engine.dispose()

    ours = Timing(best=min(huge_page), median=statistics.median(huge_page), runs=len(huge_page))
    base = Timing(best=min(plain_page), median=statistics.median(plain_page), runs=len(plain_page))
    ok = seconds <= LIMIT_SECONDS and peak < LIMIT_MB and ours.median * 1000 < PAGE_MS
    outcome = "read" if code in (0, 1) else f"refused ({said})"
    return Result(
        name="million-strings", what=f"association page (GET /a/<slug>) of the {size_mb:.1f} MB workbook with a "
                                     f"million shared strings, after its upload",
        ours=ours, baseline=base, baseline_what="the same page of an ordinary register",
        target=f"page < {PAGE_MS:.0f} ms; `validate` ≤ {LIMIT_SECONDS:.0f} s and < {LIMIT_MB} MB", ok=ok, by="median",
        notes=(f"`mo-docs validate` in a fresh process: {outcome} in {seconds:.2f} s (median of 3), peak memory "
               f"{peak:.0f} MB (VmHWM); upload (guard, scan, one read, check, store) {upload_s:.2f} s; page medians: "
               f"huge {ours.median * 1000:.0f} ms, ordinary {base.median * 1000:.0f} ms"))


if __name__ == "__main__":
    r = run()
    print(f"{r.name}: {'ok' if r.ok else 'MISSED'} — {r.notes}")
