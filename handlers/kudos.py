"""The Slack edge for kudos: /kudos, the form, the message shortcut, reactions and Undo.

Each listener acks first, parses the payload (``bot/kudos/parse.py``), calls one use case
(``bot/kudos/service.py``) and hands back the reply. The form opens at once (a ``trigger_id``
lasts 3 seconds); other work runs after the ack, through the work queue.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk.errors import SlackApiError
from slack_sdk.web import WebClient

from bot import payload
from bot.commands import help_text
from bot.deps import Deps
from bot.errors import BUSY, SORRY, BravoError, error_text
from bot.kudos import ids, render, service
from bot.kudos.errors import HistoryNotYoursError
from bot.kudos.history import HistoryPage
from bot.kudos.parse import (
    GiveKudos,
    KudosCommand,
    KudosLimits,
    OpenModal,
    SetLeaderboardOptOut,
    ShowHelp,
    ShowHistory,
    ShowLeaderboard,
    ShowStats,
    is_kudos_reaction,
    modal_metadata,
    parse_history_open,
    parse_history_value,
    parse_kudos_command,
    parse_modal,
    parse_reaction,
    parse_shortcut,
)
from bot.kudos.rules import KudosResult
from bot.settings import KudosRules
from handlers.common import (
    after_ack,
    answering,
    deps_of,
    ephemeral,
    field_error,
    later,
    later_or_now,
    tell,
    telling,
)

log = logging.getLogger(__name__)

Reply = dict[str, Any]


def register(app: App, deps: Deps) -> None:
    """Wire the kudos listeners; each finds ``deps`` in its context."""
    app.command(ids.COMMAND)(on_kudos)
    app.shortcut(ids.SHORTCUT_CALLBACK)(on_shortcut)
    app.view(ids.MODAL_CALLBACK)(on_modal)
    app.action(ids.UNDO_ACTION)(on_undo)
    app.event(ids.REACTION_ADDED)(on_reaction_added)
    app.event(ids.REACTION_REMOVED)(on_reaction_removed)
    app.action(ids.HISTORY_PAGE)(on_history_page)
    app.action(ids.HISTORY_NEWER)(on_history_page)
    app.action(ids.HISTORY_OPEN)(on_history_open)


# /kudos


@dataclass(frozen=True)
class Asked:
    """Who typed ``/kudos``, and where."""

    team: str
    user: str
    channel: str | None
    trigger: str | None = None  # the command's trigger_id: the same command is given once


def on_kudos(
    ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext
) -> None:
    """``/kudos`` alone opens the form (now: its trigger_id expires in 3 seconds); a subcommand
    or kudos given in words run after the ack."""
    ack()
    deps = deps_of(context)
    asked = Asked(
        command["team_id"], command["user_id"], command.get("channel_id"), command.get("trigger_id")
    )
    with answering(respond):
        rules = deps.config(asked.team).kudos  # the workspace's values and limits, now
        parsed = parse_kudos_command(command.get("text") or "", limits(rules))
        if isinstance(parsed, OpenModal):
            open_modal(rules, client, command["trigger_id"], asked.channel)
            return
        later(deps, command, respond, lambda: answer(deps, asked, parsed, respond))


def limits(rules: KudosRules) -> KudosLimits:
    return KudosLimits(values=rules.values, max_reason_chars=rules.max_reason_chars)


def open_modal(rules: KudosRules, client: WebClient, trigger_id: str, channel: str | None) -> None:
    view = render.kudos_modal(
        values=rules.values,
        private_metadata=modal_metadata(channel),
        channel_id=channel,
    )
    client.views_open(trigger_id=trigger_id, view=view)


def answer(deps: Deps, asked: Asked, parsed: KudosCommand, respond: Respond) -> None:
    """Run one subcommand and reply with what it says; a domain error becomes the reply."""
    with answering(respond):
        reply = ACTIONS[type(parsed)](deps, asked, parsed)
        if reply is not None:
            respond(reply)


def give_kudos(deps: Deps, asked: Asked, parsed: GiveKudos) -> Reply | None:
    gift = service.command_gift(
        parsed,
        team_id=asked.team,
        giver_id=asked.user,
        channel_id=asked.channel,
        trigger_id=asked.trigger,
    )
    result = service.give(deps, gift)
    if result is None:
        return None
    confirmation = render.giver_confirmation(result, deps.config(asked.team).kudos.undo_minutes)
    return {"response_type": "ephemeral", **confirmation}


def show_help(deps: Deps, asked: Asked, parsed: ShowHelp) -> Reply | None:
    rules = deps.config(asked.team).kudos
    return ephemeral(help_text(rules.emoji, rules.values))


def show_stats(deps: Deps, asked: Asked, parsed: ShowStats) -> Reply | None:
    result = service.stats(deps, team_id=asked.team, viewer_id=asked.user, user_id=parsed.user_id)
    blocks = render.stats_blocks(result, self_view=result.user_id == asked.user)
    return {"response_type": "ephemeral", **blocks}


def show_leaderboard(deps: Deps, asked: Asked, parsed: ShowLeaderboard) -> Reply | None:
    board = service.leaderboard(deps, team_id=asked.team, period=parsed.period, value=parsed.value)
    return {"response_type": "ephemeral", **render.leaderboard_blocks(board)}


def set_opt_out(deps: Deps, asked: Asked, parsed: SetLeaderboardOptOut) -> Reply | None:
    service.set_opt_out(deps, team_id=asked.team, user_id=asked.user, opt_out=parsed.opt_out)
    return {"response_type": "ephemeral", **render.opt_out_reply(parsed.opt_out)}


ACTIONS: dict[type, Callable[[Deps, Asked, Any], Reply | None]] = {
    GiveKudos: give_kudos,
    ShowHelp: show_help,
    ShowStats: show_stats,
    ShowLeaderboard: show_leaderboard,
    SetLeaderboardOptOut: set_opt_out,
}


# The form, from /kudos or from the message shortcut


def on_shortcut(
    ack: Ack, shortcut: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    """The message shortcut opens the form for the message's author (not a bot, not oneself)."""
    ack()
    deps = deps_of(context)
    with answering(respond):
        about = parse_shortcut(shortcut)
        view = render.kudos_modal(
            values=deps.config(shortcut["team"]["id"]).kudos.values,
            private_metadata=about.metadata(),
            initial_users=[about.author_id],
            channel_id=about.channel_id,
            linked=about.snippet,
        )
        client.views_open(trigger_id=shortcut["trigger_id"], view=view)


