"""`make bench-region` (`python -m bench.region`): a region of 1,000 associations on
PostgreSQL and Redis, with 1, 2 and 4 worker processes, measured.

Started here, on 127.0.0.1 only, and stopped at the end whatever happens: a PostgreSQL
cluster and a redis-server (tests/support/servers.py), the document storage — a real
WebDAV server answering every call 150 ms late and 2% of calls with 429
(bench/region/storage.py) — and for each worker count the service as a municipality
runs it: `mo-docs serve` and N × `mo-docs worker` with MO_DOCS_DATABASE_URL=postgresql…,
MO_DOCS_QUEUE_URL=redis://… and MO_DOCS_FILING_URL=webdav+http://….

The region (bench/region/workbooks.py) is loaded once into a template database; each
run gets a copy of it, a queue and a storage folder of its own, and does, in order:
1. a burst of «Сформировать протокол» (200 from 50 clients through the API, each
   following /api/v1/jobs/{id}): p50 / p95 from the click to the document filed;
2. the night: every workbook has changed, the watch job queues a check of each, and
   the checks file what is due (protocols, registration sheets): documents per second;
3. «Анализ работы для всех МО» through the API: documents per second.
Then the run is audited (bench/region/ledger.py): every requested document exactly
once, every job done, the storage holding exactly what the registry records.  After
the runs, one document's time is taken apart (bench/region/anatomy.py).

The table goes to docs/benchmarks.md (its own section) with the command and the machine.
Exit code 0 when every target is met and nothing was lost or doubled, 1 otherwise, 2
when PostgreSQL, Redis or WsgiDAV is not installed.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench.region import anatomy, cpu, ledger, phases
from bench.region.report import write_section
from bench.region.table import render
from bench.region.workbooks import Planned, plan
from bench.web_generate import AUTH
from tests.browser.live import LiveService, free_port
from tests.support import servers
from tests.support.webdav_server import MOUNT, PASSWORD, USER

ROOT = Path(__file__).resolve().parents[2]
PHASE_LIMITS = {"burst": 600.0, "night": 2400.0, "annual": 3600.0}
START_LIMIT = 90.0                   # the service's processes, until each worker listens to the queue


def _write_books(job: tuple[list, str]) -> int:
    books, folder = job
    for b in books:
        b.save(Path(folder) / b.name)
    return len(books)


def write_workbooks(planned: list[Planned], folder: Path) -> None:
    """The evening and night versions of every workbook, two processes writing."""
    jobs = []
    for version in ("evening", "night"):
        (folder / version).mkdir(parents=True)
        books = [getattr(p, version) for p in planned]
        jobs += [(books[i::2], str(folder / version)) for i in range(2)]
    with ProcessPoolExecutor(2) as pool:
        assert sum(pool.map(_write_books, jobs)) == 2 * len(planned)


def put(folder: Path, version: str, planned: list[Planned]) -> None:
    """Make the live workbooks the evening or the night versions (as a head saves one)."""
    for p in planned:
        shutil.copyfile(folder / version / p.evening.name, folder / "live" / p.evening.name)


class Storage:
    """The slow WebDAV server, a process of its own."""

    def __init__(self, root: Path, log: Path, latency: float, rate_limited: float):
        port_file = root.parent / "storage.port"
        with open(log, "wb") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "bench.region.storage", str(root), str(port_file),
                                          "--latency", str(latency), "--rate-limited", str(rate_limited)],
                                         cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        self.root, self.latency, self.rate_limited = root, latency, rate_limited
        deadline = time.monotonic() + 30
        while not port_file.exists():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the WebDAV server did not start:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.1)
        self.port = int(port_file.read_text())

    def weather(self, **change) -> dict:
        """The counts since the last change (POST resets them)."""
        url = f"http://127.0.0.1:{self.port}{'/_weather'}"
        data = json.dumps(change).encode() if change else None
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=10) as resp:
            return json.loads(resp.read())

    def filing_url(self, collection: str) -> str:
        return f"webdav+http://127.0.0.1:{self.port}{MOUNT}/{collection}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)


def service_settings(db_url: str, queue_url: str, filing_url: str, threads: int, port: int) -> dict:
    return {"ENV": "production", "SECRET_KEY": secrets.token_hex(32), "PORT": port, "DATABASE_URL": db_url,
            "QUEUE_URL": queue_url, "FILING_URL": filing_url, "WEBDAV_USERNAME": USER, "WEBDAV_PASSWORD": PASSWORD,
            "WORKERS": threads, "WATCH_INTERVAL_MINUTES": 59}


def load(pg, folder: Path, planned: list[Planned], instance: Path, storage: Storage) -> tuple[list, str, float]:
    """The region's template database: every association added (each workbook read and
    checked, as an upload is), and an admin's API token.  (rows, token, seconds)"""
    url = pg.create_database("region")
    live = LiveService(instance, service_settings(url, "memory://", storage.filing_url("load"), 1, 0))
    ws = live.app().extensions["workspace"]
    started = time.monotonic()
    rows = [ws.add_association(str(folder / "live" / p.evening.name), "загрузка") for p in planned]
    seconds = time.monotonic() - started
    ws.engine.dispose()
    token = live.admin_token()
    return rows, token, seconds


