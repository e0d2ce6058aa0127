"""A small kit for hostile tests: every form Bravo shows, filled in well, then spoiled one field
at a time (wrong types, nulls, missing keys, ids too big for 64 bits), and the button values
Bravo writes, spoiled the same way."""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.celebrations.render import import_modal
from bot.config import from_row
from bot.feedback.render import customer_modal, feedback_modal
from bot.goals.render import goal_modal, note_modal, pause_modal
from bot.kudos.render import kudos_modal
from bot.sandbox.server import FakeSlack
from bot.settings import load_settings
from bot.suggestions.render import done_modal, suggest_modal
from bot.work import WorkQueue
from bot.workspace.render import settings_modal
from bot.workspace.values import in_effect
from storage.db import Database
from storage.migrate import metadata, upgrade
from storage.models import Goal, Suggestion
from tests.handlers.conftest import CHANNEL, TEAM, Bravo, start_bravo

SKILLS = ("empathy", "problem-solving")
HUGE_ID = "1" * 40  # no 64-bit column holds it


def _goal() -> Goal:
    return Goal(
        id=1,
        team_id="T0SANDBOX",
        owner_id="UANA",
        what="Answer faster",
        measure="Median first reply under 2 h",
        skill="empathy",
        target_date=date(2026, 12, 31),
        cadence_anchor=date(2026, 11, 23),
        next_due_at=datetime(2026, 11, 30, 14, 30, tzinfo=UTC),
    )


def forms() -> dict[str, dict[str, Any]]:
    """Every modal Bravo opens, by name, as rendered (private_metadata as Bravo writes it)."""
    row = Suggestion(id=1, team_id="T0SANDBOX", text="More plants", day=date(2026, 11, 23))
    row.channel_id = "C0KUDOS"
    return {
        "kudos": kudos_modal(values=SKILLS, private_metadata=json.dumps({"channel": "C0KUDOS"})),
        "goal": goal_modal(skills=SKILLS, private_metadata="{}"),
        "note": note_modal(goal=_goal(), private_metadata=json.dumps({"goal": 1})),
        "pause": pause_modal(goal=_goal(), private_metadata=json.dumps({"goal": 1})),
        "feedback": feedback_modal(skills=SKILLS, private_metadata="{}"),
        "customer": customer_modal(private_metadata="{}", text="Thanks a lot"),
        "suggest": suggest_modal(private_metadata="{}", people=None),
        "done": done_modal(row, json.dumps({"suggestion": 1})),
        "import": import_modal(),
        "settings": settings_modal(in_effect(from_row(load_settings({}), TEAM, None), None)),
    }


def good_value(element: dict[str, Any]) -> dict[str, Any]:
    """What Slack sends in view.state.values for one input element, filled in sensibly."""
    kind = element.get("type")
    if kind == "plain_text_input":
        return {"type": kind, "value": "A perfectly fine text"}
    if kind == "users_select":
        return {"type": kind, "selected_user": "UBEN"}
    if kind == "multi_users_select":
        return {"type": kind, "selected_users": ["UBEN"]}
    if kind in ("static_select", "radio_buttons"):
        first = (element.get("options") or [{}])[0]
        return {"type": kind, "selected_option": element.get("initial_option") or first}
    if kind in ("multi_static_select", "checkboxes"):
        first = (element.get("options") or [{}])[0]
        return {"type": kind, "selected_options": element.get("initial_options") or [first]}
    if kind == "datepicker":
        return {"type": kind, "selected_date": "2026-12-24"}
    if kind == "timepicker":
        return {"type": kind, "selected_time": "09:30"}
    if kind == "conversations_select":
        return {"type": kind, "selected_conversation": "C0KUDOS"}
    if kind == "channels_select":
        return {"type": kind, "selected_channel": "C0KUDOS"}
    return {"type": kind}


