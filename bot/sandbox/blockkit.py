"""Block Kit limits that Slack enforces, as pure checks returning problem strings.

Each problem reads like Slack's own `invalid_blocks` errors: what is wrong, then a JSON pointer to
where, e.g. ``must be at most 3000 characters [json-pointer:/blocks/0/text/text]``. An empty list
means Slack would accept the payload (as far as these checks go).
"""

from __future__ import annotations

import json
from typing import Any

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_VIEW_BYTES = 250_000
MAX_ID_LENGTH = 255

BLOCK_TYPES = frozenset(
    {
        "actions",
        "context",
        "context_actions",
        "divider",
        "file",
        "header",
        "image",
        "input",
        "markdown",
        "rich_text",
        "section",
        "table",
        "video",
        "call",
    }
)
TEXT_TYPES = frozenset({"plain_text", "mrkdwn"})
SELECTS_WITH_OPTIONS = frozenset({"static_select", "multi_static_select"})
OPTION_LIMITS = {"overflow": 5, "checkboxes": 10, "radio_buttons": 10}


def _where(problem: str, path: str) -> str:
    return f"{problem} [json-pointer:{path}]"


def check_text(
    obj: Any,
    path: str,
    *,
    max_len: int,
    plain_only: bool = False,
    required: bool = True,
) -> list[str]:
    """A text object: {"type": "plain_text"|"mrkdwn", "text": "..."} within max_len chars."""
    if obj is None:
        return [_where("must provide a text object", path)] if required else []
    if not isinstance(obj, dict):
        return [_where("must be a text object", path)]
    kind = obj.get("type")
    if plain_only and kind != "plain_text":
        return [_where("must be a plain_text text object", f"{path}/type")]
    if kind not in TEXT_TYPES:
        return [_where("must be plain_text or mrkdwn", f"{path}/type")]
    text = obj.get("text")
    if not isinstance(text, str):
        return [_where("must be a string", f"{path}/text")]
    if not text:
        return [_where("must be more than 0 characters", f"{path}/text")]
    if len(text) > max_len:
        return [_where(f"must be at most {max_len} characters", f"{path}/text")]
    return []


def _check_id(value: Any, path: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, str):
        return [_where("must be a string", path)]
    if len(value) > MAX_ID_LENGTH:
        return [_where(f"must be at most {MAX_ID_LENGTH} characters", path)]
    return []


def _check_option(option: Any, path: str) -> list[str]:
    if not isinstance(option, dict):
        return [_where("must be an option object", path)]
    problems = check_text(option.get("text"), f"{path}/text", max_len=75)
    value = option.get("value")
    if value is not None and (not isinstance(value, str) or len(value) > 150):
        problems.append(_where("must be a string of at most 150 characters", f"{path}/value"))
    return problems


def _check_options(options: Any, path: str, *, limit: int) -> list[str]:
    if not isinstance(options, list):
        return [_where("must be an array", path)]
    problems = []
    if len(options) > limit:
        problems.append(_where(f"must have at most {limit} items", path))
    for i, option in enumerate(options):
        problems += _check_option(option, f"{path}/{i}")
    return problems


def check_element(element: Any, path: str) -> list[str]:
    """An interactive element or a context element (image/text)."""
    if not isinstance(element, dict):
        return [_where("must be an object", path)]
    kind = element.get("type")
    if not isinstance(kind, str):
        return [_where("must provide an element type", f"{path}/type")]
    problems = _check_id(element.get("action_id"), f"{path}/action_id")
    if kind in TEXT_TYPES:
        return problems + check_text(element, path, max_len=3000)
    if kind == "button":
        problems += check_text(element.get("text"), f"{path}/text", max_len=75, plain_only=True)
        value = element.get("value")
        if value is not None and (not isinstance(value, str) or len(value) > 2000):
            problems.append(_where("must be a string of at most 2000 characters", f"{path}/value"))
        url = element.get("url")
        if url is not None and (not isinstance(url, str) or len(url) > 3000):
            problems.append(_where("must be a string of at most 3000 characters", f"{path}/url"))
        if element.get("style") not in (None, "primary", "danger"):
            problems.append(_where("must be primary or danger", f"{path}/style"))
    elif kind in SELECTS_WITH_OPTIONS:
        if "options" in element:
            problems += _check_options(element["options"], f"{path}/options", limit=100)
        groups = element.get("option_groups")
        if groups is not None:
            if not isinstance(groups, list) or len(groups) > 100:
                problem = "must be an array of at most 100 items"
                problems.append(_where(problem, f"{path}/option_groups"))
            else:
                for g, group in enumerate(groups):
                    options = group.get("options", []) if isinstance(group, dict) else None
                    problems += _check_options(
                        options, f"{path}/option_groups/{g}/options", limit=100
                    )
    elif kind in OPTION_LIMITS:
        problems += _check_options(
            element.get("options"), f"{path}/options", limit=OPTION_LIMITS[kind]
        )
    elif kind == "image":
        problems += _check_image(element, path)
    if "placeholder" in element:
        problems += check_text(element["placeholder"], f"{path}/placeholder", max_len=150)
    return problems


def _check_image(obj: dict[str, Any], path: str) -> list[str]:
    problems = []
    if not obj.get("image_url") and not obj.get("slack_file"):
        problems.append(_where("must provide image_url or slack_file", path))
    alt = obj.get("alt_text")
    if not isinstance(alt, str) or not alt or len(alt) > 2000:
        problems.append(_where("must be a string of 1 to 2000 characters", f"{path}/alt_text"))
    return problems


