"""What the suggestion box sends, to whom: results in, envelopes out (words in render.py)."""

from __future__ import annotations

from bot.outbox.envelope import OutMessage, SlackMethod
from bot.suggestions import ids, render
from storage.models.suggestions import Suggestion


def post(row: Suggestion) -> OutMessage:
    """The anonymous post in the box's channel."""
    return OutMessage(
        kind=ids.SUGGESTION_POST,
        method=SlackMethod.POST,
        payload=render.suggestion_post(row),
        ref=f"suggestion:{row.id}",
    )


def done(row: Suggestion, *, team_id: str, channel: str, thread_ts: str | None) -> list[OutMessage]:
    """Marked done: a reply in the post's thread (once), and the post edited to say so."""
    messages = [
        OutMessage(
            kind=ids.SUGGESTION_POST,
            method=SlackMethod.POST,
            payload=render.suggestion_done_reply(row, channel, thread_ts),
            dedupe_key=f"suggestion_done:{team_id}:{row.id}",
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
    return messages


def hide(row: Suggestion) -> OutMessage:
    """Hidden by an admin: the post deleted from the channel (once)."""
    return OutMessage(
        kind=ids.SUGGESTION_HIDE,
        method=SlackMethod.DELETE,
        payload={},
        dedupe_key=f"suggestion_hide:{row.team_id}:{row.id}",
        update_of=row.outbox_id,
    )


def box_ready(channel: str) -> OutMessage:
    """The new box's channel told it is one (when an admin moves it in ``/bravo settings``)."""
    return OutMessage(
        kind=ids.SUGGESTION_POST, method=SlackMethod.POST, payload=render.box_ready(channel)
    )
