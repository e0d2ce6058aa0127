"""The Slack edge for Bravo's Home tab: ``app_home_opened``, the home's own buttons, and the
middleware that marks the home of whoever acted (so it is refreshed, ``bot.home.jobs``).

A click on the home has no channel and no ``response_url``: what cannot be done is said in a
small modal (the click's ``trigger_id``), and what was done shows in the home, published again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk.web import WebClient

from bot.deps import Deps
from bot.errors import BravoError, error_text
from bot.goals import render as goal_render
from bot.goals import service as goals
from bot.goals.ids import MenuVerb
from bot.home import ids, parse
from bot.home import service as home
from bot.home.render import refusal_view
from bot.payload import request_key
from bot.profile import ids as profile_ids
from bot.profile import parse as profile_parse
from bot.profile import render as profile_render
from bot.profile import send as profile_send
from bot.profile import service as profile
from handlers.common import deps_of, later_or_now

log = logging.getLogger(__name__)
GONE = "That goal isn't there any more."
CHART_SENT = "Your skills chart is on its way to your DMs with Bravo."
CHART_NOT_SENT = (
    "No chart this time: either it was already sent to your DMs today, or there are no kudos "
    "tagged with a skill in the last 180 days to draw."
)


def register(app: App, deps: Deps) -> None:
    app.event(ids.EVENT)(on_home_opened)
    app.action(ids.GOAL_CHECKIN)(on_goal_form)
    app.action(ids.GOAL_PAUSE)(on_goal_form)
    app.action(ids.GOAL_RESUME)(on_goal_change)
    app.action(ids.GOAL_COMPLETE)(on_goal_change)
    app.action(ids.TOGGLE)(on_toggle)
    app.action(profile_ids.OPEN_FOR_COACHEE)(on_coachee_profile)
    app.action(profile_ids.SEND_CHART)(on_send_chart)


def mark_actor(deps: Deps) -> Callable[..., None]:
    """A Bolt middleware: whoever sent a request may have changed something in their own home;
    it is marked after the ack (off the request's path) and refreshed once things settle."""

    def mark(body: dict[str, Any], next: Callable[[], None]) -> None:
        who = parse.actor(body)
        # queue mode: the web process only records; the worker replaying it marks the home
        mine = not deps.work.queued
        if mine and who is not None and not parse.changes_nothing(body):
            team_id, user_id = who

            def run() -> None:
                home.mark_changed(deps, team_id=team_id, user_ids=[user_id], later=True)

            deps.work.submit(run, on_error=lambda err: log.warning("no home mark: %s", err))
        next()

    return mark


def on_home_opened(body: dict[str, Any], event: dict[str, Any], context: BoltContext) -> None:
    """The Home tab opened: publish the person's home (the Messages tab needs nothing)."""
    deps = deps_of(context)
    user, team = event.get("user"), body.get("team_id")
    if event.get("tab") != ids.HOME_TAB or not isinstance(user, str) or not isinstance(team, str):
        return

    def run() -> None:
        home.open_home(deps, team_id=team, user_id=user)

    later_or_now(deps, run)


def on_goal_form(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """Check in or Pause on a goal: the goals room's own modal, at once (its submission is the
    goals room's, as from ``/goal list``)."""
    ack()
    deps = deps_of(context)
    goal_id = parse.goal_id(action.get("value"))
    if goal_id is None:
        _refuse(client, body.get("trigger_id"), GONE)
        return
    try:
        goal = goals.open_goal(
            deps, team_id=body["team"]["id"], actor_id=body["user"]["id"], goal_id=goal_id
        )
    except BravoError as err:
        _refuse(client, body.get("trigger_id"), error_text(err))
        return
    meta = goal_render.meta(goal=goal.id)
    if action.get("action_id") == ids.GOAL_PAUSE:
        view = goal_render.pause_modal(goal=goal, private_metadata=meta)
    else:
        view = goal_render.note_modal(goal=goal, private_metadata=meta)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def on_goal_change(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """Resume or Complete a goal; the home shows the result."""
    ack()
    deps = deps_of(context)
    goal_id = parse.goal_id(action.get("value"))
    verb = MenuVerb.COMPLETE if action.get("action_id") == ids.GOAL_COMPLETE else MenuVerb.RESUME
    team, user, trigger = body["team"]["id"], body["user"]["id"], body.get("trigger_id")
    key = request_key(body)
    if goal_id is None:
        _refuse(client, trigger, GONE)
        return

    def run() -> None:
        try:
            home.change_goal(deps, team_id=team, user_id=user, goal_id=goal_id, verb=verb, key=key)
        except BravoError as err:
            _refuse(client, trigger, error_text(err))

    later_or_now(deps, run)


def on_toggle(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
    """A preference button (leaderboards, celebrations, where milestones go)."""
    ack()
    deps = deps_of(context)
    choice = parse.toggle(action.get("value"))
    if choice is None:
        log.info("a home toggle Bravo does not know: %s", str(action.get("value"))[:40])
        return
    team, user = body["team"]["id"], body["user"]["id"]
    later_or_now(deps, lambda: home.toggle(deps, team_id=team, user_id=user, choice=choice))


def on_coachee_profile(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """A coach's "Skill profile" beside a coachee: the use case decides who may see it (the
    button is only shown to coaches, but a forged or stale click is checked all the same)."""
    ack()
    deps = deps_of(context)
    person = profile_parse.person(action.get("value"))
    trigger = body.get("trigger_id")
    if person is None:
        _refuse(client, trigger, "That skill profile isn't there any more.")
        return
    team, viewer = body["team"]["id"], body["user"]["id"]
    try:
        shown = profile.profile_for_viewer(deps, team, viewer, person, deps.clock())
    except BravoError as err:
        _refuse(client, trigger, error_text(err))
        return
    if isinstance(trigger, str) and trigger:
        client.views_open(trigger_id=trigger, view=profile_render.coach_modal(shown))


def on_send_chart(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """ "Send me my chart": drawn now and uploaded to the person's DM, once a day at most."""
    ack()
    deps = deps_of(context)
    team, user, trigger = body["team"]["id"], body["user"]["id"], body.get("trigger_id")

    def run() -> None:
        sent = profile_send.send_chart(deps, team_id=team, user_id=user, now=deps.clock())
        _refuse(client, trigger, CHART_SENT if sent else CHART_NOT_SENT)

    later_or_now(deps, run)


def _refuse(client: WebClient, trigger_id: object, text: str) -> None:
    if isinstance(trigger_id, str) and trigger_id:
        client.views_open(trigger_id=trigger_id, view=refusal_view(text))
