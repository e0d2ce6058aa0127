"""Buttons and forms Bravo no longer knows (an old message's button, a form from before an
upgrade): acknowledged, with a word that the message is out of date, instead of the 404 that
Slack shows as an error. Link buttons also send an action; they need nothing but the ack. Menus
that load their options from Bravo (block_suggestion) get one option saying it is out of date."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.blocks import message, section

log = logging.getLogger(__name__)

ANY = re.compile(".*")
STALE = (
    "That button is from an older message that Bravo no longer handles, so nothing happened. "
    "Try again from a new message, or type the command again."
)
STALE_MENU = "Out of date: close this and type the command again"
STALE_FORM_TITLE = "Out of date"
STALE_FORM = (
    "This form is from an older version of Bravo, so nothing was saved. Close it and open it "
    "again with the same command."
)


def on_stale_action(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
    ack()
    actions = body.get("actions") or [{}]
    first = actions[0] if isinstance(actions[0], dict) else {}
    if first.get("url"):
        return  # a link button: Slack opened the link, nothing for Bravo to do
    log.info("an action Bravo does not know: %s", str(first.get("action_id"))[:80])
    if body.get("response_url"):
        respond({"response_type": "ephemeral", "replace_original": False, **_words(STALE)})


def on_stale_view(ack: Ack, view: dict[str, Any]) -> None:
    log.info("a form Bravo does not know: %s", str(view.get("callback_id"))[:80])
    ack(response_action="update", view=stale_form())


def on_stale_options(ack: Ack, body: dict[str, Any]) -> None:
    """A menu that loads its options from Bravo, which Bravo no longer has: one option that
    says so (an empty list would read as "no results")."""
    log.info("a menu Bravo does not know: %s", str(body.get("action_id"))[:80])
    ack(options=[stale_option()])


def stale_option() -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": STALE_MENU}, "value": "stale"}


def on_closed(ack: Ack) -> None:
    ack()  # a form closed: nothing to keep


def on_stale_shortcut(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
    ack()
    log.info("a shortcut Bravo does not know: %s", str(body.get("callback_id"))[:80])
    if body.get("response_url"):
        respond({"response_type": "ephemeral", **_words(STALE)})


def stale_form() -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": STALE_FORM_TITLE},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": [section(STALE_FORM)],
    }


def _words(text: str) -> dict[str, Any]:
    return message(text, [section(text)])


def register_stale(app: App) -> None:
    app.action(ANY)(on_stale_action)
    app.view(ANY)(on_stale_view)
    app.view_closed(ANY)(on_closed)
    app.options(ANY)(on_stale_options)
    app.shortcut(ANY)(on_stale_shortcut)
