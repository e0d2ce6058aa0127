"""What customer ratings send, to whom: each by DM to the agent it is about."""

from __future__ import annotations

from collections.abc import Sequence

from bot.outbox.envelope import OutMessage, SlackMethod
from bot.ratings import ids, render
from storage.models.feedback import CustomerFeedback


def rating_dm(fb: CustomerFeedback) -> OutMessage:
    return OutMessage(
        kind=ids.RatingKind.RATING_DM,
        method=SlackMethod.POST,
        payload=render.rating_dm(fb),
        ref=f"customer:{fb.id}",
        dedupe_key=f"{ids.RatingKind.RATING_DM}:{fb.team_id}:{fb.id}",
    )


def digest(user_id: str, rows: Sequence[CustomerFeedback]) -> OutMessage:
    return OutMessage(
        kind=ids.RatingKind.DIGEST, method=SlackMethod.POST, payload=render.digest(user_id, rows)
    )


def coach_praise(fb: CustomerFeedback, coach_id: str) -> OutMessage:
    return OutMessage(
        kind=ids.RatingKind.COACH_PRAISE,
        method=SlackMethod.POST,
        payload=render.coach_praise_dm(fb, coach_id),
        ref=f"customer:{fb.id}",
        dedupe_key=f"{ids.RatingKind.COACH_PRAISE}:{fb.team_id}:{fb.id}:{coach_id}",
    )
