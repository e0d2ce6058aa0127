"""Parsing ``/bravo celebrate ...`` words and the admins' date CSV into typed requests.
Pure: no Slack, no database."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.celebrations import ids
from bot.celebrations.errors import BadCelebrationDateError, CsvRejectedError
from bot.errors import TextTooLongError
from storage.models.celebrations import DateKind, MilestonesPlace

DATE_KINDS = tuple(DateKind)
USER_ID_RE = re.compile(r"^<?@?([UW][A-Z0-9]{2,})(?:\|[^>]*)?>?$")
MAX_CSV_ROWS = 2000


@dataclass(frozen=True)
class SetDate:
    kind: DateKind
    month: int
    day: int
    year: int | None  # the start year; never kept for a birthday


@dataclass(frozen=True)
class ForgetDate:
    kind: DateKind


@dataclass(frozen=True)
class CelebrateOptOut:
    opt_out: bool


@dataclass(frozen=True)
class MilestonesWhere:
    where: MilestonesPlace


@dataclass(frozen=True)
class ImportDates:
    pass


CelebrateCommand = SetDate | ForgetDate | CelebrateOptOut | MilestonesWhere | ImportDates


def parse_celebrate(rest: list[str]) -> CelebrateCommand | None:
    """The words after ``/bravo celebrate``; None when they are none of its subcommands."""
    low = [w.lower() for w in rest]
    if low in (["optout"], ["opt-out"], ["off"]):
        return CelebrateOptOut(True)
    if low in (["optin"], ["opt-in"], ["on"]):
        return CelebrateOptOut(False)
    if low == ["import"]:
        return ImportDates()
    if len(low) == 2 and low[0] == "milestones" and low[1] in tuple(MilestonesPlace):
        return MilestonesWhere(MilestonesPlace(low[1]))
    if len(low) == 2 and low[0] == "forget" and low[1] in DATE_KINDS:
        return ForgetDate(DateKind(low[1]))
    if len(low) == 2 and low[0] in DATE_KINDS:
        return _set_date(DateKind(low[0]), rest[1])
    return None


def _set_date(kind: DateKind, word: str) -> SetDate:
    month, day, year = parse_date(kind, word)
    return SetDate(kind, month, day, year)


def parse_date(kind: DateKind, word: str) -> tuple[int, int, int | None]:
    """A birthday as ``MM-DD`` (a full date is accepted; its year is dropped); a start date as
    ``YYYY-MM-DD``. Raises ``BadCelebrationDateError``."""
    word = word.strip()
    try:
        if kind == DateKind.BIRTHDAY and re.fullmatch(r"[0-9]{1,2}-[0-9]{1,2}", word):
            month, day = (int(p) for p in word.split("-"))
            date(2024, month, day)  # a leap year: 02-29 is a birthday
            return month, day, None
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", word):
            full = date.fromisoformat(word)
            if kind == DateKind.BIRTHDAY:
                return full.month, full.day, None
            return full.month, full.day, full.year
    except ValueError:
        pass
    raise BadCelebrationDateError(kind, word[:40])


@dataclass(frozen=True)
class DateRow:
    user_id: str
    kind: DateKind
    month: int
    day: int
    year: int | None


def latest_start(today: date) -> date:
    """The latest start date anyone may give (``today`` in UTC): somewhere on Earth it is
    already tomorrow, so tomorrow is not in the future for everyone. The command and the CSV
    import use this one rule."""
    return today + timedelta(days=1)


def parse_dates_csv(text: str, *, today: date) -> list[DateRow]:
    """Rows ``user,kind,date`` (a header line is allowed). Every broken row is reported
    together (``CsvRejectedError``), so nothing is saved from a file with mistakes in it."""
    if len(text) > ids.LIMITS[ids.IMPORT_BLOCK]:
        raise TextTooLongError("list", ids.LIMITS[ids.IMPORT_BLOCK], len(text))
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
        row = _row(number, cells, today, problems)
        if row is not None:
            rows.append(row)
    if problems:
        raise_problems(problems)
    return rows


def _row(
    number: int, cells: list[str], today: date, problems: list[tuple[int, str]]
) -> DateRow | None:
    """One CSV row as a date, or None with what is wrong with it added to ``problems``."""
    if len(cells) != 3:
        problems.append((number, f"expected 3 columns (user, kind, date), got {len(cells)}"))
        return None
    who, kind, when = cells[0], cells[1].lower(), cells[2]
    match = USER_ID_RE.match(who)
    if not match:
        problems.append((number, f"{who[:30]!r} is not a Slack user id like U0123ABCD"))
        return None
    if kind not in DATE_KINDS:
        problems.append((number, f"kind must be birthday or started, not {kind[:20]!r}"))
        return None
    try:
        month, day, year = parse_date(DateKind(kind), when)
    except BadCelebrationDateError:
        shape = "MM-DD" if kind == DateKind.BIRTHDAY else "YYYY-MM-DD"
        problems.append((number, f"{when[:20]!r} is not a date ({shape})"))
        return None
    if year is not None and date(year, month, day) > latest_start(today):
        problems.append((number, f"start date {when} is in the future"))
        return None
    return DateRow(match.group(1), DateKind(kind), month, day, year)


def raise_problems(problems: list[tuple[int, str]]) -> None:
    raise CsvRejectedError(tuple(problems))
