"""Block Kit for kudos: posts, DMs, replies, stats, leaderboards and the modal. Pure functions."""

from __future__ import annotations

import re
from collections.abc import Sequence, Set
from datetime import datetime
from typing import Any

from bot.blocks import (
    Block,
    button,
    clip,
    context,
    header,
    mentions,
    message,
    quote,
    section,
)
from bot.kudos import ids
from bot.kudos.history import HistoryLine, HistoryPage
from bot.kudos.ids import HistoryDirection, HistoryScope, Period
from bot.kudos.rules import Board, Celebration, KudosResult, Place, Stats
from bot.text import said, trim
from storage.models.kudos import MilestoneKind

MEDALS = {1: ":first_place_medal:", 2: ":second_place_medal:", 3: ":third_place_medal:"}
PERIOD_LABEL = {
    Period.WEEK: "the past 7 days",
    Period.MONTH: "the past 30 days",
    Period.ALL: "all time",
}


def _values(values: tuple[str, ...]) -> str:
    return "  ".join(f"`#{v}`" for v in values)


def celebration_lines(celebrations: Sequence[Celebration]) -> list[str]:
    """The milestones a kudos brought, for the channel: one line per milestone, naming everyone
    who reached it together ("First kudos ever for @a, @b and @c")."""
    groups: dict[tuple[str, int], list[str]] = {}
    for c in celebrations:
        groups.setdefault((c.kind, c.threshold), []).append(c.user_id)
    return [_celebration_line(kind, n, users) for (kind, n), users in groups.items()]


def _celebration_line(kind: str, threshold: int, user_ids: list[str]) -> str:
    who = mentions(list(dict.fromkeys(user_ids)))
    if kind == MilestoneKind.RECEIVED:
        if threshold == 1:
            return f":tada: First kudos ever for {who}!"
        verb = "has" if len(user_ids) == 1 else "have"
        return f":tada: {who} {verb} now received {threshold} kudos!"
    verb = "has" if len(user_ids) == 1 else "have"
    return f":fire: {who} {verb} given kudos {threshold} weeks in a row!"


def kudos_post(
    result: KudosResult, permalink: str | None = None, in_channel: Set[str] = frozenset()
) -> dict[str, Any]:
    """The kudos in the channel, with the milestones it brought (but not those of people whose
    milestones get a team-channel post of their own, ``in_channel``: those are told once)."""
    who = mentions(result.recipient_ids)
    blocks: list[Block] = [
        section(f":clap: <@{result.giver_id}> gave kudos to {who}\n{quote(said(result.reason))}")
    ]
    notes = []
    if result.values:
        notes.append(_values(result.values))
    if permalink:
        notes.append(f"<{permalink}|the message>")
    if notes:
        blocks.append(context(*notes))
    shown = [c for c in result.celebrations if c.user_id not in in_channel]
    blocks += [context(line) for line in celebration_lines(shown)]
    return message(f"<@{result.giver_id}> gave kudos to {who}", blocks)


def recipient_dm(
    result: KudosResult, recipient_id: str, celebrations: Sequence[Celebration] = ()
) -> dict[str, Any]:
    """The kudos, to one recipient, with the milestones it brought them (no DM of their own)."""
    where = f" in <#{result.channel_id}>" if result.channel_id else ""
    lines = [f":sparkles: <@{result.giver_id}> gave you kudos{where}!", quote(said(result.reason))]
    blocks: list[Block] = [section("\n".join(lines))]
    if result.values:
        blocks.append(context("For " + _values(result.values)))
    mine = [celebration_words(c) for c in celebrations if c.user_id == recipient_id]
    if mine:
        blocks.append(section(":tada: " + " ".join(mine)))
    return {"channel": recipient_id, **message(f"<@{result.giver_id}> gave you kudos", blocks)}


def celebration_words(c: Celebration) -> str:
    """A milestone, told to the person who reached it."""
    if c.kind == MilestoneKind.RECEIVED:
        if c.threshold == 1:
            return "You received your first kudos. Welcome to the wall of fame!"
        return f"You have received {c.threshold} kudos. People notice what you do."
    return (
        f"You have recognised someone {c.threshold} weeks in a row. "
        "That habit makes your team better."
    )


