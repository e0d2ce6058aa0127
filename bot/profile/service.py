"""The skill profile: for one person, each of the workspace's skills (its kudos values) with its
signals over the last 90 days and the 90 before, and which way it is going.

The profile is the person's. They see it in their Home tab; their active coaches see it only
once the person turns ``profile_to_coaches`` on; nobody else does, admins included. Nothing here
compares people with one another: a profile holds one person's figures against their own past.

Signals, per skill: kudos received tagged with it, private feedback given for it, review scores
for it (1..4), practice rounds done for it and the peer ratings those rounds got, lessons the
person shared (posted to a team channel: public to the workspace) tagged with it and how often
others said one helped them. Customer feedback names no skill, so it is one line for the whole
person (praise, complaints, rating); so are lessons tagged with no skill of the workspace's.

Direction (the rule, so noise is not called a trend):

- A count (kudos, feedback, practice) changed only when the difference is at least 3 and more
  than twice the square root of the two counts' sum: two windows with the same underlying rate
  differ by about that much by chance alone (counts of events vary like a Poisson variable).
  So 2 -> 4 kudos is steady, 0 -> 5 is up, 10 -> 20 steady, 10 -> 25 up.
- An average (review scores, customer ratings) changed only with at least 3 scores in each
  window and a difference of at least half a point.
- A skill's direction comes from what measures how it is going: kudos received and review
  scores. One up and the other steady (or not enough to say) is up; one up and one down is
  steady (mixed). Feedback, practice and lessons show attention and effort, not how the skill
  goes: they carry their own arrows but do not move the skill's.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlmodel import Session

from bot.deps import Deps
from bot.profile.errors import ProfileNotShared
from storage import coaching as coaching_store
from storage import profile as store
from storage.profile import CustomerFigures, Windows

WINDOW = timedelta(days=90)
MIN_COUNT_CHANGE = 3
MIN_SCORES = 3
MIN_MEAN_CHANGE = 0.5


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"
    STEADY = "steady"


def count_direction(recent: int, previous: int) -> Direction:
    change = recent - previous
    if abs(change) < MIN_COUNT_CHANGE or abs(change) <= 2 * math.sqrt(recent + previous):
        return Direction.STEADY
    return Direction.UP if change > 0 else Direction.DOWN


def mean_direction(recent: Average, previous: Average) -> Direction:
    if recent.mean is None or previous.mean is None:
        return Direction.STEADY
    if recent.n < MIN_SCORES or previous.n < MIN_SCORES:
        return Direction.STEADY
    change = recent.mean - previous.mean
    if abs(change) < MIN_MEAN_CHANGE:
        return Direction.STEADY
    return Direction.UP if change > 0 else Direction.DOWN


def combined(*directions: Direction) -> Direction:
    """Up when something went up and nothing down; down the other way; otherwise steady."""
    ups, downs = Direction.UP in directions, Direction.DOWN in directions
    if ups and not downs:
        return Direction.UP
    if downs and not ups:
        return Direction.DOWN
    return Direction.STEADY


@dataclass(frozen=True)
class Count:
    recent: int = 0
    previous: int = 0

    @property
    def direction(self) -> Direction:
        return count_direction(self.recent, self.previous)


@dataclass(frozen=True)
class Average:
    n: int = 0
    mean: float | None = None


@dataclass(frozen=True)
class Scores:
    recent: Average = Average()
    previous: Average = Average()

    @property
    def direction(self) -> Direction:
        return mean_direction(self.recent, self.previous)


@dataclass(frozen=True)
class SkillSignals:
    skill: str
    kudos: Count = Count()
    feedback: Count = Count()
    reviews: Scores = Scores()
    practice: Count = Count()
    practice_ratings: Count = Count()
    lessons: Count = Count()  # lessons the person posted to a team channel, tagged with it
    helped: Count = Count()  # "This helped me" on those lessons, by others

    @property
    def direction(self) -> Direction:
        return combined(self.kudos.direction, self.reviews.direction)

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.kudos.recent,
                self.kudos.previous,
                self.feedback.recent,
                self.feedback.previous,
                self.reviews.recent.n,
                self.reviews.previous.n,
                self.practice.recent,
                self.practice.previous,
                self.lessons.recent,
                self.lessons.previous,
                self.helped.recent,
                self.helped.previous,
            )
        )


@dataclass(frozen=True)
class CustomerSignals:
    praise: Count = Count()
    complaints: Count = Count()
    rating: Scores = Scores()

    @property
    def direction(self) -> Direction:
        return self.rating.direction

    @property
    def empty(self) -> bool:
        return not (self.praise.recent or self.praise.previous or self.complaints.recent) and not (
            self.complaints.previous or self.rating.recent.n or self.rating.previous.n
        )


@dataclass(frozen=True)
class LessonSignals:
    """The person's posted lessons tagged with no skill of the workspace's (or none at all)."""

    lessons: Count = Count()
    helped: Count = Count()

    @property
    def empty(self) -> bool:
        return not any(
            (self.lessons.recent, self.lessons.previous, self.helped.recent, self.helped.previous)
        )


@dataclass(frozen=True)
class Profile:
    """One person's skill profile as of ``now``: the recent window is the 90 days before it."""

    team_id: str
    user_id: str
    now: datetime
    skills: tuple[SkillSignals, ...]
    customer: CustomerSignals
    other_lessons: LessonSignals = LessonSignals()

    @property
    def empty(self) -> bool:
        return (
            self.customer.empty and self.other_lessons.empty and all(s.empty for s in self.skills)
        )

    @property
    def lessons(self) -> LessonSignals:
        """Every lesson the person shared and how often others found one helpful, whatever its
        skill (the one-on-one prep note's line)."""
        every = [
            *((s.lessons, s.helped) for s in self.skills),
            (
                self.other_lessons.lessons,
                self.other_lessons.helped,
            ),
        ]
        return LessonSignals(
            lessons=Count(sum(c.recent for c, _ in every), sum(c.previous for c, _ in every)),
            helped=Count(sum(h.recent for _, h in every), sum(h.previous for _, h in every)),
        )


