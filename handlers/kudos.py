"""The Slack edge for kudos: /kudos, the modal, the message shortcut, reactions and Undo.

Each listener acks first, parses the payload, calls the kudos services inside one session,
renders, and hands messages to the delivery path.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk.errors import SlackApiError

from bot import events
from bot.commands import help_text
from bot.deps import Deps
from bot.errors import BravoError, error_text
from bot.kudos import ids, render
from bot.kudos import rules as kudos
from bot.kudos.errors import BotRecipientError, DuplicateKudosError, SelfKudosError
from bot.kudos.parse import (
    GiveKudos,
    KudosCommand,
    KudosLimits,
    OpenModal,
    SetLeaderboardOptOut,
    ShowHelp,
    ShowLeaderboard,
    ShowStats,
    modal_reason,
    parse_kudos_command,
)
from bot.kudos.service import Gift, give, withdraw
from handlers.common import ephemeral, later, later_or_now

log = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    rules = deps.settings.kudos
    limits = KudosLimits(values=rules.values, max_reason_chars=rules.max_reason_chars)

    @app.command(ids.COMMAND)
    def on_kudos(ack: Ack, command: dict[str, Any], respond: Respond, client: Any) -> None:
        ack()
        try:
            parsed = parse_kudos_command(command.get("text") or "", limits)
        except BravoError as err:
            respond(ephemeral(error_text(err)))
            return
        if isinstance(parsed, OpenModal):  # now: the trigger_id expires in 3 seconds
            run_command(command, parsed, respond, client)
        else:
            later(deps, command, respond, lambda: run_command(command, parsed, respond, client))

    def run_command(
        command: dict[str, Any], parsed: KudosCommand, respond: Respond, client: Any
    ) -> None:
        team, user, channel = command["team_id"], command["user_id"], command.get("channel_id")
        try:
            if isinstance(parsed, OpenModal):
                meta = json.dumps({"channel": channel})
                client.views_open(
                    trigger_id=command["trigger_id"],
                    view=render.kudos_modal(
                        values=rules.values, private_metadata=meta, channel_id=channel
                    ),
                )
            elif isinstance(parsed, ShowHelp):
                respond(ephemeral(help_text(rules.emoji, rules.values)))
            elif isinstance(parsed, ShowStats):
                respond({"response_type": "ephemeral", **stats(deps, team, user, parsed.user_id)})
            elif isinstance(parsed, ShowLeaderboard):
                with deps.db.read() as session:
                    board = kudos.kudos_leaderboard(
                        session=session,
                        team_id=team,
                        period=parsed.period,
                        value=parsed.value,
                        now=deps.clock(),
                    )
                respond({"response_type": "ephemeral", **render.leaderboard_blocks(board)})
            elif isinstance(parsed, SetLeaderboardOptOut):
                with deps.db.write() as session:
                    kudos.set_leaderboard_opt_out(
                        session=session, team_id=team, user_id=user, opt_out=parsed.opt_out
                    )
                respond({"response_type": "ephemeral", **render.opt_out_reply(parsed.opt_out)})
            elif isinstance(parsed, GiveKudos):
                result = give(
                    deps,
                    Gift(
                        team_id=team,
                        giver_id=user,
                        user_ids=parsed.user_ids,
                        group_ids=parsed.group_ids,
                        reason=parsed.reason,
                        values=parsed.values,
                        channel_id=channel,
                        source="command",
                    ),
                )
                if result is not None:
                    respond(
                        {
                            "response_type": "ephemeral",
                            **render.giver_confirmation(result, rules.undo_minutes),
                        }
                    )
        except BravoError as err:
            respond(ephemeral(error_text(err)))

    @app.shortcut(ids.SHORTCUT_CALLBACK)
    def on_shortcut(ack: Ack, shortcut: dict[str, Any], client: Any, respond: Respond) -> None:
        ack()
        msg = shortcut.get("message") or {}
        author = msg.get("user")
        if not author or msg.get("bot_id"):
            respond(ephemeral(error_text(BotRecipientError((msg.get("bot_id") or "bot",)))))
            return
        if author == shortcut["user"]["id"]:
            respond(ephemeral(error_text(SelfKudosError())))
            return
        channel = (shortcut.get("channel") or {}).get("id")
        meta = json.dumps({"channel": channel, "msg_channel": channel, "msg_ts": msg.get("ts")})
        snippet = (msg.get("text") or "").replace("\n", " ")[:150]
        client.views_open(
            trigger_id=shortcut["trigger_id"],
            view=render.kudos_modal(
                values=rules.values,
                private_metadata=meta,
                initial_users=[author],
                channel_id=channel,
                linked=snippet,
            ),
        )

    @app.view(ids.MODAL_CALLBACK)
    def on_modal(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: Any) -> None:
        state = view["state"]["values"]
        meta = json.loads(view.get("private_metadata") or "{}")
        team, user = body["team"]["id"], body["user"]["id"]
        users = tuple(
            _field(state, ids.RECIPIENTS_BLOCK, ids.RECIPIENTS_ACTION, "selected_users") or ()
        )
        value = _field(state, ids.VALUE_BLOCK, ids.VALUE_ACTION, "selected_option") or {}
        channel = _field(
            state, ids.CHANNEL_BLOCK, ids.CHANNEL_ACTION, "selected_conversation"
        ) or meta.get("channel")
        errors: dict[str, str] = {}
        reason = ""
        try:
            reason = modal_reason(
                _field(state, ids.REASON_BLOCK, ids.REASON_ACTION, "value") or "",
                rules.max_reason_chars,
            )
        except BravoError as err:
            errors[ids.REASON_BLOCK] = error_text(err)
        if not users:
            errors[ids.RECIPIENTS_BLOCK] = "Pick at least one person."
        if errors:
            ack(response_action="errors", errors=errors)
            return
        permalink = _permalink(client, meta.get("msg_channel"), meta.get("msg_ts"))
        try:
            result = give(
                deps,
                Gift(
                    team_id=team,
                    giver_id=user,
                    user_ids=users,
                    reason=reason,
                    values=(value["value"],) if value.get("value") else (),
                    channel_id=channel,
                    source="shortcut" if meta.get("msg_ts") else "modal",
                    source_ref=f"{meta['msg_channel']}:{meta['msg_ts']}"
                    if meta.get("msg_ts")
                    else None,
                    permalink=permalink,
                ),
            )
        except BravoError as err:
            ack(response_action="errors", errors={ids.RECIPIENTS_BLOCK: error_text(err)})
            return
        ack()
        if result is not None:
            confirm(deps, client, result)

    @app.action(ids.UNDO_ACTION)
    def on_undo(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        later(deps, body, respond, lambda: undo(body, action, respond))

    def undo(body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        team, user = body["team"]["id"], body["user"]["id"]
        now = deps.clock()
        giver = deps.directory.person(team, user, now)
        try:
            with deps.db.write() as session:
                undone = kudos.undo_kudos(
                    session=session,
                    team_id=team,
                    batch_id=action["value"],
                    giver=giver,
                    rules=rules,
                    now=now,
                )
                withdraw(deps, session, team_id=team, batch_id=action["value"], giver_id=user)
        except BravoError as err:
            respond({"replace_original": False, **ephemeral(error_text(err))})
            return
        deps.deliverer.kick()
        reply = render.undone(len(undone.revoked), undone.remaining_today, rules.daily_allowance)
        respond({"response_type": "ephemeral", "replace_original": True, **reply})

    @app.event("reaction_added")
    def on_reaction(body: dict[str, Any], event: dict[str, Any], client: Any) -> None:
        if _is_kudos_reaction(event, rules.emoji):
            later_or_now(deps, lambda: reaction_added(body, event, client))

    def reaction_added(body: dict[str, Any], event: dict[str, Any], client: Any) -> None:
        team = body.get("team_id") or ""
        giver, item = event["user"], event["item"]
        author = event.get("item_user")
        if not author:
            return  # a file or a message without a person behind it
        permalink = _permalink(client, item["channel"], item["ts"])
        source_ref = f"{item['channel']}:{item['ts']}"
        try:
            give(
                deps,
                Gift(
                    team_id=team,
                    giver_id=giver,
                    user_ids=(author,),
                    reason=(
                        f":{rules.emoji}: on <{permalink}|this message>"
                        if permalink
                        else f":{rules.emoji}: on a message in <#{item['channel']}>"
                    ),
                    values=(),
                    channel_id=item["channel"],
                    source="reaction",
                    source_ref=source_ref,
                    thread_ts=item["ts"],
                    event_id=body.get("event_id"),
                ),
            )
        except DuplicateKudosError:
            return  # a second kudos reaction (another skin tone) on the same message
        except BravoError as err:
            _tell(client, item["channel"], giver, error_text(err))

    @app.event("reaction_removed")
    def on_reaction_removed(body: dict[str, Any], event: dict[str, Any]) -> None:
        if _is_kudos_reaction(event, rules.emoji):
            later_or_now(deps, lambda: reaction_removed(body, event))

    def reaction_removed(body: dict[str, Any], event: dict[str, Any]) -> None:
        team, giver, item = body.get("team_id") or "", event["user"], event["item"]
        now = deps.clock()
        with deps.db.write() as session:
            if not events.first_delivery(
                session=session, team_id=team, event_id=body.get("event_id"), now=now
            ):
                return
            revoked = kudos.take_back_reaction(
                session=session,
                team_id=team,
                giver_id=giver,
                source_ref=f"{item.get('channel')}:{item.get('ts')}",
                now=now,
            )
            for batch_id in dict.fromkeys(k.batch_id for k in revoked):
                withdraw(deps, session, team_id=team, batch_id=batch_id, giver_id=giver)
        deps.deliverer.kick()


def stats(deps: Deps, team: str, viewer: str, user_id: str | None) -> dict[str, Any]:
    now = deps.clock()
    person = deps.directory.person(team, user_id or viewer, now)
    with deps.db.read() as session:
        result = kudos.kudos_stats(
            session=session,
            team_id=team,
            person=person,
            viewer_id=viewer,
            rules=deps.settings.kudos,
            now=now,
        )
    return render.stats_blocks(result, self_view=person.user_id == viewer)


def confirm(deps: Deps, client: Any, result: kudos.KudosResult) -> None:
    """Tell the giver it worked (with Undo): ephemeral where they are, else by DM."""
    body = render.giver_confirmation(result, deps.settings.kudos.undo_minutes)
    if result.channel_id and _tell(client, result.channel_id, result.giver_id, body):
        return
    with deps.db.write() as session:
        from bot.outbox.envelope import OutMessage, SlackMethod

        deps.outbox.enqueue(
            session,
            result.team_id,
            [
                OutMessage(
                    kind="kudos_confirm",
                    method=SlackMethod.POST,
                    payload={"channel": result.giver_id, **body},
                )
            ],
            deps.clock(),
        )
    deps.deliverer.kick()


def _tell(client: Any, channel: str, user: str, body: str | dict[str, Any]) -> bool:
    payload = ephemeral(body) if isinstance(body, str) else body
    payload = {k: v for k, v in payload.items() if k != "response_type"}
    try:
        client.chat_postEphemeral(channel=channel, user=user, **payload)
        return True
    except SlackApiError as err:
        log.info("ephemeral to %s in %s failed: %s", user, channel, err.response.get("error"))
        return False


def _permalink(client: Any, channel: str | None, ts: str | None) -> str | None:
    if not channel or not ts:
        return None
    try:
        return str(client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"])
    except SlackApiError:
        return None


def _field(state: dict[str, Any], block: str, action: str, key: str) -> Any:
    return (state.get(block) or {}).get(action, {}).get(key)


def _is_kudos_reaction(event: dict[str, Any], emoji: str) -> bool:
    reaction = str(event.get("reaction", "")).split("::")[0]  # clap::skin-tone-3 counts as clap
    return reaction == emoji and (event.get("item") or {}).get("type") == "message"
