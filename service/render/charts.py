"""Charts for documents, drawn with matplotlib (no display needed).

People are counted in whole numbers: every count axis has integer ticks only (no
«0,5 педагога»), every bar carries its number.  The caption («Рисунок 1 – …») is the
document's, under the picture, so the chart itself has no title.
"""
from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

# Figures are made directly, not through pyplot: pyplot keeps global state that two
# worker threads drawing at once would share.
FONT = {"family": "DejaVu Sans", "size": 9}
BLUE, GREEN, RED = "#4472C4", "#70AD47", "#C00000"


def _figure(height: float) -> tuple[Figure, object]:
    fig = Figure(figsize=(6, height))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _style(ax) -> None:
    for item in [ax.xaxis.label, ax.yaxis.label, *ax.get_xticklabels(), *ax.get_yticklabels(), *ax.texts]:
        item.set_fontfamily(FONT["family"])
        item.set_fontsize(FONT["size"])


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150, bbox_inches="tight")
    return buf.getvalue()


def count_bars(rows: list[dict], unit: str) -> bytes:
    """Horizontal bars, one per row (`label`, `count`, optional `percent`), in the order
    given, top to bottom; the axis counts `unit` («человек») in whole numbers."""
    return _png(count_bars_figure(rows, unit))


def attendance_bars(rows: list[dict], quorum_share: float | None) -> bytes:
    """Members present at each held meeting (`number`, `date`, `present`, `total`,
    `percent`) as a share of the membership, with the quorum line where the regulation
    sets one."""
    return _png(attendance_bars_figure(rows, quorum_share))


def count_bars_figure(rows: list[dict], unit: str) -> Figure:
    fig, ax = _figure(0.5 + 0.35 * max(len(rows), 2))
    labels = [r["label"] for r in rows][::-1]
    counts = [r["count"] for r in rows][::-1]
    bars = ax.barh(labels, counts, color=BLUE)
    for bar, r in zip(bars, rows[::-1]):
        text = f"{r['count']} ({r['percent']}%)" if "percent" in r else str(r["count"])
        ax.text(bar.get_width() + max(counts + [1]) * 0.02, bar.get_y() + bar.get_height() / 2, text, va="center")
    ax.set_xlim(0, max(counts + [1]) * 1.3)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(unit)
    _style(ax)
    return fig


def attendance_bars_figure(rows: list[dict], quorum_share: float | None) -> Figure:
    fig, ax = _figure(2.6)
    labels = [f"№{r['number']}\n{r['date']:%d.%m}" for r in rows]
    ax.bar(labels, [r["percent"] for r in rows], color=GREEN)
    for i, r in enumerate(rows):
        ax.text(i, r["percent"] + 2, f"{r['present']} из {r['total']}", ha="center")
    if quorum_share is not None:
        ax.axhline(100 * quorum_share, color=RED, linestyle="--", linewidth=1)
        ax.text(len(rows) - 0.5, 100 * quorum_share + 2, "кворум", color=RED, ha="right")
    ax.set_ylim(0, 110)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("% членов")
    _style(ax)
    return fig
