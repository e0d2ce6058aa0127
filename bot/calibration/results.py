"""What calibration's use cases return: results in, for the renderers and the edge."""

from __future__ import annotations

from dataclasses import dataclass

from bot.calibration.spread import Spread
from storage.models.reviews import Calibration


@dataclass(frozen=True)
class Opened:
    round: Calibration
    reviewer_ids: tuple[str, ...]
    fresh: bool  # False: a second delivery of the same command found the round it opened


@dataclass(frozen=True)
class Refused:
    """A scorecard not taken: words for each block to show under it."""

    errors: dict[str, str]


@dataclass(frozen=True)
class Scored:
    round: Calibration
    revealed: Spread | None  # this score was the last one: the round was revealed with it


@dataclass(frozen=True)
class Agreed:
    spread: Spread


@dataclass(frozen=True)
class RoundView:
    """What ``/review calibrate show N`` shows: before the reveal only who has scored."""

    round: Calibration
    viewer_id: str
    scored: tuple[str, ...]
    waiting: tuple[str, ...]
    spread: Spread | None  # None until the reveal
