"""The home tells an agent how many reviews wait for them to acknowledge, and nobody else."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.deps import Deps
from bot.home.service import build_home
from storage import reviews as review_store
from tests.bot.home.conftest import TEAM


def add(deps: Deps, agent: str, key: str, status: str) -> None:
    now = deps.clock()
    with deps.db.write() as s:
        review_store.insert_review(
            s,
            {
                "team_id": TEAM,
                "agent_id": agent,
                "reviewer_id": "UBEN",
                "link": "https://help.example.com/t/1",
                "outcome": "resolved",
                "went_well": "",
                "try_next": "",
                "status": status,
                "request_key": key,
                "created_at": now - timedelta(hours=1),
                "updated_at": now,
            },
        )


def test_reviews_to_acknowledge_show_on_the_agents_home_only(deps: Deps) -> None:
    assert "to acknowledge" not in json.dumps(build_home(deps, TEAM, "UANA"))
    add(deps, "UANA", "a", "sent")
    add(deps, "UANA", "b", "sent")
    add(deps, "UANA", "c", "acknowledged")
    assert "*Reviews*: 2 to acknowledge" in json.dumps(build_home(deps, TEAM, "UANA"))
    assert "to acknowledge" not in json.dumps(build_home(deps, TEAM, "UBEN"))  # the reviewer
