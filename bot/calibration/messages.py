"""What calibration sends, to whom: results in, envelopes out (the words are in render.py).
Everything goes by DM to the lead and the reviewers invited; nothing to a channel, nothing to
the agent whose conversation it is."""

from __future__ import annotations

from typing import Any

from bot.calibration import render
from bot.calibration.ids import CalibrationKind
from bot.calibration.spread import Spread
from bot.outbox.envelope import OutMessage, SlackMethod
from storage.models.reviews import Calibration, CalibrationReviewer


def _dm(kind: str, payload: dict[str, Any], key: str) -> OutMessage:
    return OutMessage(kind=kind, method=SlackMethod.POST, payload=payload, dedupe_key=key)


def invite(row: Calibration, reviewer_id: str) -> OutMessage:
    return _dm(
        CalibrationKind.INVITE,
        render.invite_dm(row, reviewer_id),
        f"calinvite:{row.team_id}:{row.id}:{reviewer_id}",
    )


def _edit(invited: CalibrationReviewer, payload: dict[str, Any]) -> OutMessage:
    """An invitation DM redrawn without its button."""
    assert invited.outbox_id is not None
    return OutMessage(
        kind=CalibrationKind.INVITE_EDIT,
        method=SlackMethod.UPDATE,
        payload=payload,
        update_of=invited.outbox_id,
    )


def invite_scored(row: Calibration, invited: CalibrationReviewer) -> OutMessage:
    return _edit(invited, render.invite_scored(row))


def revealed(spread: Spread, invited: list[CalibrationReviewer]) -> list[OutMessage]:
    """The spread to everyone invited and the lead, each once; the invitations of those who did
    not score lose their button."""
    row = spread.round
    out = [
        _dm(
            CalibrationKind.REVEAL,
            render.reveal_dm(spread, user),
            f"calreveal:{row.team_id}:{row.id}:{user}",
        )
        for user in spread.audience
    ]
    closed = render.invite_closed(row)
    out += [
        _edit(i, closed)
        for i in invited
        if i.outbox_id is not None and i.reviewer_id in spread.missing
    ]
    return out


def agreed(spread: Spread) -> list[OutMessage]:
    row = spread.round
    return [
        _dm(
            CalibrationKind.AGREED,
            render.agreed_dm(spread, user),
            f"calagreed:{row.team_id}:{row.id}:{user}",
        )
        for user in spread.audience
    ]


def cancelled(row: Calibration, invited: list[CalibrationReviewer]) -> list[OutMessage]:
    """Every invitation redrawn: the round was called off, nothing more to score."""
    closed = render.invite_cancelled(row)
    return [_edit(i, closed) for i in invited if i.outbox_id is not None]
