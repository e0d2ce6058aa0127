"""What goes into a prep note, read in the caller's transaction, as the coach may see it.

The coach must actively coach the coachee. What they see is what the coachee chose to share:
goals shared with coaches (``bot.goals`` ``can_view``), feedback they shared, reviews per
``bot.reviews`` ``may_see``; customer feedback as an active coach sees it in ``/feedback inbox``;
lessons shared and found helpful as counts (posted lessons are public to the workspace).
Each section is bounded by a date range and a limit (``storage.oneonones``), so a person with
years of history costs what a newcomer does."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.goals.service import can_view
from bot.learning import service as learning
from bot.oneonones.points import Facts, GoalFact, talking_points
from bot.practice.service import practice_week
from bot.profile import service as profile
from bot.profile.render import profile_text
from bot.profile.service import LessonSignals, Profile
from bot.reviews.service import may_see
from storage import goals as goal_store
from storage import oneonones as store
from storage.models.feedback import CustomerFeedback, CustomerKind, Feedback
from storage.models.goals import CheckIn, Goal
from storage.models.oneonones import ActionItem, ItemState, Meeting, OneOnOne
from storage.models.reviews import Review, ReviewStatus

GOALS = 5
CHECKINS = 6
KUDOS_READ = 300  # kudos of the last 90 days read to count by skill (a generous week's worth)
FEEDBACK = 3
CUSTOMER = 3
REVIEWS = 3
ITEMS = 10
DAYS_30, DAYS_45, DAYS_90 = timedelta(days=30), timedelta(days=45), timedelta(days=90)
OPEN_STATES = (ItemState.OPEN, ItemState.PROPOSED)


@dataclass(frozen=True)
class PrepNote:
    series: OneOnOne
    meeting: Meeting
    goals: list[Goal]
    missed: dict[int, int]  # goal id -> check-ins missed, last 30 days
    checkins: list[CheckIn]
    kudos_by_skill: list[tuple[str, int]]  # last 90 days, most first
    feedback: list[Feedback]
    customer: list[CustomerFeedback]
    reviews: list[Review] | None  # None: not the coach's to see
    items: list[ActionItem]
    points: list[str]
    profile: list[str] | None = None  # None: the coachee has not shared it with coaches
    practice: list[str] | None = None  # what the coach may know: counts and skills
    away: bool = False
    lessons: list[str] | None = None  # lessons shared and found helpful: posted ones, public
    # The training the coachee recorded (``/learned course``), for the coach only when
    # the coachee allows it (``user_pref.learning_to_coaches``). None: not shown
    # (``training_lines``).
    training: list[str] | None = None


def shared_profile(
    session: Session, *, team_id: str, coachee_id: str, skills: Sequence[str], now: datetime
) -> Profile | None:
    """The coachee's skill profile for their coach (the caller checked the coaching), only when
    the coachee chose to share it with their coaches; None otherwise (the note says so)."""
    if not profile.shared_in(session, team_id=team_id, user_id=coachee_id):
        return None
    return profile.profile_in(session, team_id=team_id, user_id=coachee_id, skills=skills, now=now)


def profile_lines(found: Profile | None) -> list[str] | None:
    """The profile's lines in the note: None when not shared, none when it holds nothing."""
    if found is None:
        return None
    return profile_text(found).splitlines() if not found.empty else []


def lessons_shared(found: LessonSignals) -> list[str]:
    """The coachee's lessons shared (posted to a team channel) and how often others said one
    helped them, the last 90 days. Posted lessons are public to the workspace, so no choice of
    the coachee's is needed; private lessons are never counted."""
    shared, helped = found.lessons.recent, found.helped.recent
    if not shared and not helped:
        return []
    lessons = "1 lesson" if shared == 1 else f"{shared or 'No'} lessons"
    said = f"{lessons} shared in team channels"
    if helped:
        times = "once" if helped == 1 else f"{helped} times"
        said += f"; teammates found their lessons helpful {times}"
    return [said]


def _lessons(session: Session, team_id: str, coachee_id: str, now: datetime) -> LessonSignals:
    return profile.lessons_in(session, team_id=team_id, user_id=coachee_id, now=now)


def training_lines(
    session: Session, *, team_id: str, coach_id: str, coachee_id: str, now: datetime
) -> list[str] | None:
    """The training the coachee recorded in the last 90 days, for their coach only when the
    coachee allows it (``user_pref.learning_to_coaches``). None: not shared, no section."""
    if not learning.may_see_training(
        session, team_id=team_id, viewer_id=coach_id, person_id=coachee_id
    ):
        return None
    since = (now - timedelta(days=90)).date()
    return learning.training_lines_for(
        session, team_id=team_id, coach_id=coach_id, coachee_id=coachee_id, since=since
    )


