"""Scheduled work for customer ratings, as of a given time."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from bot.deps import Deps
from bot.ratings import service


def settle_ratings(deps: Deps, at: datetime) -> Counter[str]:
    """Ratings still pending (their process stopped before it settled them, or Slack could not
    be asked): look up their agents now."""
    return service.settle_all(deps, at)


def rating_digests(deps: Deps, at: datetime) -> Counter[str]:
    """Each agent's daily digest of the ratings beyond their own DMs of the day."""
    return service.send_digests(deps, at)


def forget_receipts(deps: Deps, at: datetime) -> Counter[str]:
    """Signatures past the window a replay of them could come in."""
    return Counter({"forgotten": service.forget_receipts(deps, at)})