def on_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """The form sent: mistakes come back under their fields; otherwise the kudos is given, the
    form closes and the giver hears it worked."""
    deps = deps_of(context)
    rules = deps.config(body["team"]["id"]).kudos
    submitted, problems = parse_modal(view, rules.max_reason_chars)
    if problems:
        ack(response_action="errors", errors=problems)
        return
    permalink = _permalink(client, submitted.msg_channel, submitted.msg_ts)
    gift = service.modal_gift(
        submitted, team_id=body["team"]["id"], giver_id=body["user"]["id"], permalink=permalink
    )
    try:
        result = service.give(deps, gift)
    except BravoError as err:
        field_error(ack, ids.RECIPIENTS_BLOCK, err)
        return
    ack()
    if result is not None:
        confirm(deps, client, result, rules.undo_minutes)


def confirm(deps: Deps, client: WebClient, result: KudosResult, undo_minutes: int) -> None:
    """Tell the giver it worked (with Undo): ephemeral where they are, else by DM."""
    body = render.giver_confirmation(result, undo_minutes)
    if result.channel_id and _tell(
        client, channel=result.channel_id, user=result.giver_id, body=body
    ):
        return
    service.confirm_by_dm(deps, result)


# Undo


def undo(deps: Deps, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
    """Undo pressed: the confirmation becomes what was withdrawn, or the refusal is told."""
    with telling(respond):
        undone = service.undo(
            deps,
            team_id=body["team"]["id"],
            batch_id=payload.action_value(action),
            giver_id=body["user"]["id"],
            key=payload.request_key(body),
        )
        allowance = deps.config(body["team"]["id"]).kudos.daily_allowance
        reply = render.undone(len(undone.revoked), undone.remaining_today, allowance)
        respond({"response_type": "ephemeral", "replace_original": True, **reply})


on_undo = after_ack(undo)


# Reactions


def on_reaction_added(
    body: dict[str, Any], event: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    deps = deps_of(context)
    if is_kudos_reaction(event, _emoji(deps, body)):
        later_or_now(deps, lambda: reaction_added(deps, body, event, client))


def reaction_added(
    deps: Deps, body: dict[str, Any], event: dict[str, Any], client: WebClient
) -> None:
    """The kudos emoji on a message gives its author kudos; a refusal is told to the giver."""
    reaction = parse_reaction(body, event)
    if not reaction.author_id:
        return  # a file or a message without a person behind it
    permalink = _permalink(client, reaction.channel_id, reaction.ts)
    try:
        service.react(deps, reaction, permalink)
    except BravoError as err:
        _tell(client, channel=reaction.channel_id, user=reaction.giver_id, body=error_text(err))


def on_reaction_removed(body: dict[str, Any], event: dict[str, Any], context: BoltContext) -> None:
    deps = deps_of(context)
    if is_kudos_reaction(event, _emoji(deps, body)):
        later_or_now(deps, lambda: reaction_removed(deps, body, event))


def _emoji(deps: Deps, body: dict[str, Any]) -> str:
    """The workspace's kudos emoji (one primary-key read per reaction event)."""
    return deps.config(body.get("team_id") or "").kudos.emoji


def reaction_removed(deps: Deps, body: dict[str, Any], event: dict[str, Any]) -> None:
    service.unreact(deps, parse_reaction(body, event))


# Slack calls made while a person waits


def _tell(client: WebClient, *, channel: str, user: str, body: str | dict[str, Any]) -> bool:
    """An ephemeral message to ``user`` in ``channel``; False when Slack would not show it."""
    payload = ephemeral(body) if isinstance(body, str) else body
    payload = {k: v for k, v in payload.items() if k != "response_type"}
    try:
        client.chat_postEphemeral(channel=channel, user=user, **payload)
        return True
    except SlackApiError as err:
        log.info("ephemeral to %s in %s failed: %s", user, channel, err.response.get("error"))
        return False


def _permalink(client: WebClient, channel: str | None, ts: str | None) -> str | None:
    if not channel or not ts:
        return None
    try:
        return str(client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"])
    except SlackApiError:
        return None


# Kudos history: /kudos history [@someone], its Newer / Older buttons, "See more" on the Home tab

LOOKING = "Looking up the kudos…"


def show_history(deps: Deps, asked: Asked, parsed: ShowHistory) -> Reply | None:
    page = service.history(
        deps, team_id=asked.team, viewer_id=asked.user, subject_id=parsed.user_id
    )
    return {"response_type": "ephemeral", **render.history_message(page)}


ACTIONS[ShowHistory] = show_history


def on_history_page(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Respond,
    client: WebClient,
    context: BoltContext,
) -> None:
    """Newer or Older: the page it asks for replaces this one, in the message or the modal it
    was pressed in. Only the person who opened the history can turn its pages."""
    ack()
    deps = deps_of(context)
    shown = Shown.of(body, respond, client)
    shown.later(deps, lambda: history_page(deps, body, action, shown))


def history_page(deps: Deps, body: dict[str, Any], action: dict[str, Any], shown: Shown) -> None:
    try:
        ask = parse_history_value(payload.action_value(action))
        if ask.viewer_id != body["user"]["id"]:
            raise HistoryNotYoursError()
        page = service.history(
            deps,
            team_id=body["team"]["id"],
            viewer_id=ask.viewer_id,
            subject_id=ask.subject_id,
            direction=ask.direction,
            mark=ask.mark,
        )
    except BravoError as err:
        shown.refuse(error_text(err))
        return
    shown.show(page)


def on_history_open(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """The Home tab's "See more": a modal opens at once (a trigger_id lasts 3 seconds) and
    the history's first page fills it after the ack."""
    ack()
    deps = deps_of(context)
    try:
        opened = client.views_open(
            trigger_id=body["trigger_id"], view=render.history_note_modal(LOOKING)
        )
    except SlackApiError as err:  # the trigger expired: nothing to show it in
        log.info("history modal not opened: %s", err.response.get("error"))
        return
    shown = Shown(client=client, view=opened["view"], loading=True)
    shown.later(deps, lambda: history_open(deps, body, action, shown))


def history_open(deps: Deps, body: dict[str, Any], action: dict[str, Any], shown: Shown) -> None:
    try:
        subject = parse_history_open(payload.action_value(action))
        page = service.history(
            deps, team_id=body["team"]["id"], viewer_id=body["user"]["id"], subject_id=subject
        )
    except BravoError as err:
        shown.refuse(error_text(err))
        return
    shown.show(page)


@dataclass
class Shown:
    """Where a history page is shown: a message answered through ``respond`` (replaced page
    by page), or a modal (``view``, updated page by page; ``trigger_id`` to say something on
    top of it)."""

    client: WebClient
    respond: Respond | None = None
    view: dict[str, Any] | None = None
    trigger_id: str | None = None
    loading: bool = False  # the modal only says it is looking: an error can take its place

    @classmethod
    def of(cls, body: dict[str, Any], respond: Respond, client: WebClient) -> Shown:
        view = body.get("view")
        if isinstance(view, dict) and view.get("type") == "modal":
            return cls(client, view=view, trigger_id=body.get("trigger_id"))
        return cls(client, respond=respond, trigger_id=body.get("trigger_id"))

    def show(self, page: HistoryPage) -> None:
        if self.view is not None:
            self._update(render.history_modal(page))
        elif self.respond is not None:
            reply = render.history_message(page)
            self.respond({"response_type": "ephemeral", "replace_original": True, **reply})
        else:  # pressed where nothing can be replaced (the Home tab): a modal of its own
            self._open(render.history_modal(page))

    def refuse(self, text: str) -> None:
        """Say why, leaving the page as it is: a new ephemeral message, or a modal on top."""
        if self.respond is not None:
            tell(self.respond, text)
        elif self.view is not None and self.loading:
            self._update(render.history_note_modal(text))
        else:
            self._open(render.history_note_modal(text), push=self.view is not None)

    def later(self, deps: Deps, fn: Callable[[], None]) -> None:
        if not deps.work.submit(fn, on_error=lambda _err: self.refuse(SORRY)):
            self.refuse(BUSY)

    def _update(self, view: dict[str, Any]) -> None:
        assert self.view is not None
        try:
            self.client.views_update(view_id=self.view["id"], hash=self.view.get("hash"), view=view)
        except SlackApiError as err:  # hash_conflict: a quicker click already turned the page
            log.info("history modal not updated: %s", err.response.get("error"))

    def _open(self, view: dict[str, Any], push: bool = False) -> None:
        try:
            if push:
                self.client.views_push(trigger_id=self.trigger_id, view=view)
            else:
                self.client.views_open(trigger_id=self.trigger_id, view=view)
        except SlackApiError as err:
            log.info("history modal not opened: %s", err.response.get("error"))
