"""The region's section of docs/benchmarks.md: written by `make bench-region` between its
own markers, kept as it is by `make bench` (which rewrites the rest of the page)."""
from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "benchmarks.md"
START, END = "<!-- bench-region:start -->", "<!-- bench-region:end -->"
_SECTION = re.compile(re.escape(START) + r".*?" + re.escape(END) + r"\n?", re.S)


def section_of(text: str) -> str:
    """The region's section of a page, markers included ("" when it has none)."""
    m = _SECTION.search(text)
    return m.group(0).rstrip("\n") + "\n" if m else ""


def write_section(body: str, doc: Path = DOC) -> None:
    """Put `body` between the markers, replacing the previous section, keeping the rest."""
    block = f"{START}\n{body.rstrip()}\n{END}\n"
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
    if _SECTION.search(text):
        text = _SECTION.sub(lambda _m: block, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + block
    tmp = doc.with_suffix(".md.part")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(doc)
