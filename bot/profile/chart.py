"""A small picture of a skill profile: per skill, kudos received in the 90 days before and in the
last 90 days, side by side (one person against their own past, nobody else).

Drawn with matplotlib's object API on the Agg canvas (no pyplot state, safe in any thread), with
no metadata that changes from run to run: the same profile gives the same bytes.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the service draws with this module
    from bot.profile.service import Profile

MAX_SKILLS = 8
GREEN = "#2b5f3f"
GREY = "#b8c4bc"


def chart_png(profile: Profile) -> bytes | None:
    """PNG bytes, or None when no skill has a kudos in either window (nothing worth drawing)."""
    skills = [s for s in profile.skills[:MAX_SKILLS]]
    if not any(s.kudos.recent or s.kudos.previous for s in skills):
        return None
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=(6, 0.5 + 0.45 * len(skills)), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    shown = list(reversed(skills))
    rows = range(len(shown))
    height = 0.38
    ax.barh(
        [r + height / 2 for r in rows],
        [s.kudos.previous for s in shown],
        height=height,
        color=GREY,
        label="the 90 days before",
    )
    ax.barh(
        [r - height / 2 for r in rows],
        [s.kudos.recent for s in shown],
        height=height,
        color=GREEN,
        label="last 90 days",
    )
    ax.set_yticks(list(rows), ["#" + s.skill for s in shown])
    ax.set_title("Kudos received per skill")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="lower right", fontsize="small", frameon=False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()


def alt_text(profile: Profile) -> str:
    parts = [
        f"#{s.skill}: {s.kudos.recent} (before: {s.kudos.previous})"
        for s in profile.skills[:MAX_SKILLS]
    ]
    return "Kudos received per skill, last 90 days: " + "; ".join(parts)
