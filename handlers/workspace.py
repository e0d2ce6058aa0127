"""The Slack edge for the workspace's settings: ``/bravo settings [log]``, the settings button on
an admin's home, and the settings modal (admins only; a forged submission changes nothing)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App, Respond
from slack_sdk.web import WebClient

from bot.deps import Deps


def on_settings(
    deps: Deps, command: dict[str, Any], words: tuple[str, ...], respond: Respond, client: WebClient
) -> None:
    raise NotImplementedError  # TODO(issue 12): the settings modal


BRAVO_WORDS: dict[str, Callable[..., None]] = {"settings": on_settings}


def register(app: App, deps: Deps) -> None:
    pass
