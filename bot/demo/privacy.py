"""The demo's last scene: @ana asks for her data (`/bravo export`) and gets it by DM, a JSON
file of everything Bravo holds about her and a CSV of her kudos."""

from __future__ import annotations

from bot.demo.stage import ANA, CHANNEL, SECRET, TEAM, Scene
from bot.sandbox.signing import SlackRequester


def play_privacy(scene: Scene, url: str) -> None:
    """The demo's last scene: a person takes out what Bravo holds about them."""
    slack = SlackRequester(url + "/slack/events", SECRET, team_id=TEAM, fake=scene.fake)
    print(
        "\n━━ Last: your data ━━\n"
        "Anyone can take out what Bravo holds about them; `/bravo forget me` would erase it."
    )
    scene.step(
        "@ana types: /bravo export",
        lambda: slack.slash_command(ANA, "/bravo", "export", channel_id=CHANNEL),
        scene.more("files.completeUploadExternal", 2),
    )
