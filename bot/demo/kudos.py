"""Part one of the demo: kudos, given every way there is, against Bravo's HTTP server process."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from bot.demo.stage import CHANNEL, Scene
from bot.sandbox.signing import SlackRequester


def play_kudos(scene: Scene, slack: SlackRequester) -> None:
    _by_command(scene, slack)
    _by_form(scene, slack)
    _by_reaction_and_group(scene, slack)
    _undo_and_boards(scene, slack)


def _cmd(slack: SlackRequester, user: str, text: str) -> Callable[[], Any]:
    return lambda: slack.slash_command(user, "/kudos", text, channel_id=CHANNEL)


def _by_command(scene: Scene, slack: SlackRequester) -> None:
    def cmd(user: str, text: str) -> Callable[[], Any]:
        return _cmd(slack, user, text)

    scene.step(
        "@ana types: /kudos @ben @cy for calming an angry caller #empathy",
        cmd("U0ANA", "<@U0BEN|ben> <@U0CY|cy> for calming an angry caller #empathy"),
        scene.more("response_url"),
    )
    scene.step(
        "@ben tries: /kudos @ben for being awesome",
        cmd("U0BEN", "<@U0BEN|ben> for being awesome"),
        scene.more("response_url"),
    )
    scene.step(
        "@ben types: /kudos @dee for <!channel> ... (a broadcast in a reason pings nobody)",
        cmd("U0BEN", "<@U0DEE|dee> for the <!channel> heads-up about the outage #communication"),
        scene.more("response_url"),
    )


def _by_form(scene: Scene, slack: SlackRequester) -> None:
    def open_modal() -> None:
        slack.slash_command("U0CY", "/kudos", "", channel_id=CHANNEL)

    scene.step(
        "@cy types /kudos with no text: the form opens", open_modal, scene.more("views.open")
    )
    view = scene.fake.calls("views.open", ok=True)[-1].args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    values = {
        "kudos_recipients": {
            "recipients": {"type": "multi_users_select", "selected_users": ["U0DEE"]}
        },
        "kudos_value": {
            "value": {"type": "static_select", "selected_option": {"value": "personalization"}}
        },
        "kudos_reason": {
            "reason": {
                "type": "plain_text_input",
                "value": "Remembered the customer's daughter's name",
            }
        },
        "kudos_channel": {
            "channel": {"type": "conversations_select", "selected_conversation": CHANNEL}
        },
    }
    scene.step(
        "@cy fills in the form and presses Send kudos",
        lambda: slack.view_submission("U0CY", view, values),
        scene.more("chat.postEphemeral"),
    )


def _by_reaction_and_group(scene: Scene, slack: SlackRequester) -> None:
    msg = scene.fake.add_message(CHANNEL, "U0BEN", "I wrote up the refund steps in the wiki")
    event = {
        "type": "reaction_added",
        "user": "U0DEE",
        "reaction": "clap",
        "item_user": "U0BEN",
        "item": {"type": "message", "channel": CHANNEL, "ts": msg["ts"]},
        "event_ts": str(time.time()),
    }
    scene.step(
        "@dee reacts :clap: to @ben's message (and Slack delivers the event twice)",
        lambda: (
            slack.event(event, event_id="Ev0DEMO1"),
            slack.event(event, event_id="Ev0DEMO1", retry_num=1, retry_reason="http_timeout"),
        ),
        scene.more("chat.postMessage", 2),  # the post and @ben's DM
    )
    scene.step(
        "@ben thanks the whole @support group: /kudos @support for covering the phones",
        _cmd(
            slack, "U0BEN", "<!subteam^S0SUPPORT|@support> for covering the phones #professionalism"
        ),
        scene.more("response_url"),
    )


def _undo_and_boards(scene: Scene, slack: SlackRequester) -> None:
    def cmd(user: str, text: str) -> Callable[[], Any]:
        return _cmd(slack, user, text)

    scene.step(
        "@ana gives @ben kudos for the wrong thing...",
        cmd("U0ANA", "<@U0BEN|ben> for fixing the printer"),
        scene.more("response_url"),
    )
    undo = scene.fake.calls("response_url", ok=True)[-1].args
    batch = next(
        e["value"] for b in undo["blocks"] if b["type"] == "actions" for e in b["elements"]
    )
    scene.step(
        "...and presses Undo within 10 minutes",
        lambda: slack.block_action("U0ANA", "kudos_undo", batch, channel_id=CHANNEL),
        scene.more("response_url"),
    )
    scene.step("@ana: /kudos leaderboard", cmd("U0ANA", "leaderboard"), scene.more("response_url"))
    scene.step("@ben: /kudos stats", cmd("U0BEN", "stats"), scene.more("response_url"))