def practice_done(session: Session, *, team_id: str, coachee_id: str, since: datetime) -> list[str]:
    """How often the coachee practised since ``since``, and which skills: never what they
    wrote, self-assessed or were rated (``bot.practice``'s ``practice_week``)."""
    week = practice_week(session, team_id=team_id, user_id=coachee_id, since=since)
    if not week.rounds:
        return []
    times = "once" if week.rounds == 1 else f"{week.rounds} times"
    return [f"Practised {times} ({', '.join(week.skills)})"]


def _facts(
    goals: list[Goal],
    missed: Counter[int],
    customer: list[CustomerFeedback],
    reviews: list[Review] | None,
    kudos: list[tuple[str, datetime]],
    items: list[ActionItem],
    now: datetime,
) -> Facts:
    """What the talking points are drawn from."""
    recent = _skills(kudos, now - DAYS_45, now + DAYS_30)
    before = _skills(kudos, now - DAYS_90, now - DAYS_45)
    return Facts(
        goals=tuple(GoalFact(g.what, missed.get(g.id or 0, 0), g.last_status) for g in goals),
        complaints=tuple(
            c.created_at
            for c in customer
            if c.kind == CustomerKind.COMPLAINT and c.created_at >= now - DAYS_30
        ),
        discussing=sum(r.status == ReviewStatus.DISCUSSING for r in reviews or []),
        kudos_recent=tuple(sorted(recent.items())),
        kudos_before=tuple(sorted(before.items())),
        open_items=tuple(i.text for i in items if i.state == ItemState.OPEN),
    )


def _skills(rows: list[tuple[str, datetime]], since: datetime, until: datetime) -> Counter[str]:
    counts: Counter[str] = Counter()
    for values, at in rows:
        if since <= at < until:
            counts.update(v for v in values.split(",") if v)
    return counts


def gather(
    session: Session,
    *,
    series: OneOnOne,
    meeting: Meeting,
    coach_id: str,
    now: datetime,
    skills: Sequence[str] = (),
) -> PrepNote:
    """The prep note of ``meeting`` for ``coach_id`` (the caller checked they coach)."""
    team, ana = series.team_id, series.coachee_id
    # Private goals are read and left out here: read a few more than are shown.
    goals = [
        g
        for g in goal_store.open_goals_of(session, team_id=team, owner_id=ana, limit=GOALS * 4)
        if can_view(g, coach_id, [coach_id])
    ][:GOALS]
    ids = [g.id for g in goals if g.id is not None]
    missed = Counter(
        p.goal_id
        for p in store.missed_prompts(session, goal_ids=ids, since=now - DAYS_30, limit=100)
    )
    checkins = store.checkins_since(session, goal_ids=ids, since=now - DAYS_30, limit=CHECKINS)
    kudos = store.kudos_values_since(
        session, team_id=team, user_id=ana, since=now - DAYS_90, limit=KUDOS_READ
    )
    feedback = store.shared_feedback_since(
        session, team_id=team, user_id=ana, since=now - DAYS_90, limit=FEEDBACK
    )
    customer = store.customer_since(
        session, team_id=team, user_id=ana, since=now - DAYS_90, limit=CUSTOMER
    )
    reviews = (
        store.reviews_since(session, team_id=team, user_id=ana, since=now - DAYS_90, limit=REVIEWS)
        if may_see(session, team_id=team, agent_id=ana, viewer_id=coach_id)
        else None
    )
    items = store.items_in(
        session, team_id=team, series_id=series.id or 0, states=OPEN_STATES, limit=ITEMS
    )
    facts = _facts(goals, missed, customer, reviews, kudos, items, now)
    found = shared_profile(session, team_id=team, coachee_id=ana, skills=skills, now=now)
    return PrepNote(
        series=series,
        meeting=meeting,
        goals=goals,
        missed=dict(missed),
        checkins=checkins,
        kudos_by_skill=_skills(kudos, now - DAYS_90, now + DAYS_30).most_common(5),
        feedback=feedback,
        customer=customer,
        reviews=reviews,
        items=items,
        points=talking_points(facts),
        profile=profile_lines(found),
        practice=practice_done(session, team_id=team, coachee_id=ana, since=now - DAYS_90),
        # The profile read them already when it is shared: not read twice.
        lessons=lessons_shared(found.lessons if found else _lessons(session, team, ana, now)),
        training=training_lines(session, team_id=team, coach_id=coach_id, coachee_id=ana, now=now),
    )
