"""Friendly words for every domain error (shown as an ephemeral reply or a modal field error)."""

from __future__ import annotations

from functools import singledispatch
from typing import Any

from bot import errors as e
from bot.blocks import mentions

SORRY = (
    "Sorry, something went wrong on my side and nothing was saved. Please try again in a minute."
)
BUSY = "I'm swamped right now and couldn't take that. Nothing was saved; please try again."


def echo(body: dict[str, Any]) -> str:
    """What the person typed, so a failure never loses it."""
    if body.get("command") and body.get("text"):
        return f"\nWhat you typed, to try again: `{body['command']} {body['text']}`"
    return ""


@singledispatch
def error_text(err: e.BravoError) -> str:
    return "Sorry, that didn't work. Try `/kudos help`."


@error_text.register
def _(err: e.NoRecipientError) -> str:
    if err.unresolved:
        names = ", ".join("@" + n for n in err.unresolved)
        return (
            f"I couldn't tell who {names} is. Pick people from Slack's @-autocomplete so they "
            "become real mentions, e.g. `/kudos @ana for calming an angry caller`."
        )
    return "Who gets the kudos? Start with one or more @mentions: `/kudos @ana for ...`"


@error_text.register
def _(err: e.MissingReasonError) -> str:
    return (
        "Kudos need a reason, so people know what to keep doing: "
        "`/kudos @ana for calming an angry caller #empathy`"
    )


@error_text.register
def _(err: e.TextTooLongError) -> str:
    return (
        f"That {err.field} is {err.length} characters; please keep it under {err.limit}. "
        "Nothing was sent."
    )


@error_text.register
def _(err: e.TooManyRecipientsError) -> str:
    return f"That's {err.count} people; kudos can go to at most {err.limit} at once."


@error_text.register
def _(err: e.UnknownValueError) -> str:
    unknown = ", ".join("#" + v for v in err.unknown)
    allowed = " ".join("`#" + v + "`" for v in err.allowed)
    return f"I don't know the value {unknown}. Choose from: {allowed}"


@error_text.register
def _(err: e.SelfKudosError) -> str:
    return (
        "Nice try! Kudos are for recognising others, so you can't give them to yourself. "
        "Your allowance is untouched."
    )


@error_text.register
def _(err: e.BotRecipientError) -> str:
    return f"{mentions(list(err.user_ids))} is a bot; kudos are for people."


@error_text.register
def _(err: e.InactiveRecipientError) -> str:
    return f"{mentions(list(err.user_ids))} is no longer active in this workspace."


@error_text.register
def _(err: e.UnknownUserError) -> str:
    return f"I couldn't find {mentions(list(err.user_ids))} in this workspace."


@error_text.register
def _(err: e.UnknownUserGroupError) -> str:
    return "I couldn't find that user group. Mention people or an existing @group."


@error_text.register
def _(err: e.AllowanceExceededError) -> str:
    if err.remaining == 0:
        return (
            f"You've given all {err.allowance} of today's kudos. Your allowance refills at "
            "midnight your time. Nothing was sent."
        )
    return (
        f"That would be {err.requested} kudos, but you have {err.remaining} of "
        f"{err.allowance} left today. Nothing was sent; try fewer people."
    )


@error_text.register
def _(err: e.RecipientCapError) -> str:
    return (
        f"You've already given <@{err.recipient_id}> {err.cap} kudos today, the most one "
        "person can get from you in a day. Spread the love!"
    )


@error_text.register
def _(err: e.DuplicateKudosError) -> str:
    return f"You already gave {mentions(list(err.user_ids))} kudos for this message."


@error_text.register
def _(err: e.UndoNotAllowedError) -> str:
    return {
        "expired": "Too late to undo: kudos can be withdrawn only in the first 10 minutes.",
        "not_giver": "Only the person who gave a kudos can undo it.",
        "already_undone": "That kudos was already withdrawn.",
    }.get(err.why, "I couldn't find that kudos any more.")


@error_text.register
def _(err: e.UnknownCommandError) -> str:
    return f"I don't understand `{err.word}`. Try `/kudos help`."


@error_text.register
def _(err: e.BadDateError) -> str:
    return (
        f"I couldn't read `{err.text}` as a date. Use YYYY-MM-DD, "
        "e.g. `/goal away until 2026-12-24`."
    )


@error_text.register
def _(err: e.GoalNotFoundError) -> str:
    return "I can't find that goal any more; it may have been archived. See `/goal list`."


@error_text.register
def _(err: e.NotYourGoalError) -> str:
    return "That goal isn't yours, so you can't change it or check in on it."


@error_text.register
def _(err: e.GoalClosedError) -> str:
    return f"That goal is already {err.status}; nothing to do. See `/goal list`."


@error_text.register
def _(err: e.PromptClosedError) -> str:
    return {
        "answered": "You already answered this check-in. Thanks!",
        "missed": "This check-in has closed; the next one will come on schedule. "
        "You can check in any time from `/goal list`.",
    }.get(err.status, "This check-in is closed: the goal was completed or archived.")


@error_text.register
def _(err: e.InvalidPauseError) -> str:
    if err.why == "past":
        return "Pick today or a later date to pause until."
    return "Pauses can last up to a year; archive the goal if it no longer matters."


@error_text.register
def _(err: e.CoachSelfError) -> str:
    return "You can't coach yourself, though reflecting on your own goals is a great habit."


@error_text.register
def _(err: e.CoachPersonError) -> str:
    why = {
        "bot": "is a bot",
        "deactivated": "has left the workspace",
        "unknown": "isn't someone I can find",
    }[err.why]
    return f"<@{err.user_id}> {why}, so they can't be coached."


@error_text.register
def _(err: e.PairingExistsError) -> str:
    if err.status == "active":
        return f"<@{err.coach_id}> already coaches <@{err.coachee_id}>. See `/coach list`."
    if err.status == "pending":
        return f"<@{err.coachee_id}> hasn't answered the request yet. See `/coach list`."
    return "That request was already answered."


@error_text.register
def _(err: e.PairingNotFoundError) -> str:
    return "That coaching request or pairing no longer exists, or it isn't yours."


@error_text.register
def _(err: e.NotShared) -> str:
    return (
        f"<@{err.owner_id}> hasn't shared goals with you. Coaches see the goals their coachees "
        "share with them: try `/coach @name`."
    )
