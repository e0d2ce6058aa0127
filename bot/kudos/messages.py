"""What a kudos sends, to whom: results in, envelopes out (the words are in render.py)."""

from __future__ import annotations

from collections.abc import Set
from typing import Any

from bot.kudos import ids
from bot.kudos.render import celebration_dm, kudos_post, recipient_dm, withdrawn
from bot.kudos.rules import KudosResult
from bot.outbox.envelope import OutMessage, SlackMethod
from storage.models import OutboxRow


def announcements(
    result: KudosResult,
    post_channel: str | None,
    permalink: str | None = None,
    *,
    in_channel: Set[str] = frozenset(),
) -> list[OutMessage]:
    """Everything a kudos sends: the channel post, a DM to each recipient, and a milestone DM
    for each celebration, except to those whose milestones go to their team channel
    (``in_channel``: the celebrations job posts them there)."""
    out: list[OutMessage] = []
    if post_channel:
        out.append(
            OutMessage(
                kind=ids.POST,
                method=SlackMethod.POST,
                payload={
                    "channel": post_channel,
                    "unfurl_links": False,
                    **kudos_post(result, permalink, in_channel),
                },
                ref=result.batch_id,
                notify_user=result.giver_id,
            )
        )
    for uid in result.recipient_ids:
        out.append(
            OutMessage(
                kind=ids.DM,
                method=SlackMethod.POST,
                payload=recipient_dm(result, uid),
                ref=result.batch_id,
            )
        )
    for c in result.celebrations:
        if c.user_id in in_channel:
            continue
        out.append(
            OutMessage(
                kind=ids.CELEBRATION,
                method=SlackMethod.POST,
                payload=celebration_dm(c),
                dedupe_key=f"milestone:{result.team_id}:{c.user_id}:{c.kind}:{c.threshold}",
            )
        )
    return out


def withdraw_edit(giver_id: str) -> Any:
    def edit(row: OutboxRow) -> OutMessage:
        return OutMessage(
            kind="kudos_withdrawn",
            method=SlackMethod.UPDATE,
            payload=withdrawn(giver_id),
            ref=row.ref,
            update_of=row.id,
        )

    return edit
