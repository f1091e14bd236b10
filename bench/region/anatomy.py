"""Where a document's time goes, part by part: reading and checking the workbook,
building the document's data, rendering the .docx, filing it (the storage's calls,
and the registry's database work around them), and recording a check.

Measured in this process, one document after another, on the same workspace, storage
and weather as the runs, with the service's own functions — the same calls a job makes
(service/workspace/service.py), timed apart.  The job records of the runs add what
happens around them: the wait in the queue and the job's own bookkeeping.
"""
from __future__ import annotations

import datetime as dt
import statistics
import time
from contextlib import contextmanager

from service.documents import Request, source_hash
from service.filing.base import DocumentKey
from service.filing.remote import RemoteHttp
from service.pipeline import check


class _Http:
    """Counts and times the storage's calls made through RemoteHttp."""

    def __init__(self):
        self.calls, self.seconds = 0, 0.0

    @contextmanager
    def installed(self):
        real = RemoteHttp.send

        def send(this, *args, **kwargs):
            start = time.perf_counter()
            try:
                return real(this, *args, **kwargs)
            finally:
                self.calls += 1
                self.seconds += time.perf_counter() - start

        RemoteHttp.send = send
        try:
            yield self
        finally:
            RemoteHttp.send = real


def _ms(values: list[float]) -> float:
    return 1000 * statistics.median(values) if values else float("nan")


def measure(ws, sample: list[tuple[object, list[int]]], annual: int, today: dt.date | None = None) -> dict:
    """`sample`: (association row, its held meetings); the first `annual` of them also
    get an annual report.  Medians in ms per document, and calls to the storage."""
    today = today or dt.date.today()
    filer = ws.filer()
    parts: dict[str, list[float]] = {k: [] for k in ("read_check", "record_check", "protocol_data", "protocol_render",
                                                     "protocol_filing", "protocol_http", "annual_data",
                                                     "annual_render", "annual_filing", "annual_http")}
    calls: dict[str, list[int]] = {"protocol": [], "annual": []}
    http = _Http()
    with http.installed():
        for i, (a, held) in enumerate(sample):
            start = time.perf_counter()
            report = check(ws.source(a.source), regulation_id=a.regulation_override, as_of=today, limits=ws.limits)
            parts["read_check"].append(time.perf_counter() - start)
            start = time.perf_counter()
            ws.record_check(a.id, report, "бенчмарк")
            parts["record_check"].append(time.perf_counter() - start)
            kinds = [("protocol", Request("protocol", meeting=held[0]))]
            if i < annual:
                kinds.append(("annual", Request("annual-report")))
            for name, request in kinds:
                start = time.perf_counter()
                context, filename, number = ws.generator.context(report, request, today, [])
                parts[f"{name}_data"].append(time.perf_counter() - start)
                start = time.perf_counter()
                content = ws.generator.render(request.kind, context)
                parts[f"{name}_render"].append(time.perf_counter() - start)
                before_calls, before_seconds = http.calls, http.seconds
                start = time.perf_counter()
                filer.file(DocumentKey(a.slug, request.kind, report.year.label, number), filename, content,
                           source_hash(context), "бенчмарк")
                parts[f"{name}_filing"].append(time.perf_counter() - start)
                parts[f"{name}_http"].append(http.seconds - before_seconds)
                calls[name].append(http.calls - before_calls)
    out = {k: _ms(v) for k, v in parts.items()}
    out.update({f"{k}_calls": statistics.median(v) if v else 0 for k, v in calls.items()})
    out["protocols"], out["annuals"] = len(parts["protocol_render"]), len(parts["annual_render"])
    return out
