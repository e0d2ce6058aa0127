"""Shout-out errors and their words."""

from __future__ import annotations

from dataclasses import dataclass

from bot.celebrations.errors import AdminOnlyError
from bot.errors import BravoError, error_text
from bot.text import escape
from storage.models.shoutouts import AllowedRole


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
    needs: AllowedRole


@dataclass
class LeadMentionError(BravoError):
    pass


@dataclass
class LeadPersonError(BravoError):
    """``/bravo lead @someone`` naming a bot, someone who left, or nobody Slack knows."""

    user_id: str
    why: str  # "bot" | "deactivated" | "unknown"


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
    if err.needs == AllowedRole.ADMIN:
        return error_text(AdminOnlyError())  # the same words as the admins' date import
    if err.needs == AllowedRole.LEAD:
        return (
            "Only this team's leads can do that: the channel's creator, or someone an admin "
            "named with `/bravo lead @name`."
        )
    return "Only the person who turned shout-outs on here, a team lead or an admin can change them."


@error_text.register
def _(err: LeadMentionError) -> str:
    return "Name one person from Slack's @-autocomplete: `/bravo lead @ana`."


@error_text.register
def _(err: LeadPersonError) -> str:
    why = {
        "bot": "is a bot",
        "deactivated": "has left the workspace",
        "unknown": "isn't someone I can find",
    }[err.why]
    return f"<@{err.user_id}> {why}, so they can't be a team lead. Nobody was named."
