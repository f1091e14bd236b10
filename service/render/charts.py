"""Charts for the annual report, drawn with matplotlib (no display needed).

A curator compares associations at a glance: categories as a bar chart, attendance
per meeting as bars against the quorum line where the regulation sets one.
"""
from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

FONT = {"family": "DejaVu Sans", "size": 9}


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def categories_chart(rows: list[dict]) -> bytes:
    with plt.rc_context({"font.family": FONT["family"], "font.size": FONT["size"]}):
        fig, ax = plt.subplots(figsize=(6, 2.6))
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
        return _png(fig)


def attendance_chart(rows: list[dict], quorum_share: float | None) -> bytes:
    with plt.rc_context({"font.family": FONT["family"], "font.size": FONT["size"]}):
        fig, ax = plt.subplots(figsize=(6, 2.6))
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
        return _png(fig)
