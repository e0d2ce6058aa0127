"""The Slack edge for one-on-ones: ``/coach 1on1 ...`` and ``/coach prep @ana``, handed on by
``handlers.coaching`` once it acked; the buttons and modals of prep notes and action items.

Listeners ack first; the work goes to the work queue and each calls one use case
(``bot.oneonones.service``)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, Respond
from slack_sdk.web import WebClient

from bot import payload
from bot.deps import Deps
from bot.oneonones import parse, render, service
from handlers.common import answering, ephemeral, later


def register(app: App, deps: Deps) -> None:
    """Nothing of its own yet for the commands: /coach is registered by ``handlers.coaching``."""


def on_1on1(
    deps: Deps,
    command: dict[str, Any],
    words: tuple[str, ...],
    respond: Respond,
    client: WebClient | None,
) -> None:
    """``/coach 1on1 <words>``, after ``handlers.coaching`` acked it."""
    parsed = parse.parse_1on1(" ".join(words))
    if isinstance(parsed, parse.OneOnOneHelp):
        respond(ephemeral(render.HELP))
        return
    later(deps, command, respond, lambda: oneonone_later(deps, command, parsed, respond))


def oneonone_later(
    deps: Deps, command: dict[str, Any], parsed: parse.Asked, respond: Respond
) -> None:
    team, user, key = command["team_id"], command["user_id"], payload.request_key(command)
    with answering(respond):
        if isinstance(parsed, parse.SetSeries):
            done = service.set_series(
                deps,
                team_id=team,
                coach_id=user,
                coachee_id=parsed.user_id,
                weekday=parsed.weekday,
                minute=parsed.minute,
                every_weeks=parsed.every_weeks,
                key=key,
            )
            respond(ephemeral(render.receipt(done.row, done.what)))
        elif isinstance(parsed, parse.MoveSeries):
            done = service.move_series(
                deps,
                team_id=team,
                actor_id=user,
                other_id=parsed.user_id,
                weekday=parsed.weekday,
                minute=parsed.minute,
                key=key,
            )
            respond(ephemeral(render.receipt(done.row, done.what)))
        elif isinstance(parsed, parse.CancelSeries):
            done = service.cancel_series(
                deps, team_id=team, actor_id=user, other_id=parsed.user_id, key=key
            )
            respond(ephemeral(render.receipt(done.row, done.what)))
        elif isinstance(parsed, parse.ListSeries):
            found = service.list_series(deps, team_id=team, user_id=user)
            respond({"response_type": "ephemeral", **render.listing(found.rows, user)})
