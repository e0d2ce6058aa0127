"""Scheduled work for the suggestion box, as of a given time."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from bot.deps import Deps
from bot.suggestions import service


def forget_suggestion_counts(deps: Deps, at: datetime) -> Counter[str]:
    """Delete the per-person suggestion counts of days that are over."""
    return Counter({"forgotten": service.forget_counts(deps, today=at.date())})
