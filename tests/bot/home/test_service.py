"""A person's home: every section, within Block Kit's limits however long the history, at a cost
that does not grow with it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from typing import Any

from sqlalchemy import event

from bot.deps import Deps
from bot.home.service import build_home
from bot.kudos import ids as kudos_ids
from bot.kudos import service as kudos
from bot.workspace import ids as workspace_ids
from storage.db import Database
from storage.models import WorkspaceConfig
from tests.bot.home.history import TEAM, feedback, goal, pairing, request, years_of_history
from tests.bot.home.history import kudos as kudos_row


def texts(view: dict[str, Any]) -> str:
    return json.dumps(view, ensure_ascii=False)


def action_ids(view: dict[str, Any]) -> list[str]:
    return [
        e.get("action_id") for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]


@contextmanager
def counting(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)


def test_an_empty_home_is_friendly(deps: Deps) -> None:
    view = build_home(deps, TEAM, "UANA")
    assert view["type"] == "home"
    body = texts(view)
    assert "No goals yet" in body and "/goal" in body
    assert "No feedback yet" in body
    assert "No coaching yet" in body
    assert "5* of 5 left to give today" in body
    more = [
        e
        for b in view["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == kudos_ids.HISTORY_OPEN
    ]
    assert json.loads(more[0]["value"]) == {"subject": "UANA"}
    assert workspace_ids.OPEN_SETTINGS not in action_ids(view)  # not an admin


def test_years_of_history_fit_and_cost_the_same(deps: Deps, db: Database) -> None:
    now = deps.clock()
    years_of_history(db, "UCY", ["UANA", "UBEN"], now, 20)
    with counting(db) as small:
        build_home(deps, TEAM, "UCY")
    years_of_history(db, "UANA", ["UBEN", "UCY"], now, 4000)
    admin = replace(deps, settings=replace(deps.settings, admins=("UANA",)))
    with counting(db) as big:
        view = build_home(admin, TEAM, "UANA")
    assert len(view["blocks"]) <= 100
    assert len(json.dumps(view)) < 250_000
    assert len(big) == len(small)  # one bounded query per section, whatever the history
    assert workspace_ids.OPEN_SETTINGS in action_ids(view)
    assert "<@UP9> and more" in texts(view)  # sixty pairings: ten of each kind named
    body = texts(view)
    assert "received 0" in body and "given 0" in body  # the latest
    assert "received 5" not in body  # five each
    assert "More goals" in body
    assert "*4010* received · *4010* given" in body  # UCY's history holds ten each way too


def test_kudos_show_values_reasons_safely_and_todays_allowance(deps: Deps, db: Database) -> None:
    now = deps.clock()
    with db.write() as session:
        session.add(
            kudos_row("UBEN", "UANA", now - timedelta(hours=1), "<!channel> you <@UCY> rock")
        )
    kudos.give(
        deps,
        kudos.Gift(
            TEAM,
            "UANA",
            ("UBEN",),
            "for the handover",
            ("empathy",),
            None,
            kudos.KudosSource.COMMAND,
        ),
    )
    view = build_home(deps, TEAM, "UANA")
    body = texts(view)
    assert "<!channel>" not in body and "<@UCY>" not in body
    assert "@channel" in body and "`#empathy`" in body
    assert "for the handover" in body
    assert "4* of 5 left to give today" in body


def test_the_workspace_allowance_is_used(deps: Deps, db: Database) -> None:
    rules = replace(deps.settings.kudos, daily_allowance=9)
    settings = replace(deps.settings, kudos=rules)
    view = build_home(replace(deps, settings=settings), TEAM, "UANA")
    assert "9* of 9 left" in texts(view)  # the environment's default
    now = deps.clock()
    with db.write() as session:
        session.add(WorkspaceConfig(team_id=TEAM, daily_allowance=7, updated_at=now))
    assert "7* of 7 left" in texts(build_home(deps, TEAM, "UANA"))  # the workspace's choice


def test_goals_show_progress_next_checkin_in_own_time_and_buttons(deps: Deps, db: Database) -> None:
    now = deps.clock()  # 15:00 UTC
    with db.write() as session:
        session.add(
            goal(
                "UANA",
                "Shorter handle times",
                now,
                next_due_at=now,
                last_status="at_risk",
                last_progress="halfway",
            )
        )
        session.add(goal("UANA", "Paused one", now, status="paused"))
        session.add(goal("UANA", "Finished one", now, status="completed"))
    view = build_home(deps, TEAM, "UANA")
    body = texts(view)
    assert "Shorter handle times" in body and "halfway" in body and "at risk" in body
    assert "10:00 your time" in body  # UANA is in New York
    assert "Paused" in body and "Finished one" not in body
    assert {
        "home_goal_checkin",
        "home_goal_pause",
        "home_goal_complete",
        "home_goal_resume",
    } <= set(action_ids(view))


def test_feedback_and_coaching_sections(deps: Deps, db: Database) -> None:
    now = deps.clock()
    with db.write() as session:
        session.add(feedback("UBEN", "UANA", "for ana", now))
        session.add(request("UBEN", "UANA", "my calls", now))
        session.add(request("UANA", "UCY", "my emails", now))
        session.add(pairing("UBEN", "UANA", "active", now))
        session.add(pairing("UANA", "UCY", "pending", now))
    body = texts(build_home(deps, TEAM, "UANA"))
    assert "behaviour for ana" in body and "my calls" in body and "my emails" in body
    assert "Your coaches:* <@UBEN>" in body
    assert "your offer to <@UCY>" in body


def test_admins_get_the_settings_section(deps: Deps) -> None:
    settings = replace(deps.settings, admins=("UANA",))
    view = build_home(replace(deps, settings=settings), TEAM, "UANA")
    assert workspace_ids.OPEN_SETTINGS in action_ids(view)
    assert "Daily allowance:* 5" in texts(view)
