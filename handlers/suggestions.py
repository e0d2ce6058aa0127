"""The Slack edge for the anonymous suggestion box: /suggest, its modal, the small-workspace
warning, /suggest setup (admins) and "Mark done" (admins).

Anonymity: the posting path never looks the author up, never logs, and writes the author's
daily count (a keyed hash) in a transaction of its own, before and apart from the suggestion.
"""

from __future__ import annotations

import json
import time
from datetime import UTC
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk.errors import SlackApiError

from bot.admins import is_admin
from bot.commands import command_help
from bot.deps import Deps
from bot.errors import BravoError, error_text
from bot.feedback import ids, render
from bot.feedback.parse import (
    OpenSuggestModal,
    SetupBox,
    Suggest,
    SuggestHelp,
    parse_suggest_command,
    suggestion_text,
)
from bot.outbox.envelope import OutMessage, SlackMethod
from bot.suggestions import service as suggestions
from bot.suggestions.errors import BoxChannelError, NotAdminError
from bot.text import escape
from bot.users import workspace_people
from handlers.common import ephemeral, later, tell, view_input
from storage import outbox as outbox_store

PEOPLE_TTL = 3600.0


def _state(view: dict[str, Any], block: str) -> str:
    return str(view_input(view, block, "value", ids.INPUT) or "")