def celebration_dm(c: Celebration) -> dict[str, Any]:
    """A milestone by DM, for a giver who gets no confirmation to tell it in (a reaction)."""
    text = celebration_words(c)
    return {"channel": c.user_id, **message(text, [section(":tada: " + text)])}


def withdrawn(giver_id: str) -> dict[str, Any]:
    text = f"<@{giver_id}> withdrew this kudos."
    return message(text, [context(":leftwards_arrow_with_hook: " + text)])


def _allowance(remaining: int, allowance: int) -> str:
    if remaining <= 0:
        return f"That was the last of your {allowance} kudos for today."
    return f"You have {remaining} of {allowance} kudos left today."


PASSED_OVER = {
    "is_archived": "<#{}> is archived, so nothing was posted there.",
    "not_in_channel": "I'm not in <#{}>, so nothing was posted there: `/invite @Bravo` first.",
    "channel_not_found": "I can't see that channel, so nothing was posted there.",
}


def where_posted(place: Place) -> str:
    """The real place, as the giver's confirmation names it."""
    if place.channel_id:
        return f" in <#{place.channel_id}>."
    if place.passed_over:
        why = PASSED_OVER.get(place.why, "nothing was posted in a channel.")
        return " by DM. " + why.format(place.passed_over)
    return " by DM."


LEFT_OUT = "You can't give kudos to yourself, so you were left out; the others got theirs."


def giver_confirmation(result: KudosResult, undo_minutes: int) -> dict[str, Any]:
    who = mentions(result.recipient_ids)
    lines = [
        f":white_check_mark: Kudos sent to {who}{where_posted(result.place)} "
        + _allowance(result.remaining_today, result.allowance)
    ]
    if result.left_giver_out:
        lines.append(LEFT_OUT)
    streak = [c for c in result.celebrations if c.user_id == result.giver_id]
    if streak:
        lines.append(":fire: " + " ".join(celebration_words(c) for c in streak))
    elif result.streak_weeks > 1:
        lines.append(f":fire: {result.streak_weeks}-week giving streak.")
    blocks: list[Block] = [
        section("\n".join(lines)),
        {
            "type": "actions",
            "block_id": ids.UNDO_BLOCK,
            "elements": [button("Undo", ids.UNDO_ACTION, result.batch_id)],
        },
        context(f"You can undo this for {undo_minutes} minutes."),
    ]
    return message(lines[0], blocks)


def reaction_reason(emoji: str, permalink: str | None, channel_id: str) -> str:
    """The reason a kudos given by reaction carries: the message it was given on."""
    if permalink:
        return f":{emoji}: on <{permalink}|this message>"
    return f":{emoji}: on a message in <#{channel_id}>"


def undone(count: int, remaining: int, allowance: int) -> dict[str, Any]:
    what = "your kudos was" if count == 1 else f"your {count} kudos were"
    text = f"Done: {what} withdrawn. " + _allowance(remaining, allowance)
    return message(text, [section(":leftwards_arrow_with_hook: " + text)])


def _weeks(n: int) -> str:
    return "1 week" if n == 1 else f"{n} weeks"


def stats_blocks(stats: Stats, *, self_view: bool) -> dict[str, Any]:
    who = "Your" if self_view else f"<@{stats.user_id}>'s"
    lines = [
        f"*{who} kudos*",
        f"Received: *{stats.received}* ({stats.received_this_week} in the past 7 days)",
        f"Given: *{stats.given}*",
    ]
    if stats.streak_weeks:
        lines.append(f"Giving streak: *{_weeks(stats.streak_weeks)}* (best {stats.best_streak})")
    elif stats.best_streak:
        lines.append(f"Best giving streak: {stats.best_streak} weeks")
    if stats.remaining_today is not None:
        lines.append(f"Left to give today: *{stats.remaining_today}*")
    blocks: list[Block] = [section("\n".join(lines))]
    if stats.by_value:
        top = ", ".join(f"#{v} ×{n}" for v, n in list(stats.by_value.items())[:8])
        blocks.append(context("Recognised for " + top))
    return message(lines[0].strip("*"), blocks)