def windows(now: datetime) -> Windows:
    return Windows(start=now - 2 * WINDOW, middle=now - WINDOW, end=now)


def profile_in(
    session: Session, *, team_id: str, user_id: str, skills: Sequence[str], now: datetime
) -> Profile:
    """The profile read in an open session (six bounded queries, whatever the history)."""
    w = windows(now)
    who: dict[str, Any] = {"team_id": team_id, "user_id": user_id, "w": w}
    kudos = store.kudos_received(session, skills=skills, **who)
    feedback = store.feedback_received(session, **who)
    reviews = store.review_scores(session, **who)
    rounds, ratings = store.practice(session, skills=skills, **who)
    customer = store.customer_feedback(session, **who)
    lessons = store.lessons(session, **who)

    def count(source: store.Counts, skill: str) -> Count:
        return Count(source.get((skill, True), 0), source.get((skill, False), 0))

    def scores(skill: str) -> Scores:
        return Scores(
            Average(*reviews.get((skill, True), (0, None))),
            Average(*reviews.get((skill, False), (0, None))),
        )

    signals = tuple(
        SkillSignals(
            skill=s,
            kudos=count(kudos, s),
            feedback=count(feedback, s),
            reviews=scores(s),
            practice=count(rounds, s),
            practice_ratings=count(ratings, s),
            lessons=count(lessons.shared, s),
            helped=count(lessons.helped, s),
        )
        for s in dict.fromkeys(skills)  # a value listed twice is one skill
    )
    return Profile(
        team_id, user_id, now, signals, _customer(customer), _other_lessons(lessons, skills)
    )


def lessons_in(session: Session, *, team_id: str, user_id: str, now: datetime) -> LessonSignals:
    """The person's lessons shared and found helpful, every skill summed (as ``Profile.lessons``),
    in an open session: one read. Posted lessons are public to the workspace, so anyone the
    caller allows may be told these counts; private ones are never in them."""
    figures = store.lessons(session, team_id=team_id, user_id=user_id, w=windows(now))

    def total(source: store.Counts, recent: bool) -> int:
        return sum(n for (_, r), n in source.items() if r == recent)

    return LessonSignals(
        lessons=Count(total(figures.shared, True), total(figures.shared, False)),
        helped=Count(total(figures.helped, True), total(figures.helped, False)),
    )


def _other_lessons(figures: store.LessonFigures, skills: Sequence[str]) -> LessonSignals:
    """Lessons whose skill is none of the workspace's (or that name none), summed."""

    def other(source: store.Counts, recent: bool) -> int:
        return sum(n for (s, r), n in source.items() if r == recent and s not in skills)

    return LessonSignals(
        lessons=Count(other(figures.shared, True), other(figures.shared, False)),
        helped=Count(other(figures.helped, True), other(figures.helped, False)),
    )


