"""The Slack edge for practice: ``/practice`` and its subcommands, the scenario DM's buttons
(Write my reply, Skip), the reply modal that turns into the self-assessment, and a rater's
buttons (Rate it, Not this time) and modal. ``/practice scenarios`` (the admins' library) is
handed on to its own module once it exists.

Modals open at once (a trigger_id lasts 3 s); other work goes to the work queue. Each use case
(``bot.practice.service``) runs in one transaction with the messages it queues."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk.web import WebClient

from bot.commands import command_help
from bot.deps import Deps
from bot.errors import BravoError
from bot.payload import request_key, team_of, user_of, view_key
from bot.practice import ids, render, service
from bot.practice.errors import (
    NoteError,
    RaterError,
    ReplyError,
)
from bot.practice.parse import (
    Asked,
    History,
    Plan,
    PracticeHelp,
    Practise,
    Scenarios,
    Stop,
    checks_of,
    note_of,
    parse_practice_command,
    raters_of,
    reply_of,
    round_id_of,
    round_meta,
    round_of_view,
)
from bot.work import Replayed
from handlers import practice_scenarios
from handlers.common import (
    after_ack,
    answering,
    deps_of,
    ephemeral,
    field_error,
    later,
    tell,
    telling,
)

# /practice -------------------------------------------------------------------------------------


def on_practice(
    ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext
) -> None:
    ack()
    deps = deps_of(context)
    with answering(respond):
        parsed = parse_practice_command(command.get("text") or "")
        if isinstance(parsed, PracticeHelp):
            respond(ephemeral(command_help(ids.PRACTICE_COMMAND)))
        elif isinstance(parsed, Scenarios):
            practice_scenarios.on_scenarios(deps, command, parsed.words, respond, client)
        else:
            later(deps, command, respond, lambda: practice_later(deps, command, parsed, respond))


def practice_later(deps: Deps, command: dict[str, Any], parsed: Asked, respond: Respond) -> None:
    team, user, key = command["team_id"], command["user_id"], request_key(command)
    with answering(respond):
        if isinstance(parsed, Practise):
            service.practise(deps, team_id=team, user_id=user, skill=parsed.skill, key=key)
            respond(ephemeral(render.SENT))
        elif isinstance(parsed, Plan):
            plan = service.set_plan(
                deps, team_id=team, user_id=user, minute=parsed.minute, skill=parsed.skill, key=key
            )
            respond(ephemeral(render.plan_set(plan)))
        elif isinstance(parsed, Stop):
            plan = service.stop_plan(deps, team_id=team, user_id=user, key=key)
            respond(ephemeral(render.plan_stopped(plan)))
        elif isinstance(parsed, History):
            past = service.history(deps, team_id=team, user_id=user)
            shown = render.history(past.rounds, past.rated, past.plan, past.zone)
            respond({"response_type": "ephemeral", **shown})


# The person's buttons and modals ---------------------------------------------------------------


def on_write_reply(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    """Write my reply: the reply modal, if the round is the clicker's and still open."""
    ack()
    deps = deps_of(context)
    with telling(respond):
        sent = service.reply_form(
            deps, team_id=team_of(body), round_id=round_id_of(action), actor_id=user_of(body)
        )
        assert sent.round.id is not None
        view = render.reply_modal(sent.round, sent.scenario, round_meta(sent.round.id))
        client.views_open(trigger_id=body["trigger_id"], view=view)


def on_reply_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    """The reply saved; the modal turns into the self-assessment."""
    deps = deps_of(context)
    team, user = team_of(body), user_of(body)
    try:
        round_id = round_of_view(view)
        try:
            sent = service.answer(
                deps,
                team_id=team,
                round_id=round_id,
                actor_id=user,
                reply=reply_of(view),
                key=view_key(view, body),
            )
        except Replayed:  # done before: show where it got to
            sent = service.reply_form(deps, team_id=team, round_id=round_id, actor_id=user)
    except BravoError as err:
        field_error(ack, ids.REPLY_BLOCK, err)
        return
    assert sent.round.id is not None
    ack(
        response_action="update",
        view=render.assess_modal(sent.round, sent.scenario, round_meta(sent.round.id)),
    )


def _assess_field(err: BravoError) -> str:
    if isinstance(err, RaterError):
        return ids.RATERS_BLOCK
    if isinstance(err, NoteError):
        return ids.NOTE_BLOCK
    return ids.CHECKS_BLOCK


def on_assess_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    deps = deps_of(context)
    try:
        service.assess(
            deps,
            team_id=team_of(body),
            round_id=round_of_view(view),
            actor_id=user_of(body),
            checks=checks_of(view),
            note=note_of(view),
            raters=raters_of(view),
            key=view_key(view, body),
        )
    except Replayed:
        pass
    except ReplyError as err:
        field_error(ack, ids.CHECKS_BLOCK, err)
        return
    except BravoError as err:
        field_error(ack, _assess_field(err), err)
        return
    ack()


def skip(deps: Deps, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
    with telling(respond):
        service.skip(
            deps,
            team_id=team_of(body),
            round_id=round_id_of(action),
            actor_id=user_of(body),
            key=request_key(body),
        )
        tell(respond, render.SKIPPED)


on_skip = after_ack(skip)


# A rater's buttons and modal -------------------------------------------------------------------


def on_rate(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    """Rate it: the rating modal, for someone the person asked."""
    ack()
    deps = deps_of(context)
    with telling(respond):
        found = service.rate_form(
            deps, team_id=team_of(body), round_id=round_id_of(action), rater_id=user_of(body)
        )
        assert found.round.id is not None
        view = render.rate_modal(found.round, found.scenario, round_meta(found.round.id))
        client.views_open(trigger_id=body["trigger_id"], view=view)


def on_rate_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    deps = deps_of(context)
    try:
        service.rate(
            deps,
            team_id=team_of(body),
            round_id=round_of_view(view),
            rater_id=user_of(body),
            checks=checks_of(view),
            note=note_of(view),
            key=view_key(view, body),
        )
    except Replayed:
        pass
    except BravoError as err:
        field_error(ack, ids.NOTE_BLOCK if isinstance(err, NoteError) else ids.CHECKS_BLOCK, err)
        return
    ack(response_action="update", view=render.thanks_modal())


def decline(deps: Deps, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
    with telling(respond):
        service.decline(
            deps,
            team_id=team_of(body),
            round_id=round_id_of(action),
            rater_id=user_of(body),
            key=request_key(body),
        )
        tell(respond, render.DECLINED)


on_decline = after_ack(decline)


def register(app: App, deps: Deps) -> None:
    app.command(ids.PRACTICE_COMMAND)(on_practice)
    app.action(ids.WRITE_REPLY)(on_write_reply)
    app.view(ids.REPLY_MODAL)(on_reply_modal)
    app.view(ids.ASSESS_MODAL)(on_assess_modal)
    app.action(ids.SKIP)(on_skip)
    app.action(ids.RATE)(on_rate)
    app.view(ids.RATE_MODAL)(on_rate_modal)
    app.action(ids.DECLINE)(on_decline)
