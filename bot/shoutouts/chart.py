"""A small picture of the week: kudos per value (or per day when nobody tagged a value).

Drawn with matplotlib's object API on the Agg canvas (no pyplot state, safe in any thread).
"""

from __future__ import annotations

import io

from bot.shoutouts.week import Week

MAX_BARS = 8
GREEN = "#2b5f3f"


def chart_png(week: Week) -> bytes | None:
    """PNG bytes, or None for a week with no kudos (nothing worth drawing)."""
    if week.kudos == 0:
        return None
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=(6, 3), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    if week.values:
        shown = list(reversed(week.values[:MAX_BARS]))
        labels = ["#" + v for v, _ in shown]
        counts = [n for _, n in shown]
        ax.barh(labels, counts, color=GREEN)
        ax.set_title("Kudos per value this week")
        ax.set_xlabel("kudos")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    else:
        labels = [f"{d:%a} {d.day}" for d, _ in week.per_day]  # two Fridays differ
        counts = [n for _, n in week.per_day]
        ax.bar(labels, counts, color=GREEN)
        ax.set_title("Kudos per day this week")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
