"""The Slack edge for goals and check-ins: /goal, the goal, note and pause modals, a prompt's
buttons, a listed goal's menu, and the coach's kudos button.

Listeners ack first. Modals that need a ``trigger_id`` open at once (it expires in 3 s); other
work goes to the work queue. Each listener calls one use case (``bot.goals.service``; a goal
list, which depends on who coaches whom, comes from ``bot.coaching.service``).
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk.web import WebClient

from bot import payload
from bot.coaching import service as coaching
from bot.commands import command_help
from bot.deps import Deps
from bot.errors import BravoError
from bot.goals import ids, parse, render
from bot.goals import service as goals
from bot.goals.errors import FieldMissingError, FieldTooLongError
from bot.goals.ids import MenuVerb
from bot.kudos.render import kudos_modal
from handlers.common import (
    after_ack,
    answering,
    deps_of,
    ephemeral,
    field_error,
    later,
    saving_goal,
    tell,
    telling,
)

log = logging.getLogger(__name__)
FORMS = (MenuVerb.CHECKIN, MenuVerb.EDIT, MenuVerb.PAUSE)  # menu choices that open a modal
USER_RE = re.compile(r"^[UW][A-Z0-9]+$")


def register(app: App, deps: Deps) -> None:
    app.command(ids.GOAL_COMMAND)(on_goal)
    app.view(ids.GOAL_MODAL)(on_goal_modal)
    app.action(re.compile(f"^{ids.CHECKIN_ACTION}"))(on_answer)
    app.action(ids.NOTE_ACTION)(on_note)
    app.view(ids.NOTE_MODAL)(on_note_modal)
    app.action(ids.GOAL_MENU)(on_menu)
    app.view(ids.PAUSE_MODAL)(on_pause_modal)
    app.action(ids.KUDOS_FOR)(on_kudos_for)


# /goal ---------------------------------------------------------------------------------------


def on_goal(
    ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext
) -> None:
    ack()
    deps = deps_of(context)
    with answering(respond):
        parsed = parse.parse_goal_command(command.get("text") or "")
        if isinstance(parsed, parse.OpenGoalModal):  # now: the trigger_id expires in 3 seconds
            meta = render.meta(channel=command.get("channel_id"))
            client.views_open(
                trigger_id=command["trigger_id"],
                view=render.goal_modal(
                    skills=deps.config(command["team_id"]).kudos.values, private_metadata=meta
                ),
            )
        elif isinstance(parsed, parse.GoalHelp):
            respond(ephemeral(command_help(ids.GOAL_COMMAND)))
        else:
            later(deps, command, respond, lambda: goal_command(deps, command, parsed, respond))


def goal_command(
    deps: Deps, command: dict[str, Any], parsed: parse.GoalCommand, respond: Respond
) -> None:
    """``/goal list [@owner]`` and ``/goal away|back``, after the ack."""
    team, user = command["team_id"], command["user_id"]
    with answering(respond):
        if isinstance(parsed, parse.ListGoals):
            owner = parsed.owner_id or user
            shown = coaching.goals_shown(deps, team_id=team, owner_id=owner, viewer_id=user)
            body = render.goal_list(shown.goals, shown.zone, owner_id=owner, viewer_id=user)
            respond({"response_type": "ephemeral", **body})
        elif isinstance(parsed, parse.SetAway):
            key = payload.request_key(command)
            was_away = goals.set_away(deps, team_id=team, user_id=user, until=parsed.until, key=key)
            respond(ephemeral(render.away_set(parsed.until, was_away)))


def on_goal_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    deps = deps_of(context)
    form = parse.goal_form(view)
    team, user = body["team"]["id"], body["user"]["id"]
    saving_goal(
        ack, ids.WHAT, lambda: goals.save_goal(deps, team_id=team, owner_id=user, form=form)
    )


# Check-ins -----------------------------------------------------------------------------------


def answer(deps: Deps, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
    """One of a prompt's status buttons (On track, At risk, Blocked, Done!)."""
    with telling(respond):
        pressed = parse.answer(str(action.get("value") or ""))
        answered = goals.answer_prompt(
            deps,
            team_id=body["team"]["id"],
            actor_id=body["user"]["id"],
            answer=pressed,
            key=payload.request_key(body),
        )
        respond({"replace_original": True, **answered.ack})


