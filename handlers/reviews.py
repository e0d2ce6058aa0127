"""The Slack edge for quality reviews: ``/review @ana <link>``, ``/review list``, and
``/review calibrate`` handed on to ``handlers.calibration``."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk.web import WebClient

from bot.commands import command_help
from bot.deps import Deps
from bot.reviews import ids
from handlers import calibration
from handlers.common import answering, deps_of, ephemeral


def on_review(
    ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext
) -> None:
    ack()
    deps = deps_of(context)
    with answering(respond):
        words = tuple((command.get("text") or "").split())
        if words and words[0].lower() == "calibrate":
            calibration.on_calibrate(deps, command, words[1:], respond, client)
        elif words and words[0].lower() == "help":
            respond(ephemeral(command_help(ids.REVIEW_COMMAND)))
        else:
            respond(ephemeral("Reviews are not available in this version yet."))


def register(app: App, deps: Deps) -> None:
    app.command(ids.REVIEW_COMMAND)(on_review)
