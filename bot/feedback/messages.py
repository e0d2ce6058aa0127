"""What feedback sends, to whom: results in, envelopes out (the words are in render.py).
Everything goes by DM; feedback is never posted in a channel."""

from __future__ import annotations

from typing import Any

from bot.feedback import ids, render
from bot.feedback.rules import Audience, Given
from bot.outbox.envelope import OutMessage, SlackMethod
from storage.models.feedback import CustomerFeedback, Feedback, FeedbackRequest


def _dm(kind: str, payload: dict[str, Any], **extra: Any) -> OutMessage:
    return OutMessage(kind=kind, method=SlackMethod.POST, payload=payload, **extra)


def _request_edit(row: FeedbackRequest, payload: dict[str, Any]) -> OutMessage:
    """The asked person's request DM, redrawn without its button."""
    assert row.outbox_id is not None
    return OutMessage(
        kind=ids.REQUEST_EDIT, method=SlackMethod.UPDATE, payload=payload, update_of=row.outbox_id
    )


def given(result: Given) -> list[OutMessage]:
    """Feedback given: to the recipient, a note to the giver, to coaches it was shared with, and
    the answered request's DM edited."""
    fb, audience = result.feedback, result.audience
    out = [
        _dm(
            ids.FEEDBACK_DM,
            render.feedback_dm(fb, audience, result.request),
            ref=f"feedback:{fb.id}",
        ),
        _dm(ids.FEEDBACK_NOTE, render.giver_sent(fb, audience)),
    ]
    out += coach_notes(fb, audience)
    if result.request is not None and result.request.outbox_id is not None:
        out.append(_request_edit(result.request, render.request_answered_edit(result.request)))
    return out


def coach_notes(fb: Feedback, audience: Audience) -> list[OutMessage]:
    """To the coaches it was shared with just now (none when nobody shared it)."""
    if audience.shared_by is None:
        return []
    return [
        _dm(ids.FEEDBACK_NOTE, render.coach_dm(fb, audience, c)) for c in audience.coaches_who_see
    ]


def thanks(fb: Feedback) -> OutMessage:
    return _dm(ids.FEEDBACK_NOTE, render.thanks_dm(fb))


def request_dm(row: FeedbackRequest) -> OutMessage:
    return _dm(ids.REQUEST_DM, render.request_dm(row))


def customer_logged(row: CustomerFeedback) -> list[OutMessage]:
    """To the teammate, and a receipt to whoever logged it that says whether they were told."""
    told = (
        [] if row.teammate_id == row.logged_by else [_dm(ids.CUSTOMER_DM, render.customer_dm(row))]
    )
    return [*told, _dm(ids.CUSTOMER_DM, render.customer_logged(row, told=bool(told)))]


def reminder(row: FeedbackRequest, key: str) -> OutMessage:
    return _dm(ids.REQUEST_REMINDER, render.request_reminder(row), dedupe_key=key)


def expired_note(row: FeedbackRequest, key: str) -> OutMessage:
    return _dm(ids.FEEDBACK_NOTE, render.request_expired_note(row), dedupe_key=key)


def expired_edit(row: FeedbackRequest) -> OutMessage:
    return _request_edit(row, render.request_expired_edit(row))
