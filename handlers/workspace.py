"""The Slack edge for the workspace's settings: ``/bravo settings [log]``, the settings button on
an admin's home, and the settings modal (admins only; a forged submission changes nothing)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk.web import WebClient

from bot.deps import Deps
from bot.errors import BravoError, error_text
from bot.workspace import ids, render, service
from bot.workspace.ids import Setting
from bot.workspace.parse import parse_settings, parse_words
from handlers.common import answering, deps_of, field_error, later


def register(app: App, deps: Deps) -> None:
    app.action(ids.OPEN_SETTINGS)(on_open_settings)
    app.view(ids.MODAL)(on_modal)


def on_settings(
    deps: Deps, command: dict[str, Any], words: tuple[str, ...], respond: Respond, client: WebClient
) -> None:
    """``/bravo settings`` opens the modal now (its trigger_id lasts 3 seconds); ``/bravo
    settings log`` answers after the ack. Both for admins only."""
    team, user = command["team_id"], command["user_id"]
    with answering(respond):
        asked = parse_words(words)
        if asked is None:
            now = service.settings_now(deps, team_id=team, user_id=user)
            client.views_open(trigger_id=command["trigger_id"], view=render.settings_modal(now))
        else:
            later(deps, command, respond, lambda: show_log(deps, team, user, asked.page, respond))


def show_log(deps: Deps, team: str, user: str, page: int, respond: Respond) -> None:
    with answering(respond):
        log = service.change_log(deps, team_id=team, user_id=user, page=page)
        reply = render.log_message(log.changes, log.names, log.page, log.pages)
        respond({"response_type": "ephemeral", **reply})


BRAVO_WORDS: dict[str, Callable[..., None]] = {"settings": on_settings}


def on_open_settings(
    ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """The settings button (an admin's home): the modal, or a modal saying who may use it."""
    ack()
    deps = deps_of(context)
    try:
        now = service.settings_now(deps, team_id=body["team"]["id"], user_id=body["user"]["id"])
        view = render.settings_modal(now)
    except BravoError as err:
        view = render.notice_modal(error_text(err))
    client.views_open(trigger_id=body["trigger_id"], view=view)


def on_modal(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    """Saved: every field checked (nothing changes while one is wrong), the admin checked
    again, then the changes applied; the receipt comes by DM."""
    deps = deps_of(context)
    proposed, errors = parse_settings(view)
    if proposed is None:
        ack(response_action="errors", errors=errors)
        return
    try:
        saved = service.save(
            deps, team_id=body["team"]["id"], admin_id=body["user"]["id"], proposed=proposed
        )
    except BravoError as err:
        field_error(ack, Setting.VALUES, err)
        return
    if isinstance(saved, service.Refused):
        ack(response_action="errors", errors=saved.errors)
    elif not saved.lines:
        ack(response_action="update", view=render.notice_modal(render.nothing_changed()))
    else:
        ack()
