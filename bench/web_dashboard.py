"""The dashboard (GET /) with 1,000 associations, through Flask's test client.

1,000 Association rows are written straight into the workspace database (SQLite, as
`make run` has it) with plausible names, regulations, school years, counts of errors
and warnings, unreadable workbooks, never-checked ones and next deadlines.  The time of
GET / is the server's whole work for the page: routing, the query, the ORM, the
template and the response, with no network.  Target: under 300 ms (the median of the
runs, so one lucky run does not pass it).

Baseline, in the same process on the same database: a bare SELECT of the same rows,
in the same order, through SQLAlchemy Core — the least any page listing them must do.
The notes break the page's time down (ORM load, template, the rest), from a profile
of one request, so a miss says what dominates.
"""
from __future__ import annotations

import cProfile
import datetime as dt
import pstats
import random
import time

from sqlalchemy import select

from bench.harness import Result, admin_client, measure
from service.schema.regulations import available

N = 1000
TARGET_MS = 300.0

SUBJECTS = ["математики", "русского языка и литературы", "истории и обществознания", "физики", "химии",
            "биологии", "географии", "информатики", "английского языка", "начальных классов", "физической культуры",
            "музыки и ИЗО", "технологии", "ОБЗР", "социальных педагогов", "педагогов-психологов", "логопедов",
            "библиотекарей", "заместителей директоров по УВР", "классных руководителей"]
KINDS = [("ММО", "Муниципальное методическое объединение"), ("РМО", "Районное методическое объединение"),
         ("ГПМО", "Городское профессиональное методическое объединение"), ("ШМО", "Школьное методическое объединение")]
PLACES = ["Здвинского района", "Залесовского округа", "г. Новокузнецка", "г. Бийска", "г. Каменска-Уральского",
          "Чулымского района", "Барабинского района", "Куйбышевского района", "Татарского округа", "Карасукского района"]
WHAT = ["актуализация банка данных", "анализ работы за учебный год", "план работы на учебный год",
        "заседание по плану", "отчёт куратору"]


def rows(n: int, seed: int = 20251) -> list[dict]:
    rnd = random.Random(seed)
    regulations = available()
    now = dt.datetime(2025, 11, 20, 9, 0, tzinfo=dt.timezone.utc)
    out = []
    for i in range(n):
        short_kind, long_kind = KINDS[i % len(KINDS)]
        subject, place = SUBJECTS[i % len(SUBJECTS)], PLACES[(i // len(SUBJECTS)) % len(PLACES)]
        year = rnd.choice(["2025-2026", "2025-2026", "2025-2026", "2024-2025"])
        state = rnd.random()
        checked = state > 0.03                              # a few were never checked
        unreadable = "Файл повреждён: это не книга Excel (.xlsx)." if 0.03 < state < 0.05 else None
        deadline = dt.date(2025, 11, 20) + dt.timedelta(days=rnd.randint(1, 200)) if rnd.random() < 0.8 else None
        out.append({
            "slug": f"mo-{i:04d}", "short_name": f"{short_kind} {subject.split()[0]} №{i}",
            "name": f"{long_kind} учителей {subject} {place}",
            "regulation_id": rnd.choice(regulations), "source": f"/srv/mo-docs/workbooks/mo-{i:04d}.xlsx",
            "curator": "Кравец Людмила Петровна", "created_at": now - dt.timedelta(days=rnd.randint(30, 400)),
            "source_mtime": 1.7e9 + i, "source_sha256": f"{i:064x}", "school_year": year,
            "checked_at": now - dt.timedelta(minutes=rnd.randint(1, 60 * 24 * 30)) if checked else None,
            "errors": (0 if rnd.random() < 0.5 else rnd.randint(1, 25)) if checked and not unreadable else None,
            "warnings": (0 if rnd.random() < 0.4 else rnd.randint(1, 15)) if checked and not unreadable else None,
            "unreadable": unreadable,
            "next_deadline": deadline, "next_deadline_what": rnd.choice(WHAT) if deadline else None,
        })
    return out


def _profile_breakdown(client) -> str:
    """What one GET / spends its time on, from cProfile (which slows everything alike)."""
    prof = cProfile.Profile()
    prof.enable()
    client.get("/")
    prof.disable()
    stats = pstats.Stats(prof)
    total = stats.total_tt
    parts = {"ORM load of the rows (`Workspace.associations`)": ("service/workspace/service.py", "associations"),
             "template rendering (`render_template`)": ("flask/templating.py", "render_template")}
    found = {}
    for (file, _line, func), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
        for label, (f, fn) in parts.items():
            if file.endswith(f) and func == fn:
                found[label] = found.get(label, 0.0) + ct
    shares = ", ".join(f"{label} {v / total:.0%}" for label, v in found.items())
    return (f"profile of one GET / ({total * 1000:.0f} ms under cProfile): {shares}, the rest "
            f"{1 - sum(found.values()) / total:.0%}")


def run() -> Result:
    from service.workspace.models import Association

    with admin_client(rows(N)) as (ws, client):                        # the dashboard of an admin: all N
        page = client.get("/")
        assert page.status_code == 200, page.status_code
        html = page.get_data(as_text=True)
        assert html.count('<tr>') == N + 1, html.count('<tr>')        # the header row and one per association
        assert "ошиб" in html and "книга не читается" in html and "не проверено" in html

        table = Association.__table__
        query = select(table).order_by(table.c.name)

        def bare_select():
            with ws.engine.connect() as conn:
                return conn.execute(query).all()

        assert len(bare_select()) == N
        ours = measure(lambda: client.get("/"), runs=7, warmup=2)
        baseline = measure(bare_select, runs=7, warmup=2)

        def orm_load():
            return ws.associations()
        orm = measure(orm_load, runs=7, warmup=1)
        start = time.perf_counter()
        body_kb = len(client.get("/").data) / 1024
        one = time.perf_counter() - start
        profile = _profile_breakdown(client)

    ok = ours.median * 1000 < TARGET_MS
    return Result(
        name="web-dashboard", what=f"GET / (the dashboard) with {N:,} associations, Flask test client, SQLite",
        ours=ours, baseline=baseline,
        baseline_what="bare SELECT of the same rows through SQLAlchemy Core",
        target=f"median < {TARGET_MS:.0f} ms", ok=ok,
        notes=(f"page {body_kb:.0f} KiB; ORM load alone (`Workspace.associations()`, {N:,} objects) best "
               f"{orm.best * 1000:.0f} ms; {profile}. Last single request {one * 1000:.0f} ms."))


if __name__ == "__main__":
    r = run()
    print(f"{r.name}: best {r.ours.best * 1000:.0f} ms, median {r.ours.median * 1000:.0f} ms; baseline "
          f"{r.baseline.best * 1000:.0f} ms; ratio {r.ratio:.2f}× ({'ok' if r.ok else 'MISSED'})\n{r.notes}")
