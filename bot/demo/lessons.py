"""The demo's lessons scene: @ana shares what she learned and posts it to #team-wins; @ben finds
it helpful (saved for him, and @ana thanked with a kudos through the kudos rules); @ben's second
click gives nothing twice; @ana, the author, cannot thank herself; and @cy finds it again with
``/learned search``. Played against Bravo's HTTP server process: every step is a signed request
shaped as Slack sends it."""

from __future__ import annotations

from bot.demo.stage import ANA, BEN, CHANNEL, CY, DEE, Scene, as_message, button_of
from bot.learning import ids
from bot.sandbox.server import Call
from bot.sandbox.signing import SlackRequester

LESSON = "Offer the refund before they ask: calls end calmer"
SEARCHED = "refund"


def _post(scene: Scene) -> Call:
    """The lesson's post in #team-wins (the newest)."""
    posts = scene.fake.calls("chat.postMessage", ok=True)
    return [c for c in posts if c.args.get("channel") == CHANNEL and ids.HELPED in str(c.args)][-1]


def _team_channel(scene: Scene, slack: SlackRequester) -> None:
    """#team-wins as a team channel (an earlier scene may have made it one already)."""
    scene.step(
        "#team-wins is the team's channel: @dee types /bravo shoutouts on (once is enough)",
        lambda: slack.slash_command(DEE, "/bravo", "shoutouts on", channel_id=CHANNEL),
        scene.more("response_url"),
    )


def play_lessons(scene: Scene, slack: SlackRequester) -> None:
    """``slack``: signed requests to Bravo's ``/slack/events``."""
    print(
        "\n━━ Lessons: shared, found helpful, found again ━━\n"
        "A lesson is its author's until she posts it to her team channel; then the workspace "
        "finds it, and each person it helps thanks her with a kudos."
    )
    _team_channel(scene, slack)
    scene.step(
        f"@ana types: /learned {LESSON} #empathy",
        lambda: slack.slash_command(
            ANA, ids.LEARNED_COMMAND, f"{LESSON} #empathy", channel_id=CHANNEL
        ),
        scene.more("response_url"),
    )
    reply = scene.fake.calls("response_url", ok=True)[-1]
    post_button = button_of(reply, action_id=ids.POST_LESSON)
    scene.step(
        f"@ana presses [{post_button['text']['text']}]",
        lambda: slack.block_action(
            ANA, ids.POST_LESSON, str(post_button["value"]), channel_id=CHANNEL
        ),
        scene.more("chat.postMessage"),
    )
    post = _post(scene)
    lesson_id = str(button_of(post, action_id=ids.HELPED)["value"])

    def helped(who: str) -> None:
        slack.block_action(who, ids.HELPED, lesson_id, channel_id=CHANNEL, message=as_message(post))

    scene.step(
        "@ben presses [This helped me] under @ana's lesson",
        lambda: helped(BEN),
        scene.more("chat.update"),  # the post's count, redrawn
    )
    scene.step(
        "@ben presses [This helped me] again",
        lambda: helped(BEN),
        scene.more("response_url"),
    )
    scene.step(
        "@ana presses [This helped me] on her own lesson",
        lambda: helped(ANA),
        scene.more("response_url"),
    )
    scene.step(
        f"@cy, stuck on a refund call, looks: /learned search {SEARCHED}",
        lambda: slack.slash_command(
            CY, ids.LEARNED_COMMAND, f"search {SEARCHED}", channel_id=CHANNEL
        ),
        scene.more("response_url"),
    )
