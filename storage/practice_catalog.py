"""A workspace's own practice scenarios (``practice_scenario``): added, replacing or retiring
shipped ones."""

from __future__ import annotations

from sqlmodel import Session, select

from storage.models import PracticeScenario


def workspace_scenarios(session: Session, *, team_id: str) -> list[PracticeScenario]:
    return list(
        session.exec(
            select(PracticeScenario)
            .where(PracticeScenario.team_id == team_id)
            .order_by(PracticeScenario.key)
        ).all()
    )
