"""What one-on-ones send, to whom: results in, envelopes out (the words are in render.py).
Everything goes by DM to the two people of a one-on-one, never to a channel."""

from __future__ import annotations

from datetime import datetime

from bot.oneonones import ids, render
from bot.oneonones.prep import PrepNote
from bot.outbox.envelope import OutMessage, SlackMethod
from storage.models.oneonones import ActionItem, ItemOwner, Meeting, OneOnOne


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


def prep(note: PrepNote, *, once: bool = False) -> OutMessage:
    """The prep note, to the coach (``once``: the job's, sent once per meeting)."""
    key = f"oneonone:{note.meeting.id}:prep" if once else None
    return OutMessage(
        kind=ids.PREP,
        method=SlackMethod.POST,
        payload=render.prep_dm(note, note.series.coach_id),
        dedupe_key=key,
    )


def away(row: OneOnOne, at: datetime) -> OutMessage:
    """No prep note: the coachee is away (to the coach)."""
    return OutMessage(kind=ids.PREP, method=SlackMethod.POST, payload=render.away_dm(row, at))


def ask_topics(row: OneOnOne, meeting: Meeting) -> OutMessage:
    """The coachee's note: add a topic for the meeting."""
    return OutMessage(
        kind=ids.ASK_TOPICS,
        method=SlackMethod.POST,
        payload=render.topics_dm(row, meeting),
        dedupe_key=f"oneonone:{meeting.id}:topics",
    )


def noted(row: OneOnOne, meeting: Meeting, items: list[ActionItem]) -> list[OutMessage]:
    """Notes saved: the notes to the coachee; each coachee item proposed to them as a goal;
    each coach follow-up to the coach with its Done button."""
    out = [
        OutMessage(
            kind=ids.NOTE,
            method=SlackMethod.POST,
            payload=render.notes_dm(row, meeting, row.coachee_id),
        )
    ]
    for item in items:
        coachee = item.owner == ItemOwner.COACHEE
        payload = render.item_dm(row, item) if coachee else render.follow_up_dm(row, item)
        out.append(
            OutMessage(
                kind=ids.ITEM,
                method=SlackMethod.POST,
                payload=payload,
                dedupe_key=f"oneonone:item:{item.id}",
            )
        )
    return out
