"""The Slack edge for the admins' practice scenarios: ``/practice scenarios`` (handed on by the
/practice router, already acked) opens the modal; pasting TOML into it adds or replaces
scenarios; its menu retires one of Bravo's and its buttons restore or remove. Every one of them
asks Slack again whether the person is an admin (inside the use cases)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk.web import WebClient

from bot.blocks import clip
from bot.deps import Deps
from bot.errors import BravoError, error_text
from bot.practice import catalog as service
from bot.practice import catalog_render as render
from bot.practice import ids
from bot.practice.catalog_errors import ScenariosAdminOnlyError
from bot.text import whole_number
from handlers.common import answering, deps_of, ephemeral

FIELD_ERROR = 1000  # characters of a field error shown under the input (kept well within Slack's)


def on_scenarios(
    deps: Deps, command: dict[str, Any], words: tuple[str, ...], respond: Respond, client: WebClient
) -> None:
    """``/practice scenarios``: the modal now (a trigger_id lasts 3 seconds), or the refusal;
    ``/practice scenarios help``: what it does."""
    if words[:1] in (("help",), ("?",)):
        respond(ephemeral(render.HELP))
        return
    with answering(respond):
        shown = service.catalog(deps, team_id=command["team_id"], admin_id=command["user_id"])
        client.views_open(trigger_id=command["trigger_id"], view=render.catalog_modal(shown))


def _paste(view: dict[str, Any]) -> tuple[str, str]:
    """The input's block_id and what was pasted into it."""
    values = (view.get("state") or {}).get("values") or {}
    for block_id, actions in values.items():
        if str(block_id).startswith(ids.SCENARIOS_PASTE) and isinstance(actions, dict):
            value = (actions.get(ids.SCENARIOS_INPUT) or {}).get("value")
            return str(block_id), value if isinstance(value, str) else ""
    return f"{ids.SCENARIOS_PASTE}:0", ""


def on_modal(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    """**Add scenarios**: all of the pasted text saved, or its problems under the box."""
    deps, team, user = deps_of(context), body["team"]["id"], body["user"]["id"]
    block_id, text = _paste(view)
    try:
        saved = service.add_scenarios(deps, team_id=team, admin_id=user, text=text)
    except BravoError as err:
        ack(response_action="errors", errors={block_id: clip(error_text(err), FIELD_ERROR)})
        return
    paste = (whole_number(view.get("private_metadata"), max_digits=6) or 0) + 1
    notice = render.saved_notice(saved.added, saved.replaced)
    ack(response_action="update", view=render.catalog_modal(saved.catalog, notice, paste))


Change = Callable[..., service.Catalog]


def _change(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    change: Change,
    done: str,
) -> None:
    """A menu choice or button in the modal: the change, then the modal shown again."""
    ack()
    deps, team, user = deps_of(context), body["team"]["id"], body["user"]["id"]
    key = str(action.get("value") or (action.get("selected_option") or {}).get("value") or "")
    view = body.get("view") or {}
    if not view.get("id"):
        return  # not from the modal (a forged request): nothing to change or show
    paste = whole_number(view.get("private_metadata"), max_digits=6) or 0
    try:
        shown = change(deps, team_id=team, admin_id=user, key=key)
        modal = render.catalog_modal(shown, done.format(key=key), paste)
    except ScenariosAdminOnlyError as err:
        modal = render.notice_modal(error_text(err))
    except BravoError as err:
        shown = service.catalog(deps, team_id=team, admin_id=user)
        modal = render.catalog_modal(shown, ":warning: " + error_text(err), paste)
    client.views_update(view_id=view.get("id"), hash=view.get("hash"), view=modal)


def on_retire(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    done = ":white_check_mark: Retired `{key}`: nobody is sent it now. Restore it below."
    _change(ack, body, action, client, context, service.retire, done)


def on_restore(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    done = ":white_check_mark: Restored `{key}`."
    _change(ack, body, action, client, context, service.restore, done)


def on_remove(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    done = ":white_check_mark: Removed `{key}`."
    _change(ack, body, action, client, context, service.remove, done)


def register(app: App, deps: Deps) -> None:
    """``/practice scenarios`` itself comes through the /practice router (``on_scenarios``)."""
    app.view(ids.SCENARIOS_MODAL)(on_modal)
    app.action(ids.SCENARIOS_RETIRE)(on_retire)
    app.action(ids.SCENARIOS_RESTORE)(on_restore)
    app.action(ids.SCENARIOS_REMOVE)(on_remove)
