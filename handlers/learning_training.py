"""``/learned course ...``: training a person took, its form, and its **Make it a goal** button.

The form opens at once (a trigger_id lasts 3 s), so the command's work stays in this process
(``here=True``); a typed course is saved after the ack, keyed by the command (a replay saves
nothing). The form's submission is saved in its ack (errors under their fields), and the form
turns into what was recorded, with the button."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk.web import WebClient

from bot.blocks import section
from bot.deps import Deps
from bot.errors import BravoError, error_text
from bot.learning import ids
from bot.learning import training as service
from bot.learning import training_render as render
from bot.learning.parse import Course
from bot.learning.training_errors import (
    CourseDateError,
    CourseSkillError,
    LinkError,
    NextStepError,
)
from bot.learning.training_parse import (
    CourseForm,
    CourseHelp,
    CourseList,
    Recorded,
    course_of_view,
    parse_course,
    training_id_of,
)
from bot.payload import request_key, team_of, user_of
from bot.work import Replayed
from handlers.common import answering, deps_of, ephemeral, field_error, later, tell, telling


def on_course(
    deps: Deps, command: dict[str, Any], parsed: Course, respond: Respond, client: WebClient
) -> None:
    """After ``handlers.learning`` acked ``/learned course ...``."""
    asked = parse_course(parsed.text)  # errors: answered by the caller's ``answering``
    if isinstance(asked, CourseHelp):
        respond(ephemeral(render.HELP))
    elif isinstance(asked, CourseForm):
        team = command["team_id"]
        today = service.today_for(deps, team_id=team, user_id=command["user_id"])
        skills = tuple(deps.config(team).kudos.values)
        view = render.course_modal(skills, asked.title, today)
        client.views_open(trigger_id=command["trigger_id"], view=view)
    else:
        later(deps, command, respond, lambda: course_later(deps, command, asked, respond))


def course_later(
    deps: Deps, command: dict[str, Any], asked: Recorded | CourseList, respond: Respond
) -> None:
    team, user = command["team_id"], command["user_id"]
    with answering(respond):
        if isinstance(asked, CourseList):
            shown = service.training_for_viewer(
                deps, team_id=team, viewer_id=user, person_id=asked.person or user
            )
            respond(render.listing(shown))
            return
        saved = service.record(
            deps, team_id=team, user_id=user, asked=asked, key=request_key(command)
        )
        respond(render.recorded(saved))


def _field(err: BravoError) -> str:
    if isinstance(err, CourseDateError):
        return ids.COURSE_DATE
    if isinstance(err, CourseSkillError):
        return ids.COURSE_SKILL
    if isinstance(err, NextStepError):
        return ids.COURSE_NEXT
    if isinstance(err, LinkError):
        return ids.COURSE_LINK
    return ids.COURSE_TITLE


def on_course_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    deps = deps_of(context)
    key = f"{ids.COURSE_MODAL}:{view.get('id') or body.get('trigger_id')}"[:64]
    try:
        asked = course_of_view(view)
        saved = service.record(
            deps, team_id=team_of(body), user_id=user_of(body), asked=asked, key=key
        )
    except Replayed:  # the same submission again: it was saved the first time
        ack()
        return
    except BravoError as err:
        field_error(ack, _field(err), err)
        return
    ack(response_action="update", view=render.recorded_modal(saved))


def on_make_goal(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    """Make it a goal: on the reply to ``/learned course`` (answered there) or on the form once
    saved (the form is redrawn with the answer)."""
    ack()
    deps = deps_of(context)
    later(deps, body, respond, lambda: make_goal(deps, body, action, respond, client))


def make_goal(
    deps: Deps, body: dict[str, Any], action: dict[str, Any], respond: Respond, client: WebClient
) -> None:
    view_id = (body.get("view") or {}).get("id") if not body.get("response_url") else None
    if view_id is None:
        with telling(respond):
            row = service.make_goal(
                deps,
                team_id=team_of(body),
                training_id=training_id_of(action),
                actor_id=user_of(body),
                key=request_key(body),
            )
            tell(respond, render.goal_made(row))
        return
    try:
        row = service.make_goal(
            deps,
            team_id=team_of(body),
            training_id=training_id_of(action),
            actor_id=user_of(body),
            key=request_key(body),
        )
        said = render.goal_made(row)
    except BravoError as err:
        said = error_text(err)
    client.views_update(view_id=view_id, view=render.info_modal([section(said)]))


def register(app: App, deps: Deps) -> None:
    """Training's form and button."""
    app.view(ids.COURSE_MODAL)(on_course_modal)
    app.action(ids.COURSE_GOAL)(on_make_goal)