def text_fields(view: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(block_id, action_id, element) of each text input of ``view``."""
    return [
        (b["block_id"], b["element"]["action_id"], b)
        for b in view.get("blocks") or []
        if b.get("type") == "input" and b["element"].get("type") == "plain_text_input"
    ]


def good_values(view: dict[str, Any]) -> dict[str, Any]:
    """state.values for every input block of ``view``."""
    values: dict[str, Any] = {}
    for block in view.get("blocks") or []:
        if block.get("type") == "input":
            element = block["element"]
            values[block["block_id"]] = {element["action_id"]: good_value(element)}
    return values


WRONG_TYPES: list[Any] = [5, [], {"nested": {"deep": 1}}]  # never what Slack sends there
ODD_VALUES: list[Any] = [None, "text", HUGE_ID]  # typed right, but not what Bravo offered


def spoiled(view: dict[str, Any], bad: list[Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(what was spoiled, state.values) for each field of ``view`` spoiled with each of ``bad``
    (and, with WRONG_TYPES, each field's whole entry made a number or null)."""
    good = good_values(view)
    for block_id, actions in good.items():
        ((action_id, value),) = actions.items()
        for key in [k for k in value if k != "type"]:
            for spoil in bad:
                values = copy.deepcopy(good)
                values[block_id][action_id][key] = spoil
                yield f"{block_id}.{key}={spoil!r:.12}", values
            if key == "selected_option" and bad is WRONG_TYPES:
                values = copy.deepcopy(good)
                values[block_id][action_id][key] = {"value": 5}
                yield f"{block_id}.{key}.value=5", values
        if bad is WRONG_TYPES:
            values = copy.deepcopy(good)
            values[block_id] = 5
            yield f"{block_id}=5", values
            values = copy.deepcopy(good)
            values[block_id][action_id] = None
            yield f"{block_id}.{action_id}=None", values


NOT_AN_OBJECT: list[str] = ["not json", "[]", "null", '"a string"', "5", "{"]
ODD_METADATA: list[str] = [
    '{"goal": "x", "prompt": "x", "suggestion": "x", "request": "x", "channel": 5}',
    json.dumps({k: int(HUGE_ID) for k in ("goal", "prompt", "suggestion", "request")}),
    json.dumps({k: -1 for k in ("goal", "prompt", "suggestion", "request")}),
]

BUTTON_VALUES: list[Any] = [None, "", "abc", HUGE_ID, "-1", "1:nonsense", f"{HUGE_ID}:done", 5]


def stored(db: Database) -> dict[str, int]:
    """Rows in every table Bravo keeps (so a test can say: nothing was stored), but the cache
    of people's Slack profiles, which any request may fill."""
    counts: dict[str, int] = {}
    with db.engine.connect() as conn:
        for table in metadata().sorted_tables:
            if table.name == "slack_user":
                continue
            counts[table.name] = conn.execute(select(func.count()).select_from(table)).scalar_one()
    return counts


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Log records that carry a stack trace (a crash), as text."""
    return [r.getMessage() for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]


def one_bravo(
    folder: Path, database: Database | None = None, env: dict[str, str] | None = None
) -> Iterator[Bravo]:
    """Bravo over HTTP for a whole module of hostile tests (one server, many requests), with
    one work thread, so ``settle`` can wait for the work that requests handed on."""
    slack = FakeSlack(team_id=TEAM, bot_user_id="UBRAVO")
    slack.start()
    slack.add_user("UBRAVO", "bravo", is_bot=True)
    slack.add_user("UANA", "ana", tz="America/New_York")
    slack.add_user("UBEN", "ben", tz="Europe/Berlin")
    slack.add_channel(CHANNEL, "kudos", members=("UBRAVO", "UANA", "UBEN"))
    db = database or Database.from_url(f"sqlite:///{folder / 'bravo.db'}")
    upgrade(db.engine)
    try:
        yield from start_bravo(slack, db, env, work=WorkQueue(threads=1))
    finally:
        db.dispose()
        slack.stop()


def settle(bravo: Bravo) -> None:
    """Wait until the work queued so far is done (one work thread: first in, first done)."""
    done = threading.Event()
    assert bravo.deps.work.submit(done.set, on_error=lambda _err: None)
    assert done.wait(10)
