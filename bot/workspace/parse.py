"""The settings modal as submitted -> the settings it proposes, or the words to show under each
field that needs fixing. Pure: no Slack, no database (whether Bravo is in a channel, or an
admin is a person, is the service's to ask Slack)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.cadence import parse_hhmm
from bot.config import ReviewScope
from bot.errors import UnknownCommandError
from bot.settings import EMOJI_RE, VALUE_RE
from bot.workspace.ids import INPUT, MAX_ADMINS, MAX_ERASE_DAYS, MAX_VALUES, Setting
from bot.workspace.values import Proposed

MAX_ALLOWANCE = 1000  # as BRAVO_DAILY_ALLOWANCE and BRAVO_PER_RECIPIENT_DAILY_CAP allow
VALUES_CSV_CHARS = 1024  # what workspace_config.values_csv holds
CHANNEL_ID_RE = re.compile(r"^[CG][A-Z0-9]{2,31}$")
USER_ID_RE = re.compile(r"^[UW][A-Z0-9]{2,31}$")
SHOWN = 40  # at most this much of what was typed is repeated in an error
MAX_PAGE = 1000


@dataclass(frozen=True)
class ShowLog:
    """``/bravo settings log [page]``."""

    page: int = 1


def parse_words(words: tuple[str, ...]) -> ShowLog | None:
    """The words after ``/bravo settings``: none opens the modal (None); ``log [page]`` the
    change log; anything else is not understood."""
    low = [w.lower() for w in words]
    if not low:
        return None
    if low[0] == "log" and len(low) == 1:
        return ShowLog()
    if low[0] == "log" and len(low) == 2 and low[1].isdigit() and 1 <= int(low[1]) <= MAX_PAGE:
        return ShowLog(int(low[1]))
    raise UnknownCommandError("/bravo", " ".join(words)[:SHOWN], sub="settings")


class _Form:
    """Reads one field of a submitted view and collects each field's problem."""

    def __init__(self, view: dict[str, Any]) -> None:
        self.state = ((view.get("state") or {}).get("values")) or {}
        self.errors: dict[str, str] = {}

    def raw(self, setting: Setting, key: str) -> Any:
        return ((self.state.get(setting) or {}).get(INPUT) or {}).get(key)

    def text(self, setting: Setting) -> str:
        value = self.raw(setting, "value")
        return value.strip() if isinstance(value, str) else ""

    def fail(self, setting: Setting, words: str) -> None:
        self.errors.setdefault(setting.value, words)

    def number(self, setting: Setting, lo: int, hi: int, *, empty: int | None = None) -> int | None:
        typed = self.text(setting)
        if not typed and empty is not None:
            return empty
        if not re.fullmatch(r"[0-9]{1,6}", typed) or not lo <= int(typed) <= hi:
            self.fail(setting, f"Type a whole number from {lo} to {hi}{_got(typed)}.")
            return None
        return int(typed)

    def channel(self, setting: Setting) -> str | None:
        value = self.raw(setting, "selected_conversation")
        if value is None or value == "":
            return None
        if not isinstance(value, str) or not CHANNEL_ID_RE.match(value):
            self.fail(setting, "Pick a channel (not a direct message).")
            return None
        return value


def _got(typed: str) -> str:
    if not typed:
        return ""
    shown = typed if len(typed) <= SHOWN else typed[:SHOWN] + "…"
    return f", not “{shown}”"


