"""Shout-out and celebration errors and their words."""

from __future__ import annotations

from dataclasses import dataclass

from bot.blocks import clip
from bot.errors import BravoError, error_text
from bot.text import escape


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


@error_text.register
def _(err: UnknownBravoCommandError) -> str:
    return f"I don't understand `{escape(err.text)}`. Try `/bravo help`."


@error_text.register
def _(err: UnknownWeekdayError) -> str:
    return (
        f"`{escape(err.word)}` isn't a weekday I know. Use a day like `friday` or `fri`: "
        "`/bravo shoutouts on friday 16:00 Europe/Berlin`"
    )


@error_text.register
def _(err: BadTimeError) -> str:
    return (
        f"`{escape(err.word)}` isn't a time of day. Use 24-hour HH:MM (00:00 to 23:59), "
        "e.g. `16:00`, or `4pm`."
    )


@error_text.register
def _(err: UnknownTimeZoneError) -> str:
    return (
        f"`{escape(err.word)}` isn't a time zone I know. Use a name from the tz database like "
        "`Europe/Berlin`, `America/New_York` or `UTC`."
    )


@error_text.register
def _(err: BadCelebrationDateError) -> str:
    if err.kind == "birthday":
        return (
            f"`{escape(err.word)}` isn't a birthday I can read. Use month-day, e.g. "
            "`/bravo celebrate birthday 03-14` (no year needed, and none is kept)."
        )
    return (
        f"`{escape(err.word)}` isn't a date I can read. Use YYYY-MM-DD, e.g. "
        "`/bravo celebrate started 2021-06-01`."
    )


@error_text.register
def _(err: NotAChannelError) -> str:
    return "Run this in the team's channel (not a DM): the team is the channel's members."


@error_text.register
def _(err: ChannelNotVisibleError) -> str:
    return (
        "I can't see this channel. If it's private, invite me first: `/invite @Bravo`, "
        "then try again."
    )


@error_text.register
def _(err: BotNotInChannelError) -> str:
    return "I'm not in this channel yet. Invite me with `/invite @Bravo`, then try again."


@error_text.register
def _(err: ArchivedChannelError) -> str:
    return "This channel is archived, so I can't post shout-outs here."


@error_text.register
def _(err: NotTeamChannelError) -> str:
    return (
        "This channel doesn't have weekly shout-outs. Turn them on with "
        "`/bravo shoutouts on [weekday] [HH:MM] [time zone]`."
    )


@error_text.register
def _(err: NotAllowedError) -> str:
    if err.needs == "admin":
        return "Only a Bravo or workspace admin can do that."
    if err.needs == "lead":
        return (
            "Only this team's leads can do that: the channel's creator, or someone an admin "
            "named with `/bravo lead @name`."
        )
    return "Only the person who turned shout-outs on here, a team lead or an admin can change them."


@error_text.register
def _(err: LeadMentionError) -> str:
    return "Name one person from Slack's @-autocomplete: `/bravo lead @ana`."


@error_text.register
def _(err: CsvRejectedError) -> str:
    return csv_problems(err)


@error_text.register
def _(err: FutureStartDateError) -> str:
    return f"{escape(err.word)} is in the future. Add your start date once you've started."


def csv_problems(err: CsvRejectedError, limit: int = 8) -> str:
    lines = [f"Row {n}: {what}" if n else what for n, what in err.problems[:limit]]
    if len(err.problems) > limit:
        lines.append(f"…and {len(err.problems) - limit} more rows with problems")
    rows = len(err.problems)
    head = f"Nothing was imported: {rows} row{'' if rows == 1 else 's'} with problems."
    return clip(head + "\n" + "\n".join(lines), 2000)
