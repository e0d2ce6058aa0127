"""``/learned`` text -> what was asked. Pure. Each subcommand's own words (a lesson's skill and
link, a search's words, a course's title and date) are read by the module that serves it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.commands import meant
from bot.learning import ids
from bot.text import plain


@dataclass(frozen=True)
class Form:
    """``/learned`` alone: the lesson form."""


@dataclass(frozen=True)
class Share:
    """``/learned <what you learned>`` (or ``/learned share <...>``, which is always a lesson,
    even when it starts with a subcommand's word: ``forced``)."""

    text: str
    forced: bool = False


@dataclass(frozen=True)
class Search:
    """``/learned search <words> [#skill]``."""

    text: str


@dataclass(frozen=True)
class Mine:
    """``/learned mine``: your own lessons and the ones you saved."""


@dataclass(frozen=True)
class Course:
    """``/learned course "<title>" [#skill] [...]``: training you took."""

    text: str


@dataclass(frozen=True)
class LearnedHelp:
    pass


Asked = Form | Share | Search | Mine | Course | LearnedHelp
SUBCOMMANDS = ("share", "search", "mine", "course", "help")


def parse_learned_command(text: str) -> Asked:
    text = text.strip()
    if not text:
        return Form()
    first, _, rest = text.partition(" ")
    word, rest = first.lower(), rest.strip()
    if word == "share":
        return Share(rest, forced=True) if rest else Form()
    if word == "search":
        return Search(rest)
    if word == "course":
        return Course(rest)
    if word in ("mine", "help") and not rest:
        return Mine() if word == "mine" else LearnedHelp()
    return Share(text)


# A lesson's own words ----------------------------------------------------------------------------

SKILL_RE = re.compile(r"(?<![\w<&#])#([A-Za-z][\w-]{0,63})\b")
LINK_RE = re.compile(r"<(https?://[^>|\s]+)(?:\|[^>]*)?>|(?<![<\w])(https?://[^\s<>]+)")
MISTYPE_WORDS = 5  # a text this short whose first word is nearly a subcommand is asked about
EXACT_WORDS = 2  # ... and this short when the first word is one ("mine please")


@dataclass(frozen=True)
class LessonText:
    """``/learned <what you learned> [#skill] [link]`` read: the lesson and what came with it."""

    learned: str
    skills: tuple[str, ...]  # every #word typed (the use case checks there is one, a known one)
    link: str | None


def lesson_text(text: str) -> LessonText:
    """The lesson without its ``#skill`` and its (last) http(s) link, spaces tidied."""
    skills = tuple(m.group(1).lower() for m in SKILL_RE.finditer(text))
    links = [m.group(1) or m.group(2) for m in LINK_RE.finditer(text)]
    rest = SKILL_RE.sub("", text)
    link = links[-1] if links else None
    if link:
        rest = LINK_RE.sub(lambda m: "" if (m.group(1) or m.group(2)) == link else m.group(0), rest)
    learned = re.sub(r"[ \t]+", " ", rest).strip(" \t\n-–—:,")
    return LessonText(learned, skills, plain(link) if link else None)


def mistyped(share: Share) -> str | None:
    """The subcommand a short ``/learned`` text most likely meant (``serach refund`` ->
    ``search``; ``mine please`` -> ``mine``), or None: a lesson. ``share`` forces a lesson."""
    if share.forced:
        return None
    words = share.text.split()
    if not words or len(words) > MISTYPE_WORDS:
        return None
    first = words[0].lower()
    if first in SUBCOMMANDS:  # "mine please", "help me": the word itself, and little else
        return first if first != "share" and len(words) <= EXACT_WORDS else None
    near = meant(ids.LEARNED_COMMAND, first)
    return near if near != "share" else None


def link_of(typed: str | None) -> str | None:
    """A typed link, if it is one Bravo keeps: http or https, no spaces, not too long."""
    link = (typed or "").strip()
    if not link:
        return None
    if len(link) > ids.MAX_LINK or not re.fullmatch(r"https?://[^\s<>|]+", link, re.I):
        raise ValueError(link)
    return link


# The lesson form ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submitted:
    """What the lesson form held."""

    what_happened: str
    learned: str
    skill: str | None
    link: str  # as typed: the use case checks it
    post_to: str | None  # a team channel, or None: keep it private


def _value(view: dict[str, Any], block: str) -> dict[str, Any]:
    values = ((view.get("state") or {}).get("values") or {}).get(block) or {}
    found = values.get(ids.INPUT) or {}
    return found if isinstance(found, dict) else {}


def submitted_of(view: dict[str, Any]) -> Submitted:
    def text(block: str) -> str:
        return str(_value(view, block).get("value") or "").strip()

    def chosen(block: str) -> str | None:
        option = _value(view, block).get("selected_option") or {}
        value = str(option.get("value") or "") if isinstance(option, dict) else ""
        return value if value and value != ids.NO_POST else None

    return Submitted(
        what_happened=text(ids.STORY_BLOCK),
        learned=text(ids.LEARNED_BLOCK),
        skill=chosen(ids.SKILL_BLOCK),
        link=text(ids.LINK_BLOCK),
        post_to=chosen(ids.POST_BLOCK),
    )


@dataclass(frozen=True)
class FormMeta:
    """What a lesson form is for: a new lesson, an edit (``lesson_id``), or a message saved
    (``channel``/``ts``/``author``)."""

    lesson_id: int | None = None
    channel: str | None = None
    ts: str | None = None
    author: str | None = None


def meta_text(meta: FormMeta) -> str:
    if meta.lesson_id is not None:
        return f"edit:{meta.lesson_id}"
    if meta.ts:
        return f"save:{meta.channel}:{meta.ts}:{meta.author}"
    return "new"


def meta_of(view: dict[str, Any]) -> FormMeta:
    raw = str(view.get("private_metadata") or "")
    kind, _, rest = raw.partition(":")
    if kind == "edit" and rest.isascii() and rest.isdigit() and len(rest) <= 12:
        return FormMeta(lesson_id=int(rest))
    if kind == "save":
        channel, _, tail = rest.partition(":")
        ts, _, author = tail.partition(":")
        if channel and ts and author:
            return FormMeta(channel=channel[:32], ts=ts[:32], author=author[:32])
    return FormMeta()


def lesson_id_of(value: object) -> int | None:
    raw = str(value or "").partition(":")[0]
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 12 else None


def post_target_of(value: object) -> tuple[int | None, str]:
    """A Post button's value: the lesson and the channel."""
    lesson, _, channel = str(value or "").partition(":")
    return lesson_id_of(lesson), channel[:32]


# A message shortcut -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    """The message a **Save as a lesson** shortcut was used on, as the payload carries it."""

    team_id: str  # the workspace the shortcut came from
    message_team: str | None  # the message's own workspace (another one's in a shared channel)
    channel: str
    ts: str
    author: str | None  # None: a message with no user (a bot's or an app's)
    is_bot: bool
    text: str


def message_of(body: dict[str, Any]) -> Message:
    msg = body.get("message") or {}
    team = str(body.get("team_id") or (body.get("team") or {}).get("id") or "")
    user = msg.get("user")
    return Message(
        team_id=team,
        message_team=str(msg.get("team")) if msg.get("team") else None,
        channel=str((body.get("channel") or {}).get("id") or ""),
        ts=str(msg.get("ts") or body.get("message_ts") or ""),
        author=str(user) if isinstance(user, str) and user else None,
        is_bot=bool(msg.get("bot_id") or msg.get("subtype") == "bot_message"),
        text=str(msg.get("text") or ""),
    )
