"""Small Block Kit builders shared by the renderers (pure functions)."""

from __future__ import annotations

from typing import Any

Block = dict[str, Any]
SECTION_LIMIT = 3000


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, SECTION_LIMIT)}}


def context(*texts: str) -> Block:
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": clip(t, 3000)} for t in texts[:10]],
    }


def header(text: str) -> Block:
    return {
        "type": "header",
        "text": {"type": "plain_text", "text": clip(text, 150), "emoji": True},
    }


def button(text: str, action_id: str, value: str, style: str | None = None) -> Block:
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": clip(text, 75)},
        "action_id": action_id,
        "value": value[:2000],
    }
    if style:
        element["style"] = style
    return element


def quote(mrkdwn: str) -> str:
    return "\n".join("> " + line for line in mrkdwn.splitlines() or [""])


def mentions(user_ids: tuple[str, ...] | list[str]) -> str:
    names = [f"<@{u}>" for u in user_ids]
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def message(text: str, blocks: list[Block]) -> dict[str, Any]:
    return {"text": clip(text, 3000), "blocks": blocks[:50]}
