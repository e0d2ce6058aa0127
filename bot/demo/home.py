"""The demo's home scene: a person opens Bravo's Home tab and flips a preference on it."""

from __future__ import annotations

from bot.demo.stage import ANA, SECRET, TEAM, Scene, view_of
from bot.home import ids
from bot.home.ids import Toggle
from bot.sandbox.signing import SlackRequester


def play_home(scene: Scene, url: str) -> None:
    slack = SlackRequester(url + "/slack/events", SECRET, team_id=TEAM, fake=scene.fake)
    print("\n━━ Your home in Slack ━━")
    scene.step(
        "@ana opens Bravo in Slack: her Home tab (her kudos, goals, feedback, coaching, dates)",
        lambda: slack.event(
            {"type": ids.EVENT, "user": ANA, "channel": "D0ANAHOME", "tab": ids.HOME_TAB}
        ),
        scene.more("views.publish"),
    )
    published = scene.fake.calls("views.publish", ok=True)
    if not published:
        return
    scene.step(
        "@ana presses 'Hide me from leaderboards' on her home: it shows the new state at once",
        lambda: slack.block_action(
            ANA, ids.TOGGLE, Toggle.LEADERBOARDS_OUT, view=view_of(published[-1])
        ),
        scene.more("views.publish"),
    )
