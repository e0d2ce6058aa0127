"""The Slack edge for the anonymous suggestion box: /suggest, its modal, the preview (Post
anonymously / Edit / Cancel), /suggest setup (admins), "Mark done" and "Hide" (admins).

Anonymity is the use cases' (``bot.suggestions.service``): nothing here looks the author up or
logs what they wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk.web import WebClient

from bot import payload
from bot.commands import command_help
from bot.deps import Deps
from bot.errors import BravoError
from bot.suggestions import ids, render, service
from bot.suggestions.parse import (
    OpenSuggestModal,
    SetupBox,
    Suggest,
    SuggestCommand,
    SuggestHelp,
    draft_nonce,
    parse_suggest_command,
    suggestion_id,
    suggestion_text,
)
from handlers.common import (
    after_ack,
    answering,
    deps_of,
    ephemeral,
    field_error,
    later,
    telling,
    view_input,
)


def _value(view: dict[str, Any], block: str) -> str:
    return str(view_input(view, block, "value", ids.INPUT) or "")


def on_suggest(
    ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext
) -> None:
    ack()
    deps = deps_of(context)
    with answering(respond):
        parsed = parse_suggest_command(command.get("text") or "")
        if isinstance(parsed, SuggestHelp):
            respond(ephemeral(command_help(ids.SUGGEST_COMMAND)))
        elif isinstance(parsed, OpenSuggestModal):  # now: the trigger_id expires in 3 seconds
            few = service.small_workspace(deps, client, team_id=command["team_id"])
            client.views_open(
                trigger_id=command["trigger_id"],
                view=render.suggest_modal(private_metadata="{}", people=few),
            )
        else:
            later(deps, command, respond, lambda: suggest(deps, command, parsed, respond, client))


def suggest(
    deps: Deps, command: dict[str, Any], parsed: SuggestCommand, respond: Respond, client: WebClient
) -> None:
    """``/suggest setup`` and ``/suggest your idea``, after the ack."""
    team, user = command["team_id"], command["user_id"]
    with answering(respond):
        if isinstance(parsed, SetupBox):
            channel = str(command.get("channel_id") or "")
            new = service.set_up(deps, client, team_id=team, admin_id=user, channel_id=channel)
            respond(ephemeral(render.box_set(channel) if new else render.box_already(channel)))
        elif isinstance(parsed, Suggest):
            draft = service.preview(deps, team_id=team, user_id=user, text=parsed.text)
            few = service.small_workspace(deps, client, team_id=team)
            respond({"response_type": "ephemeral", **render.preview(draft.text, draft.value, few)})


def _who(body: dict[str, Any]) -> dict[str, str]:
    return {"team_id": body["team"]["id"], "user_id": body["user"]["id"]}


def post_draft(deps: Deps, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
    """**Post anonymously** on a preview (or an older preview's warning): by its author, once."""
    with telling(respond):
        value = str(action.get("value") or "")
        service.post_draft(deps, **_who(body), value=value, key=payload.request_key(body))
        respond({"replace_original": True, **ephemeral(render.POSTED)})


on_post = after_ack(post_draft)


def on_cancel(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    ack()
    with telling(respond):
        service.cancel_draft(deps_of(context), **_who(body), value=str(action.get("value") or ""))
        respond({"replace_original": True, **ephemeral(render.CANCELLED)})


def on_edit(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    """**Edit** on a preview: the form, filled in with the draft (now: the trigger_id expires);
    posting from it settles the draft, so the preview's Post button cannot post it again."""
    ack()
    deps = deps_of(context)
    with telling(respond):
        draft = service.draft_to_edit(deps, **_who(body), value=str(action.get("value") or ""))
        few = service.small_workspace(deps, client, team_id=body["team"]["id"])
        client.views_open(
            trigger_id=body["trigger_id"],
            view=render.suggest_modal(
                private_metadata=render.meta(draft=draft.nonce),
                people=few,
                initial=render.editable(draft.text or ""),
            ),
        )
        respond({"replace_original": True, **ephemeral(render.EDITING)})


def on_suggest_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    raw = _value(view, ids.SUGGEST_TEXT)
    if not raw.strip():
        ack(response_action="errors", errors={ids.SUGGEST_TEXT: render.EMPTY_SUGGESTION})
        return
    try:
        text = suggestion_text(raw, escaped=False)
        nonce = draft_nonce(payload.meta(view))
        service.post(deps_of(context), **_who(body), text=text, nonce=nonce)
    except BravoError as err:
        field_error(ack, ids.SUGGEST_TEXT, err)
        return
    ack()


def admin_form(form: Callable[[Any, str], dict[str, Any]]) -> Callable[..., None]:
    """A listener for an admin's button on a posted suggestion ("Mark done", "Hide") that opens
    its form at once (the trigger_id expires in 3 seconds); the same checks for both."""

    def listener(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        respond: Respond,
        context: BoltContext,
    ) -> None:
        ack()
        with telling(respond):
            row = service.to_mark_done(
                deps_of(context),
                client,
                **_admin(body),
                suggestion_id=suggestion_id(str(action.get("value") or "")),
            )
            client.views_open(
                trigger_id=body["trigger_id"], view=form(row, render.meta(suggestion=row.id))
            )

    return listener


on_done = admin_form(render.done_modal)  # "Mark done": the form for what was done
on_hide = admin_form(render.hide_modal)  # "Hide": the form for the reason


def on_done_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    meta = payload.meta(view)
    note = _value(view, ids.DONE_NOTE)
    if len(note) > service.MAX_DONE_NOTE:
        ack(response_action="errors", errors={ids.DONE_NOTE: render.LONG_DONE_NOTE})
        return
    try:
        service.mark_done(
            deps_of(context),
            client,
            **_admin(body),
            suggestion_id=payload.an_id(meta.get("suggestion")) or 0,
            note=note,
        )
    except BravoError as err:
        field_error(ack, ids.DONE_NOTE, err)
        return
    ack()


def on_hide_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    try:
        meta = payload.meta(view)
        service.hide(
            deps_of(context),
            client,
            **_admin(body),
            suggestion_id=payload.an_id(meta.get("suggestion")) or 0,
            reason=_value(view, ids.HIDE_REASON),
        )
    except BravoError as err:
        field_error(ack, ids.HIDE_REASON, err)
        return
    ack()


def _admin(body: dict[str, Any]) -> dict[str, str]:
    return {"team_id": body["team"]["id"], "admin_id": body["user"]["id"]}


def register(app: App, deps: Deps) -> None:
    app.command(ids.SUGGEST_COMMAND)(on_suggest)
    app.action(ids.SUGGEST_POST)(on_post)
    app.action(ids.SUGGEST_ANYWAY)(on_post)
    app.action(ids.SUGGEST_EDIT)(on_edit)
    app.action(ids.SUGGEST_CANCEL)(on_cancel)
    app.action(ids.SUGGEST_HIDE)(on_hide)
    app.view(ids.HIDE_MODAL)(on_hide_modal)
    app.view(ids.SUGGEST_MODAL)(on_suggest_modal)
    app.action(ids.SUGGEST_DONE)(on_done)
    app.view(ids.DONE_MODAL)(on_done_modal)
