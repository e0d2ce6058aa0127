"""The Slack edge for learning: ``/learned`` and its subcommands, the lesson form, the posted
lesson's **This helped me** button, and the **Save as a lesson** message shortcut.
``/learned search`` and ``/learned course`` are handed on to their own modules."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk.web import WebClient

from bot.commands import command_help
from bot.deps import Deps
from bot.learning import ids
from bot.learning.parse import Course, LearnedHelp, Search, parse_learned_command
from handlers import learning_search, learning_training
from handlers.common import answering, deps_of, ephemeral


def on_learned(
    ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext
) -> None:
    ack()
    deps = deps_of(context)
    with answering(respond):
        parsed = parse_learned_command(command.get("text") or "")
        if isinstance(parsed, LearnedHelp):
            respond(ephemeral(command_help(ids.LEARNED_COMMAND)))
        elif isinstance(parsed, Search):
            learning_search.on_search(deps, command, parsed, respond)
        elif isinstance(parsed, Course):
            learning_training.on_course(deps, command, parsed, respond, client)
        else:
            respond(ephemeral("Lessons are not ready yet."))  # FOUNDATION: helper A replaces


def register(app: App, deps: Deps) -> None:
    app.command(ids.LEARNED_COMMAND)(on_learned)
    learning_search.register(app, deps)
    learning_training.register(app, deps)
