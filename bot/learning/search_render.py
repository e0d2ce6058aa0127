"""``/learned search`` results as Block Kit (pure). Each lesson's text is what people wrote, so it
is repeated mention-safe (``bot.text.said``): a lesson holding ``<@U1>``, ``<!channel>`` or
``<!subteam^S1>`` never pings anyone. Its author is named with a mention (an id Bravo stored,
not typed text); the reply is ephemeral."""

from __future__ import annotations

import re
from typing import Any

from bot.blocks import Block, button, context, message, section
from bot.learning.ids import LEARNED_COMMAND
from bot.learning.search import PAGE, Results, more_value
from bot.text import escape, person, said, trim
from storage.models.learning import Lesson, LessonVisibility

MORE = "learned_search_more"  # the More button's action id
LEARNED_SHOWN = 600  # characters of what was learned shown per lesson
STORY_SHOWN = 300  # characters of what happened
SAFE_LINK = re.compile(r"^https?://[^\s<>|]{1,900}$")


def _asked(results: Results) -> str:
    parts = []
    if results.words:
        parts.append(f"“{escape(results.words)}”")
    if results.skill:
        parts.append(f"`#{results.skill}`")
    return " in ".join(parts)


def lesson_blocks(lesson: Lesson, number: int) -> list[Block]:
    """One lesson: what was learned (bold), what happened, then who, skill, help and where."""
    text = f"*{number}.* *{said(trim(lesson.learned, LEARNED_SHOWN))}*"
    if lesson.what_happened.strip():
        text += "\n" + said(trim(lesson.what_happened, STORY_SHOWN))
    facts = [f"by {person(lesson.author_id)}"]
    if lesson.skill:
        facts.append(f"`#{escape(lesson.skill)}`")
    helped = lesson.helped_count
    facts.append(f"helped {helped} {'person' if helped == 1 else 'people'}" if helped else "new")
    if lesson.posted_channel:
        facts.append(f"posted in <#{lesson.posted_channel}>")
    if lesson.visibility != LessonVisibility.TEAM:
        facts.append("private: only you see it")
    if lesson.link and SAFE_LINK.match(lesson.link):
        facts.append(f"<{lesson.link}|link>")
    return [section(text), context(" · ".join(facts))]


def results(found: Results) -> dict[str, Any]:
    """The reply: the lessons found, or words that help find some."""
    if not found.lessons:
        return nothing_found(found)
    last = found.first + len(found.lessons) - 1
    lead = f"*Lessons for {_asked(found)}*, most helpful first ({found.first}–{last})"
    blocks: list[Block] = [section(lead)]
    for n, lesson in enumerate(found.lessons[:PAGE], start=found.first):
        blocks.extend(lesson_blocks(lesson, n))
    notes = []
    if found.dropped:
        notes.append(f"Only the first 12 words were searched ({found.dropped} left out).")
    if found.more:
        notes.append("More lessons match: press More, or add a word or a skill to narrow it.")
    if notes:
        blocks.append(context(" ".join(notes)))
    if found.more:
        more = button("More", MORE, more_value(found))
        blocks.append({"type": "actions", "block_id": "learned_search", "elements": [more]})
    return message(f"Lessons for {_asked(found)}", blocks)


def nothing_found(found: Results) -> dict[str, Any]:
    if found.page > 0:
        text = f"No more lessons for {_asked(found)}."
        return message(text, [section(text)])
    others = [f"`#{s}`" for s in found.skills if s != found.skill][:8]
    tips = []
    if found.words and len(found.words.split()) > 1:
        tips.append("try fewer words")
    if found.skill:
        tips.append("leave out the skill")
    if others:
        tips.append("try another skill (" + ", ".join(others) + ")")
    hint = (" " + "; ".join(tips).capitalize() + ".") if tips else ""
    text = (
        f"No lessons found for {_asked(found)}.{hint} Lessons show up here once their author "
        f"posts them to a team channel (`{LEARNED_COMMAND}` shares one)."
    )
    return message(f"No lessons found for {_asked(found)}", [section(text)])
