"""A workspace's own scenario is typed by an admin: whatever it holds, nothing Bravo shows of it
(the DM's notification text included) carries a live mention."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from bot.practice import render
from bot.practice.scenarios import Scenario
from storage.models.practice import PracticeRating, PracticeRound

LIVE = re.compile(r"<!(channel|here|everyone)\b|<@U[A-Z0-9]+>|<!subteam\^")
LOUD = "Refund <!channel> <!here> <@UBOSS> <!subteam^S1|team>"


def test_nothing_shown_of_a_scenario_carries_a_live_mention() -> None:
    scenario = Scenario(
        key="own-loud",
        skill="empathy",
        title=LOUD[:80],
        situation=LOUD,
        message=LOUD,
        checklist=(LOUD[:75], "Said what happens next"),
    )
    now = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    row = PracticeRound(
        id=7,
        team_id="T1",
        user_id="UANA",
        skill="empathy",
        scenario_key=scenario.key,
        scenario=json.dumps(scenario.as_dict()),
        reply=LOUD,
        self_checks="[0]",
        self_note=LOUD,
        request_key="k",
        created_at=now,
    )
    rating = PracticeRating(
        id=1, team_id="T1", round_id=7, rater_id="UBEN", checks="[1]", note=LOUD, asked_at=now
    )
    shown = [
        render.scenario_dm(row, scenario),
        render.reply_modal(row, scenario, "{}"),
        render.assess_modal(row, scenario, "{}"),
        render.rate_ask_dm(row, scenario, "UBEN"),
        render.rate_modal(row, scenario, "{}"),
        render.rated_dm(row, scenario, rating),
    ]
    for payload in shown:
        text = "\n".join(rendered(payload))
        # Bravo's own mentions of the people involved are fine; nothing of the typed text is.
        found = {m.group(0) for m in LIVE.finditer(text)} - {"<@UANA>", "<@UBEN>"}
        assert not found, (found, text[:300])


def rendered(node: Any) -> list[str]:
    """What Slack renders as mrkdwn: every mrkdwn text object, and a message's fallback text
    (plain_text, and an input's own initial value, show mentions as typed, never live)."""
    out: list[str] = []
    if isinstance(node, dict):
        if node.get("type") == "mrkdwn" and isinstance(node.get("text"), str):
            out.append(node["text"])
        if "blocks" in node and isinstance(node.get("text"), str):
            out.append(node["text"])
        for key, value in node.items():
            if key != "initial_value":
                out += rendered(value)
    elif isinstance(node, list):
        for item in node:
            out += rendered(item)
    return out