def leaderboard_blocks(board: Board) -> dict[str, Any]:
    scope = f" for #{board.value}" if board.value else ""
    title = f"Kudos leaderboard{scope}: {PERIOD_LABEL.get(board.period, board.period)}"
    if not board.rows:
        text = "No kudos yet for this period. Be the first: `/kudos @someone for ...`"
        return message(text, [header(title), section(text)])
    lines = [
        f"{MEDALS.get(i, f'{i}.')} <@{r.user_id}>  {r.count}" for i, r in enumerate(board.rows, 1)
    ]
    blocks = [
        header(title),
        section("\n".join(lines)),
        context("Not listed? People can leave leaderboards with `/kudos optout`."),
    ]
    return message(title, blocks)


def opt_out_reply(opt_out: bool) -> dict[str, Any]:
    text = (
        "You are off the leaderboards. Your kudos still count and reach you. "
        "`/kudos optin` brings you back."
        if opt_out
        else "You are back on the leaderboards."
    )
    return message(text, [section(text)])


def kudos_modal(
    *,
    values: tuple[str, ...],
    private_metadata: str,
    initial_users: list[str] | None = None,
    channel_id: str | None = None,
    linked: str | None = None,
) -> dict[str, Any]:
    """The kudos form; ``linked``: the start of the message it is about (the shortcut)."""
    blocks: list[Block] = []
    if linked:
        blocks.append(context(f"About this message: {clip(linked, 2000)}"))
    blocks += [
        _input(ids.RECIPIENTS_BLOCK, "People", _recipients_select(initial_users)),
        _input(ids.VALUE_BLOCK, "Value", _value_select(values), optional=True),
        _input(
            ids.REASON_BLOCK,
            "What did they do?",
            {
                "type": "plain_text_input",
                "action_id": ids.REASON_ACTION,
                "multiline": True,
                "max_length": 1000,
            },
            hint="Be specific: what happened, and why it mattered.",
        ),
        _input(ids.CHANNEL_BLOCK, "Share in", _channel_select(channel_id), optional=True),
    ]
    return {
        "type": "modal",
        "callback_id": ids.MODAL_CALLBACK,
        "title": {"type": "plain_text", "text": "Give kudos"},
        "submit": {"type": "plain_text", "text": "Send kudos"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": private_metadata[:3000],
        "blocks": blocks,
    }


def _input(
    block_id: str, label: str, element: Block, *, optional: bool = False, hint: str | None = None
) -> Block:
    block: Block = {"type": "input", "block_id": block_id}
    if optional:
        block["optional"] = True
    block["label"] = {"type": "plain_text", "text": label}
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint}
    block["element"] = element
    return block


def _recipients_select(initial_users: list[str] | None) -> Block:
    recipients: Block = {
        "type": "multi_users_select",
        "action_id": ids.RECIPIENTS_ACTION,
        "placeholder": {"type": "plain_text", "text": "Who did great work?"},
        "max_selected_items": 20,
    }
    if initial_users:
        recipients["initial_users"] = initial_users
    return recipients


def _value_select(values: tuple[str, ...]) -> Block:
    options = [{"text": {"type": "plain_text", "text": "#" + v}, "value": v} for v in values[:100]]
    return {
        "type": "static_select",
        "action_id": ids.VALUE_ACTION,
        "placeholder": {"type": "plain_text", "text": "Which value did they show?"},
        "options": options,
    }


def _channel_select(channel_id: str | None) -> Block:
    channel: Block = {
        "type": "conversations_select",
        "action_id": ids.CHANNEL_ACTION,
        "filter": {
            "include": ["public", "private"],
            "exclude_bot_users": True,
            "exclude_external_shared_channels": True,
        },
        "default_to_current_conversation": True,
    }
    if channel_id:
        channel["initial_conversation"] = channel_id
    return channel


def local_time(at: datetime, tz: Any) -> str:
    return at.astimezone(tz).strftime("%H:%M")


