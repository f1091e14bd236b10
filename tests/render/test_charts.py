"""Charts count people in whole numbers: no «0,5 педагога» on an axis."""
from __future__ import annotations

import datetime as dt

import pytest

from service.render import charts


def ticks(fig, axis: str) -> list[float]:
    ax = fig.axes[0]
    fig.canvas.draw()
    return [float(t) for t in (ax.get_xticks() if axis == "x" else ax.get_yticks())]


@pytest.mark.parametrize("counts", [[1], [1, 2], [0, 1, 3], [2, 2, 1, 1, 1], [17, 4]])
def test_count_axes_have_whole_numbers_only(counts):
    rows = [{"label": f"ряд {i}", "count": c, "percent": 10} for i, c in enumerate(counts)]
    fig = charts.count_bars_figure(rows, "педагогов")
    assert all(t.is_integer() for t in ticks(fig, "x")), ticks(fig, "x")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == [f"{c} (10%)" for c in counts][::-1]              # each bar carries its number


def test_attendance_has_whole_percent_ticks_and_the_quorum_line():
    rows = [{"number": n, "date": dt.date(2024, 9 + n, 1), "present": p, "total": 11, "percent": round(100 * p / 11)}
            for n, p in ((1, 10), (2, 5))]
    fig = charts.attendance_bars_figure(rows, 0.5)
    assert all(t.is_integer() for t in ticks(fig, "y"))
    ax = fig.axes[0]
    assert [line.get_ydata()[0] for line in ax.get_lines()] == [50.0]
    assert [t.get_text() for t in ax.texts][:2] == ["10 из 11", "5 из 11"]


def test_charts_are_png():
    png = charts.count_bars([{"label": "высшая", "count": 3, "percent": 25}], "педагогов")
    assert png.startswith(b"\x89PNG")
