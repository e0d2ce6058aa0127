"""The Slack edge for calibration: ``/review calibrate <link> @ben @cy`` (leads)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, Respond
from slack_sdk.web import WebClient

from bot.deps import Deps
from handlers.common import ephemeral


def on_calibrate(
    deps: Deps, command: dict[str, Any], words: tuple[str, ...], respond: Respond, client: WebClient
) -> None:
    respond(ephemeral("Calibration is not available in this version yet."))


def register(app: App, deps: Deps) -> None:
    """Nothing of its own yet: ``/review calibrate`` comes through ``handlers.reviews``."""
