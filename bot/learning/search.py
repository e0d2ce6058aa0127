"""``/learned search <words> [#skill]``: lessons the person may see, most helpful first.

Who finds what is decided in ``storage.learning_search``: lessons of the workspace their author
posted, and the person's own (authored, or saved from a message by them) even while private.
Never someone else's private lesson, never another workspace's.

What was typed: words, and at most one skill as ``#skill`` (checked against the workspace's
skills, with "did you mean"). Words alone, a skill alone (the most helpful lessons of that
skill), or both. A search reads only: one read transaction, nothing written, so a replayed
request is harmless."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from bot.deps import Deps
from bot.errors import BravoError, error_text
from bot.learning.ids import LEARNED_COMMAND
from bot.learning.skills import nearest, skills_of
from bot.text import escape, plain, tokenize
from storage.learning_search import MAX_TERMS, POOL, search_lessons, terms_of
from storage.models.learning import Lesson

PAGE = 10  # lessons a reply shows
SHOWN = 40  # at most this much of what was typed is repeated in an error
SKILL_RE = re.compile(r"(?<![\w&])#([A-Za-z][A-Za-z0-9_-]*)")
USAGE = (
    f"Search the lessons your workspace shared: `{LEARNED_COMMAND} search <words>`, for example "
    f"`{LEARNED_COMMAND} search refund angry caller`. Add a skill to narrow it "
    f"(`{LEARNED_COMMAND} search refund #empathy`), or give the skill alone for its most "
    f"helpful lessons (`{LEARNED_COMMAND} search #empathy`)."
)


def _shown(typed: str) -> str:
    typed = " ".join(typed.split())
    return escape(typed if len(typed) <= SHOWN else typed[:SHOWN] + "…")


# Errors ---------------------------------------------------------------------------------------


@dataclass
class EmptySearchError(BravoError):
    """``/learned search`` with nothing to search for."""


@error_text.register
def _(err: EmptySearchError) -> str:
    return USAGE


@dataclass
class SearchSkillError(BravoError):
    """``#word`` where the word is no skill of the workspace."""

    typed: str
    near: str | None
    skills: tuple[str, ...]


@error_text.register
def _(err: SearchSkillError) -> str:
    known = ", ".join(f"`#{s}`" for s in err.skills) or "none yet"
    lead = f"There's no skill called `#{_shown(err.typed)}`."
    if err.near:
        lead += f" Did you mean `#{err.near}`?"
    return f"{lead} Skills you can search by: {known}."


@dataclass
class NoWordsError(BravoError):
    """Words that leave nothing to search for: only common words ("the", "how"), symbols or
    emoji."""

    typed: str


@error_text.register
def _(err: NoWordsError) -> str:
    return (
        f"`{_shown(err.typed)}` has no word to search for (very common words, symbols and "
        f"emoji are left out). Try a word that would be in the lesson, for example "
        f"`{LEARNED_COMMAND} search refund`."
    )


# What was asked -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Asked:
    words: str  # the words, without the skill
    skill: str | None  # as typed (lowercased), not yet checked


def parse_search(text: str) -> Asked:
    """The words and the skill of ``/learned search`` text (Slack's escaped text). A mention
    counts as its name; a channel link ``<#C1|empathy>`` as the skill it names; links are left
    out. The first ``#skill`` is the skill; a second one is searched as a word."""
    words: list[str] = []
    skill: str | None = None
    for tok in tokenize(text):
        if tok.kind == "channel" and tok.label and skill is None:
            skill = plain(tok.label).lower()
        elif tok.kind in ("user", "group", "channel"):
            words.append(plain(tok.label))
        elif tok.kind == "text":
            raw = tok.raw
            if skill is None and (first := SKILL_RE.search(raw)):
                skill = first.group(1).lower()
                raw = raw[: first.start()] + raw[first.end() :]
            words.append(SKILL_RE.sub(r"\1", raw))
    return Asked(" ".join(plain(" ".join(words)).split()), skill)


def check_skill(typed: str, skills: tuple[str, ...]) -> str:
    if typed in skills:
        return typed
    raise SearchSkillError(typed, nearest(typed, skills), skills)


# The search -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Results:
    words: str  # the terms searched for, joined ("" for a skill alone)
    skill: str | None
    lessons: list[Lesson]
    more: bool
    page: int  # 0 for the first
    dropped: int  # words over the limit, left out
    skills: tuple[str, ...]  # the workspace's, to suggest another

    @property
    def first(self) -> int:
        """The number of the first lesson shown (1-based)."""
        return self.page * PAGE + 1


def search(deps: Deps, *, team_id: str, user_id: str, text: str, page: int = 0) -> Results:
    """``/learned search <text>``: the page ``page`` of lessons ``user_id`` may see."""
    asked = parse_search(text)
    skills = skills_of(deps, team_id)
    skill = check_skill(asked.skill, skills) if asked.skill is not None else None
    terms = terms_of(asked.words)
    if not terms.words and skill is None:
        if asked.words:
            raise NoWordsError(asked.words)
        raise EmptySearchError()
    page = max(0, min(page, POOL // PAGE))  # past the most shown: none
    with deps.db.read() as session:
        found = search_lessons(
            session,
            team_id=team_id,
            viewer_id=user_id,
            words=" ".join(terms.words),
            skill=skill,
            limit=PAGE,
            offset=page * PAGE,
        )
    return Results(
        " ".join(terms.words), skill, found.lessons, found.more, page, terms.dropped, skills
    )


def more_value(results: Results) -> str:
    """What the More button carries: the search again, one page on (no lesson text)."""
    return json.dumps({"w": results.words, "s": results.skill, "p": results.page + 1})


def more_of(value: str) -> tuple[str, int]:
    """The search text and page a More button asks for; a value that does not read is the
    first page of an empty search (which answers with the usage words)."""
    try:
        found = json.loads(value)
        words, skill, page = str(found.get("w") or ""), found.get("s"), int(found.get("p") or 0)
    except (ValueError, TypeError, AttributeError):
        return "", 0
    text = words + (f" #{skill}" if isinstance(skill, str) and skill else "")
    return text[: MAX_TERMS * 70], max(0, page)
