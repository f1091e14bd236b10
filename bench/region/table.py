"""The region bench's section of docs/benchmarks.md: the command, the machine, a row per
worker count, the scaling against the targets, the audit and where the time goes."""
from __future__ import annotations

import datetime as dt
import os
import platform

TARGET_2, TARGET_4, TARGET_P95 = 1.7, 3.0, 2.0


def _ratio(results: list[dict], phase: str, workers: int) -> float | None:
    by = {r["workers"]: r[phase].per_second for r in results}
    return by[workers] / by[1] if workers in by and by.get(1) else None


def _fmt(x: float | None, unit: str = "×") -> str:
    return "—" if x is None else f"{x:.2f}{unit}"


def render(args, planned, results: list[dict], parts: dict, load_seconds: float, load_before, load_after,
           seconds: float, today: dt.date) -> tuple[str, bool]:
    members = sorted(p.members for p in planned)
    meetings = sum(p.meetings for p in planned)
    held = sum(len(p.held) for p in planned)
    soon = sum(len(p.soon) for p in planned)
    command = COMMAND if _defaults(args) else f"python -m bench.region {' '.join(_argv(args))}"
    lines = [
        "## A region: PostgreSQL, Redis and 1–4 worker processes (`make bench-region`)",
        "",
        f"Produced by `{command}` (bench/region) on {today:%d.%m.%Y}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, load average {load_before[0]:.1f} / {load_before[1]:.1f} / {load_before[2]:.1f} "
        f"before and {load_after[0]:.1f} / {load_after[1]:.1f} / {load_after[2]:.1f} after (1 / 5 / 15 min; the "
        f"machine is shared); {seconds / 60:.0f} min in all.",
        "",
        f"{len(planned)} associations of the five seed regulations ({members[len(members) // 2]} members median, "
        f"{members[0]}–{members[-1]}; {meetings} meetings of which {held} held and {soon} in the coming week), "
        f"loaded into PostgreSQL in {load_seconds:.0f} s.  Each run: `mo-docs serve` and N × `mo-docs worker` "
        f"(MO_DOCS_WORKERS={args.threads} threads each) on a copy of that database, Redis for the queue, "
        f"documents filed to a WsgiDAV server answering every call {args.latency * 1000:.0f} ms late and "
        f"{args.rate_limited:.0%} of calls with 429.",
        "",
        "| worker processes × threads | burst of «Сформировать протокол»: p50 / p95 | the night: checks, documents, "
        "time, documents/s | annual reports: documents, time, documents/s | storage calls, 429s (retried) | "
        "CPU busy: burst / night / annual | nothing lost or twice |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        b, n, a, w, led = r["burst"], r["night"], r["annual"], r["weather"], r["ledger"]
        lines.append(
            f"| {r['workers']} × {r['threads']} | {b.p(50):.2f} s / **{b.p(95):.2f} s** | {n.jobs}, {n.documents}, "
            f"{n.seconds:.0f} s, **{n.per_second:.1f}/s** | {a.documents}, {a.seconds:.0f} s, "
            f"**{a.per_second:.2f}/s** | {w['total']}, {w['limited']} ({sum(r['retries'].values())}) | "
            f"{_busy(b)} / {_busy(n)} / {_busy(a)} | {'yes' if led.ok else 'NO'} |")
    night2, night4 = _ratio(results, "night", 2), _ratio(results, "night", 4)
    annual2, annual4 = _ratio(results, "annual", 2), _ratio(results, "annual", 4)
    p95_4 = next((r["burst"].p(95) for r in results if r["workers"] == 4), None)
    checks = [
        ("the night, 1 → 2 workers", night2, TARGET_2),
        ("the night, 1 → 4 workers", night4, TARGET_4),
        ("annual reports, 1 → 2 workers", annual2, TARGET_2),
        ("annual reports, 1 → 4 workers", annual4, TARGET_4),
    ]
    lines += ["", "| target | measured | wanted | met |", "|---|---|---|---|"]
    for what, got, want in checks:
        lines.append(f"| throughput, {what} | {_fmt(got)} | ≥ {want}× | {_met(got, want)} |")
    lines.append(f"| burst p95 with 4 workers | {_fmt(p95_4, ' s')} | < {TARGET_P95:.0f} s | "
                 f"{_met(p95_4, TARGET_P95, below=True)} |")
    audited = all(r["ledger"].ok for r in results)
    lines.append(f"| every document exactly once, every job done | {'yes' if audited else 'NO'} | yes | "
                 f"{'yes' if audited else 'NO'} |")
    lines += ["", *notes(args, results, parts)]
    ok = audited and all(_met(got, want) == "yes" for _, got, want in checks) and \
        _met(p95_4, TARGET_P95, below=True) == "yes"
    return "\n".join(lines) + "\n", ok


def _busy(phase) -> str:
    """The machine's CPU busy during a phase, of what its cores could give."""
    used = phase.cpu
    return f"{used['machine'] / (used['wall'] * (os.cpu_count() or 1)):.0%}" if used.get("wall") else "—"


def _cpu_split(phase) -> str:
    """CPU seconds per document by whose they were."""
    used, docs = phase.cpu, max(1, phase.documents)
    if not used:
        return "—"
    order = ["workers", "web", "postgres", "redis", "storage", "bench", "others"]
    return ", ".join(f"{k} {1000 * used[k] / docs:.0f}" for k in order if k in used)


def _met(got: float | None, want: float, below: bool = False) -> str:
    if got is None:
        return "—"
    return "yes" if (got < want if below else got >= want) else "NO"


def notes(args, results: list[dict], parts: dict) -> list[str]:
    out = []
    for r in results:
        b, n, a, led = r["burst"], r["night"], r["annual"], r["ledger"]
        jobs = ", ".join(f"{kind} {state} {count}" for (kind, state), count in sorted(led.jobs.items()))
        docs = ", ".join(f"{kind} {count}" for kind, count in sorted(led.documents.items()))
        waits = ", ".join(f"{k} {v:.1f} s" for k, v in sorted(r["queue_wait"].items()))
        out.append(
            f"- {r['workers']} × {r['threads']}: burst {b.jobs} protocols in {b.seconds:.1f} s, as a client polling "
            f"every {0.5} s saw them p50 {b.notes['seen_p50']:.2f} s, p95 {b.notes['seen_p95']:.2f} s; the night's "
            f"checks were queued {n.notes['queued_after']:.1f} s after the watch job was, "
            f"{n.notes['checks_per_second']:.1f} checks/s, a check {n.notes['in_worker_p50']:.2f} s in its worker "
            f"(median); annual reports made by {a.notes['processes']} process(es), {a.notes['in_worker_p50']:.2f} s "
            f"each in its worker (median). Waiting in the queue (median): {waits}. CPU ms per document — burst: "
            f"{_cpu_split(b)}; night: {_cpu_split(n)}; annual: {_cpu_split(a)}. Registry: {led.versions} "
            f"versions ({docs}), storage {led.files} files; jobs: {jobs}; jobs tried again: {led.attempts}; "
            f"retried answers in the workers' logs: {dict(r['retries']) or 'none'}"
            + (f". PROBLEMS: {'; '.join(led.problems)}" if led.problems else "") + ".")
    if parts:
        out.append(
            f"- Where a document's time goes (in one process, {parts['protocols']} protocols and {parts['annuals']} "
            f"annual reports, medians): reading and checking the workbook {parts['read_check']:.0f} ms, recording "
            f"the check {parts['record_check']:.0f} ms; a protocol: data {parts['protocol_data']:.0f} ms, render "
            f"{parts['protocol_render']:.0f} ms, filing {parts['protocol_filing']:.0f} ms of which "
            f"{parts['protocol_http']:.0f} ms waiting for {parts['protocol_calls']:.0f} storage calls; an annual "
            f"report: data {parts['annual_data']:.0f} ms, render {parts['annual_render']:.0f} ms (charts drawn by "
            f"matplotlib), filing {parts['annual_filing']:.0f} ms of which {parts['annual_http']:.0f} ms waiting "
            f"for {parts['annual_calls']:.0f} storage calls.")
    return out


COMMAND = "make bench-region"
_DEFAULTS = {"associations": 1000, "workers": [1, 2, 4], "threads": 4, "burst": 200, "clients": 50, "latency": 0.150,
             "rate_limited": 0.02, "anatomy": 20}


def _defaults(args) -> bool:
    return all(getattr(args, k) == v for k, v in _DEFAULTS.items())


def _argv(args) -> list[str]:
    out = []
    for k, v in _DEFAULTS.items():
        got = getattr(args, k)
        if got != v:
            value = ",".join(map(str, got)) if isinstance(got, list) else got
            out.append(f"--{k.replace('_', '-')} {value}")
    return out
