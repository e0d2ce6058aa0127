"""The Slack edge for one-on-ones: ``/coach 1on1 ...`` and ``/coach prep @ana``, handed on by
``handlers.coaching`` once it acked; the buttons and modals of prep notes and action items.

Listeners ack first; the work goes to the work queue and each calls one use case
(``bot.oneonones.service``)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk.web import WebClient

from bot import payload
from bot.deps import Deps
from bot.errors import BravoError
from bot.oneonones import ids, parse, render, service
from bot.work import Replayed
from handlers.common import answering, deps_of, ephemeral, field_error, later, telling, view_input


def register(app: App, deps: Deps) -> None:
    """The buttons and modals; /coach itself is registered by ``handlers.coaching``."""
    app.action(ids.ADD_TOPIC)(on_add_topic)
    app.view(ids.TOPIC_MODAL)(on_topic_modal)


def _team(body: dict[str, Any]) -> str:
    return str(body.get("team_id") or (body.get("team") or {}).get("id") or "")


def _user(body: dict[str, Any]) -> str:
    return str(body.get("user_id") or (body.get("user") or {}).get("id") or "")


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


def on_prep(
    deps: Deps,
    command: dict[str, Any],
    words: tuple[str, ...],
    respond: Respond,
    client: WebClient | None,
) -> None:
    """``/coach prep @ana``, after ``handlers.coaching`` acked it."""
    parsed = parse.parse_prep(" ".join(words))
    if isinstance(parsed, parse.OneOnOneHelp):
        respond(ephemeral(render.HELP))
        return
    later(deps, command, respond, lambda: prep_later(deps, command, parsed, respond))


def prep_later(deps: Deps, command: dict[str, Any], parsed: parse.Prep, respond: Respond) -> None:
    with answering(respond):
        note = service.prep_now(
            deps,
            team_id=command["team_id"],
            coach_id=command["user_id"],
            coachee_id=parsed.user_id,
            key=payload.request_key(command),
        )
        respond(ephemeral(render.prep_sent(note)))


# The coachee's topics --------------------------------------------------------------------------


def on_add_topic(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    """Add a topic: the modal, if the meeting is the presser's (the trigger lasts 3 s)."""
    ack()
    deps = deps_of(context)
    with telling(respond):
        meeting_id = service.topic_form(
            deps,
            team_id=_team(body),
            actor_id=_user(body),
            meeting_id=parse.number(action.get("value")),
        )
        client.views_open(trigger_id=body["trigger_id"], view=render.topic_modal(meeting_id))


def on_topic_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    deps = deps_of(context)
    try:
        count = service.add_topic(
            deps,
            team_id=_team(body),
            actor_id=_user(body),
            meeting_id=parse.number(view.get("private_metadata")),
            text=str(view_input(view, ids.TOPIC_BLOCK, "value") or ""),
            key=f"view:{view.get('id') or body.get('trigger_id')}",
        )
    except BravoError as err:
        field_error(ack, ids.TOPIC_BLOCK, err)
        return
    except Replayed:  # the same submission again: it was added the first time
        ack()
        return
    ack(response_action="update", view=render.done_modal("Topic added", render.topic_added(count)))
