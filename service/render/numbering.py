"""Numbered sections, and numbered, captioned tables and figures of a document.

A report omits a table or chart that has no data, so numbers cannot be typed into the
template: each context builder asks a `Numbering` for the tables and figures it
actually has, in the order they appear, and gets their captions (ГОСТ 7.32: «Таблица
1 – Уровень образования» above a table, «Рисунок 1 – …» under a figure).

A figure carries what to draw (`chart`: a function name of `service.render.charts`
and its arguments); `pictures()` turns the figures of a context into the pictures the
template places, so the context stays plain data that can be hashed.
"""
from __future__ import annotations

from typing import Any

from service.render import charts
from service.render.pictures import Picture

DASH = "–"


class Numbering:
    def __init__(self) -> None:
        self.tables = 0
        self.figures = 0
        self.sections = 0

    def section(self, present: bool = True) -> int | None:
        """The next section number, or None (no number used) for a section left out."""
        if not present:
            return None
        self.sections += 1
        return self.sections

    def table(self, caption: str, rows: list) -> dict | None:
        """{number, caption, rows}, or None (and no number used) when there are no rows."""
        if not rows:
            return None
        self.tables += 1
        return {"number": self.tables, "caption": f"Таблица {self.tables} {DASH} {caption}", "rows": rows}

    def figure(self, caption: str, chart: str, rows: list, **options: Any) -> dict | None:
        """{number, caption, chart, arguments}, or None (no number used) when there is
        nothing to draw.  `chart` names a function of service.render.charts taking `rows`."""
        if not hasattr(charts, chart):
            raise ValueError(f"no chart {chart!r} in service.render.charts")
        if not rows:
            return None
        self.figures += 1
        return {"number": self.figures, "caption": f"Рисунок {self.figures} {DASH} {caption}",
                "chart": chart, "arguments": {"rows": rows, **options}}


def pictures(figures: dict[str, dict | None], width_mm: float = 150) -> dict[str, Picture | None]:
    """Template variables «chart_<name>»: the drawn chart of each figure, None for a
    figure that was left out."""
    return {f"chart_{name}": None if figure is None else
            Picture(getattr(charts, figure["chart"])(**figure["arguments"]), width_mm)
            for name, figure in figures.items()}
