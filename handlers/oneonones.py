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
from bot.goals import ids as goal_ids
from bot.goals.parse import goal_form
from bot.goals.render import goal_modal
from bot.goals.render import meta as goal_meta
from bot.oneonones import ids, parse, render, service
from bot.payload import team_of, user_of
from bot.work import Replayed
from handlers.common import (
    after_ack,
    answering,
    deps_of,
    ephemeral,
    field_error,
    later,
    saving_goal,
    telling,
    view_input,
)


def register(app: App, deps: Deps) -> None:
    """The buttons and modals; /coach itself is registered by ``handlers.coaching``."""
    app.action(ids.ADD_TOPIC)(on_add_topic)
    app.view(ids.TOPIC_MODAL)(on_topic_modal)
    app.action(ids.ADD_NOTES)(on_add_notes)
    app.view(ids.NOTES_MODAL)(on_notes_modal)
    app.action(ids.MAKE_GOAL)(on_make_goal)
    app.view(ids.GOAL_MODAL)(on_goal_modal)
    app.action(ids.NO_THANKS)(on_item_button)
    app.action(ids.ITEM_DONE)(on_item_button)


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
        elif isinstance(parsed, parse.ShowNotes):
            notes = service.notes_of(deps, team_id=team, actor_id=user, other_id=parsed.user_id)
            respond(render.latest_notes(notes.row, notes.meeting, notes.items))
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
            team_id=team_of(body),
            actor_id=user_of(body),
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
            team_id=team_of(body),
            actor_id=user_of(body),
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


# After the meeting: notes and action items -----------------------------------------------------


def on_add_notes(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    """Add notes (on the coach's prep note): the notes modal, for the coach only."""
    ack()
    deps = deps_of(context)
    with telling(respond):
        meeting = service.notes_form(
            deps,
            team_id=team_of(body),
            actor_id=user_of(body),
            meeting_id=parse.number(action.get("value")),
        )
        view = render.notes_modal(
            meeting.id or 0, meeting.notes, parse.NOTES_LIMIT, parse.ITEM_LIMIT
        )
        client.views_open(trigger_id=body["trigger_id"], view=view)


def on_notes_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    deps = deps_of(context)
    form, errors = parse.read_notes(view)
    if form is None:
        ack(response_action="errors", errors=errors)
        return
    try:
        items = service.save_notes(
            deps,
            team_id=team_of(body),
            actor_id=user_of(body),
            meeting_id=parse.number(view.get("private_metadata")),
            form=form,
            key=f"view:{view.get('id') or body.get('trigger_id')}",
        )
    except BravoError as err:
        field_error(ack, ids.NOTES_BLOCK, err)
        return
    except Replayed:  # the same submission again: saved the first time
        ack()
        return
    ack(
        response_action="update",
        view=render.done_modal("Notes saved", render.notes_saved(len(items))),
    )


def on_make_goal(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    """Make it my goal: the goal modal, prefilled with the action item (the coachee's only)."""
    ack()
    deps = deps_of(context)
    with telling(respond):
        item_id = parse.number(action.get("value"))
        draft = service.item_goal_draft(
            deps, team_id=team_of(body), actor_id=user_of(body), item_id=item_id
        )
        view = goal_modal(
            skills=deps.config(team_of(body)).kudos.values,
            private_metadata=goal_meta(channel=None, item=item_id),
            draft=draft,
        )
        view["callback_id"] = ids.GOAL_MODAL  # saved by goals, linked to the item here
        client.views_open(trigger_id=body["trigger_id"], view=view)


def on_goal_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    deps = deps_of(context)
    saving_goal(
        ack,
        goal_ids.WHAT,
        lambda: service.make_item_goal(
            deps,
            team_id=team_of(body),
            actor_id=user_of(body),
            item_id=parse.item_of(view),
            form=goal_form(view),
        ),
    )


def item_button(deps: Deps, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
    """No thanks (the coachee, on a proposed goal) or Done (the coach, on a follow-up)."""
    answer = service.decline_item if action.get("action_id") == ids.NO_THANKS else service.item_done
    with telling(respond):
        item = answer(
            deps,
            team_id=team_of(body),
            actor_id=user_of(body),
            item_id=parse.number(action.get("value")),
            key=payload.request_key(body),
        )
        respond({"replace_original": True, **render.item_answered(item)})


on_item_button = after_ack(item_button)
