"""What a settings change sends, to whom: results in, envelopes out (words in render.py)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.outbox.envelope import OutMessage, SlackMethod
from bot.workspace import render
from bot.workspace.ids import CONFIRMED


def receipt(user_id: str, lines: Sequence[str]) -> OutMessage:
    """The admin who saved: what changed, once, by DM."""
    return OutMessage(
        kind=CONFIRMED, method=SlackMethod.POST, payload=render.receipt(user_id, lines)
    )
