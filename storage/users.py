"""Queries for the cached Slack user directory and people's preferences."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, or_, select

from storage.models import SlackUser, UserPref
from storage.upsert import dialect_insert, upsert

NEVER = datetime(2000, 1, 1, tzinfo=UTC)


def cached_people(session: Session, *, team_id: str, user_ids: list[str]) -> dict[str, SlackUser]:
    if not user_ids:
        return {}
    rows = session.exec(
        select(SlackUser).where(SlackUser.team_id == team_id, col(SlackUser.user_id).in_(user_ids))
    ).all()
    return {r.user_id: r for r in rows}


def remember_person(
    session: Session,
    *,
    team_id: str,
    user_id: str,
    name: str,
    tz: str,
    is_bot: bool,
    deleted: bool,
    now: datetime,
    status: dict[str, Any] | None = None,
) -> None:
    """A person as ``users.info`` (or ``users.list``) just said they are. ``status``: the Slack
    status in the profile that came with it (``away``, ``text``, ``emoji``, ``expires_at``, as
    ``remember_status`` takes them), kept in the same statement; None leaves the stored one."""
    values: dict[str, Any] = {
        "team_id": team_id,
        "user_id": user_id,
        "name": name,
        "tz": tz,
        "is_bot": is_bot,
        "deleted": deleted,
        "fetched_at": now,
    }
    if status is not None:
        values |= {
            "status_away": bool(status["away"]),
            "status_text": status["text"],
            "status_emoji": status["emoji"],
            "status_expires_at": status["expires_at"],
            "status_seen_at": now,
        }
    upsert(session, SlackUser, values, ["team_id", "user_id"])


def opted_out(session: Session, team_id: str) -> set[str]:
    rows = session.exec(
        select(UserPref.user_id).where(UserPref.team_id == team_id, UserPref.leaderboard_opt_out)
    ).all()
    return set(rows)


def set_opt_out(session: Session, *, team_id: str, user_id: str, opt_out: bool) -> None:
    values = {"team_id": team_id, "user_id": user_id, "leaderboard_opt_out": opt_out}
    upsert(session, UserPref, values, ["team_id", "user_id"])


def leaderboard_opted_out(session: Session, *, team_id: str, user_id: str) -> bool:
    row = session.get(UserPref, (team_id, user_id))
    return bool(row and row.leaderboard_opt_out)


def remember_status(
    session: Session,
    *,
    team_id: str,
    user_id: str,
    away: bool,
    text: str,
    emoji: str,
    expires_at: datetime | None,
    now: datetime,
) -> None:
    """The person's Slack status as Bravo was just told it. A person not yet cached gets a row
    with what is known (their name and zone are filled in by the next ``users.info``)."""
    values = {
        "team_id": team_id,
        "user_id": user_id,
        "status_away": away,
        "status_text": text,
        "status_emoji": emoji,
        "status_expires_at": expires_at,
        "status_seen_at": now,
    }
    # fetched_at long ago: a row made here is refreshed by the next users.info lookup.
    table = SlackUser.__table__  # type: ignore[attr-defined]
    stmt = dialect_insert(session, table).values(**values, fetched_at=NEVER)
    stmt = stmt.on_conflict_do_update(
        index_elements=["team_id", "user_id"],
        set_={k: stmt.excluded[k] for k in values if k not in ("team_id", "user_id")},
    )
    session.execute(stmt)


def away_among(session: Session, *, team_id: str, user_ids: list[str], now: datetime) -> set[str]:
    """Those of ``user_ids`` whose Slack status says they are away at ``now``: one query."""
    if not user_ids:
        return set()
    rows = session.exec(
        select(SlackUser.user_id).where(
            SlackUser.team_id == team_id,
            col(SlackUser.user_id).in_(user_ids),
            col(SlackUser.status_away).is_(True),
            or_(col(SlackUser.status_expires_at).is_(None), col(SlackUser.status_expires_at) > now),
        )
    ).all()
    return set(rows)
