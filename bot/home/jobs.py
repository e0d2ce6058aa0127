"""The refresher: publishes the homes marked dirty, at most once every few seconds per person."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from bot.deps import Deps
from bot.home import service


def refresh_homes(deps: Deps, at: datetime) -> Counter[str]:
    return Counter(service.refresh_due(deps, at))


def next_refresh(deps: Deps, at: datetime) -> datetime | None:
    return service.next_refresh(deps)
