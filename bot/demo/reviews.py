"""The demo's review scene: @dee, a lead of #team-wins, reviews one of @ana's tickets on the
team's skills; @ana gets it by DM and acknowledges it (played against Bravo's HTTP server
process, like the settings scene)."""

from __future__ import annotations

from typing import Any

from bot.demo.settings import ADMIN
from bot.demo.stage import ANA, CHANNEL, DEE, Scene, as_message, button_of, view_of
from bot.reviews import ids
from bot.reviews.scorecard import (
    INPUT,
    NOT_APPLICABLE,
    OUTCOME_BLOCK,
    TRY_NEXT_BLOCK,
    WENT_WELL_BLOCK,
)
from bot.sandbox.signing import SlackRequester

TICKET = "https://help.example.com/tickets/4521"
SCORES = {"empathy": "4", "active-listening": "4", "personalization": NOT_APPLICABLE}
NOTES = {"empathy": "You named the customer's frustration before anything else"}
WENT_WELL = (
    "You restated the billing problem in the customer's own words, and checked the fix with "
    "them before closing."
)
TRY_NEXT = (
    "When a fix needs a restart, offer a follow-up call instead of asking them to write back."
)


def scorecard_values(view: dict[str, Any]) -> dict[str, Any]:
    """The scorecard as @dee fills it in: every skill scored (3 unless ``SCORES`` says)."""
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        key = block["block_id"]
        skill = key.split(":", 1)[-1]
        if key.startswith("sc_score:"):
            got = {"type": "static_select", "selected_option": {"value": SCORES.get(skill, "3")}}
        elif key.startswith("sc_note:"):
            got = {"type": "plain_text_input", "value": NOTES.get(skill, "")}
        elif key == OUTCOME_BLOCK:
            got = {"type": "static_select", "selected_option": {"value": "resolved"}}
        else:
            text = {WENT_WELL_BLOCK: WENT_WELL, TRY_NEXT_BLOCK: TRY_NEXT}.get(key, "")
            got = {"type": "plain_text_input", "value": text}
        values[key] = {INPUT: got}
    return values


def _lead(scene: Scene, slack: SlackRequester) -> None:
    answered = scene.more("response_url")
    slack.slash_command(DEE, "/bravo", "shoutouts on", channel_id=CHANNEL)
    scene.wait(answered)  # a team channel first, then its lead
    slack.slash_command(ADMIN, "/bravo", f"lead <@{DEE}|dee>", channel_id=CHANNEL)


def play_reviews(scene: Scene, slack: SlackRequester) -> None:
    """``slack``: signed requests to Bravo's ``/slack/events``."""
    if not scene.fake.user_name(ADMIN):
        scene.fake.add_user(ADMIN, "ada", tz="Europe/London", is_admin=True)
    scene.names[ADMIN] = "ada"
    scene.step(
        "#team-wins is a team channel (/bravo shoutouts on), and @ada, an admin, names @dee its "
        "lead: /bravo lead @dee",
        lambda: _lead(scene, slack),
        scene.more("response_url", 2),
    )
    scene.step(
        f"@dee reviews one of @ana's tickets: /review @ana {TICKET}",
        lambda: slack.slash_command(
            DEE, "/review", f"<@{ANA}|ana> <{TICKET}|ticket 4521>", channel_id=CHANNEL
        ),
        scene.more("views.open"),
    )
    view = view_of(scene.fake.calls("views.open", ok=True)[-1])
    scene.step(
        "@dee scores each skill, says what went well and one thing to try next, and presses "
        "Send review (private: by DM only)",
        lambda: slack.view_submission(DEE, view, scorecard_values(view)),
        scene.more("chat.postMessage", 2),
    )
    posts = scene.fake.calls("chat.postMessage", ok=True)
    review = [c for c in posts if c.args.get("channel") == ANA and "reviewed" in c.args["text"]][-1]
    scene.step(
        "@ana reads it and presses Acknowledge: her DM changes in place, @dee hears it",
        lambda: slack.block_action(
            ANA,
            ids.ACKNOWLEDGE,
            button_of(review, action_id=ids.ACKNOWLEDGE)["value"],
            channel_id=review.response["channel"],
            message=as_message(review),
        ),
        scene.more("chat.postMessage"),
    )