def parse_values(typed: str) -> tuple[tuple[str, ...], str | None]:
    """``empathy, #problem-solving`` -> the values, or the words saying what is wrong."""
    words = [w.strip().lstrip("#").lower() for w in re.split(r"[,\n]", typed)]
    values = [w for w in words if w]
    if not values:
        return (), "List at least one value, separated by commas (like empathy, teamwork)."
    if len(values) > MAX_VALUES:
        return (), f"At most {MAX_VALUES} values, please ({len(values)} listed)."
    bad = [v for v in values if not VALUE_RE.match(v)]
    if bad:
        return (), (
            f"“{bad[0][:SHOWN]}” can't be a value: use lowercase letters, digits and dashes, "
            "starting with a letter, at most 32 characters."
        )
    twice = sorted({v for v in values if values.count(v) > 1})
    if twice:
        return (), f"“{twice[0]}” is listed twice: list each value once."
    if len(",".join(values)) > VALUES_CSV_CHARS:
        return (), f"The values are too long together (at most {VALUES_CSV_CHARS} characters)."
    return tuple(values), None


def parse_emoji(typed: str) -> tuple[str, str | None]:
    name = typed.strip().strip(":").lower()
    if not EMOJI_RE.match(name):
        return "", f"Type an emoji's name, like clap or :tada:{_got(typed)}."
    return name, None


def parse_settings(view: dict[str, Any]) -> tuple[Proposed | None, dict[str, str]]:
    """The settings the modal proposes (None when any field is wrong), and the words to show
    under each wrong field (block id -> words)."""
    form = _Form(view)
    values, problem = parse_values(form.text(Setting.VALUES))
    if problem:
        form.fail(Setting.VALUES, problem)
    allowance = form.number(Setting.ALLOWANCE, 1, MAX_ALLOWANCE)
    cap = form.number(Setting.CAP, 0, MAX_ALLOWANCE, empty=0)
    emoji, problem = parse_emoji(form.text(Setting.EMOJI))
    if problem:
        form.fail(Setting.EMOJI, problem)
    day = (form.raw(Setting.SHOUTOUT_DAY, "selected_option") or {}).get("value")
    weekday = int(day) if isinstance(day, str) and day in "0123456" and len(day) == 1 else None
    if weekday is None:
        form.fail(Setting.SHOUTOUT_DAY, "Pick a day of the week.")
    time = form.raw(Setting.SHOUTOUT_TIME, "selected_time")
    minute = parse_hhmm(time) if isinstance(time, str) else None
    if minute is None:
        form.fail(Setting.SHOUTOUT_TIME, "Pick a time of day, like 16:00.")
    admins = _admins(form)
    erase = form.number(Setting.ERASE_DEPARTED, 1, MAX_ERASE_DAYS, empty=-1)
    proposed = Proposed(
        values=values,
        daily_allowance=allowance or 0,
        per_recipient_daily_cap=cap or 0,
        kudos_channel=form.channel(Setting.KUDOS_CHANNEL),
        emoji=emoji,
        shoutout_weekday=weekday or 0,
        shoutout_minute=minute or 0,
        suggestion_box=form.channel(Setting.SUGGESTION_BOX),
        admins=admins,
        erase_departed_after_days=None if erase in (None, -1) else erase,
        review_scope=_review_scope(form),
    )
    return (None if form.errors else proposed), form.errors


def _review_scope(form: _Form) -> ReviewScope:
    picked = (form.raw(Setting.REVIEW_SCOPE, "selected_option") or {}).get("value")
    if picked is None:  # a modal opened before the field existed: as before
        return ReviewScope.LEADS
    if picked not in set(ReviewScope):
        form.fail(Setting.REVIEW_SCOPE, "Pick who may review from the list.")
        return ReviewScope.LEADS
    return ReviewScope(picked)


def _admins(form: _Form) -> tuple[str, ...]:
    picked = form.raw(Setting.ADMINS, "selected_users") or []
    if not isinstance(picked, list) or not all(isinstance(u, str) for u in picked):
        form.fail(Setting.ADMINS, "Pick people from the list.")
        return ()
    if len(picked) > MAX_ADMINS:
        form.fail(Setting.ADMINS, f"At most {MAX_ADMINS} Bravo admins, please.")
    if any(not USER_ID_RE.match(u) for u in picked):
        form.fail(Setting.ADMINS, "Pick people from the list.")
    return tuple(dict.fromkeys(picked))