# Kudos history: the same page in a message (/kudos history) and in a modal (the Home tab)

HISTORY_REASON_CHARS = 280
SLACK_USER_RE = re.compile(r"^[UW][A-Z0-9]+$")  # not a user id: a person erased from Bravo
HISTORY_TITLE = "Kudos history"  # a modal title: at most 24 characters
PUBLIC_ONLY = (
    "Only public kudos: those given in public channels. Kudos sent by DM or given in private "
    "channels are not shown."
)


def history_message(page: HistoryPage) -> dict[str, Any]:
    return message(_history_title(page), history_blocks(page))


def history_modal(page: HistoryPage) -> dict[str, Any]:
    return _history_view(history_blocks(page))


def history_note_modal(text: str) -> dict[str, Any]:
    """The history modal saying one thing: loading, or why it cannot show the history."""
    return _history_view([section(text)])


def _history_view(blocks: list[Block]) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": ids.HISTORY_CALLBACK,
        "title": {"type": "plain_text", "text": HISTORY_TITLE},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": blocks[:100],
    }


def _history_title(page: HistoryPage) -> str:
    if page.scope is HistoryScope.OWN:
        return "Your kudos, received and given, newest first"
    return f"<@{page.subject_id}>'s public kudos, newest first"


def history_blocks(page: HistoryPage) -> list[Block]:
    """A page of a kudos history: a line per kudos, and Newer / Older when there are more."""
    blocks: list[Block] = [section(f"*{_history_title(page)}*")]
    notes = [PUBLIC_ONLY] if page.scope is HistoryScope.PUBLIC else []
    if page.subject_left:
        notes.append(f"<@{page.subject_id}> is no longer active in this workspace.")
    if notes:
        blocks.append(context(*notes))
    if not page.lines:
        blocks.append(section(_history_empty(page)))
    blocks += [section(_history_line(line)) for line in page.lines]
    buttons = []
    if page.has_newer:
        newer = page.ask(HistoryDirection.NEWER).value()
        buttons.append(button("Newer", ids.HISTORY_NEWER, newer))
    if page.has_older:
        older = page.ask(HistoryDirection.OLDER).value()
        buttons.append(button("Older", ids.HISTORY_PAGE, older))
    if buttons:
        blocks.append({"type": "actions", "block_id": ids.HISTORY_PAGES_BLOCK, "elements": buttons})
    return blocks


def _history_empty(page: HistoryPage) -> str:
    if page.past_end:
        return "No older kudos: that was the last of them."
    if page.scope is HistoryScope.OWN:
        return (
            "No kudos yet, given or received. Recognise someone's good work: "
            "`/kudos @ana for calming an angry caller`"
        )
    return f"<@{page.subject_id}> has no public kudos yet."


def _history_line(line: HistoryLine) -> str:
    arrow, way = (":inbox_tray:", "From") if line.received else (":outbox_tray:", "To")
    stamp = int(line.at.timestamp())
    when = f"<!date^{stamp}^{{date_short_pretty}}|{line.at:%Y-%m-%d}>"
    channel = line.channel_id or ""
    where = f"in <#{channel}>" if channel[:1] in ("C", "G") else "by DM"
    who = f"<@{line.other_id}>" if SLACK_USER_RE.match(line.other_id) else "_someone who has left_"
    lines = [f"{arrow} *{way}* {who} · {when} · {where}", quote(_short(line.reason))]
    if line.values:
        lines.append(_values(line.values))
    return "\n".join(lines)


def _short(reason: str) -> str:
    """A reason on one line, mention-safe, cut to fit: never through a link or an entity."""
    text = " ".join(said(reason).split())
    if len(text) <= HISTORY_REASON_CHARS:
        return text
    cut = trim(text, HISTORY_REASON_CHARS).removesuffix("…")
    if cut.rfind("<") > cut.rfind(">"):
        cut = cut[: cut.rfind("<")]
    if cut.rfind("&") > cut.rfind(";"):
        cut = cut[: cut.rfind("&")]
    return cut.rstrip() + "…"
