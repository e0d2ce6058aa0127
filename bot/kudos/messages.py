"""What a kudos sends, to whom: results in, envelopes out (the words are in render.py)."""

from __future__ import annotations

from collections.abc import Callable, Set
from typing import Any

from bot.kudos.ids import OutboxKind
from bot.kudos.render import (
    celebration_dm,
    giver_confirmation,
    kudos_post,
    recipient_dm,
    withdrawn,
)
from bot.kudos.rules import KudosResult
from bot.outbox.envelope import OutMessage, SlackMethod
from storage.models import OutboxRow


def announcements(
    result: KudosResult,
    post_channel: str | None,
    permalink: str | None = None,
    *,
    in_channel: Set[str] = frozenset(),
    thread_ts: str | None = None,
    giver_confirmed: bool = True,
) -> list[OutMessage]:
    """Everything a kudos sends: the channel post (in the thread of ``thread_ts``, if given),
    with one grouped line per milestone, and one DM to each recipient, which tells their own
    milestone. The giver's streak milestone is in their confirmation; only when they get none
    (``giver_confirmed`` False: a reaction, customer praise passed on) does it come by DM.
    Those whose milestones go to their team channel (``in_channel``) are told there, by the
    celebrations job."""
    out: list[OutMessage] = []
    if post_channel:
        post: dict[str, Any] = {"channel": post_channel, "unfurl_links": False}
        post |= kudos_post(result, permalink, in_channel)
        if thread_ts:
            post["thread_ts"] = thread_ts
        out.append(
            OutMessage(
                kind=OutboxKind.POST,
                method=SlackMethod.POST,
                payload=post,
                ref=result.batch_id,
                notify_user=result.giver_id,
            )
        )
    told = [c for c in result.celebrations if c.user_id not in in_channel]
    for uid in result.recipient_ids:
        out.append(
            OutMessage(
                kind=OutboxKind.DM,
                method=SlackMethod.POST,
                payload=recipient_dm(result, uid, told),
                ref=result.batch_id,
            )
        )
    for c in told:
        if c.user_id != result.giver_id or giver_confirmed:
            continue
        out.append(
            OutMessage(
                kind=OutboxKind.CELEBRATION,
                method=SlackMethod.POST,
                payload=celebration_dm(c),
                dedupe_key=f"milestone:{result.team_id}:{c.user_id}:{c.kind}:{c.threshold}",
            )
        )
    return out


def confirmation_dm(result: KudosResult, undo_minutes: int) -> OutMessage:
    """The giver's confirmation (with Undo) by DM, when it could not be shown where they were."""
    return OutMessage(
        kind=OutboxKind.CONFIRM,
        method=SlackMethod.POST,
        payload={"channel": result.giver_id, **giver_confirmation(result, undo_minutes)},
    )


def withdraw_edit(giver_id: str) -> Callable[[OutboxRow], OutMessage]:
    """The edit that marks one of a batch's posts or DMs withdrawn."""

    def edit(row: OutboxRow) -> OutMessage:
        return OutMessage(
            kind=OutboxKind.WITHDRAWN,
            method=SlackMethod.UPDATE,
            payload=withdrawn(giver_id),
            ref=row.ref,
            update_of=row.id,
        )

    return edit
