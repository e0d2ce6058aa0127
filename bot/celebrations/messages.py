"""What a celebration sends, to whom: results in, envelopes out (the words are in render.py)."""

from __future__ import annotations

from datetime import date

from bot.celebrations import ids, render
from bot.celebrations.dates import DateToCelebrate
from bot.outbox.envelope import OutMessage, SlackMethod


def celebration(channel_id: str, items: list[DateToCelebrate], today: date, key: str) -> OutMessage:
    """The day's birthdays and anniversaries, posted once in the team channel."""
    payload = render.celebration_post(channel_id, items, today)
    return OutMessage(kind=ids.CELEBRATE, method=SlackMethod.POST, payload=payload, dedupe_key=key)


def milestone(*, channel_id: str, user_id: str, line: str, key: str) -> OutMessage:
    """A milestone announced in the team channel of the person who reached it."""
    return OutMessage(
        kind=ids.MILESTONE,
        method=SlackMethod.POST,
        payload=render.milestone_post(channel_id, line),
        dedupe_key=key,
        notify_user=user_id,
    )


def imported(user_id: str, people: int, rows: int) -> OutMessage:
    """The admin's receipt for an import, by DM."""
    return OutMessage(
        kind=ids.IMPORTED,
        method=SlackMethod.POST,
        payload=render.imported_dm(user_id, people, rows),
    )
