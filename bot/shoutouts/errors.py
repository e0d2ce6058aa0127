"""What can go wrong with shout-outs and celebrations (facts only; the renderer finds words)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import BravoError


@dataclass
class UnknownBravoCommandError(BravoError):
    text: str


@dataclass
class UnknownWeekdayError(BravoError):
    word: str


@dataclass
class BadTimeError(BravoError):
    word: str


@dataclass
class UnknownTimeZoneError(BravoError):
    word: str


@dataclass
class BadCelebrationDateError(BravoError):
    kind: str  # birthday | started
    word: str


@dataclass
class NotAChannelError(BravoError):
    pass


@dataclass
class ChannelNotVisibleError(BravoError):
    pass


@dataclass
class BotNotInChannelError(BravoError):
    pass


@dataclass
class ArchivedChannelError(BravoError):
    pass


@dataclass
class NotTeamChannelError(BravoError):
    pass


@dataclass
class NotAllowedError(BravoError):
    needs: str  # "admin" | "lead" | "lead_or_owner"


@dataclass
class LeadMentionError(BravoError):
    pass


@dataclass
class CsvRejectedError(BravoError):
    problems: tuple[tuple[int, str], ...]  # (line number, what is wrong)


@dataclass
class FutureStartDateError(BravoError):
    word: str
