"""Charts for the annual report, drawn with matplotlib (no display needed).

A curator compares associations at a glance: categories as a bar chart, attendance
per meeting as bars against the quorum line where the regulation sets one.
"""
from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

# Figures are made directly, not through pyplot: pyplot keeps global state that two
# worker threads drawing at once would share.
FONT = {"family": "DejaVu Sans", "size": 9}


def _figure() -> tuple[Figure, object]:
    fig = Figure(figsize=(6, 2.6))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    return fig, ax


def _style(ax) -> None:
    for item in [ax.title, ax.xaxis.label, ax.yaxis.label, *ax.get_xticklabels(), *ax.get_yticklabels(),
                 *ax.texts]:
        item.set_fontfamily(FONT["family"])
        item.set_fontsize(FONT["size"])


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150, bbox_inches="tight")
    return buf.getvalue()


def categories_chart(rows: list[dict]) -> bytes:
    fig, ax = _figure()
    labels = [r["label"] for r in rows]
    counts = [r["count"] for r in rows]
    bars = ax.barh(labels[::-1], counts[::-1], color="#4472C4")
    for bar, r in zip(bars, rows[::-1]):
        ax.text(bar.get_width() + 0.1, bar.get_y() + bar.get_height() / 2, f"{r['count']} ({r['percent']}%)",
                va="center")
    ax.set_xlabel("педагогов")
    ax.set_title("Квалификационные категории")
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xlim(0, max(counts + [1]) * 1.3)
    _style(ax)
    return _png(fig)


def attendance_chart(rows: list[dict], quorum_share: float | None) -> bytes:
    fig, ax = _figure()
    labels = [f"№{r['number']}\n{r['date']:%d.%m}" for r in rows]
    ax.bar(labels, [r["percent"] for r in rows], color="#70AD47")
    for i, r in enumerate(rows):
        ax.text(i, r["percent"] + 2, f"{r['present']}/{r['total']}", ha="center")
    if quorum_share is not None:
        ax.axhline(100 * quorum_share, color="#C00000", linestyle="--", linewidth=1)
        ax.text(len(rows) - 0.5, 100 * quorum_share + 2, "кворум", color="#C00000", ha="right")
    ax.set_ylim(0, 110)
    ax.set_ylabel("% членов")
    ax.set_title("Посещаемость заседаний")
    ax.spines[["top", "right"]].set_visible(False)
    _style(ax)
    return _png(fig)
