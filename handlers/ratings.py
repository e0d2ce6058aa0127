"""The Slack edge for customer ratings by webhook: ``/bravo ratings [unmatched]`` and its buttons
(Rotate secret; match a waiting rating to someone, or dismiss it). Admins only: each use case
asks Slack again, so a forged click is refused.

The webhook itself is served by ``bot.ratings.webhook`` under ``/hooks/`` (wired by the
composition root into ``bot.web``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk.web import WebClient

from bot.deps import Deps
from bot.ratings import admin, ids, render
from bot.ratings.errors import RatingGoneError, RatingsWordsError
from bot.ratings.parse import parse_words, rating_id
from handlers.common import answering, deps_of, later, tell, telling


def on_ratings(
    deps: Deps, command: dict[str, Any], words: tuple[str, ...], respond: Respond, client: WebClient
) -> None:
    """``/bravo ratings``: the webhook (made on first use); ``... unmatched``: the waiting list."""
    team, user = command["team_id"], command["user_id"]
    asked = parse_words(words)
    later(deps, command, respond, lambda: answer(deps, team, user, asked, respond))


def answer(deps: Deps, team: str, user: str, asked: str | None, respond: Respond) -> None:
    with answering(respond):
        if asked is None:
            raise RatingsWordsError("")
        if asked == "unmatched":
            rows, total = admin.unmatched(deps, team_id=team, user_id=user)
            respond(render.unmatched_message(rows, total))
        else:
            respond(render.hook_message(admin.hook_view(deps, team_id=team, user_id=user)))


BRAVO_WORDS: dict[str, Callable[..., None]] = {"ratings": on_ratings}


def on_rotate(ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext) -> None:
    """Rotate secret: the new one replaces the message (still only the admin sees it)."""
    ack()
    deps = deps_of(context)
    team, user = body["team"]["id"], body["user"]["id"]

    def rotate() -> None:
        with telling(respond):
            view = admin.rotate(deps, team_id=team, user_id=user)
            respond({"replace_original": True, **render.hook_message(view, rotated=True)})

    later(deps, body, respond, rotate)


def on_match(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    """A teammate picked for a waiting rating."""
    ack()
    deps = deps_of(context)
    team, admin_id = body["team"]["id"], body["user"]["id"]
    row = rating_id(str(action.get("block_id") or "").removeprefix(ids.MATCH_BLOCK))
    user = str(action.get("selected_user") or "")

    def match() -> None:
        with telling(respond):
            if row is None or not user:
                raise RatingGoneError()
            fb = admin.match(deps, team_id=team, admin_id=admin_id, rating_id=row, user_id=user)
            tell(respond, render.matched_text(fb))

    later(deps, body, respond, match)


def on_dismiss(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    ack()
    deps = deps_of(context)
    team, admin_id = body["team"]["id"], body["user"]["id"]
    row = rating_id(action.get("value"))

    def dismiss() -> None:
        with telling(respond):
            if row is None:
                raise RatingGoneError()
            admin.dismiss(deps, team_id=team, admin_id=admin_id, rating_id=row)
            tell(respond, render.dismissed_text())

    later(deps, body, respond, dismiss)


def register(app: App, deps: Deps) -> None:
    """``/bravo ratings`` itself comes through ``handlers.shoutouts`` (``BRAVO_WORDS``)."""
    app.action(ids.ROTATE)(on_rotate)
    app.action(ids.MATCH)(on_match)
    app.action(ids.DISMISS)(on_dismiss)