def _check_elements(block: dict[str, Any], path: str, *, limit: int) -> list[str]:
    elements = block.get("elements")
    if not isinstance(elements, list) or not elements:
        return [_where("must provide at least 1 element", f"{path}/elements")]
    problems = []
    if len(elements) > limit:
        problems.append(_where(f"must have at most {limit} items", f"{path}/elements"))
    for i, element in enumerate(elements):
        problems += check_element(element, f"{path}/elements/{i}")
    return problems


def check_block(block: Any, path: str) -> list[str]:
    """One block: a known type and the limits of that type."""
    if not isinstance(block, dict):
        return [_where("must be an object", path)]
    kind = block.get("type")
    if kind not in BLOCK_TYPES:
        return [_where(f"must be a known block type, not {kind!r}", f"{path}/type")]
    problems = _check_id(block.get("block_id"), f"{path}/block_id")
    if kind == "section":
        problems += _check_section(block, path)
    elif kind == "header":
        problems += check_text(block.get("text"), f"{path}/text", max_len=150, plain_only=True)
    elif kind == "actions":
        problems += _check_elements(block, path, limit=25)
    elif kind == "context":
        problems += _check_elements(block, path, limit=10)
    elif kind == "input":
        problems += check_text(block.get("label"), f"{path}/label", max_len=2000, plain_only=True)
        if "hint" in block:
            problems += check_text(block["hint"], f"{path}/hint", max_len=2000, plain_only=True)
        if "element" not in block:
            problems.append(_where("must provide an element", f"{path}/element"))
        else:
            problems += check_element(block["element"], f"{path}/element")
    elif kind == "image":
        problems += _check_image(block, path)
        if "title" in block:
            problems += check_text(block["title"], f"{path}/title", max_len=2000, plain_only=True)
    elif kind == "markdown":
        text = block.get("text")
        if not isinstance(text, str) or not text or len(text) > 12000:
            problems.append(_where("must be a string of 1 to 12000 characters", f"{path}/text"))
    return problems


def _check_section(block: dict[str, Any], path: str) -> list[str]:
    problems: list[str] = []
    text, fields = block.get("text"), block.get("fields")
    if text is None and fields is None:
        return [_where("must provide either text or fields", path)]
    if text is not None:
        problems += check_text(text, f"{path}/text", max_len=3000)
    if fields is not None:
        if not isinstance(fields, list):
            return [*problems, _where("must be an array", f"{path}/fields")]
        if len(fields) > 10:
            problems.append(_where("must have at most 10 items", f"{path}/fields"))
        for i, field in enumerate(fields):
            problems += check_text(field, f"{path}/fields/{i}", max_len=2000)
    if "accessory" in block:
        problems += check_element(block["accessory"], f"{path}/accessory")
    return problems


def check_blocks(
    blocks: Any, *, max_blocks: int = MAX_MESSAGE_BLOCKS, path: str = "/blocks"
) -> list[str]:
    """A list of blocks: at most max_blocks, each valid, block_ids unique."""
    if not isinstance(blocks, list):
        return [_where("must be an array", path)]
    problems = []
    if len(blocks) > max_blocks:
        problems.append(_where(f"must have at most {max_blocks} items", path))
    seen: set[str] = set()
    for i, block in enumerate(blocks):
        problems += check_block(block, f"{path}/{i}")
        block_id = block.get("block_id") if isinstance(block, dict) else None
        if isinstance(block_id, str):
            if block_id in seen:
                problems.append(_where(f"duplicate block_id {block_id!r}", f"{path}/{i}/block_id"))
            seen.add(block_id)
    return problems


def check_message(payload: dict[str, Any]) -> list[str]:
    """The blocks of a chat.* or response_url message payload."""
    blocks = payload.get("blocks")
    if blocks is None:
        return []
    return check_blocks(blocks, max_blocks=MAX_MESSAGE_BLOCKS)


def check_view(view: Any) -> list[str]:
    """A modal or Home tab view: blocks, titles, ids, metadata and total size."""
    if not isinstance(view, dict):
        return [_where("must be a view object", "/view")]
    problems = []
    kind = view.get("type")
    if kind not in ("modal", "home"):
        problems.append(_where("must be modal or home", "/view/type"))
    size = len(json.dumps(view, ensure_ascii=False).encode("utf-8"))
    if size > MAX_VIEW_BYTES:
        problems.append(_where(f"view is {size} bytes, must be at most {MAX_VIEW_BYTES}", "/view"))
    blocks = view.get("blocks")
    if blocks is None:
        problems.append(_where("must provide blocks", "/view/blocks"))
    else:
        problems += check_blocks(blocks, max_blocks=MAX_VIEW_BLOCKS, path="/view/blocks")
    if kind == "modal":
        problems += check_text(view.get("title"), "/view/title", max_len=24, plain_only=True)
        for key in ("submit", "close"):
            if view.get(key) is not None:
                problems += check_text(view[key], f"/view/{key}", max_len=24, plain_only=True)
        has_input = isinstance(blocks, list) and any(
            isinstance(b, dict) and b.get("type") == "input" for b in blocks
        )
        if has_input and view.get("submit") is None:
            problem = "must provide submit when the view has input blocks"
            problems.append(_where(problem, "/view/submit"))
    for key in ("callback_id", "external_id"):
        problems += _check_id(view.get(key), f"/view/{key}")
    metadata = view.get("private_metadata")
    if metadata is not None and (not isinstance(metadata, str) or len(metadata) > 3000):
        problem = "must be a string of at most 3000 characters"
        problems.append(_where(problem, "/view/private_metadata"))
    return problems
