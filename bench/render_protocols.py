"""Render 200 protocols: our cached compiled template vs docxtpl's plain
load-render-save of the same template in the same process.  Target: at least 4×
faster per document (the cache keeps what does not change between documents)."""
from __future__ import annotations

import datetime as dt
import io

from docxtpl import DocxTemplate

from bench.harness import Result, measure
from service.documents import TEMPLATES_DIR, Generator
from service.pipeline import check
from service.render.contexts import protocol_context
from service.render.environment import make_environment
from tests.factories import association

N = 200
TARGET = 4.0


class _Source:
    def __init__(self, book):
        self.book, self.name = book, book.name

    def read(self):
        return self.book.raw()


def contexts() -> list[dict]:
    """200 distinct protocol contexts (50 associations × 4 meetings)."""
    out = []
    for i in range(N // 4):
        book = association("zdvinsky-mmo", size=12 + i % 9)
        book.info["Краткое наименование"] = f"ММО №{i}"
        report = check(_Source(book), as_of=dt.date(2025, 9, 1))
        out += [protocol_context(report, n, dt.date(2025, 9, 1)) for n in range(1, 5)]
    return out


def run() -> Result:
    ctxs = contexts()
    path = TEMPLATES_DIR / "protocol.docx"
    generator = Generator()
    env = make_environment()

    def ours():
        for ctx in ctxs:
            generator.render("protocol", ctx)

    def plain():
        for ctx in ctxs:
            tpl = DocxTemplate(path)
            tpl.render(ctx, jinja_env=env, autoescape=True)
            tpl.save(io.BytesIO())

    ours_t = measure(ours, runs=3)
    plain_t = measure(plain, runs=3)
    speedup = plain_t.best / ours_t.best
    return Result(
        name="render", what=f"{N} protocols rendered to .docx bytes (cached compiled template)",
        ours=ours_t, baseline=plain_t,
        baseline_what="docxtpl load + render + save of the same template per document",
        target=f"≥ {TARGET}× faster (ratio ≤ {1 / TARGET:.2f})", ok=speedup >= TARGET,
        notes=f"{ours_t.best / N * 1000:.1f} ms per document vs {plain_t.best / N * 1000:.1f} ms; "
              f"speed-up {speedup:.1f}×")