def register(app: App, deps: Deps) -> None:
    secret = suggestions.quota_secret(deps.settings)
    headcount: dict[str, tuple[float, int]] = {}

    def people(client: Any, team: str) -> int:
        """Active humans in the workspace (users.list, cached for an hour)."""
        cached = headcount.get(team)
        if cached and time.monotonic() - cached[0] < PEOPLE_TTL:
            return cached[1]
        count = sum(not (p.is_bot or p.deleted) for page in workspace_people(client) for p in page)
        headcount[team] = (time.monotonic(), count)
        return count

    def small(client: Any, team: str) -> int | None:
        """The head count when anonymity is weak (fewer than five people), else None."""
        try:
            n = people(client, team)
        except SlackApiError:
            return None
        return n if n < suggestions.SMALL_WORKSPACE else None

    def post(team: str, user: str, text: str) -> None:
        """Count one against the author's daily limit, then post with no trace of them."""
        day = deps.clock().astimezone(UTC).date()
        with deps.db.read() as session:
            suggestions.box_of(session, team_id=team)
        key = suggestions.quota_key(secret, team_id=team, user_id=user, day=day)
        with deps.db.write() as session:
            suggestions.count_one(session, key=key, day=day)
        with deps.db.write() as session:
            row = suggestions.submit(session, team_id=team, text=text, day=day)
            [queued] = deps.outbox.enqueue(
                session,
                team,
                [
                    OutMessage(
                        kind=ids.SUGGESTION_POST,
                        method=SlackMethod.POST,
                        payload=render.suggestion_post(row),
                        ref=f"suggestion:{row.id}",
                    )
                ],
                deps.clock(),
            )
            row.outbox_id = queued.id
            session.add(row)
        deps.deliverer.kick()

    posted = ":mailbox_with_mail: Posted anonymously. Thank you for speaking up."

    @app.command(ids.SUGGEST_COMMAND)
    def on_suggest(ack: Ack, command: dict[str, Any], respond: Respond, client: Any) -> None:
        ack()
        try:
            parsed = parse_suggest_command(command.get("text") or "")
        except BravoError as err:
            respond(ephemeral(error_text(err)))
            return
        if isinstance(parsed, SuggestHelp):
            respond(ephemeral(command_help(ids.SUGGEST_COMMAND)))
        elif isinstance(parsed, OpenSuggestModal):
            client.views_open(
                trigger_id=command["trigger_id"],
                view=render.suggest_modal(
                    private_metadata="{}", people=small(client, command["team_id"])
                ),
            )
        else:
            later(deps, command, respond, lambda: suggest_command(command, parsed, respond, client))

    def suggest_command(
        command: dict[str, Any], parsed: Any, respond: Respond, client: Any
    ) -> None:
        team, user, channel = command["team_id"], command["user_id"], command.get("channel_id")
        try:
            if isinstance(parsed, SetupBox):
                setup(team, user, str(channel or ""), client)
                respond(ephemeral(f"Done: suggestions now go to <#{channel}>."))
            elif isinstance(parsed, Suggest):
                few = small(client, team)
                if few is not None:
                    body = render.small_workspace_warning(parsed.text, few)
                    respond({"response_type": "ephemeral", **body})
                    return
                post(team, user, parsed.text)
                respond(ephemeral(posted))
        except BravoError as err:
            respond(ephemeral(error_text(err)))

    def setup(team: str, user: str, channel: str, client: Any) -> None:
        if not is_admin(client, deps.settings, user):
            raise NotAdminError()
        if not channel or channel.startswith("D"):
            raise BoxChannelError("dm")
        try:
            client.chat_postMessage(**render.box_ready(channel))
        except SlackApiError as err:
            raise BoxChannelError("not_in_channel") from err
        with deps.db.write() as session:
            suggestions.setup_box(
                session, team_id=team, channel_id=channel, admin_id=user, now=deps.clock()
            )

    @app.action(ids.SUGGEST_ANYWAY)
    def on_anyway(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        later(deps, body, respond, lambda: anyway(body, action, respond))

    def anyway(body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        team, user = body["team"]["id"], body["user"]["id"]
        try:
            text = suggestion_text(str(action.get("value") or ""), escaped=True)
            post(team, user, text)
        except BravoError as err:
            tell(respond, error_text(err))
            return
        respond({"replace_original": True, **ephemeral(posted)})

    @app.view(ids.SUGGEST_MODAL)
    def on_suggest_modal(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        team, user = body["team"]["id"], body["user"]["id"]
        raw = _state(view, ids.SUGGEST_TEXT)
        try:
            if not raw.strip():
                ack(response_action="errors", errors={ids.SUGGEST_TEXT: "Write your suggestion."})
                return
            post(team, user, suggestion_text(raw, escaped=False))
        except BravoError as err:
            ack(response_action="errors", errors={ids.SUGGEST_TEXT: error_text(err)})
            return
        ack()

    # Admins: mark done ------------------------------------------------------------------------

    @app.action(ids.SUGGEST_DONE)
    def on_done(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: Any, respond: Respond
    ) -> None:
        ack()
        team, user = body["team"]["id"], body["user"]["id"]
        value = str(action.get("value") or "")
        try:
            if not is_admin(client, deps.settings, user):
                raise NotAdminError()
            with deps.db.read() as session:
                row = suggestions.store.get_suggestion(
                    session, team, int(value) if value.isdigit() else 0
                )
            if row is None:
                raise suggestions.SuggestionNotFoundError()
        except BravoError as err:
            tell(respond, error_text(err))
            return
        client.views_open(
            trigger_id=body["trigger_id"],
            view=render.done_modal(row, render.meta(suggestion=row.id)),
        )

    @app.view(ids.DONE_MODAL)
    def on_done_modal(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: Any) -> None:
        team, user = body["team"]["id"], body["user"]["id"]
        meta = json.loads(view.get("private_metadata") or "{}")
        note = _state(view, ids.DONE_NOTE)
        if len(note) > suggestions.MAX_DONE_NOTE:
            ack(response_action="errors", errors={ids.DONE_NOTE: "Please keep it shorter."})
            return
        try:
            if not is_admin(client, deps.settings, user):
                raise NotAdminError()
            with deps.db.write() as session:
                row = suggestions.mark_done(
                    session,
                    team_id=team,
                    suggestion_id=int(meta.get("suggestion") or 0),
                    note=escape(note),
                    day=deps.clock().astimezone(UTC).date(),
                )
                sent = outbox_store.get(session, row.outbox_id) if row.outbox_id else None
                channel = (sent.result_channel if sent else None) or row.channel_id
                messages = [
                    OutMessage(
                        kind=ids.SUGGESTION_POST,
                        method=SlackMethod.POST,
                        payload=render.suggestion_done_reply(
                            row, channel, sent.result_ts if sent else None
                        ),
                        dedupe_key=f"suggestion_done:{team}:{row.id}",
                    )
                ]
                if row.outbox_id is not None:
                    messages.append(
                        OutMessage(
                            kind=ids.SUGGESTION_EDIT,
                            method=SlackMethod.UPDATE,
                            payload=render.suggestion_done_edit(row),
                            update_of=row.outbox_id,
                        )
                    )
                deps.outbox.enqueue(session, team, messages, deps.clock())
        except BravoError as err:
            ack(response_action="errors", errors={ids.DONE_NOTE: error_text(err)})
            return
        ack()
        deps.deliverer.kick()
