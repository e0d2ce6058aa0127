"""What a coach's weekly digest covers, read in the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.goals.service import can_view
from bot.practice.service import PracticeWeek, practice_week
from bot.users import zone_or_utc
from storage import coaching as store
from storage import goals as goal_store
from storage import kudos as ledger
from storage import users as user_store
from storage.models.goals import CheckIn, Goal, GoalStatus
from storage.models.kudos import Kudos

SHOWN = (GoalStatus.ACTIVE, GoalStatus.PAUSED, GoalStatus.COMPLETED)  # goals a coach may see


@dataclass(frozen=True)
class CoacheeWeek:
    coachee_id: str
    goals: tuple[Goal, ...]
    checkins: dict[int, tuple[CheckIn, ...]]
    missed: dict[int, int]
    kudos: tuple[Kudos, ...]
    practice: PracticeWeek  # counts and skills only, never a reply
    away: bool = False  # away now: by Slack status or ``/goal away`` (which of them, never said)
    extra: tuple[str, ...] = ()  # lines from rooms above coaching (the skill profile, if shared)


# Lines a room above coaching adds for one coachee (session, team, coach, coachee, now): the
# skill profile when the coachee shares it with coaches. Passed in from above (scheduling).
Extra = Callable[[Session, str, str, str, datetime], list[str]]


def digest_for(
    session: Session, *, team_id: str, coach_id: str, now: datetime, extra: Extra | None = None
) -> list[CoacheeWeek]:
    """What a coach's weekly digest covers: each coachee's goals shared with the coach, their
    check-ins and missed prompts over the last 7 days, kudos they received, how often they
    practised (and which skills: never what they wrote), and whether they are away now."""
    since = now - timedelta(days=7)
    out = []
    coachees = store.coachees_of(session, team_id=team_id, coach_id=coach_id)
    away = _away(session, team_id=team_id, user_ids=coachees, now=now)
    for coachee in coachees:
        goals = [
            g
            for g in goal_store.goals_of(session, team_id=team_id, owner_id=coachee, statuses=SHOWN)
            if can_view(g, coach_id, [coach_id])
            and (g.status != GoalStatus.COMPLETED or (g.completed_at and g.completed_at >= since))
        ]
        checkins = {
            g.id or 0: tuple(goal_store.checkins_of(session, g.id or 0, since)) for g in goals
        }
        missed = {g.id or 0: goal_store.missed_since(session, g.id or 0, since) for g in goals}
        kudos = ledger.kudos_received_since(session, team_id=team_id, user_id=coachee, since=since)
        practice = practice_week(session, team_id=team_id, user_id=coachee, since=since)
        lines = tuple(extra(session, team_id, coach_id, coachee, now)) if extra else ()
        week = CoacheeWeek(
            coachee, tuple(goals), checkins, missed, tuple(kudos), practice, coachee in away, lines
        )
        out.append(week)
    return out


def _away(session: Session, *, team_id: str, user_ids: list[str], now: datetime) -> set[str]:
    """Those of ``user_ids`` away at ``now``: their Slack status says so (one query), or they
    set ``/goal away`` through their local today or later."""
    away = user_store.away_among(session, team_id=team_id, user_ids=user_ids, now=now)
    cached = user_store.cached_people(session, team_id=team_id, user_ids=user_ids)
    for user_id in user_ids:
        until = goal_store.away_until(session, team_id=team_id, user_id=user_id)
        zone = zone_or_utc(cached[user_id].tz if user_id in cached else "UTC")
        if until is not None and until >= now.astimezone(zone).date():
            away.add(user_id)
    return away
