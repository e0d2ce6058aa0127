"""Parsing ``/coach 1on1 ...`` and ``/coach prep @ana`` into typed requests. Pure."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.cadence import WEEKDAYS, parse_hhmm
from bot.oneonones import ids
from bot.oneonones.errors import BadTime, BadWeekday, OneOnOneUsage
from bot.text import Token, clean, tokenize, whole_number

DAYS = {d.lower(): i for i, d in enumerate(WEEKDAYS)} | {
    d.lower()[:3]: i for i, d in enumerate(WEEKDAYS)
}


@dataclass(frozen=True)
class SetSeries:
    """``@ana every [other] tuesday 14:00``."""

    user_id: str
    weekday: int
    minute: int
    every_weeks: int  # 1 or 2


@dataclass(frozen=True)
class MoveSeries:
    user_id: str
    weekday: int
    minute: int


@dataclass(frozen=True)
class CancelSeries:
    user_id: str


@dataclass(frozen=True)
class ShowNotes:
    user_id: str


@dataclass(frozen=True)
class ListSeries:
    pass


@dataclass(frozen=True)
class OneOnOneHelp:
    pass


@dataclass(frozen=True)
class Prep:
    user_id: str


Asked = SetSeries | MoveSeries | CancelSeries | ShowNotes | ListSeries | OneOnOneHelp


def parse_1on1(text: str) -> Asked:
    """The words after ``/coach 1on1``."""
    tokens = [t for t in tokenize(text) if t.kind != "text" or t.raw.strip()]
    if not tokens:
        return OneOnOneHelp()
    words = _words(tokens)
    if len(words) == 1 and words[0].lower() in {"help", "?"}:
        return OneOnOneHelp()
    if len(words) == 1 and words[0].lower() in {"list", "ls"}:
        return ListSeries()
    if tokens[0].kind != "user":
        raise OneOnOneUsage(words[0] if tokens[0].kind == "text" else "")
    user = tokens[0].id
    rest = [w.lower() for w in words[1:]]
    if any(t.kind != "text" for t in tokens[1:]):
        raise OneOnOneUsage("")
    if rest == ["cancel"]:
        return CancelSeries(user)
    if rest == ["notes"]:
        return ShowNotes(user)
    if rest[:1] == ["move"] and len(rest) == 3:
        return MoveSeries(user, _weekday(words[2]), _minute(words[3]))
    if rest[:2] == ["every", "other"] and len(rest) == 4:
        return SetSeries(user, _weekday(words[3]), _minute(words[4]), 2)
    if rest[:1] == ["every"] and len(rest) == 3:
        return SetSeries(user, _weekday(words[2]), _minute(words[3]), 1)
    raise OneOnOneUsage(words[1] if len(words) > 1 else "")


def parse_prep(text: str) -> Prep | OneOnOneHelp:
    """The words after ``/coach prep``: exactly one person."""
    tokens = [t for t in tokenize(text) if t.kind != "text" or t.raw.strip()]
    if not tokens:
        return OneOnOneHelp()
    if len(tokens) != 1 or tokens[0].kind != "user":
        words = _words(tokens)
        raise OneOnOneUsage(words[0] if tokens[0].kind == "text" else "")
    return Prep(tokens[0].id)


def _words(tokens: list[Token]) -> list[str]:
    out: list[str] = []
    for tok in tokens:
        out.extend(tok.raw.split() if tok.kind == "text" else [tok.raw])
    return out


def _weekday(word: str) -> int:
    day = DAYS.get(word.lower().rstrip("s"))  # "tuesdays" too
    if day is None:
        day = DAYS.get(word.lower())
    if day is None:
        raise BadWeekday(word)
    return day


def _minute(word: str) -> int:
    minute = parse_hhmm(word)
    if minute is None:
        raise BadTime(word)
    return minute


def number(raw: object) -> int:
    """The id a button or modal carries (0 when it carries none)."""
    return whole_number(raw, max_digits=12) or 0


# The notes modal ---------------------------------------------------------------------------------

NOTES_LIMIT = 3000
ITEM_LIMIT = 300
ITEMS = 5


@dataclass(frozen=True)
class NotesForm:
    notes: str
    items: tuple[tuple[str, str], ...]  # (text, owner: "coachee" | "coach")


def _value(view: dict[str, Any], block: str, key: str) -> Any:
    values = ((view.get("state") or {}).get("values") or {}).get(block) or {}
    return (values.get("input") or {}).get(key)


def read_notes(view: dict[str, Any]) -> tuple[NotesForm | None, dict[str, str]]:
    """The notes modal submitted: the form, or the errors by block (then nothing is saved)."""
    errors: dict[str, str] = {}
    notes = clean(str(_value(view, ids.NOTES_BLOCK, "value") or "")).strip()
    if len(notes) > NOTES_LIMIT:
        errors[ids.NOTES_BLOCK] = f"Notes can be at most {NOTES_LIMIT} characters."
    items: list[tuple[str, str]] = []
    for n in range(ITEMS):
        text = " ".join(clean(str(_value(view, f"{ids.ITEM_BLOCK}{n}", "value") or "")).split())
        owner = (_value(view, f"{ids.ITEM_OWNER_BLOCK}{n}", "selected_option") or {}).get("value")
        if not text:
            continue
        if len(text) > ITEM_LIMIT:
            errors[f"{ids.ITEM_BLOCK}{n}"] = (
                f"An action item can be at most {ITEM_LIMIT} characters."
            )
        items.append((text, "coach" if owner == "coach" else "coachee"))
    if not notes and not items and not errors:
        errors[ids.NOTES_BLOCK] = "Write some notes or an action item first."
    if errors:
        return None, errors
    return NotesForm(notes, tuple(items)), {}


def item_of(view: dict[str, Any]) -> int:
    """The action item a goal modal was opened from (0 when it names none)."""
    try:
        found = json.loads(str(view.get("private_metadata") or "{}"))
    except ValueError:
        return 0
    return number(found.get("item")) if isinstance(found, dict) else 0
