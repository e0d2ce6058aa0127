"""What reviews send, to whom: results in, envelopes out (the words are in render.py).
Everything goes by DM or to the group DM of a discussion; a review is never posted in a
channel."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from bot.outbox.envelope import OutMessage, SlackMethod
from bot.reviews import ids, render
from storage.models.outbox import OutboxRow
from storage.models.reviews import Review, ReviewScore


def _post(kind: str, payload: dict[str, Any], **extra: Any) -> OutMessage:
    return OutMessage(kind=kind, method=SlackMethod.POST, payload=payload, **extra)


def reviewed(review: Review, scores: Sequence[ReviewScore]) -> list[OutMessage]:
    """A new review: to its agent (with their buttons), and a note to the reviewer."""
    return [
        _post(
            ids.REVIEW_DM,
            render.review_dm(review, scores),
            ref=dm_ref(review),
            dedupe_key=f"review:{review.id}:dm",
        ),
        _post(ids.REVIEW_NOTE, render.reviewer_sent(review), dedupe_key=f"review:{review.id}:sent"),
    ]


def acknowledged(review: Review) -> OutMessage:
    return _post(
        ids.REVIEW_NOTE, render.acknowledged_note(review), dedupe_key=f"review:{review.id}:ack"
    )


def discussion(
    review: Review,
    scores: Sequence[ReviewScore],
    *,
    group: str | None,
    lead_id: str | None,
) -> list[OutMessage]:
    """The conversation about a review: one post in the group DM of agent, reviewer and lead;
    without one, the reviewer's DM (with the buttons) and the lead's (without)."""
    key = f"review:{review.id}:discuss"
    ref = talk_ref(review)
    if group is not None:
        payload = render.discussion(review, scores, channel=group, lead_id=lead_id)
        return [_post(ids.DISCUSSION, payload, dedupe_key=key, ref=ref)]
    out = [
        _post(
            ids.DISCUSSION,
            render.discussion(review, scores, channel=review.reviewer_id, lead_id=lead_id),
            dedupe_key=key,
            ref=ref,
        )
    ]
    if lead_id is not None:
        lead_view = render.discussion(
            review, scores, channel=lead_id, lead_id=lead_id, reviewer_buttons=False
        )
        out.append(_post(ids.DISCUSSION, lead_view, dedupe_key=f"{key}:lead", ref=ref))
    return out


def dm_ref(review: Review) -> str:
    """The outbox ref of the agent's review DM."""
    return f"review:{review.id}"


def talk_ref(review: Review) -> str:
    """The outbox ref of the discussion's posts."""
    return f"review:{review.id}:talk"


def dm_redrawn(
    review: Review, scores: Sequence[ReviewScore], where: tuple[str, str], note: str
) -> OutMessage:
    """The agent's review DM (``where``: its channel and ts), shown as it is now."""
    payload = render.review_dm(review, scores, note)
    payload["channel"], payload["ts"] = where
    return OutMessage(kind=ids.REVIEW_DM, method=SlackMethod.UPDATE, payload=payload)


def dm_settled(review: Review, scores: Sequence[ReviewScore], row_id: int, note: str) -> OutMessage:
    """The agent's review DM (outbox row ``row_id``) shown as it is once the discussion ended:
    the scores as they now stand, no buttons left to press."""
    payload = render.review_dm(review, scores, note)
    return OutMessage(
        kind=ids.REVIEW_DM, method=SlackMethod.UPDATE, payload=payload, update_of=row_id
    )


def discussion_settled(review: Review, row: OutboxRow) -> OutMessage:
    """A post of the discussion (outbox row ``row``) shown settled: no Keep or Change left."""
    posted = json.loads(row.payload)
    posted.pop("_update_of", None)
    payload = render.discussion_settled(posted, review)
    return OutMessage(
        kind=ids.DISCUSSION, method=SlackMethod.UPDATE, payload=payload, update_of=row.id
    )


def kept(review: Review) -> OutMessage:
    return _post(ids.REVIEW_NOTE, render.kept_note(review), dedupe_key=f"review:{review.id}:kept")


def changed(review: Review, changes: Sequence[str]) -> OutMessage:
    return _post(ids.REVIEW_NOTE, render.changed_note(review, changes))
