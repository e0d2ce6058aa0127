"""Celebration errors and their words."""

from __future__ import annotations

from dataclasses import dataclass

from bot.blocks import clip
from bot.errors import BravoError, error_text
from bot.text import escape
from storage.models.celebrations import DateKind


@dataclass
class BadCelebrationDateError(BravoError):
    kind: DateKind
    word: str


@dataclass
class CsvRejectedError(BravoError):
    problems: tuple[tuple[int, str], ...]  # (line number, what is wrong)


@dataclass
class NoRowsError(BravoError):
    """An import with nothing in it."""


@dataclass
class FutureStartDateError(BravoError):
    word: str


@dataclass
class AdminOnlyError(BravoError):
    """Only an admin may import everyone's dates."""


@error_text.register
def _(err: BadCelebrationDateError) -> str:
    if err.kind == DateKind.BIRTHDAY:
        return (
            f"`{escape(err.word)}` isn't a birthday I can read. Use month-day, e.g. "
            "`/bravo celebrate birthday 03-14` (no year needed, and none is kept)."
        )
    return (
        f"`{escape(err.word)}` isn't a date I can read. Use YYYY-MM-DD, e.g. "
        "`/bravo celebrate started 2021-06-01`."
    )


@error_text.register
def _(err: CsvRejectedError) -> str:
    return csv_problems(err)


@error_text.register
def _(err: NoRowsError) -> str:
    return "Paste at least one row."


@error_text.register
def _(err: FutureStartDateError) -> str:
    return f"{escape(err.word)} is in the future. Add your start date once you've started."


@error_text.register
def _(err: AdminOnlyError) -> str:
    return "Only a Bravo or workspace admin can do that."


def csv_problems(err: CsvRejectedError, limit: int = 8) -> str:
    lines = [f"Row {n}: {what}" if n else what for n, what in err.problems[:limit]]
    if len(err.problems) > limit:
        lines.append(f"…and {len(err.problems) - limit} more rows with problems")
    rows = len(err.problems)
    head = f"Nothing was imported: {rows} row{'' if rows == 1 else 's'} with problems."
    return clip(head + "\n" + "\n".join(lines), 2000)
