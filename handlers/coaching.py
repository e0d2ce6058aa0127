"""The Slack edge for coaching: /coach, a request's Accept and Decline, ending a pairing.

Listeners ack first; the work goes to the work queue and each calls one use case
(``bot.coaching.service``).
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk.web import WebClient

from bot import payload
from bot.coaching import ids, parse, render
from bot.coaching import service as coaching
from bot.commands import command_help
from bot.deps import Deps
from handlers import oneonones
from handlers.common import after_ack, answering, deps_of, ephemeral, later, telling

# /coach words handed on to handlers.oneonones
ONEONONES = {"1on1": oneonones.on_1on1, "prep": oneonones.on_prep}


def register(app: App, deps: Deps) -> None:
    app.command(ids.COACH_COMMAND)(on_coach)
    app.action(ids.COACH_ACCEPT)(on_coach_answer)
    app.action(ids.COACH_DECLINE)(on_coach_answer)
    app.action(ids.COACH_END)(on_coach_end)


def on_coach(
    ack: Ack,
    command: dict[str, Any],
    respond: Respond,
    context: BoltContext,
    client: WebClient | None = None,
) -> None:
    ack()
    deps = deps_of(context)
    with answering(respond):
        words = tuple((command.get("text") or "").split())
        if words and words[0].lower() in ONEONONES:
            ONEONONES[words[0].lower()](deps, command, words[1:], respond, client)
            return
        parsed = parse.parse_coach_command(command.get("text") or "")
        if isinstance(parsed, parse.CoachHelp):
            respond(ephemeral(command_help(ids.COACH_COMMAND)))
        else:
            later(deps, command, respond, lambda: coach_command(deps, command, parsed, respond))


def coach_command(
    deps: Deps, command: dict[str, Any], parsed: parse.CoachCommand, respond: Respond
) -> None:
    """``/coach list``, ``/coach @name`` and ``/coach end @name``, after the ack."""
    team, user = command["team_id"], command["user_id"]
    with answering(respond):
        if isinstance(parsed, parse.ListCoaching):
            rows = coaching.pairings(deps, team_id=team, user_id=user)
            respond({"response_type": "ephemeral", **render.coach_list(rows, user)})
        elif isinstance(parsed, parse.AskToCoach):
            key = payload.request_key(command)
            coaching.ask(deps, team_id=team, coach_id=user, coachee_id=parsed.user_id, key=key)
            respond(ephemeral(render.asked(parsed.user_id)))
        elif isinstance(parsed, parse.EndCoaching):
            ended = coaching.end_with(
                deps,
                team_id=team,
                actor_id=user,
                other_id=parsed.user_id,
                key=payload.request_key(command),
            )
            respond(ephemeral(render.you_ended(ended)))


def coach_answer(
    deps: Deps, body: dict[str, Any], action: dict[str, Any], respond: Respond
) -> None:
    """Accept or Decline, pressed by the person asked."""
    with telling(respond):
        row = coaching.answer(
            deps,
            team_id=body["team"]["id"],
            actor_id=body["user"]["id"],
            pairing_id=parse.number(str(action.get("value") or "")) or 0,
            accept=action.get("action_id") == ids.COACH_ACCEPT,
            key=payload.request_key(body),
        )
        respond({"replace_original": True, **render.coach_answered(row)})


on_coach_answer = after_ack(coach_answer)


def coach_end(deps: Deps, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
    """End (or Withdraw) in the list of pairings."""
    user = body["user"]["id"]
    with telling(respond):
        rows = coaching.end(
            deps,
            team_id=body["team"]["id"],
            actor_id=user,
            pairing_id=parse.number(str(action.get("value") or "")) or 0,
            key=payload.request_key(body),
        )
        listing = {"response_type": "ephemeral", **render.coach_list(rows, user)}
        respond({"replace_original": True, **listing})


on_coach_end = after_ack(coach_end)
