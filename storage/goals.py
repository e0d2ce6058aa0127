"""Queries for goals, check-ins, prompts, the tips people have seen, and time away.

Functions taking two or more ids take them by keyword."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import update
from sqlmodel import Session, col, delete, func, select

from storage.models.goals import CheckIn, CheckInPrompt, Goal, GoalStatus, PromptStatus, TipSeen
from storage.models.users import SlackUser, UserPref
from storage.upsert import insert_returning, upsert

SCHEDULED = (GoalStatus.ACTIVE, GoalStatus.PAUSED)  # goals that have check-ins coming


# Goals ---------------------------------------------------------------------------------------


def add_goal(session: Session, goal: Goal) -> Goal:
    session.add(goal)
    session.flush()
    return goal


def get_goal(session: Session, *, team_id: str, goal_id: int, lock: bool = False) -> Goal | None:
    stmt = select(Goal).where(Goal.team_id == team_id, Goal.id == goal_id)
    if lock:
        # PostgreSQL row lock (SQLite writes are serialised anyway). populate_existing: a copy
        # loaded earlier in this session must not hide what another transaction committed while
        # this one waited for the lock.
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return session.exec(stmt).first()


def lock_due_goals(session: Session, goal_ids: Sequence[int], at: datetime) -> list[Goal]:
    """The goals among ``goal_ids`` still due at ``at``, locked for this transaction. On
    PostgreSQL, goals another process is handling right now are skipped (SKIP LOCKED), so two
    schedulers split the work instead of queueing behind each other."""
    if not goal_ids:
        return []
    stmt = (
        select(Goal)
        .where(col(Goal.id).in_(list(goal_ids)), col(Goal.status).in_(SCHEDULED))
        .where(col(Goal.next_due_at) <= at)
        .order_by(col(Goal.id))
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )
    return list(session.exec(stmt).all())


def goals_of(
    session: Session, *, team_id: str, owner_id: str, statuses: Sequence[str]
) -> list[Goal]:
    return list(
        session.exec(
            select(Goal)
            .where(Goal.team_id == team_id, Goal.owner_id == owner_id)
            .where(col(Goal.status).in_(list(statuses)))
            .order_by(col(Goal.target_date), col(Goal.id))
        ).all()
    )


def due_goals(session: Session, at: datetime, limit: int) -> list[tuple[str, int]]:
    """(team_id, goal id) of goals whose check-in is due at ``at``, oldest first."""
    rows = session.exec(
        select(Goal.team_id, Goal.id)
        .where(col(Goal.status).in_(SCHEDULED), col(Goal.next_due_at) <= at)
        .order_by(col(Goal.next_due_at), col(Goal.id))
        .limit(limit)
    ).all()
    return [(t, int(i)) for t, i in rows if i is not None]


def stale_owners(session: Session, before: datetime, limit: int) -> list[tuple[str, str]]:
    """Owners of goals with check-ins coming whose cached Slack profile is missing or older than
    ``before``."""
    rows = session.exec(
        select(Goal.team_id, Goal.owner_id)
        .outerjoin(
            SlackUser,
            (col(SlackUser.team_id) == Goal.team_id) & (col(SlackUser.user_id) == Goal.owner_id),
        )
        .where(col(Goal.status).in_(SCHEDULED))
        .where(col(SlackUser.fetched_at).is_(None) | (col(SlackUser.fetched_at) < before))
        .distinct()
        .limit(limit)
    ).all()
    return [(t, u) for t, u in rows]


def next_goal_due(session: Session) -> datetime | None:
    return session.exec(
        select(func.min(Goal.next_due_at)).where(col(Goal.status).in_(SCHEDULED))
    ).one()


def count_due(session: Session, at: datetime) -> int:
    return int(
        session.exec(
            select(func.count())
            .select_from(Goal)
            .where(col(Goal.status).in_(SCHEDULED), col(Goal.next_due_at) <= at)
        ).one()
    )


def save(session: Session, row: object) -> None:
    session.add(row)
    session.flush()


# Check-ins and prompts -------------------------------------------------------------------------


def add_checkin(session: Session, checkin: CheckIn) -> CheckIn:
    session.add(checkin)
    session.flush()
    return checkin


def checkins_of(session: Session, goal_id: int, since: datetime | None = None) -> list[CheckIn]:
    stmt = select(CheckIn).where(CheckIn.goal_id == goal_id)
    if since is not None:
        stmt = stmt.where(col(CheckIn.created_at) >= since)
    return list(session.exec(stmt.order_by(col(CheckIn.created_at).desc(), col(CheckIn.id))).all())


def add_prompt(session: Session, values: dict[str, object]) -> CheckInPrompt | None:
    """Create the prompt for (goal, due time); None when it already exists."""
    return insert_returning(session, CheckInPrompt, values, ["goal_id", "due_at"])


def get_prompt(session: Session, *, team_id: str, prompt_id: int) -> CheckInPrompt | None:
    return session.exec(
        select(CheckInPrompt).where(CheckInPrompt.team_id == team_id, CheckInPrompt.id == prompt_id)
    ).first()


def open_prompts(session: Session, goal_id: int) -> list[CheckInPrompt]:
    return list(
        session.exec(
            select(CheckInPrompt)
            .where(CheckInPrompt.goal_id == goal_id, CheckInPrompt.status == PromptStatus.OPEN)
            .order_by(col(CheckInPrompt.due_at))
        ).all()
    )


def close_prompt(
    session: Session, prompt_id: int, status: PromptStatus, now: datetime, *, answered: bool
) -> bool:
    """Move an open prompt to ``status``; False when it was no longer open (answered twice)."""
    values: dict[str, object] = {"status": status}
    if answered:
        values["answered_at"] = now
    result = session.execute(
        update(CheckInPrompt)
        .where(col(CheckInPrompt.id) == prompt_id, col(CheckInPrompt.status) == PromptStatus.OPEN)
        .values(**values)
    )
    return bool(getattr(result, "rowcount", 0))


def missed_since(session: Session, goal_id: int, since: datetime) -> int:
    return int(
        session.exec(
            select(func.count())
            .select_from(CheckInPrompt)
            .where(CheckInPrompt.goal_id == goal_id, CheckInPrompt.status == PromptStatus.MISSED)
            .where(col(CheckInPrompt.due_at) >= since)
        ).one()
    )


def prompts_to_remind(session: Session, at: datetime, limit: int) -> list[CheckInPrompt]:
    return list(
        session.exec(
            select(CheckInPrompt)
            .where(CheckInPrompt.status == PromptStatus.OPEN, col(CheckInPrompt.remind_at) <= at)
            .where(col(CheckInPrompt.reminded_at).is_(None))
            .order_by(col(CheckInPrompt.remind_at), col(CheckInPrompt.id))
            .limit(limit)
        ).all()
    )


def next_reminder(session: Session) -> datetime | None:
    return session.exec(
        select(func.min(CheckInPrompt.remind_at)).where(
            CheckInPrompt.status == PromptStatus.OPEN, col(CheckInPrompt.reminded_at).is_(None)
        )
    ).one()


def mark_reminded(session: Session, prompt_id: int, now: datetime) -> bool:
    result = session.execute(
        update(CheckInPrompt)
        .where(col(CheckInPrompt.id) == prompt_id, col(CheckInPrompt.reminded_at).is_(None))
        .where(col(CheckInPrompt.status) == PromptStatus.OPEN)
        .values(reminded_at=now)
    )
    return bool(getattr(result, "rowcount", 0))


# Tips ------------------------------------------------------------------------------------------


def tips_seen(session: Session, *, team_id: str, user_id: str, skill: str) -> list[TipSeen]:
    return list(
        session.exec(
            select(TipSeen)
            .where(TipSeen.team_id == team_id, TipSeen.user_id == user_id, TipSeen.skill == skill)
            .order_by(col(TipSeen.seen_at), col(TipSeen.tip_id))
        ).all()
    )


def remember_tip(
    session: Session,
    *,
    team_id: str,
    user_id: str,
    skill: str,
    tip_id: str,
    now: datetime,
    new_round: bool,
) -> None:
    if new_round:
        session.execute(
            delete(TipSeen).where(
                col(TipSeen.team_id) == team_id,
                col(TipSeen.user_id) == user_id,
                col(TipSeen.skill) == skill,
            )
        )
    values = {"team_id": team_id, "user_id": user_id, "skill": skill, "tip_id": tip_id}
    upsert(session, TipSeen, {**values, "seen_at": now}, list(values))


# People ----------------------------------------------------------------------------------------


def away_until(session: Session, *, team_id: str, user_id: str) -> date | None:
    pref = session.get(UserPref, (team_id, user_id))
    return pref.away_until if pref else None


def set_away(session: Session, *, team_id: str, user_id: str, until: date | None) -> None:
    upsert(
        session,
        UserPref,
        {"team_id": team_id, "user_id": user_id, "away_until": until},
        ["team_id", "user_id"],
    )


# What a batch of due goals needs, read at once -------------------------------------------------


@dataclass
class DueLookups:
    """Rows that handling a batch of due goals reads, loaded with one query per table instead of
    one per goal. Only what the job itself may change (tips seen) is updated as it goes."""

    away: dict[tuple[str, str], date | None] = field(default_factory=dict)
    open_prompts: dict[int, list[CheckInPrompt]] = field(default_factory=dict)
    checkins: dict[int, list[CheckIn]] = field(default_factory=dict)
    checkins_since: datetime | None = None
    tips: dict[tuple[str, str, str], list[TipSeen]] = field(default_factory=dict)


def due_lookups(session: Session, goals: Sequence[Goal], checkins_since: datetime) -> DueLookups:
    found = DueLookups(checkins_since=checkins_since)
    if not goals:
        return found
    ids = [g.id or 0 for g in goals]
    owners = {(g.team_id, g.owner_id) for g in goals}
    teams = sorted({t for t, _ in owners})
    users = sorted({u for _, u in owners})
    found.away = dict.fromkeys(owners)
    for pref in session.exec(
        select(UserPref).where(col(UserPref.team_id).in_(teams), col(UserPref.user_id).in_(users))
    ).all():
        if (pref.team_id, pref.user_id) in owners:
            found.away[(pref.team_id, pref.user_id)] = pref.away_until
    found.open_prompts = {i: [] for i in ids}
    for prompt in session.exec(
        select(CheckInPrompt)
        .where(col(CheckInPrompt.goal_id).in_(ids), CheckInPrompt.status == PromptStatus.OPEN)
        .order_by(col(CheckInPrompt.due_at))
    ).all():
        found.open_prompts[prompt.goal_id].append(prompt)
    found.checkins = {i: [] for i in ids}
    for checkin in session.exec(
        select(CheckIn)
        .where(col(CheckIn.goal_id).in_(ids), col(CheckIn.created_at) >= checkins_since)
        .order_by(col(CheckIn.created_at).desc(), col(CheckIn.id))
    ).all():
        found.checkins[checkin.goal_id].append(checkin)
    wanted = {(g.team_id, g.owner_id, g.skill) for g in goals}
    found.tips = {k: [] for k in wanted}
    for seen in session.exec(
        select(TipSeen)
        .where(col(TipSeen.team_id).in_(teams), col(TipSeen.user_id).in_(users))
        .order_by(col(TipSeen.seen_at), col(TipSeen.tip_id))
    ).all():
        key = (seen.team_id, seen.user_id, seen.skill)
        if key in found.tips:
            found.tips[key].append(seen)
    return found


def open_goals_of(session: Session, *, team_id: str, owner_id: str, limit: int) -> list[Goal]:
    """The owner's active and paused goals, the next check-in first (ix_goal_owner)."""
    return list(
        session.exec(
            select(Goal)
            .where(Goal.team_id == team_id, Goal.owner_id == owner_id)
            .where(col(Goal.status).in_(SCHEDULED))
            .order_by(col(Goal.next_due_at), col(Goal.id))
            .limit(limit)
        ).all()
    )
