"""Slack ids shared by renderers, listener registration and payload parsers, and the kinds of
things kudos name that live only in the bot (those stored with a kudos are in
``storage.models.kudos``)."""

from __future__ import annotations

from enum import StrEnum

COMMAND = "/kudos"
MODAL_CALLBACK = "kudos_modal"
SHORTCUT_CALLBACK = "give_kudos"
UNDO_ACTION = "kudos_undo"
UNDO_BLOCK = "kudos_undo"

RECIPIENTS_BLOCK = "kudos_recipients"
RECIPIENTS_ACTION = "recipients"
VALUE_BLOCK = "kudos_value"
VALUE_ACTION = "value"
REASON_BLOCK = "kudos_reason"
REASON_ACTION = "reason"
CHANNEL_BLOCK = "kudos_channel"
CHANNEL_ACTION = "channel"

# Events API event types
REACTION_ADDED = "reaction_added"
REACTION_REMOVED = "reaction_removed"


class OutboxKind(StrEnum):
    """What a kudos queues for Slack (``OutboxRow.kind``)."""

    POST = "kudos_post"  # the kudos in the channel
    DM = "kudos_dm"  # to each recipient
    CELEBRATION = "celebration"  # a milestone, by DM
    CONFIRM = "kudos_confirm"  # the giver's confirmation, by DM when it cannot be ephemeral
    WITHDRAWN = "kudos_withdrawn"  # the edit marking a post or DM withdrawn


class Period(StrEnum):
    """How far back a leaderboard looks."""

    WEEK = "week"
    MONTH = "month"
    ALL = "all"


class UndoRefusal(StrEnum):
    """Why an Undo was refused."""

    NOT_FOUND = "not_found"
    NOT_GIVER = "not_giver"
    EXPIRED = "expired"
    ALREADY_UNDONE = "already_undone"


# Kudos history: a page of kudos received and given (``/kudos history``, or "See more" on the
# Home tab, which opens it in a modal); the button value carries whose history and where.
HISTORY_OPEN = "kudos_history_open"
HISTORY_PAGE = "kudos_history_page"