on_answer = after_ack(answer)


def on_note(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    """A prompt's Add a note button: the note modal, at once."""
    ack()
    deps = deps_of(context)
    prompt_id = parse.number(str(action.get("value") or ""))
    with telling(respond):
        goal = goals.goal_to_note(
            deps, team_id=body["team"]["id"], actor_id=body["user"]["id"], prompt_id=prompt_id
        )
        client.views_open(
            trigger_id=body["trigger_id"],
            view=render.note_modal(goal=goal, private_metadata=render.meta(prompt=prompt_id)),
        )


def on_note_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    deps = deps_of(context)
    try:
        note = parse.note(view)
    except (FieldMissingError, FieldTooLongError) as err:
        field_error(ack, err.block, err)
        return
    try:
        goals.check_in_with_note(
            deps, team_id=body["team"]["id"], actor_id=body["user"]["id"], note=note
        )
    except BravoError as err:
        field_error(ack, ids.NOTE_PROGRESS, err)
        return
    ack()


# The goal menu (from /goal list) -------------------------------------------------------------


def on_menu(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    """A listed goal's menu: a form opens at once; other changes go to the work queue."""
    ack()
    deps = deps_of(context)
    with telling(respond):
        choice = parse.menu_choice(str((action.get("selected_option") or {}).get("value") or ""))
        if choice.verb in FORMS:
            open_form(deps, body, choice, client, respond)
        else:
            later(deps, body, respond, lambda: change(deps, body, choice, respond))


def open_form(
    deps: Deps, body: dict[str, Any], choice: parse.MenuChoice, client: WebClient, respond: Respond
) -> None:
    """The note, pause or goal modal on one of the person's own goals still open."""
    team, user = body["team"]["id"], body["user"]["id"]
    with telling(respond):
        goal = goals.open_goal(deps, team_id=team, actor_id=user, goal_id=choice.goal_id)
        meta = render.meta(goal=goal.id)
        if choice.verb == MenuVerb.CHECKIN:
            view = render.note_modal(goal=goal, private_metadata=meta)
        elif choice.verb == MenuVerb.PAUSE:
            view = render.pause_modal(goal=goal, private_metadata=meta)
        else:
            skills = deps.config(team).kudos.values
            view = render.goal_modal(skills=skills, private_metadata=meta, goal=goal)
        client.views_open(trigger_id=body["trigger_id"], view=view)


def change(deps: Deps, body: dict[str, Any], choice: parse.MenuChoice, respond: Respond) -> None:
    """Resume, complete or archive, after the ack."""
    team, user = body["team"]["id"], body["user"]["id"]
    with telling(respond):
        changed = goals.change_goal(
            deps,
            team_id=team,
            actor_id=user,
            goal_id=choice.goal_id,
            verb=choice.verb,
            key=payload.request_key(body),
        )
        if choice.verb == MenuVerb.RESUME:
            tell(respond, render.resumed(changed.goal, changed.zone))
        else:
            tell(respond, render.closed(changed.goal, changed.milestone))


def on_pause_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    deps = deps_of(context)
    try:
        asked = parse.pause(view)
        goal = goals.pause(
            deps, team_id=body["team"]["id"], owner_id=body["user"]["id"], pause=asked
        )
    except BravoError as err:
        field_error(ack, ids.PAUSE_UNTIL, err)
        return
    log.info("goal %s paused until %s", goal.id, asked.until)
    ack()


# A coach's button ----------------------------------------------------------------------------


def on_kudos_for(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """Recognise a coachee's progress (a completed goal, the weekly digest): the kudos modal."""
    ack()
    deps = deps_of(context)
    person = str(action.get("value") or "")
    client.views_open(
        trigger_id=body["trigger_id"],
        view=kudos_modal(
            values=deps.config(body["team"]["id"]).kudos.values,
            private_metadata=json.dumps({"channel": None}),
            initial_users=[person] if USER_RE.match(person) else None,
        ),
    )