def _customer(figures: dict[bool, CustomerFigures]) -> CustomerSignals:
    recent, previous = figures.get(True, CustomerFigures()), figures.get(False, CustomerFigures())
    return CustomerSignals(
        praise=Count(recent.praise, previous.praise),
        complaints=Count(recent.complaints, previous.complaints),
        rating=Scores(
            Average(recent.rated, recent.mean_rating), Average(previous.rated, previous.mean_rating)
        ),
    )


def profile_of(deps: Deps, team_id: str, user_id: str, now: datetime) -> Profile:
    """The person's own profile (for their home). Callers showing it to someone else go through
    ``profile_for_viewer``."""
    skills = deps.config(team_id).kudos.values
    with deps.db.read() as session:
        return profile_in(session, team_id=team_id, user_id=user_id, skills=skills, now=now)


def may_see(session: Session, *, team_id: str, viewer_id: str, person_id: str) -> bool:
    """The person themself; an active coach of theirs once they shared it; nobody else."""
    if viewer_id == person_id:
        return True
    if not store.shared_with_coaches(session, team_id=team_id, user_id=person_id):
        return False
    return viewer_id in coaching_store.coaches_of(session, team_id=team_id, coachee_id=person_id)


def profile_for_viewer(
    deps: Deps, team_id: str, viewer_id: str, person_id: str, now: datetime
) -> Profile:
    """``person_id``'s profile for ``viewer_id``; raises ``ProfileNotShared`` otherwise (the
    same refusal whatever the reason, so nobody learns whether a pairing or a choice exists)."""
    skills = deps.config(team_id).kudos.values
    with deps.db.read() as session:
        if not may_see(session, team_id=team_id, viewer_id=viewer_id, person_id=person_id):
            raise ProfileNotShared(person_id)
        return profile_in(session, team_id=team_id, user_id=person_id, skills=skills, now=now)


def shared_with_coaches(deps: Deps, *, team_id: str, user_id: str) -> bool:
    with deps.db.read() as session:
        return store.shared_with_coaches(session, team_id=team_id, user_id=user_id)


def set_shared_with_coaches(deps: Deps, *, team_id: str, user_id: str, on: bool) -> None:
    """The person's choice (only they make it: the caller is the person)."""
    with deps.db.write() as session:
        store.set_shared_with_coaches(session, team_id=team_id, user_id=user_id, on=on)


def sharing_among(session: Session, *, team_id: str, user_ids: Sequence[str]) -> set[str]:
    """Which of these people (a coach's coachees) let their coaches see their profile."""
    return store.sharing_among(session, team_id=team_id, user_ids=user_ids)


CHART_SHOWN = timedelta(days=8)  # a chart older than this is not shown in the Home tab


def chart_ref(user_id: str) -> str:
    return f"profile_chart:{user_id}"


def chart_in(session: Session, *, team_id: str, user_id: str, now: datetime) -> str | None:
    """The file id of the person's chart uploaded in the last ``CHART_SHOWN``, for their Home tab
    (the deliverer keeps an upload's file id), or None."""
    return store.latest_chart(
        session, team_id=team_id, ref=chart_ref(user_id), since=now - CHART_SHOWN
    )


def digest_lines_for(deps: Deps) -> Callable[[Session, str, str, str, datetime], list[str]]:
    """The coach's digest's line about a coachee's skills (``bot.coaching.digest.Extra``):
    only when the coachee shares their profile with coaches; the skills moving up or down,
    else that they hold steady. The caller (the digest) checked the coaching."""

    def lines(
        session: Session, team_id: str, coach_id: str, coachee_id: str, now: datetime
    ) -> list[str]:
        if not store.shared_with_coaches(session, team_id=team_id, user_id=coachee_id):
            return []
        skills = deps.config(team_id).kudos.values
        found = profile_in(session, team_id=team_id, user_id=coachee_id, skills=skills, now=now)
        if found.empty:
            return []
        up = [s.skill for s in found.skills if s.direction == Direction.UP]
        down = [s.skill for s in found.skills if s.direction == Direction.DOWN]
        moving = [f"#{k} up" for k in up] + [f"#{k} down" for k in down]
        said = ", ".join(moving[:4]) if moving else "steady on every skill"
        return [f":seedling: Skills, the last 90 days against the 90 before: {said}."]

    return lines


def shared_in(session: Session, *, team_id: str, user_id: str) -> bool:
    return store.shared_with_coaches(session, team_id=team_id, user_id=user_id)
