"""The Slack edge for a person's data: ``/bravo export``, ``/bravo forget me|@someone`` (with a
confirmation modal), ``user_change`` (people who leave) and ``app_uninstalled`` /
``tokens_revoked``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk.errors import SlackApiError
from slack_sdk.web import WebClient

from bot import status
from bot.deps import Deps
from bot.errors import BravoError, error_text
from bot.privacy import ids, render, service
from bot.privacy.parse import ForgetMe, forget_meta, parse_export, parse_forget, read_meta
from handlers.common import deps_of, ephemeral, later, later_or_now


def on_export(
    deps: Deps, command: dict[str, Any], words: tuple[str, ...], respond: Respond, client: WebClient
) -> None:
    """Answer at once; build the export after the ack and send it by DM (once per command)."""
    parse_export(words)
    team, user = command["team_id"], command["user_id"]
    key = command.get("trigger_id") or f"{user}:{deps.clock():%Y%m%d%H%M}"
    respond(ephemeral(render.EXPORT_ON_ITS_WAY))
    later(deps, command, respond, lambda: _send_export(deps, team, user, key), here=True)


def _send_export(deps: Deps, team: str, user: str, key: str) -> None:
    service.send_export(deps, team, user, key)


def on_forget(
    deps: Deps, command: dict[str, Any], words: tuple[str, ...], respond: Respond, client: WebClient
) -> None:
    """Open the confirmation modal now (the trigger id lasts 3 seconds); nothing is erased yet."""
    team, user = command["team_id"], command["user_id"]
    parsed = parse_forget(words)
    if isinstance(parsed, ForgetMe):
        mode, target = "self", user
    else:
        mode, target = "admin", parsed.user_id
        service.check_can_forget(deps, team_id=team, admin_id=user, user_id=target)
    meta = forget_meta(mode=mode, user_id=target)
    view = render.forget_modal(mode=mode, user_id=target, metadata=meta)
    client.views_open(trigger_id=command["trigger_id"], view=view)


def on_forget_submit(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """Confirmed: check again who asks for what (a forged submission erases nothing) before the
    ack; erase after it (a long history takes longer than Slack waits), then say it is done in
    the modal itself (nothing is queued addressed to an erased person)."""
    deps = deps_of(context)
    team, user = body["team"]["id"], body["user"]["id"]
    meta = read_meta(view.get("private_metadata"))
    if meta is None:
        ack(response_action="update", view=render.note_view("Nothing was erased."))
        return
    mode, target = meta
    try:
        service.check_forget(deps, team_id=team, asked_by=user, mode=mode, user_id=target)
    except BravoError as err:
        ack(response_action="update", view=render.note_view(error_text(err)))
        return
    ack(response_action="update", view=render.erasing_view())
    view_id = str(view.get("id") or "")
    later_or_now(deps, lambda: _forget(deps, client, team, user, mode, target, view_id), here=True)


def _forget(
    deps: Deps, client: WebClient, team: str, user: str, mode: str, target: str, view_id: str
) -> None:
    erased = service.forget(deps, team_id=team, asked_by=user, mode=mode, user_id=target)
    done = render.done_view(mode=mode, user_id=target, removed=erased.total)
    try:
        client.views_update(view_id=view_id, view=done)
    except SlackApiError:  # the modal was closed: tell them by DM instead (sent now, not kept)
        client.chat_postMessage(channel=user, text=render.done_text(mode, target, erased.total))


def on_user_change(event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
    deps = deps_of(context)
    team = body.get("team_id") or ""
    user = event.get("user") or {}
    if team and isinstance(user, dict):
        later_or_now(deps, lambda: _account_changed(deps, team, user))


def _account_changed(deps: Deps, team: str, user: dict[str, Any]) -> None:
    service.account_changed(deps, team, user)
    # The profile comes with the event: its Slack status is kept too (no call to ask for it).
    status.status_changed(deps.db, team_id=team, user=user, now=deps.clock())


def on_app_uninstalled(body: dict[str, Any], context: BoltContext) -> None:
    _uninstalled(deps_of(context), body, context)


def on_tokens_revoked(event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
    """Only the bot token matters: a user token revoked leaves Bravo working."""
    tokens = event.get("tokens") or {}
    if isinstance(tokens, dict) and tokens.get("bot"):
        _uninstalled(deps_of(context), body, context)


def on_app_uninstalled_team(body: dict[str, Any], context: BoltContext) -> None:
    """An org-wide Bravo removed from one workspace of the organisation: that workspace
    stops; the organisation's other workspaces and its install go on."""
    team = body.get("team_id")
    if isinstance(team, str) and team:
        service.uninstalled(deps_of(context), team, keep_install=True)


def _uninstalled(deps: Deps, body: dict[str, Any], context: BoltContext) -> None:
    """A workspace's install, or an organisation's org-wide one (all its workspaces)."""
    team = body.get("team_id") if isinstance(body.get("team_id"), str) else None
    if context.is_enterprise_install and context.enterprise_id:
        service.org_uninstalled(deps, context.enterprise_id, team)
    elif team:
        service.uninstalled(deps, team)


def back_after_uninstall(
    body: dict[str, Any], context: BoltContext, next: Callable[[], None]
) -> None:
    """A Bolt middleware: any request from a workspace marked uninstalled (other than the
    uninstall events themselves) means it installed Bravo again."""
    event = body.get("event")
    kind = event.get("type") if isinstance(event, dict) else None
    named = body.get("team")
    team = body.get("team_id") or (named.get("id") if isinstance(named, dict) else None)
    gone = (ids.APP_UNINSTALLED, ids.TOKENS_REVOKED, ids.APP_UNINSTALLED_TEAM)
    if isinstance(team, str) and team and kind not in gone:
        service.back_if_uninstalled(deps_of(context), team)
    next()


BRAVO_WORDS: dict[str, Callable[..., None]] = {"export": on_export, "forget": on_forget}


def register(app: App, deps: Deps) -> None:
    app.use(back_after_uninstall)
    app.view(ids.FORGET_MODAL)(on_forget_submit)
    app.event(ids.USER_CHANGE)(on_user_change)
    app.event(ids.APP_UNINSTALLED)(on_app_uninstalled)
    app.event(ids.TOKENS_REVOKED)(on_tokens_revoked)
    app.event(ids.APP_UNINSTALLED_TEAM)(on_app_uninstalled_team)
