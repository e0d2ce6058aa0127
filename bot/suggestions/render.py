"""Block Kit for the anonymous suggestion box. Pure functions.

Suggestion texts are stored as safe mrkdwn already, and a done note is escaped before it is
stored; both go through ``bot.text.said`` again here, so no mention in them is ever live.
"""

from __future__ import annotations

import json
from typing import Any

from bot.blocks import Block, button, context, message, quote, section
from bot.suggestions import ids
from bot.text import plain, said
from storage.models.suggestions import Suggestion

ANONYMITY = (
    "Anonymous: the post comes from Bravo, and nothing Bravo keeps links it to you "
    "(the date only, no name, no exact time)."
)
POSTED = ":mailbox_with_mail: Posted anonymously. Thank you for speaking up."


def meta(**values: Any) -> str:
    return json.dumps(values, separators=(",", ":"))


def _input(block_id: str, label: str, element: Block, hint: str, *, optional: bool) -> Block:
    return {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": label},
        "element": {"action_id": ids.INPUT, **element},
        "optional": optional,
        "hint": {"type": "plain_text", "text": hint},
    }


def _text_input(max_length: int) -> Block:
    return {"type": "plain_text_input", "multiline": True, "max_length": max_length}


def _modal(
    callback: str, title: str, submit: str, meta_: str, blocks: list[Block]
) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback,
        "private_metadata": meta_,
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": submit},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks[:100],
    }


def weak_anonymity(people: int) -> str:
    return (
        f":warning: This workspace has only {people} people, so anonymity is weak: others may "
        "guess who wrote it."
    )


def suggest_modal(
    *, private_metadata: str, people: int | None, initial: str = ""
) -> dict[str, Any]:
    blocks: list[Block] = []
    if people is not None:
        blocks.append(section(weak_anonymity(people)))
    blocks += [
        _input(
            ids.SUGGEST_TEXT,
            "Your suggestion",
            {**_text_input(max_length=1500), **({"initial_value": initial} if initial else {})},
            "What would make work better? Be specific; be kind.",
            optional=False,
        ),
        context(ANONYMITY),
    ]
    return _modal(
        ids.SUGGEST_MODAL, "Anonymous suggestion", "Post anonymously", private_metadata, blocks
    )


def preview(text: str, value: str, people: int | None) -> dict[str, Any]:
    """What ``/suggest text`` shows its author alone before anything is posted; the buttons
    carry the draft (``value``)."""
    head = (
        ":eyes: *Preview, only you can see it.* Nothing is posted until you press "
        "*Post anonymously*."
    )
    blocks = [section(head)]
    if people is not None:
        blocks.append(section(weak_anonymity(people)))
    blocks += [
        section(quote(said(text))),
        context(ANONYMITY),
        {
            "type": "actions",
            "block_id": ids.CONFIRM_BLOCK,
            "elements": [
                button("Post anonymously", ids.SUGGEST_POST, value, "primary"),
                button("Edit", ids.SUGGEST_EDIT, value),
                button("Cancel", ids.SUGGEST_CANCEL, value),
            ],
        },
    ]
    return message("Preview of your anonymous suggestion: nothing is posted yet.", blocks)


def editable(text: str) -> str:
    """A stored draft (safe mrkdwn) as the plain text a form shows for editing."""
    return plain(text)[:1500]


CANCELLED = "Cancelled: nothing was posted."
EDITING = "Edit it in the form: nothing is posted until you press *Post anonymously* there."


def suggestion_post(row: Suggestion) -> dict[str, Any]:
    text = ":bulb: New anonymous suggestion"
    blocks = [
        section(f"*{text}*"),
        section(quote(said(row.text))),
        context("Reply in the thread. Admins: mark it done when it's acted on, or hide it."),
        {
            "type": "actions",
            "block_id": f"suggestion_{row.id}",
            "elements": [
                button("Mark done", ids.SUGGEST_DONE, str(row.id)),
                button("Hide", ids.SUGGEST_HIDE, str(row.id), "danger"),
            ],
        },
    ]
    return {"channel": row.channel_id, **message(text, blocks)}


def suggestion_done_edit(row: Suggestion) -> dict[str, Any]:
    text = ":white_check_mark: Anonymous suggestion: done"
    blocks = [section(f"*{text}*"), section(quote(said(row.text)))]
    if row.done_note:
        blocks.append(section(f"*What we did:* {said(row.done_note)}"))
    return message(text, blocks)


def suggestion_done_reply(row: Suggestion, channel: str, thread_ts: str | None) -> dict[str, Any]:
    text = ":white_check_mark: Done" + (f": {said(row.done_note)}" if row.done_note else ".")
    payload: dict[str, Any] = {"channel": channel, **message(text, [section(text)])}
    if thread_ts:
        payload["thread_ts"] = thread_ts
    return payload


def done_modal(row: Suggestion, private_metadata: str) -> dict[str, Any]:
    blocks = [
        section(quote(said(row.text))),
        _input(
            ids.DONE_NOTE,
            "What we did",
            _text_input(max_length=1000),
            'Shown in the thread and in the weekly "you said, we did".',
            optional=True,
        ),
    ]
    return _modal(ids.DONE_MODAL, "Mark suggestion done", "Mark done", private_metadata, blocks)


def hide_modal(row: Suggestion, private_metadata: str) -> dict[str, Any]:
    blocks = [
        section(quote(said(row.text))),
        _input(
            ids.HIDE_REASON,
            "Why hide it",
            _text_input(max_length=500),
            "Only admins see the reason. The post is deleted from the channel.",
            optional=False,
        ),
    ]
    return _modal(ids.HIDE_MODAL, "Hide suggestion", "Hide", private_metadata, blocks)


def box_ready(channel: str) -> dict[str, Any]:
    text = (
        ":mailbox_with_mail: This channel is now Bravo's anonymous suggestion box. Anyone can "
        "post with `/suggest your idea`; Bravo posts it with no name attached."
    )
    return {"channel": channel, **message(text, [section(text)])}


def box_set(channel: str) -> str:
    return f"Done: suggestions now go to <#{channel}>."


def box_already(channel: str) -> str:
    return f"The suggestion box is already set up here: suggestions go to <#{channel}>."


EMPTY_SUGGESTION = "Write your suggestion."
LONG_DONE_NOTE = "Please keep it shorter."
