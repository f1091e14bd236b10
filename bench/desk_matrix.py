"""The curator's compliance matrix (GET /svod) and its .xlsx export for 1,000
associations, through Flask's test client on SQLite.

The 1,000 rows are those of bench/web_dashboard.py, each with the compliance row and the
obligations a check stores (service/domain/compliance_matrix.py, obligations.py): every
column's state drawn from the regulation's own rules, so «не требуется» falls where the
regulation has no such requirement.  Nothing is recomputed per view: the page reads a
handful of columns.  Targets (the issue's): server time ≤ 150 ms for the page, ≤ 1 s for
the .xlsx (medians).  Baseline: a bare SELECT of the same columns through SQLAlchemy Core.
"""
from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from bench.harness import Result, admin_client, measure
from bench.web_dashboard import N, rows
from service.domain.compliance_matrix import BREACH, COLUMNS, NA, OK, PENDING, overall, pack
from service.domain.obligations import Obligation
from service.schema.regulations import load_regulation

PAGE_MS, XLSX_MS = 150.0, 1000.0


def desk_rows(n: int, seed: int = 20252) -> list[dict]:
    rnd = random.Random(seed)
    out = []
    for r in rows(n):
        reg = load_regulation(r["regulation_id"])
        kinds = {rule["kind"] for rule in reg.rules}
        cells = {}
        for c in COLUMNS:
            applies = bool(reg.required_documents) if c.id == "documents" else bool(kinds & c.kinds)
            status = NA if not applies else rnd.choices([OK, BREACH, PENDING], [6, 2, 2])[0]
            cells[c.id] = {"status": status, "errors": rnd.randint(1, 4) if status == BREACH else 0,
                           "warnings": rnd.randint(0, 3) if status != NA else 0,
                           "codes": ["meeting.no_quorum"] if status == BREACH and c.id == "quorum" else []}
        start = int(r["school_year"][:4])
        duties = [Obligation(dt.date(start, 10, 1), "актуализация банка данных", "databank", "п. 4.6",
                             rnd.random() < .7),
                  Obligation(dt.date(start + 1, 5, 15), "анализ работы за учебный год", "report", "п. 4.7", False)]
        duties += [Obligation(dt.date(start, 9, 20) + dt.timedelta(days=70 * k), f"заседание №{k + 1}", "meeting",
                              None, None, k + 1) for k in range(4)]
        out.append({**r, "compliance": None if r["checked_at"] is None or r["unreadable"] else
                    pack({"cells": cells, "status": overall(cells)}, dt.date(2025, 11, 20)),
                    "obligations": [o.as_dict() for o in duties], "time_zone": "Asia/Novosibirsk",
                    "territory": r["name"].rsplit(" учителей ", 1)[-1].split()[-2:][0]})
    return out


def run() -> list[Result]:
    from service.workspace.models import Association

    with admin_client(desk_rows(N)) as (ws, client):
        page = client.get("/svod")
        assert page.status_code == 200, page.status_code
        html = page.get_data(as_text=True)
        assert html.count("<tr data-slug=") == N and "cell-breach" in html and "не проверено" in html
        sheet = client.get("/svod.xlsx")
        assert sheet.status_code == 200 and sheet.data[:2] == b"PK"

        t = Association.__table__
        query = select(t.c.slug, t.c.name, t.c.short_name, t.c.territory, t.c.regulation_id, t.c.school_year,
                       t.c.compliance, t.c.unreadable, t.c.errors, t.c.warnings).where(t.c.archived_at.is_(None))

        def bare_select():
            with ws.engine.connect() as conn:
                return conn.execute(query).all()

        assert len(bare_select()) == N
        baseline = measure(bare_select, runs=7, warmup=2)
        ours = measure(lambda: client.get("/svod"), runs=7, warmup=2)
        sorted_filtered = measure(lambda: client.get("/svod?sort=quorum&dir=desc&status=breach"), runs=5, warmup=1)
        export = measure(lambda: client.get("/svod.xlsx"), runs=5, warmup=1)
        kib = len(html.encode()) / 1024
        xlsx_kib = len(sheet.data) / 1024

    return [
        Result(name="desk-matrix", what=f"GET /svod (the compliance matrix) with {N:,} associations, SQLite",
               ours=ours, baseline=baseline, baseline_what="bare SELECT of the same columns (Core)",
               target=f"median ≤ {PAGE_MS:.0f} ms", ok=ours.median * 1000 <= PAGE_MS, by="median",
               notes=(f"page {kib:.0f} KiB, {N:,} rows × {len(COLUMNS)} requirements read from the stored rows; "
                      f"sorted by a column and filtered by status: median {sorted_filtered.median * 1000:.0f} ms.")),
        Result(name="desk-matrix-xlsx", what=f"GET /svod.xlsx (the matrix with its colours) for {N:,} associations",
               ours=export, baseline=baseline, baseline_what="bare SELECT of the same columns (Core)",
               target=f"median ≤ {XLSX_MS:.0f} ms", ok=export.median * 1000 <= XLSX_MS, by="median",
               notes=f"file {xlsx_kib:.0f} KiB (openpyxl, write-only)."),
    ]


if __name__ == "__main__":
    for r in run():
        print(f"{r.name}: best {r.ours.best * 1000:.0f} ms, median {r.ours.median * 1000:.0f} ms; baseline "
              f"{r.baseline.best * 1000:.0f} ms; ({'ok' if r.ok else 'MISSED'}) {r.notes}")
