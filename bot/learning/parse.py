"""``/learned`` text -> what was asked. Pure. Each subcommand's own words (a lesson's skill and
link, a search's words, a course's title and date) are read by the module that serves it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Form:
    """``/learned`` alone: the lesson form."""


@dataclass(frozen=True)
class Share:
    """``/learned <what you learned>`` (or ``/learned share <...>``, which is always a lesson,
    even when it starts with a subcommand's word)."""

    text: str


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
        return Share(rest) if rest else Form()
    if word == "search":
        return Search(rest)
    if word == "course":
        return Course(rest)
    if word in ("mine", "help") and not rest:
        return Mine() if word == "mine" else LearnedHelp()
    return Share(text)
