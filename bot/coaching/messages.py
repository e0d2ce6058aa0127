"""What coaching sends, to whom: results in, envelopes out (the words are in render.py)."""

from __future__ import annotations

from datetime import date

from bot.coaching import ids, render
from bot.coaching.digest import CoacheeWeek
from bot.outbox.envelope import OutMessage, SlackMethod
from storage.models.coaching import CoachPairing


def request(row: CoachPairing) -> OutMessage:
    """The offer, to the coachee, with Accept and Decline (the coach hears if it fails)."""
    return OutMessage(
        kind=ids.COACH_REQUEST,
        method=SlackMethod.POST,
        payload=render.coach_request_dm(row),
        notify_user=row.coach_id,
    )


def told(row: CoachPairing) -> OutMessage:
    """The coachee's answer, to the coach."""
    return OutMessage(kind=ids.COACH_NOTE, method=SlackMethod.POST, payload=render.coach_told(row))


def ended(row: CoachPairing, ended_by: str) -> OutMessage:
    """A pairing ended, to the side that did not end it."""
    other = row.coachee_id if ended_by == row.coach_id else row.coach_id
    return OutMessage(
        kind=ids.COACH_NOTE,
        method=SlackMethod.POST,
        payload=render.pairing_ended(row, ended_by, other),
    )


def digest(coach_id: str, week: list[CoacheeWeek], week_of: date, key: str) -> OutMessage:
    """A coach's weekly digest (``key``: its delivery record)."""
    return OutMessage(
        kind=ids.DIGEST,
        method=SlackMethod.POST,
        payload=render.coach_digest(coach_id, week, week_of),
        dedupe_key=key,
    )
