"""Parsing ``/bravo`` text and celebration CSVs into typed requests. Pure: no Slack, no database."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.cadence import WEEKDAYS, parse_hhmm
from bot.shoutouts.errors import (
    BadCelebrationDateError,
    BadTimeError,
    CsvRejectedError,
    LeadMentionError,
    UnknownBravoCommandError,
    UnknownTimeZoneError,
    UnknownWeekdayError,
)
from bot.text import tokenize

DEFAULT_WEEKDAY = 4  # Friday
DEFAULT_MINUTE = 16 * 60
DAY_NAMES = {name.lower(): i for i, name in enumerate(WEEKDAYS)} | {
    name[:3].lower(): i for i, name in enumerate(WEEKDAYS)
}
DATE_KINDS = ("birthday", "started")
USER_ID_RE = re.compile(r"^<?@?([UW][A-Z0-9]{2,})(?:\|[^>]*)?>?$")
MAX_CSV_ROWS = 2000


@dataclass(frozen=True)
class ShoutoutsOn:
    weekday: int = DEFAULT_WEEKDAY
    minute: int = DEFAULT_MINUTE
    tz: str | None = None  # None: the time zone of the person turning it on


@dataclass(frozen=True)
class ShoutoutsOff:
    pass


@dataclass(frozen=True)
class ShoutoutsPreview:
    pass


@dataclass(frozen=True)
class ShoutoutsList:
    pass


@dataclass(frozen=True)
class SetDate:
    kind: str  # birthday | started
    month: int
    day: int
    year: int | None  # the start year; never kept for a birthday


@dataclass(frozen=True)
class ForgetDate:
    kind: str


@dataclass(frozen=True)
class CelebrateOptOut:
    opt_out: bool


@dataclass(frozen=True)
class MilestonesWhere:
    where: str  # dm | channel


@dataclass(frozen=True)
class ImportDates:
    pass


@dataclass(frozen=True)
class NameLead:
    user_id: str


@dataclass(frozen=True)
class Fairness:
    on: bool


@dataclass(frozen=True)
class BravoHelp:
    pass


BravoCommand = (
    ShoutoutsOn
    | ShoutoutsOff
    | ShoutoutsPreview
    | ShoutoutsList
    | SetDate
    | ForgetDate
    | CelebrateOptOut
    | MilestonesWhere
    | ImportDates
    | NameLead
    | Fairness
    | BravoHelp
)


def parse_bravo_command(text: str) -> BravoCommand:
    words = text.strip().split()
    if not words or words[0].lower() in {"help", "?"}:
        return BravoHelp()
    verb, rest = words[0].lower(), words[1:]
    low = [w.lower() for w in rest]
    if verb in {"shoutouts", "shoutout", "shout-outs"}:
        if low[:1] == ["on"]:
            return parse_schedule(rest[1:])
        if low == ["off"]:
            return ShoutoutsOff()
        if low == ["preview"]:
            return ShoutoutsPreview()
        if low in (["list"], ["week"]):
            return ShoutoutsList()
    elif verb in {"celebrate", "celebrations"}:
        return _celebrate(rest)
    elif verb == "lead":
        users = [t.id for t in tokenize(" ".join(rest)) if t.kind == "user"]
        if len(users) != 1:
            raise LeadMentionError()
        return NameLead(users[0])
    elif verb == "fairness" and low in (["on"], ["off"]):
        return Fairness(low == ["on"])
    raise UnknownBravoCommandError(text.strip()[:60])


def parse_schedule(words: list[str]) -> ShoutoutsOn:
    """``[weekday] [HH:MM] [time zone]``, in any order; each word must be one of them."""
    weekday, minute, tz = DEFAULT_WEEKDAY, DEFAULT_MINUTE, None
    for word in words:
        low = word.lower().rstrip(",")
        if low in DAY_NAMES:
            weekday = DAY_NAMES[low]
        elif re.fullmatch(r"[0-9]{1,2}[:.h][0-9]{1,2}|[0-9]{1,2}(am|pm)?|[0-9:.]+", low):
            minute = _time(low, word)
        elif "/" in word or word.upper() in {"UTC", "GMT"}:
            tz = _zone(word)
        elif low.isalpha() and len(low) <= 12:
            raise UnknownWeekdayError(word[:40])
        else:
            raise UnknownTimeZoneError(word[:60])
    return ShoutoutsOn(weekday, minute, tz)


def _time(low: str, word: str) -> int:
    """``16:00``, ``16.00``, ``16h00``, ``16``, ``4pm``, ``9:30am``."""
    half = 0
    if low.endswith(("am", "pm")):
        half, low = (12 if low.endswith("pm") else 0), low[:-2]
    if low.isdigit():
        low += ":00"
    parsed = parse_hhmm(low.replace(".", ":").replace("h", ":"))
    if parsed is None or ((half or word.lower().endswith("am")) and not 60 <= parsed < 13 * 60):
        raise BadTimeError(word[:40])
    if word.lower().endswith(("am", "pm")):
        parsed = parsed % (12 * 60) + half * 60
    return parsed


def _zone(word: str) -> str:
    name = "UTC" if word.upper() in {"UTC", "GMT"} else word
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UnknownTimeZoneError(word[:60]) from None
    return name


def _celebrate(rest: list[str]) -> BravoCommand:
    low = [w.lower() for w in rest]
    if low in (["optout"], ["opt-out"], ["off"]):
        return CelebrateOptOut(True)
    if low in (["optin"], ["opt-in"], ["on"]):
        return CelebrateOptOut(False)
    if low == ["import"]:
        return ImportDates()
    if len(low) == 2 and low[0] == "milestones" and low[1] in {"dm", "channel"}:
        return MilestonesWhere(low[1])
    if len(low) == 2 and low[0] == "forget" and low[1] in DATE_KINDS:
        return ForgetDate(low[1])
    if len(low) == 2 and low[0] in DATE_KINDS:
        return _set_date(low[0], rest[1])
    raise UnknownBravoCommandError(("celebrate " + " ".join(rest)).strip()[:60])


def _set_date(kind: str, word: str) -> SetDate:
    month, day, year = parse_date(kind, word)
    return SetDate(kind, month, day, year)


def parse_date(kind: str, word: str) -> tuple[int, int, int | None]:
    """A birthday as ``MM-DD`` (a full date is accepted; its year is dropped); a start date as
    ``YYYY-MM-DD``. Raises ``BadCelebrationDateError``."""
    word = word.strip()
    try:
        if kind == "birthday" and re.fullmatch(r"[0-9]{1,2}-[0-9]{1,2}", word):
            month, day = (int(p) for p in word.split("-"))
            date(2024, month, day)  # a leap year: 02-29 is a birthday
            return month, day, None
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", word):
            full = date.fromisoformat(word)
            if kind == "birthday":
                return full.month, full.day, None
            return full.month, full.day, full.year
    except ValueError:
        pass
    raise BadCelebrationDateError(kind, word[:40])


@dataclass(frozen=True)
class DateRow:
    user_id: str
    kind: str
    month: int
    day: int
    year: int | None


def parse_dates_csv(text: str, *, today: date) -> list[DateRow]:
    """Rows ``user,kind,date`` (a header line is allowed). Every broken row is reported
    together (``CsvRejectedError``), so nothing is saved from a file with mistakes in it."""
    rows: list[DateRow] = []
    problems: list[tuple[int, str]] = []
    try:
        lines = list(csv.reader(io.StringIO(text.strip(), newline="")))
    except csv.Error as err:  # e.g. a stray quote runs to the end of the file
        raise CsvRejectedError(((0, f"this isn't CSV I can read ({err})"),)) from None
    if len(lines) > MAX_CSV_ROWS:
        raise_problems([(MAX_CSV_ROWS + 1, f"too many rows (at most {MAX_CSV_ROWS} at once)")])
    for number, cells in enumerate(lines, start=1):
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue
        if number == 1 and cells[0].lower() in {"user", "user_id", "person"}:
            continue
        if len(cells) != 3:
            problems.append((number, f"expected 3 columns (user, kind, date), got {len(cells)}"))
            continue
        who, kind, when = cells[0], cells[1].lower(), cells[2]
        match = USER_ID_RE.match(who)
        if not match:
            problems.append((number, f"{who[:30]!r} is not a Slack user id like U0123ABCD"))
            continue
        if kind not in DATE_KINDS:
            problems.append((number, f"kind must be birthday or started, not {kind[:20]!r}"))
            continue
        try:
            month, day, year = parse_date(kind, when)
        except BadCelebrationDateError:
            shape = "MM-DD" if kind == "birthday" else "YYYY-MM-DD"
            problems.append((number, f"{when[:20]!r} is not a date ({shape})"))
            continue
        if year is not None and date(year, month, day) > today:
            problems.append((number, f"start date {when} is in the future"))
            continue
        rows.append(DateRow(match.group(1), kind, month, day, year))
    if problems:
        raise_problems(problems)
    return rows


def raise_problems(problems: list[tuple[int, str]]) -> None:
    raise CsvRejectedError(tuple(problems))