def expected_documents(planned: list[Planned], rows: list, year: str) -> set[tuple[str, str, str]]:
    keys = set()
    for p, a in zip(planned, rows):
        keys |= {(a.slug, "protocol", str(n)) for n in p.held}
        keys |= {(a.slug, "registration-sheet", f"m{n}") for n in p.soon}
        keys.add((a.slug, "annual-report", ""))
    return keys


def burst_requests(planned: list[Planned], rows: list, count: int) -> tuple[list, list]:
    """Protocols of held meetings other than each association's latest (whose decisions
    are typed only tonight), spread over the region: `count` for the burst, and as many
    more for warming the workers up."""
    pairs = [(a.slug, n) for p, a in zip(planned, rows) for n in p.held[:-1]]
    step = max(1, len(pairs) // (2 * count))
    chosen = pairs[::step][:2 * count]
    if len(chosen) < 2 * count:
        raise RuntimeError(f"only {len(chosen)} protocols can be asked for; the region needs more held meetings")
    return chosen[:count], chosen[count:]


def wait_for_workers(service: LiveService, count: int, limit: float = START_LIMIT) -> None:
    deadline = time.monotonic() + limit
    while True:
        ready = sum("Huey consumer started" in p.read_text(errors="replace") for n, p in service.logs.items()
                    if n.startswith("worker") and p.exists())
        if ready == count:
            return
        for name, proc in service.procs.items():
            if proc.poll() is not None:
                raise RuntimeError(f"`mo-docs {name}` exited with {proc.returncode}\n{service.log_text(40)}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{ready} of {count} workers started within {limit:.0f} s\n{service.log_text(40)}")
        time.sleep(0.2)


def retries_in_logs(service: LiveService) -> Counter:
    """The storage's answers the filers retried, from the workers' logs."""
    seen = Counter()
    for name, path in service.logs.items():
        if name.startswith("worker") and path.exists():
            for line in path.read_text(errors="replace").splitlines():
                if " retry " in line and "HTTP " in line:
                    seen[line.split("HTTP ", 1)[1][:3]] += 1
    return seen


def one_run(args, pg, redis, storage: Storage, folder: Path, planned, rows, token: str, workers: int,
            tmp: Path, deadline: float) -> dict:
    index = args.workers.index(workers) + 1
    put(folder, "evening", planned)
    db_url = pg.create_database(f"run_{workers}", template="region")
    collection = f"run-{workers}"
    (storage.root / collection).mkdir()
    queue = f"redis://127.0.0.1:{redis.port}/{index}"
    settings = service_settings(db_url, queue, storage.filing_url(collection), args.threads, free_port())
    service = LiveService(tmp / f"service-{workers}", settings)
    AUTH["Authorization"] = f"Bearer {token}"
    out: dict = {"workers": workers, "threads": args.threads}
    with contextlib.ExitStack() as stack:
        stack.callback(service.stop)
        stack.push(lambda kind, exc, tb: _show_logs(service, kind))
        service.start(timeout=START_LIMIT, workers=workers)
        wait_for_workers(service, workers)
        app = service.app()
        ws, tasks = app.extensions["workspace"], app.extensions["tasks"]
        stack.callback(ws.engine.dispose)
        burst, warm = burst_requests(planned, rows, args.burst)
        storage.weather(latency=args.latency, rate_limited=args.rate_limited)

        def limit(phase: str) -> float:
            left = deadline - time.monotonic()
            if left <= 0:
                raise phases.Overdue("the bench's time limit (--time-limit) is used up")
            return min(PHASE_LIMITS[phase], left)

        meter = cpu.Meter({"workers": [p.pid for n, p in service.procs.items() if n.startswith("worker")],
                           "web": [service.procs["serve"].pid], "postgres": [cpu.postmaster(pg.data) or -1],
                           "redis": [redis.proc.pid], "storage": [storage.proc.pid], "bench": [os.getpid()]})
        print(f"  warming up ({len(warm[:workers * args.threads])} protocols)", flush=True)
        phases.burst(service.url, ws, warm[:workers * args.threads], workers * args.threads, limit("burst"))
        print(f"  burst: {len(burst)} protocols from {args.clients} clients", flush=True)
        with meter.phase("burst"):
            out["burst"] = phases.burst(service.url, ws, burst, args.clients, limit("burst"))
        put(folder, "night", planned)
        print("  night: the watch job, then a check of every association", flush=True)
        with meter.phase("night"):
            out["night"] = phases.night(ws, tasks, len(planned), limit("night"))
        print("  annual reports of every association", flush=True)
        with meter.phase("annual"):
            out["annual"] = phases.annual(service.url, ws, len(planned), limit("annual"))
        for name, used in meter.phases.items():
            out[name].cpu = used
        out["weather"] = storage.weather()
        out["retries"] = retries_in_logs(service)
        out["queue_wait"] = _queue_wait(ws)
        year = rows[0].school_year
        jobs = Counter({"generate": len(burst) + len(warm[:workers * args.threads]) + len(planned),
                        "check": len(planned), "annual-all": 1})
        out["ledger"] = ledger.audit(ws, expected_documents(planned, rows, year), jobs,
                                     storage.root / collection, storage.filing_url(collection))
    return out


def _show_logs(service: LiveService, failed) -> bool:
    """On the way out of a failed run: the end of each process's log, before the
    folder is removed."""
    if failed is not None:
        print(service.log_text(60), file=sys.stderr)
    return False


def _queue_wait(ws) -> dict:
    """Seconds between a job's creation and its start, by kind (medians)."""
    from sqlalchemy import select

    from service.workspace.models import Job

    waits: dict[str, list[float]] = {}
    with ws.sf() as s:
        for kind, created, started in s.execute(select(Job.kind, Job.created_at, Job.started_at)):
            if started is not None:
                waits.setdefault(kind, []).append((started - created).total_seconds())
    return {k: sorted(v)[len(v) // 2] for k, v in waits.items()}


def measure_anatomy(args, pg, storage: Storage, planned, rows, tmp: Path) -> dict:
    db_url = pg.create_database("anatomy", template="region")
    (storage.root / "anatomy").mkdir()
    live = LiveService(tmp / "anatomy", service_settings(db_url, "memory://", storage.filing_url("anatomy"),
                                                          1, 0))
    ws = live.app().extensions["workspace"]
    try:
        storage.weather(latency=args.latency, rate_limited=args.rate_limited)
        sample = [(a, p.held) for p, a in zip(planned, rows) if p.held][:args.anatomy]
        return anatomy.measure(ws, sample, annual=max(1, args.anatomy // 2))
    finally:
        ws.engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.region", description=__doc__.split("\n\n")[0])
    parser.add_argument("--associations", type=int, default=1000)
    parser.add_argument("--workers", type=lambda v: [int(x) for x in v.split(",")], default=[1, 2, 4])
    parser.add_argument("--threads", type=int, default=4, help="threads of each worker process (MO_DOCS_WORKERS)")
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.150)
    parser.add_argument("--rate-limited", type=float, default=0.02)
    parser.add_argument("--anatomy", type=int, default=20, help="documents taken apart after the runs")
    parser.add_argument("--time-limit", type=float, default=150, help="minutes for the whole bench")
    parser.add_argument("--no-doc", action="store_true", help="print the table, leave docs/benchmarks.md alone")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))       # the cleanup below runs on SIGTERM too
    deadline = time.monotonic() + 60 * args.time_limit
    began, load_before = time.monotonic(), os.getloadavg()
    today = dt.date.today()
    results = []
    with contextlib.ExitStack() as stack:
        tmp = Path(tempfile.mkdtemp(prefix="mo-docs-region-"))
        stack.callback(shutil.rmtree, tmp, True)
        try:
            pg = servers.start_postgres({"max_connections": "400"})
            stack.callback(pg.stop)
            redis = servers.start_redis(tmp)
            stack.callback(redis.stop)
            import wsgidav  # noqa: F401
        except (servers.Unavailable, ImportError) as err:
            print(f"bench-region: cannot run here: {err}", file=sys.stderr)
            return 2
        storage = Storage(tmp / "dav", tmp / "storage.log", args.latency, args.rate_limited)
        stack.callback(storage.stop)
        print(f"PostgreSQL on :{pg.port}, Redis on :{redis.port}, WebDAV on :{storage.port}", flush=True)
        planned = plan(args.associations, today)
        folder = tmp / "workbooks"
        started = time.monotonic()
        write_workbooks(planned, folder)
        (folder / "live").mkdir()
        put(folder, "evening", planned)
        print(f"{len(planned)} workbooks written in {time.monotonic() - started:.0f} s", flush=True)
        rows, token, load_seconds = load(pg, folder, planned, tmp / "template", storage)
        print(f"loaded in {load_seconds:.0f} s", flush=True)
        for workers in args.workers:
            print(f"run: {workers} worker process(es) × {args.threads} threads", flush=True)
            results.append(one_run(args, pg, redis, storage, folder, planned, rows, token, workers, tmp, deadline))
            print(summary_line(results[-1]), flush=True)
        parts = measure_anatomy(args, pg, storage, planned, rows, tmp)
    load_after = os.getloadavg()
    text, ok = render(args, planned, results, parts, load_seconds, load_before, load_after,
                      time.monotonic() - began, today)
    print(text)
    if not args.no_doc:
        write_section(text)
    return 0 if ok else 1


def summary_line(r: dict) -> str:
    b, n, a = r["burst"], r["night"], r["annual"]
    return (f"  burst p50 {b.p(50):.2f} s p95 {b.p(95):.2f} s; night {n.jobs} checks, {n.documents} documents in "
            f"{n.seconds:.0f} s ({n.per_second:.1f}/s); annual {a.documents} in {a.seconds:.0f} s "
            f"({a.per_second:.2f}/s); 429s {r['weather']['limited']} of {r['weather']['total']} calls; "
            f"ledger {'ok' if r['ledger'].ok else 'PROBLEMS: ' + '; '.join(r['ledger'].problems)}")


if __name__ == "__main__":
    raise SystemExit(main())
