"""The demo's settings scene: a workspace admin opens ``/bravo settings``, changes the daily
allowance, and reads the change log (played against Bravo's HTTP server process)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from bot.demo.stage import CHANNEL, Scene
from bot.sandbox.signing import SlackRequester
from bot.workspace.ids import INPUT, Setting

ADMIN = "U0ADA"


def view_state(view: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """The modal's ``state.values`` as Slack sends them on Save: every field as the modal
    showed it, with ``changes`` (block id -> text, channel id or None, day number as text, a
    list of people) typed over."""
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        el, key = block["element"], block["block_id"]
        kind = el["type"]
        if kind == "plain_text_input":
            got = {"value": changes.get(key, el.get("initial_value"))}
        elif kind == "conversations_select":
            got = {"selected_conversation": changes.get(key, el.get("initial_conversation"))}
        elif kind == "static_select":
            day = changes.get(key)
            option = el["options"][int(day)] if day is not None else el.get("initial_option")
            got = {"selected_option": option}
        elif kind == "timepicker":
            got = {"selected_time": changes.get(key, el.get("initial_time"))}
        else:
            got = {"selected_users": changes.get(key, el.get("initial_users", []))}
        values[key] = {INPUT: {"type": kind, **got}}
    return values


def play_settings(scene: Scene, slack: SlackRequester) -> None:
    scene.fake.add_user(ADMIN, "ada", tz="Europe/London", is_admin=True)
    scene.names[ADMIN] = "ada"
    scene.step(
        "@ada, a workspace admin, types /bravo settings: the workspace's settings open",
        lambda: slack.slash_command(ADMIN, "/bravo", "settings", channel_id=CHANNEL),
        scene.more("views.open"),
    )
    view = scene.fake.calls("views.open", ok=True)[-1].args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    values = view_state(view, {Setting.ALLOWANCE: "3"})
    scene.step(
        "@ada changes the daily allowance from 5 to 3 and presses Save (no restart: the next "
        "kudos counts against 3)",
        lambda: slack.view_submission(ADMIN, view, values),
        scene.more("chat.postMessage"),
    )
    scene.step(
        "@ada types /bravo settings log: who changed what, when, from what to what",
        lambda: slack.slash_command(ADMIN, "/bravo", "settings log", channel_id=CHANNEL),
        scene.more("response_url"),
    )
