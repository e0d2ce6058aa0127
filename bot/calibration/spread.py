"""A round's scores side by side: each reviewer's score per skill, the lowest and highest, the
agreement (``bot.reviews.scorecard.agreement``), who did not score, and a starting point for the
agreed score (the median). Pure functions over stored rows."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from bot.reviews.scorecard import Scorecard, SkillScore, agreement, scored_skills
from bot.text import ERASED_ID
from storage.models.reviews import Calibration, CalibrationReviewer, CalibrationScore


@dataclass(frozen=True)
class SkillSpread:
    skill: str
    given: tuple[tuple[str, int | None], ...]  # (reviewer, score; None: not applicable)
    agreed: int | None = None  # the lead's agreed score, once recorded

    @property
    def numbers(self) -> list[int]:
        return [s for _, s in self.given if s is not None]

    @property
    def low(self) -> int | None:
        return min(self.numbers, default=None)

    @property
    def high(self) -> int | None:
        return max(self.numbers, default=None)

    @property
    def apart(self) -> bool:
        """Two or more scores more than one point apart."""
        return len(self.numbers) >= 2 and max(self.numbers) - min(self.numbers) > 1

    @property
    def median(self) -> int | None:
        """The middle score, a half rounded up; None when nobody scored the skill."""
        if not self.numbers:
            return None
        return math.floor(statistics.median(self.numbers) + 0.5)


@dataclass(frozen=True)
class Spread:
    round: Calibration
    skills: tuple[SkillSpread, ...]
    agreement: float | None
    scored: tuple[str, ...]  # reviewers who scored, in the order they were invited
    missing: tuple[str, ...]  # invited reviewers who did not score

    @property
    def audience(self) -> tuple[str, ...]:
        """Who sees it: every reviewer invited, and the lead (once; not a lead since erased)."""
        people = dict.fromkeys([*self.scored, *self.missing, self.round.lead_id])
        return tuple(p for p in people if p != ERASED_ID)


def skills_of(row: Calibration) -> tuple[str, ...]:
    return scored_skills([s for s in row.skills.split(",") if s])


def cards_of(scores: Sequence[CalibrationScore]) -> dict[str, Scorecard]:
    """Each reviewer's scores as a scorecard (the summary fields are not asked in a round)."""
    by_reviewer: dict[str, list[SkillScore]] = {}
    for s in scores:
        by_reviewer.setdefault(s.reviewer_id, []).append(SkillScore(s.skill, s.score, s.note))
    return {r: Scorecard(tuple(given)) for r, given in by_reviewer.items()}


def spread_of(
    row: Calibration,
    invited: Sequence[CalibrationReviewer],
    scores: Sequence[CalibrationScore],
    agreed: Sequence[CalibrationScore] = (),
) -> Spread:
    skills = skills_of(row)
    order = [r.reviewer_id for r in invited]
    cards = cards_of(scores)
    scored = tuple(r for r in order if r in cards)
    final = {s.skill: s.score for s in agreed}
    per_skill = tuple(
        SkillSpread(skill, tuple((r, cards[r].score_of(skill)) for r in scored), final.get(skill))
        for skill in skills
    )
    return Spread(
        round=row,
        skills=per_skill,
        agreement=agreement([cards[r] for r in scored], skills),
        scored=scored,
        missing=tuple(r for r in order if r not in cards),
    )


def medians(spread: Spread) -> Scorecard:
    """The agreed-score form's starting point: each skill's median ("not applicable" when
    nobody scored it)."""
    return Scorecard(tuple(SkillScore(s.skill, s.median) for s in spread.skills))
