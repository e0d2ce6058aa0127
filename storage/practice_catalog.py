"""A workspace's own practice scenarios (``practice_scenario``): added, replacing or retiring
shipped ones. A row's ``body`` is the scenario as JSON, or empty for a row that only retires a
shipped scenario (``retired`` with no replacement of its own)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, col, func, select

from storage.models import PracticeScenario
from storage.upsert import upsert


def workspace_scenarios(session: Session, *, team_id: str) -> list[PracticeScenario]:
    return list(
        session.exec(
            select(PracticeScenario)
            .where(PracticeScenario.team_id == team_id)
            .order_by(PracticeScenario.key)
        ).all()
    )


def scenario_row(session: Session, *, team_id: str, key: str) -> PracticeScenario | None:
    return session.get(PracticeScenario, (team_id, key))


def count_rows(session: Session, *, team_id: str) -> int:
    return int(
        session.exec(
            select(func.count())
            .select_from(PracticeScenario)
            .where(PracticeScenario.team_id == team_id)
        ).one()
    )


def put_scenario(
    session: Session,
    *,
    team_id: str,
    key: str,
    skill: str,
    body: str,
    retired: bool,
    updated_by: str,
    now: datetime,
) -> None:
    """Insert the row or overwrite it (one statement: two admins saving one key at once do not
    fail, the later one wins)."""
    upsert(
        session,
        PracticeScenario,
        {
            "team_id": team_id,
            "key": key,
            "skill": skill,
            "body": body,
            "retired": retired,
            "updated_by": updated_by,
            "updated_at": now,
        },
        ["team_id", "key"],
    )


def drop_scenario(session: Session, *, team_id: str, key: str) -> bool:
    """Delete the row; True when there was one."""
    result = session.execute(
        delete(PracticeScenario).where(
            col(PracticeScenario.team_id) == team_id, col(PracticeScenario.key) == key
        )
    )
    return bool(getattr(result, "rowcount", 0))
