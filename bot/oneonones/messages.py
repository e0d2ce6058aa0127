"""What one-on-ones send, to whom: results in, envelopes out (the words are in render.py).
Everything goes by DM to the two people of a one-on-one, never to a channel."""

from __future__ import annotations

from bot.oneonones import ids, render
from bot.outbox.envelope import OutMessage, SlackMethod
from storage.models.oneonones import OneOnOne


def changed(row: OneOnOne, actor_id: str, what: str) -> list[OutMessage]:
    """Set, moved or cancelled: to the coach and to the coachee."""
    return [
        OutMessage(
            kind=ids.NOTE,
            method=SlackMethod.POST,
            payload=render.changed_dm(row, actor_id, what, to),
        )
        for to in (row.coach_id, row.coachee_id)
    ]
