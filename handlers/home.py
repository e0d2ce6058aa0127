"""The Slack edge for Bravo's Home tab: ``app_home_opened`` and the home's own buttons."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps


def register(app: App, deps: Deps) -> None:
    pass
