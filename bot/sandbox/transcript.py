"""What each person would see: recorded Web API calls rendered as readable lines.

Pure functions; the recorded calls (`bot.sandbox.calls.Call`) come from `FakeSlack`. Only calls
that change what someone sees are rendered (posts, ephemerals, updates, modals, Home tabs,
reactions, uploads); failed calls and read-only calls (users.info, auth.test...) are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from bot.sandbox.calls import Call

_ANGLE = re.compile(r"<([^<>]*)>")
_BROADCASTS = {"here": "@here", "channel": "@channel", "everyone": "@everyone"}


def _unescape(s: str) -> str:
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _lookup(key: str, *maps: Mapping[str, str] | None) -> str | None:
    for m in maps:
        if m and key in m:
            return m[key]
    return None


def mrkdwn_to_text(
    s: str, names: Mapping[str, str], channels: Mapping[str, str] | None = None
) -> str:
    """Slack mrkdwn as a person reads it: mentions named, links labelled, entities unescaped.

    `names` maps user ids (and, when `channels` is not given, channel ids too) to names.
    """

    def replace(match: re.Match[str]) -> str:
        inner = match.group(1)
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            uid = target[1:]
            return "@" + (_lookup(uid, names) or label or uid)
        if target.startswith("#"):
            cid = target[1:]
            return "#" + (_lookup(cid, channels, names) or label or cid)
        if target.startswith("!subteam^"):
            gid = target.split("^", 1)[1]
            return label if label.startswith("@") else "@" + (label or gid)
        if target.startswith("!"):
            word = target[1:].split("^", 1)[0]
            if word in _BROADCASTS:
                return _BROADCASTS[word]
            return label or word
        url = _unescape(target)
        return f"{_unescape(label)} ({url})" if label else url

    return _unescape(_ANGLE.sub(replace, s))


def _text(obj: Any, names: Mapping[str, str], channels: Mapping[str, str] | None) -> str:
    if not isinstance(obj, dict):
        return ""
    text = str(obj.get("text", ""))
    if obj.get("type") == "mrkdwn":
        return mrkdwn_to_text(text, names, channels)
    return text


def _element(el: Any, names: Mapping[str, str], channels: Mapping[str, str] | None) -> str:
    if not isinstance(el, dict):
        return ""
    kind = el.get("type")
    if kind == "button":
        return f"[{_text(el.get('text'), names, channels)}]"
    if kind in ("plain_text", "mrkdwn"):
        return _text(el, names, channels)
    if kind == "image":
        return f"({el.get('alt_text', 'image')})"
    if kind == "overflow":
        return "[…]"
    placeholder = _text(el.get("placeholder"), names, channels)
    return f"[{placeholder or kind} ▾]" if kind and "select" in kind else f"[{kind}]"


def _rich_text(node: Any, names: Mapping[str, str], channels: Mapping[str, str] | None) -> str:
    if isinstance(node, list):
        return "".join(_rich_text(n, names, channels) for n in node)
    if not isinstance(node, dict):
        return ""
    kind = node.get("type")
    if kind == "text":
        return str(node.get("text", ""))
    if kind == "user":
        uid = str(node.get("user_id", ""))
        return "@" + (names.get(uid) or uid)
    if kind == "channel":
        cid = str(node.get("channel_id", ""))
        return "#" + (_lookup(cid, channels, names) or cid)
    if kind == "link":
        return str(node.get("text") or node.get("url", ""))
    if kind == "emoji":
        return f":{node.get('name', '')}:"
    if kind == "broadcast":
        return "@" + str(node.get("range", ""))
    if kind in ("rich_text_list", "rich_text_section", "rich_text_quote", "rich_text_preformatted"):
        sep = "\n" if kind == "rich_text_list" else ""
        return sep.join(_rich_text(n, names, channels) for n in node.get("elements", []))
    return ""


def blocks_to_text(
    blocks: Iterable[Any], names: Mapping[str, str], channels: Mapping[str, str] | None = None
) -> str:
    """Readable text of a list of blocks, one or more lines per block."""
    lines: list[str] = []
    for block in blocks or []:
        if not isinstance(block, dict):
            continue
        kind = block.get("type")
        if kind == "header":
            lines.append(f"*{_text(block.get('text'), names, channels)}*")
        elif kind == "section":
            parts = []
            if block.get("text"):
                parts.append(_text(block["text"], names, channels))
            if block.get("fields"):
                parts.append(" | ".join(_text(f, names, channels) for f in block["fields"]))
            line = "\n".join(parts)
            if block.get("accessory"):
                accessory = _element(block["accessory"], names, channels)
                line = f"{line} {accessory}" if accessory else line
            lines.append(line)
        elif kind == "context":
            elements = (_element(e, names, channels) for e in block.get("elements", []))
            lines.append(" · ".join(e for e in elements if e))
        elif kind == "actions":
            lines.append(" ".join(_element(e, names, channels) for e in block.get("elements", [])))
        elif kind == "divider":
            lines.append("---")
        elif kind == "image":
            title = _text(block.get("title"), names, channels)
            lines.append(f"[image: {title or block.get('alt_text', '')}]")
        elif kind == "input":
            label = _text(block.get("label"), names, channels)
            lines.append(f"{label}: {_element(block.get('element'), names, channels)}")
        elif kind == "rich_text":
            lines.append(_rich_text(block.get("elements", []), names, channels))
        elif kind == "markdown":
            lines.append(mrkdwn_to_text(str(block.get("text", "")), names, channels))
    return "\n".join(lines)


def _message_text(
    args: Mapping[str, Any], names: Mapping[str, str], channels: Mapping[str, str]
) -> str:
    blocks = args.get("blocks")
    if isinstance(blocks, list) and blocks:
        return blocks_to_text(blocks, names, channels)
    return mrkdwn_to_text(str(args.get("text") or ""), names, channels)


def _indent(prefix: str, body: str) -> list[str]:
    body_lines = body.splitlines() or [""]
    pad = " " * len(prefix)
    return [prefix + body_lines[0]] + [pad + line for line in body_lines[1:]]


def _person(uid: Any, names: Mapping[str, str]) -> str:
    return "@" + (names.get(str(uid)) or str(uid or "someone"))


def _where(call: Call, channel: Any, names: Mapping[str, str], channels: Mapping[str, str]) -> str:
    dm_user = call.context.get("dm_user")
    cid = str(channel or "")
    if dm_user:
        return f"DM to {_person(dm_user, names)}"
    if cid in channels:
        return f"#{channels[cid]}"
    if cid[:1] in ("U", "W") and cid in names:
        return f"DM to {_person(cid, names)}"
    return cid or "somewhere"


def _succeeded(call: Call) -> bool:
    if call.status != 200:
        return False
    if call.method == "response_url":
        return True
    return bool(call.response.get("ok"))


def _render_call(
    call: Call, names: Mapping[str, str], channels: Mapping[str, str], bot: str
) -> list[str]:
    args, method = call.args, call.method
    thread = " (in thread)" if args.get("thread_ts") else ""
    if method in ("chat.postMessage", "chat.scheduleMessage"):
        when = f" (scheduled for {args.get('post_at')})" if method == "chat.scheduleMessage" else ""
        where = _where(call, args.get("channel"), names, channels)
        return _indent(f"{where}{thread}{when}  {bot}: ", _message_text(args, names, channels))
    if method == "chat.postEphemeral":
        prefix = f"only {_person(args.get('user'), names)} sees  {bot}: "
        return _indent(prefix, _message_text(args, names, channels))
    if method == "chat.update":
        where = _where(call, args.get("channel"), names, channels)
        return _indent(f"{where}  (updated) {bot}: ", _message_text(args, names, channels))
    if method == "chat.delete":
        return [f"{_where(call, args.get('channel'), names, channels)}  ({bot} deleted a message)"]
    if method == "response_url":
        return _render_response_url(call, names, channels, bot)
    if method in ("views.open", "views.push", "views.update", "views.publish"):
        return _render_view(call, names, channels)
    if method == "reactions.add":
        where = _where(call, args.get("channel"), names, channels)
        return [f"{where}  {bot} reacts :{args.get('name')}:"]
    if method == "files.completeUploadExternal":
        where = _where(call, args.get("channel_id"), names, channels)
        raw = args.get("files")
        files = [f for f in raw if isinstance(f, dict)] if isinstance(raw, list) else []
        titles = ", ".join(f'"{f.get("title") or f.get("id")}"' for f in files)
        comment = mrkdwn_to_text(str(args.get("initial_comment") or ""), names, channels)
        return _indent(f"{where}  {bot} uploads {titles}", f" {comment}" if comment else "")
    return []


def _render_response_url(
    call: Call, names: Mapping[str, str], channels: Mapping[str, str], bot: str
) -> list[str]:
    args, ctx = call.args, call.context
    user, channel = ctx.get("user"), ctx.get("channel")
    if args.get("delete_original"):
        return [f"{_person(user, names)}'s message from {bot} is removed"]
    updated = "(updated) " if args.get("replace_original") else ""
    if args.get("response_type") == "in_channel":
        where = _where(call, channel, names, channels)
    else:
        where = f"only {_person(user, names)} sees"
    return _indent(f"{where}  {updated}{bot}: ", _message_text(args, names, channels))


def _render_view(call: Call, names: Mapping[str, str], channels: Mapping[str, str]) -> list[str]:
    raw = call.args.get("view")
    view: dict[str, Any] = raw if isinstance(raw, dict) else {}
    person = _person(call.context.get("user") or call.args.get("user_id"), names)
    body = blocks_to_text(view.get("blocks") or [], names, channels)
    if call.method == "views.publish":
        head = f"{person}'s Home tab shows:"
    else:
        title = _text(view.get("title"), names, channels)
        verb = {"views.open": "sees a modal", "views.push": "sees a stacked modal"}.get(
            call.method, "sees the modal change to"
        )
        head = f'{person} {verb} "{title}"'
    return [head] + ["    " + line for line in body.splitlines()]


def render_transcript(
    calls: Iterable[Call],
    names: Mapping[str, str],
    channels: Mapping[str, str],
    *,
    bot_name: str = "Bravo",
) -> str:
    """One or more lines per visible effect, in call order; read-only and failed calls skipped."""
    lines: list[str] = []
    for call in calls:
        if _succeeded(call):
            lines += _render_call(call, names, channels, bot_name)
    return "\n".join(lines)
