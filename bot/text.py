"""Slack text in and out: escaping user text for mrkdwn and parsing entity tokens.

Slack escapes ``&``, ``<`` and ``>`` typed by a person and sends real mentions as entities
(``<@U123|ana>``, ``<!subteam^S1|@team>``, ``<#C1|general>``). Whatever Bravo posts is mrkdwn, so
anything a person wrote is re-escaped here: a ``<!channel>`` in a reason can never ping anyone.

The one rule for repeating what people wrote: no user mention, user-group mention or broadcast is
ever live. A user mention becomes plain ``@name`` (``@someone`` when the name is not known), a
user group its plain ``@handle``, a broadcast (``<!channel>``, ``<!here>``, ``<!everyone>``) plain
``@channel`` without the brackets. Channel links and web links stay links: they ping no one.
Plain text from a form goes through ``escape``; Slack's escaped text and stored mrkdwn through
``said`` (which is idempotent, so text made safe when it was stored can be made safe again).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

ENTITY_RE = re.compile(r"<([^<>]*)>")
USER_RE = re.compile(r"^@([UW][A-Z0-9]+)(?:\|([^>]*))?$")
GROUP_RE = re.compile(r"^!subteam\^([A-Z0-9]+)(?:\|([^>]*))?$")
CHANNEL_RE = re.compile(r"^#([CG][A-Z0-9]+)(?:\|([^>]*))?$")
LINK_RE = re.compile(r"^(https?://[^|\s]+)(?:\|([^>]*))?$")


# Invisible characters with no job in what people type to Bravo: zero-width space, word joiner,
# byte-order mark. Joiners (ZWNJ, ZWJ) are kept between two visible characters, where they shape
# emoji sequences and scripts such as Persian; anywhere else they are invisible padding.
INVISIBLE_RE = re.compile(r"[\u200b\u2060\ufeff]")
JOINER_RE = re.compile(
    r"(?<![^\s\u200c\u200d])[\u200c\u200d]+|[\u200c\u200d]+(?![^\s\u200c\u200d])"
)
# Control characters other than tab and newlines: PostgreSQL refuses NUL in text, and none of
# them means anything in Slack, so the same input behaves the same on both databases.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def is_number(text: str) -> bool:
    """ASCII digits only: ``str.isdigit`` also accepts "²" (which ``int`` refuses) and "٣"."""
    return text.isascii() and text.isdigit()


def whole_number(text: object, *, max_digits: int = 12) -> int | None:
    """The number a button value or form field carries (an id, a rating), or None."""
    raw = str(text or "")
    return int(raw) if is_number(raw) and len(raw) <= max_digits else None


def clean(text: str) -> str:
    """What a person typed, without invisible padding or control characters: text made only of
    zero-width characters becomes empty, so every "required" check sees it as empty."""
    text = CONTROL_RE.sub("", text)
    text = INVISIBLE_RE.sub("", text)
    return JOINER_RE.sub("", text)


def escape(text: str) -> str:
    """Escape plain text for mrkdwn: control characters only, as Slack documents."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plain(text: str) -> str:
    """Undo Slack's escaping of a typed text (``&lt;`` back to ``<``)."""
    return html.unescape(text)


@dataclass(frozen=True)
class Token:
    kind: str  # "user" | "group" | "channel" | "link" | "special" | "text"
    raw: str
    id: str = ""
    label: str = ""


def tokenize(text: str) -> list[Token]:
    """Split slash-command text into entity tokens and text runs."""
    tokens: list[Token] = []
    pos = 0
    for match in ENTITY_RE.finditer(text):
        if match.start() > pos:
            tokens.append(Token("text", text[pos : match.start()]))
        inner = match.group(1)
        tokens.append(_entity(match.group(0), inner))
        pos = match.end()
    if pos < len(text):
        tokens.append(Token("text", text[pos:]))
    return tokens


def _entity(raw: str, inner: str) -> Token:
    if m := USER_RE.match(inner):
        return Token("user", raw, id=m.group(1), label=(m.group(2) or "").lstrip("@"))
    if m := GROUP_RE.match(inner):
        return Token("group", raw, id=m.group(1), label=(m.group(2) or "").lstrip("@"))
    if m := CHANNEL_RE.match(inner):
        return Token("channel", raw, id=m.group(1), label=m.group(2) or "")
    if m := LINK_RE.match(inner):
        return Token("link", raw, id=m.group(1), label=m.group(2) or "")
    return Token("special", raw, label=inner)


BROADCASTS = ("channel", "here", "everyone", "group")


def safe_mrkdwn(tokens: list[Token], names: Mapping[str, str] | None = None) -> str:
    """Re-assemble tokens as mrkdwn that mentions no one and pings no one at large.

    User mentions become plain ``@name`` (from the mention's own label, else ``names``, else
    ``@someone``); user groups and broadcasts plain text; channel links and links stay live.
    """
    out: list[str] = []
    for tok in tokens:
        if tok.kind == "user":
            name = plain(tok.label) or (names or {}).get(tok.id) or "someone"
            out.append(escape("@" + name))
        elif tok.kind == "channel":
            out.append(f"<#{tok.id}>")
        elif tok.kind == "link":
            label = plain(tok.label) if tok.label else ""
            out.append(f"<{tok.id}|{escape(label)}>" if label else f"<{tok.id}>")
        elif tok.kind == "group":
            out.append(escape("@" + plain(tok.label or "team")))
        elif tok.kind == "special":
            out.append(escape(_special(tok.label)))
        else:
            out.append(escape(plain(tok.raw)))
    return "".join(out)


def _special(inner: str) -> str:
    """``!channel``, ``!here|here``, ``!date^...|Feb 18``: what it reads as, in plain words."""
    name, _, label = inner.partition("|")
    name = name.lstrip("!")
    if name.split("^")[0] in BROADCASTS:
        return "@" + name.split("^")[0]
    return plain(label) or name


def said(text: str, names: Mapping[str, str] | None = None) -> str:
    """What a person wrote (Slack's escaped text, or mrkdwn stored earlier), as mrkdwn Bravo can
    repeat: no live user, user-group or broadcast mention survives."""
    return safe_mrkdwn(tokenize(text), names)


def visible_length(tokens: list[Token]) -> int:
    """Roughly how long the text reads (a mention counts as a short name)."""
    total = 0
    for tok in tokens:
        if tok.kind == "text" or tok.kind == "special":
            total += len(plain(tok.raw))
        else:
            total += max(4, len(tok.label))
    return total


def trim(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters: whole if it fits, else cut at the last word
    boundary (a word longer than half the room is cut where it must) and ended with "…"."""
    if len(text) <= limit:
        return text
    if limit <= 1:
        return "…"[:limit]
    cut = text[: limit - 1]
    if not text[limit - 1].isspace():
        space = max(cut.rfind(" "), cut.rfind("\n"), cut.rfind("\t"))
        if space >= (limit - 1) // 2:
            cut = cut[:space]
    return cut.rstrip() + "…"


# An erased person (``/bravo forget``): what they gave others stays, naming no one.
ERASED_ID = "erased"  # the id stored in their place (storage.privacy writes it)
LEFT_BRAVO = "someone who has left Bravo"


def person(user_id: str) -> str:
    """A person as mrkdwn: their live mention, or words for someone erased from Bravo."""
    return LEFT_BRAVO if user_id == ERASED_ID else f"<@{user_id}>"
