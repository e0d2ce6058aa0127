"""Parsing ``/goal`` text, and the goal modals' and buttons' payloads, into typed values.

Pure: no Slack client, no database."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot import payload
from bot.errors import BadDateError, UnknownCommandError
from bot.goals import ids
from bot.goals.errors import FieldMissingError, FieldTooLongError, OutOfDateError
from bot.goals.ids import MenuVerb
from bot.goals.rules import CHECKIN_STATUSES, GoalDraft
from bot.text import is_number, tokenize, whole_number
from storage.models.goals import CadenceKind, CheckInStatus

ANSWER_RE = re.compile(rf"^(\d{{1,12}}):({'|'.join(CheckInStatus)})$")
MENU_RE = re.compile(rf"^({'|'.join(MenuVerb)}):(\d{{1,12}})$")


@dataclass(frozen=True)
class OpenGoalModal:
    pass


@dataclass(frozen=True)
class ListGoals:
    owner_id: str | None = None  # None: my own


@dataclass(frozen=True)
class SetAway:
    until: date | None  # None: back now


@dataclass(frozen=True)
class GoalHelp:
    pass


GoalCommand = OpenGoalModal | ListGoals | SetAway | GoalHelp


def parse_goal_command(text: str) -> GoalCommand:
    words = text.strip().split()
    if not words:
        return OpenGoalModal()
    verb = words[0].lower()
    if verb in {"help", "?"}:
        return GoalHelp()
    if verb in {"list", "ls"}:
        users = [t.id for t in tokenize(text) if t.kind == "user"]
        return ListGoals(users[0] if users else None)
    if verb == "back":
        return SetAway(None)
    if verb == "away":
        rest = [w for w in words[1:] if w.lower() != "until"]
        if len(rest) == 1 and rest[0].lower() in {"off", "none"}:
            return SetAway(None)
        if len(rest) != 1:
            raise BadDateError(" ".join(words[1:]) or "")
        try:
            return SetAway(date.fromisoformat(rest[0]))
        except ValueError:
            raise BadDateError(rest[0]) from None
    raise UnknownCommandError(ids.GOAL_COMMAND, words[0][:40])


# Buttons and menus --------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """A prompt's status button pressed."""

    prompt_id: int
    status: CheckInStatus


@dataclass(frozen=True)
class MenuChoice:
    """A choice in a listed goal's overflow menu."""

    verb: MenuVerb
    goal_id: int


def answer(value: str) -> Answer:
    """A status button's value, ``<prompt id>:<status>``."""
    match = ANSWER_RE.match(value)
    if not match:
        raise OutOfDateError("button")
    return Answer(int(match.group(1)), CheckInStatus(match.group(2)))


def menu_choice(value: str) -> MenuChoice:
    """A goal menu option's value, ``<verb>:<goal id>``."""
    match = MENU_RE.match(value)
    if not match:
        raise OutOfDateError("menu")
    return MenuChoice(MenuVerb(match.group(1)), int(match.group(2)))


def number(text: str) -> int | None:
    """An id carried by a button (a prompt's, a goal's), if it is one."""
    return whole_number(text)


# Modals ---------------------------------------------------------------------------------------


def meta(view: dict[str, Any]) -> dict[str, Any]:
    """What a modal carries from where it was opened (``render.meta``)."""
    return payload.meta(view)


def _state(view: dict[str, Any], block: str, key: str) -> Any:
    values = (view.get("state") or {}).get("values") or {}
    return values.get(block, {}).get(ids.INPUT, {}).get(key)


def _option(view: dict[str, Any], block: str) -> str:
    return str((_state(view, block, "selected_option") or {}).get("value") or "")


def _id(value: object) -> int | None:
    return payload.an_id(value)


@dataclass(frozen=True)
class GoalForm:
    """The goal modal submitted: a new goal (``goal_id`` None) or an edit."""

    draft: GoalDraft
    goal_id: int | None
    channel_id: str | None  # where /goal was typed


def goal_form(view: dict[str, Any]) -> GoalForm:
    target_text = _state(view, ids.TARGET, "selected_date") or ""
    try:
        target: date | None = date.fromisoformat(target_text) if target_text else None
    except ValueError:
        target = None
    day = _option(view, ids.DAY)
    draft = GoalDraft(
        what=_state(view, ids.WHAT, "value") or "",
        measure=_state(view, ids.MEASURE, "value") or "",
        skill=_option(view, ids.SKILL),
        target_date=target,
        cadence=_option(view, ids.CADENCE) or CadenceKind.WEEKLY,
        weekday=int(day) if is_number(day) else 0,
        time_text=_state(view, ids.TIME, "selected_time") or "",
        visibility=_option(view, ids.VISIBILITY),
    )
    found = meta(view)
    return GoalForm(draft, _id(found.get("goal")), payload.meta_text(found, "channel"))


@dataclass(frozen=True)
class Note:
    """The check-in note modal submitted: for a prompt, or on a goal from the menu."""

    prompt_id: int | None
    goal_id: int | None
    status: CheckInStatus
    progress: str
    went_well: str
    next_step: str


def note(view: dict[str, Any]) -> Note:
    """Raises ``FieldMissingError`` for a note without progress or a valid status."""
    status = _option(view, ids.NOTE_STATUS) or CheckInStatus.ON_TRACK
    progress = _state(view, ids.NOTE_PROGRESS, "value") or ""
    if not progress.strip():
        raise FieldMissingError(ids.NOTE_PROGRESS)
    if status not in CHECKIN_STATUSES:
        raise FieldMissingError(ids.NOTE_STATUS)
    texts = {block: _text(view, block) for block in (ids.NOTE_WELL, ids.NOTE_NEXT)}
    found = meta(view)
    return Note(
        prompt_id=_id(found.get("prompt")),
        goal_id=_id(found.get("goal")),
        status=CheckInStatus(status),
        progress=_text(view, ids.NOTE_PROGRESS),
        went_well=texts[ids.NOTE_WELL],
        next_step=texts[ids.NOTE_NEXT],
    )


def _text(view: dict[str, Any], block: str) -> str:
    """A text field of a modal, within its limit (``ids.LIMITS``)."""
    text = payload.text_at(view, block, ids.INPUT)
    if len(text) > ids.LIMITS[block]:
        raise FieldTooLongError(block, ids.LIMITS[block], len(text))
    return text


@dataclass(frozen=True)
class Pause:
    """The pause modal submitted."""

    goal_id: int
    until: date


def pause(view: dict[str, Any]) -> Pause:
    """Raises ``FieldMissingError`` without a date."""
    try:
        until = date.fromisoformat(_state(view, ids.PAUSE_UNTIL, "selected_date") or "")
    except ValueError:
        raise FieldMissingError(ids.PAUSE_UNTIL) from None
    return Pause(_id(meta(view).get("goal")) or 0, until)
