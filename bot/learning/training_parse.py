"""``/learned course ...`` text, the course modal and its buttons -> typed values. Pure.

The grammar (after ``/learned course``)::

    (nothing)                       the course form
    "<title>"                       the course form, its title filled in
    "<title>" [#skill] [on <date>] [next: <what I will try>]
    <title words> [#skill] [on <date>] [next: ...]   (the title ends at the first option)
    list [@person]                  your training (or a coachee's who shares it with you)
    help

``<date>``: ``YYYY-MM-DD``, ``today``, ``yesterday`` or a weekday (the latest one, today
included). An ``on`` followed by anything else is part of an unquoted title ("Training on
escalations")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from bot.learning import ids
from bot.learning.training_errors import (
    MAX_AGE_DAYS,
    MAX_NEXT,
    CourseDateError,
    CourseSkillError,
    ListWhoError,
    NextStepError,
    StrayWordsError,
    TitleError,
)
from bot.text import clean, escape, tokenize


@dataclass(frozen=True)
class CourseForm:
    """The course modal, with a title when one was typed."""

    title: str = ""


@dataclass(frozen=True)
class Recorded:
    """A training to save. ``when``: the date words typed (None: today)."""

    title: str
    skill: str | None = None
    when: str | None = None
    next_step: str = ""
    link: str | None = None


@dataclass(frozen=True)
class CourseList:
    """``list``: the asker's training, or ``person``'s."""

    person: str | None = None


@dataclass(frozen=True)
class CourseHelp:
    pass


CourseAsked = CourseForm | Recorded | CourseList | CourseHelp

QUOTES = {'"': '"', "“": "”", "„": "“", "«": "»"}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ISO_RE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
NEXT_RE = re.compile(r"(?i)(?:^|\s)next:")
SKILL_RE = re.compile(r"^#([\w-]+)$")


def _is_date(word: str) -> bool:
    w = word.lower()
    return bool(ISO_RE.match(w)) or w in ("today", "yesterday") or _weekday(w) is not None


def _weekday(word: str) -> int | None:
    for i, name in enumerate(WEEKDAYS):
        if word == name or word == name[:3]:
            return i
    return None


def parse_course(text: str) -> CourseAsked:
    text = clean(text).strip()
    if not text:
        return CourseForm()
    words = text.split()
    if words[0].lower() == "help" and len(words) == 1:
        return CourseHelp()
    if words[0].lower() == "list" and len(words) <= 2:
        people = [t.id for t in tokenize(" ".join(words[1:])) if t.kind == "user"]
        if len(words) == 1 or people:
            return CourseList(people[0] if people else None)
        if words[1].startswith(("@", "<")):
            raise ListWhoError(words[1])
    head, tail = _split_next(text)
    title, options = _title(head)
    skill, when = _options(options)
    next_step = tail.strip()
    if len(next_step) > MAX_NEXT:
        raise NextStepError(len(next_step))
    if not title:
        raise TitleError()
    if len(title) > ids.MAX_TITLE:
        raise TitleError(len(title))
    if skill is None and when is None and tail == "" and not NEXT_RE.search(text):
        return CourseForm(title)
    return Recorded(title, skill, when, next_step)


def _split_next(text: str) -> tuple[str, str]:
    """(before ``next:``, after it): the next step is the rest of the text, whatever it says."""
    found = NEXT_RE.search(text)
    if found is None:
        return text, ""
    return text[: found.start()], text[found.end() :]


def _title(head: str) -> tuple[str, list[str]]:
    """The title (quoted, or the words up to the first option) and the words after it."""
    head = head.strip()
    if head[:1] in QUOTES:
        close = head.find(QUOTES[head[0]], 1)
        if close > 0:
            return head[1:close].strip(), head[close + 1 :].split()
        head = head[1:]  # an unclosed quote: read it as if there were none
    words = head.split()
    for i, word in enumerate(words):
        after = words[i + 1] if i + 1 < len(words) else ""
        if SKILL_RE.match(word) or (word.lower() == "on" and _is_date(after)):
            return " ".join(words[:i]), words[i:]
    return " ".join(words), []


def _options(words: list[str]) -> tuple[str | None, str | None]:
    skill: str | None = None
    when: str | None = None
    i = 0
    while i < len(words):
        word = words[i]
        if m := SKILL_RE.match(word):
            if skill is not None:
                raise CourseSkillError("", None, ())
            skill = m.group(1).lower()
        elif word.lower() == "on" and i + 1 < len(words) and when is None:
            when = words[i + 1]
            i += 1
        else:
            raise StrayWordsError(" ".join(words[i:]))
        i += 1
    return skill, when


def resolve_date(when: str | None, today: date) -> date:
    """The day ``when`` names, as the person's ``today`` sees it: not in the future, not more
    than five years ago, and a real date (``2026-02-31`` is not)."""
    if when is None:
        return today
    word = when.lower()
    if word == "today":
        return today
    if word == "yesterday":
        return today - timedelta(days=1)
    weekday = _weekday(word)
    if weekday is not None:
        return today - timedelta(days=(today.weekday() - weekday) % 7)
    return check_date(_iso(when), when, today)


def _iso(when: str) -> date:
    try:
        y, m, d = (int(p) for p in when.split("-"))
        return date(y, m, d)
    except ValueError:
        raise CourseDateError(when, "unknown") from None


def check_date(day: date, typed: str, today: date) -> date:
    if day > today:
        raise CourseDateError(typed, "future")
    if day < today - timedelta(days=MAX_AGE_DAYS):
        raise CourseDateError(typed, "old")
    return day


# The modal and the buttons ---------------------------------------------------------------------


def _value(view: dict[str, Any], block: str, key: str) -> Any:
    values = ((view.get("state") or {}).get("values") or {}).get(block) or {}
    return (values.get("input") or {}).get(key)


def course_of_view(view: dict[str, Any]) -> Recorded:
    """The course modal submitted, as a typed course (its date checked by the use case, as a
    typed one is; the edge shows errors under their fields)."""
    title = escape(clean(_value(view, ids.COURSE_TITLE, "value") or "").strip())
    if not title:
        raise TitleError()
    if len(title) > ids.MAX_TITLE:
        raise TitleError(len(title))
    next_step = escape(clean(_value(view, ids.COURSE_NEXT, "value") or "").strip())
    if len(next_step) > MAX_NEXT:
        raise NextStepError(len(next_step))
    picked = _value(view, ids.COURSE_DATE, "selected_date") or ""
    skill = (_value(view, ids.COURSE_SKILL, "selected_option") or {}).get("value") or None
    link = clean(_value(view, ids.COURSE_LINK, "value") or "").strip() or None
    return Recorded(title, skill, picked or None, next_step, link)


def training_id_of(action: dict[str, Any]) -> int:
    """The training a button names (its value), or 0 (found by nobody)."""
    value = str(action.get("value") or "")
    return int(value) if value.isdigit() and len(value) < 12 else 0
