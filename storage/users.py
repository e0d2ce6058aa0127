"""Queries for the cached Slack user directory and people's preferences."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from storage.models import SlackUser, UserPref
from storage.upsert import upsert


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
) -> None:
    values = {
        "team_id": team_id,
        "user_id": user_id,
        "name": name,
        "tz": tz,
        "is_bot": is_bot,
        "deleted": deleted,
        "fetched_at": now,
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
