"""The demo's practice scene: @ana asks for an empathy scenario, writes her reply in the modal,
ticks the checklist and asks @cy to rate it; @dee, whom nobody asked, cannot open it; @cy rates
it with a note and @ana hears back. Played against Bravo's HTTP server process, like the review
scene: every step is a signed request shaped as Slack sends it."""

from __future__ import annotations

from typing import Any

from bot.demo.stage import ANA, CHANNEL, CY, DEE, Scene, as_message, button_of, view_of
from bot.practice import ids
from bot.sandbox.server import Call
from bot.sandbox.signing import SlackRequester, SlackResult
from bot.sandbox.transcript import blocks_to_text

SKILL = "empathy"
# Written for any of the empathy scenarios (Bravo picks one the person has not seen yet).
REPLY = (
    "I'm so sorry: I can hear how stressful this is, and you're right to be upset. I've looked "
    "at your account and I'm putting it right now. Here is exactly what happens next and when, "
    "and I'll stay on this until it's sorted."
)
SELF_NOTE = "I led with the feeling; next time, say sooner what happens next."
RATER_NOTE = "You named the feeling straight away. Say *when* the fix lands, not only that it will."
SELF_TICKS = ("0", "1", "2")
RATER_TICKS = ("0", "1")


def _checked(ticks: tuple[str, ...]) -> dict[str, Any]:
    return {"type": "checkboxes", "selected_options": [{"value": t} for t in ticks]}


def _note(text: str) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": text}


def reply_values(reply: str = REPLY) -> dict[str, Any]:
    """The reply modal as @ana submits it."""
    return {ids.REPLY_BLOCK: {ids.INPUT: _note(reply)}}


def assess_values() -> dict[str, Any]:
    """The self-assessment as @ana submits it: three items ticked, a note, @cy asked to rate."""
    return {
        ids.CHECKS_BLOCK: {ids.INPUT: _checked(SELF_TICKS)},
        ids.NOTE_BLOCK: {ids.INPUT: _note(SELF_NOTE)},
        ids.RATERS_BLOCK: {ids.INPUT: {"type": "multi_users_select", "selected_users": [CY]}},
    }


def rate_values() -> dict[str, Any]:
    return {
        ids.CHECKS_BLOCK: {ids.INPUT: _checked(RATER_TICKS)},
        ids.NOTE_BLOCK: {ids.INPUT: _note(RATER_NOTE)},
    }


def _dm(scene: Scene, to: str, words: str) -> Call:
    posts = scene.fake.calls("chat.postMessage", ok=True)
    return [c for c in posts if c.args.get("channel") == to and words in c.args["text"]][-1]


def _modal_answer(scene: Scene, who: str, answered: SlackResult) -> dict[str, Any]:
    """What a form's submission turned the modal into (Slack shows it at once: no API call, so
    the transcript has nothing of it), printed like a modal the person sees."""
    reply = answered.json() or {}
    if reply.get("response_action") != "update":
        errors = reply.get("errors")
        raise RuntimeError(f"the form was not accepted: {errors or answered.status}")
    view: dict[str, Any] = reply["view"]
    title = view["title"]["text"]
    scene.say(f'@{scene.names[who]} sees the modal change to "{title}"')
    for line in blocks_to_text(view["blocks"], scene.names, scene.channels).splitlines():
        scene.say("    " + line)
    return view


def play_practice(scene: Scene, slack: SlackRequester) -> None:
    """``slack``: signed requests to Bravo's ``/slack/events``."""
    print(
        "\n━━ Practice: a customer reply, rated by a peer ━━\n"
        "A practice round is private: only the person and whoever they ask to rate it see it."
    )
    scene.step(
        f"@ana asks for a scenario: /practice {SKILL}",
        lambda: slack.slash_command(ANA, ids.PRACTICE_COMMAND, SKILL, channel_id=CHANNEL),
        scene.more("chat.postMessage"),
    )
    dm = _dm(scene, ANA, "practice scenario")
    rid = str(button_of(dm, action_id=ids.WRITE_REPLY)["value"])
    scene.step(
        "@ana presses [Write my reply] in her DM",
        lambda: slack.block_action(
            ANA,
            ids.WRITE_REPLY,
            rid,
            channel_id=str(dm.response["channel"]),
            message=as_message(dm),
        ),
        scene.more("views.open"),
    )
    reply_modal = view_of(scene.fake.calls("views.open", ok=True)[-1])
    scene.title("@ana writes her reply to the customer and presses [Next]")
    assess = _modal_answer(scene, ANA, slack.view_submission(ANA, reply_modal, reply_values()))
    scene.step(
        "@ana ticks 3 of the checklist, adds a note to herself, asks @cy to rate it, presses "
        "[Done]",
        lambda: slack.view_submission(ANA, assess, assess_values()),
        scene.more("chat.postMessage", 2),  # her summary, and @cy's ask
    )
    scene.step(
        "@dee, whom nobody asked, tries to open the reply anyway (a forged [Rate it] click)",
        lambda: slack.block_action(DEE, ids.RATE, rid, channel_id=CHANNEL),
        scene.more("response_url"),
    )
    ask = _dm(scene, CY, "asked you to rate")
    scene.step(
        "@cy presses [Rate it] in her DM",
        lambda: slack.block_action(
            CY,
            ids.RATE,
            str(button_of(ask, action_id=ids.RATE)["value"]),
            channel_id=str(ask.response["channel"]),
            message=as_message(ask),
        ),
        scene.more("views.open"),
    )
    rate_modal = view_of(scene.fake.calls("views.open", ok=True)[-1])
    scene.title("@cy ticks 2 of the checklist, writes a note and presses [Send rating]")
    rated = scene.more("chat.postMessage")
    _modal_answer(scene, CY, slack.view_submission(CY, rate_modal, rate_values()))
    scene.wait(rated)
    scene.settle()
    scene.show()
