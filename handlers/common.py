"""Pieces every listener shares: ephemeral replies, the apology, handing work to the queue."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from bot.blocks import message, section
from bot.deps import Deps
from bot.errors import BUSY, SORRY, echo

log = logging.getLogger(__name__)


def ephemeral(text: str) -> dict[str, Any]:
    return {"response_type": "ephemeral", **message(text, [section(text)])}


def apologise(body: dict[str, Any], respond: Any) -> None:
    """Tell the person something broke on our side, echoing what they typed."""
    if respond is None or not body.get("response_url"):
        return
    try:
        respond({"replace_original": False, **ephemeral(SORRY + echo(body))})
    except Exception:  # the apology itself failed; the error is already logged
        log.warning("could not tell the user about the error")


def later(deps: Deps, body: dict[str, Any], respond: Any, fn: Callable[[], None]) -> None:
    """Run a person's request after the ack; if Bravo is overloaded, say so instead."""
    if not deps.work.submit(fn, on_error=lambda _err: apologise(body, respond)):
        respond(ephemeral(BUSY + echo(body)))


def later_or_now(deps: Deps, fn: Callable[[], None]) -> None:
    """Run an event's work after the ack; when the queue is full, run it here (never drop it)."""
    if not deps.work.submit(fn, on_error=lambda _err: None):
        fn()


def tell(respond: Any, text: str) -> None:
    """An ephemeral answer to a button press, leaving the message pressed on as it is."""
    respond({"replace_original": False, **ephemeral(text)})


def view_input(view: dict[str, Any], block: str, key: str, action: str = "input") -> Any:
    """A submitted modal's value: ``key`` ("value", "selected_user"...) of one input element."""
    values = ((view.get("state") or {}).get("values") or {}).get(block) or {}
    return (values.get(action) or {}).get(key)
