"""Three suggested talking points for a one-on-one, by clear rules (pure). The facts come in
already bounded (the last 30-90 days); each rule gives at most one point, and the rules are
tried in order until three are found:

1. a goal with missed check-ins, or whose last check-in said blocked or at risk;
2. a complaint from a customer in the last 30 days;
3. a review the coachee asked to discuss, still open;
4. a skill trending down: kudos for it in the last 45 days at most half the 45 before (3+);
5. the oldest open action item from an earlier meeting;
6. something to celebrate: the skill with the most kudos lately.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.text import escape, trim

POINTS = 3
SHOWN = 80  # characters of a goal or an item quoted in a point


@dataclass(frozen=True)
class GoalFact:
    what: str
    missed: int  # check-ins missed in the last 30 days
    last_status: str | None  # on_track | at_risk | blocked | done


@dataclass(frozen=True)
class Facts:
    goals: tuple[GoalFact, ...] = ()
    complaints: tuple[datetime, ...] = ()  # when customers complained, last 30 days
    discussing: int = 0  # reviews the coachee asked to discuss, not settled
    kudos_recent: tuple[tuple[str, int], ...] = ()  # skill -> kudos, last 45 days
    kudos_before: tuple[tuple[str, int], ...] = ()  # skill -> kudos, the 45 days before
    open_items: tuple[str, ...] = ()  # open action items, oldest first


def _quoted(text: str) -> str:
    return "“" + escape(trim(" ".join(text.split()), SHOWN)) + "”"


def _goal(facts: Facts) -> str | None:
    for goal in sorted(facts.goals, key=lambda g: -g.missed):
        if goal.missed:
            n = f"{goal.missed} check-in{'s' if goal.missed > 1 else ''}"
            return f"Missed {n} on {_quoted(goal.what)}: what got in the way?"
    for goal in facts.goals:
        if goal.last_status in {"blocked", "at_risk"}:
            words = "blocked" if goal.last_status == "blocked" else "at risk"
            return f"{_quoted(goal.what)} was last {words}: what would unblock it?"
    return None


def _complaint(facts: Facts) -> str | None:
    if not facts.complaints:
        return None
    n = len(facts.complaints)
    which = "a customer complaint" if n == 1 else f"{n} customer complaints"
    return f"Talk through {which} from the last 30 days: what happened, what would help next time?"


def _review(facts: Facts) -> str | None:
    if not facts.discussing:
        return None
    return "A review they asked to discuss is still open: go through it together."


def _trend(facts: Facts) -> str | None:
    recent = dict(facts.kudos_recent)
    falling = [
        (before, skill)
        for skill, before in facts.kudos_before
        if before >= 3 and recent.get(skill, 0) * 2 <= before
    ]
    if not falling:
        return None
    before, skill = max(falling)
    now = recent.get(skill, 0)
    return (
        f"Kudos for #{escape(skill)} fell from {before} to {now} (45 days each): anything changed?"
    )


def _item(facts: Facts) -> str | None:
    if not facts.open_items:
        return None
    return f"Follow up on {_quoted(facts.open_items[0])} from a past one-on-one."


def _celebrate(facts: Facts) -> str | None:
    if not facts.kudos_recent:
        return None
    skill, n = max(facts.kudos_recent, key=lambda kv: (kv[1], kv[0]))
    return f"Celebrate: {n} kudos for #{escape(skill)} lately. What made it work?"


RULES = (_goal, _complaint, _review, _trend, _item, _celebrate)


def talking_points(facts: Facts) -> list[str]:
    """Up to three points, by the rules above in order."""
    points: list[str] = []
    for rule in RULES:
        point = rule(facts)
        if point is not None:
            points.append(point)
        if len(points) == POINTS:
            break
    return points
