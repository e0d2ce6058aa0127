"""Queue mode: the requests the web process records for a worker as they come, without Bolt.

For these the answer Slack gets is known before any listener runs (an empty 200), and their
listener does nothing on the web process but hand the request on (``later``): so ``bot.web``
checks the signature, records the body and answers, and the worker replays it through the
whole Bolt app exactly as it replays what a listener handed on. Everything else (forms and
their validation errors, buttons that open a form with a trigger_id, ``/kudos`` alone, the
other commands, url_verification, ssl_check, uninstall events) still goes through Bolt on the
web process."""

from __future__ import annotations

from typing import Any

from bot.home import ids as home_ids
from bot.kudos import ids as kudos_ids
from bot.text import clean

# Events whose listeners only hand on: an event is always acked with an empty 200.
EVENTS = frozenset({kudos_ids.REACTION_ADDED, kudos_ids.REACTION_REMOVED, home_ids.EVENT})


def recorded_as_is(body: dict[str, Any]) -> bool:
    """Whether the web process may record this (signed, parsed) request for a worker and ack it
    with an empty 200 without running its listener."""
    if body.get("type") == "event_callback":
        event = body.get("event")
        return isinstance(event, dict) and event.get("type") in EVENTS
    if body.get("command") == kudos_ids.COMMAND:
        # /kudos acks empty first; alone it opens the form with a trigger_id that lasts 3 s,
        # which must be used here, not after a worker's poll
        text = body.get("text")
        return isinstance(text, str) and bool(clean(text).strip())
    return False
