"""Block Kit for celebrations: birthdays and anniversaries, milestones in a team channel, the
admins' date import, and the replies to ``/bravo celebrate``. Pure functions."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from bot.blocks import clip, message, section
from bot.celebrations import ids
from bot.celebrations.dates import DateToCelebrate
from storage.models.celebrations import DateKind, MilestonesPlace
from storage.models.kudos import MilestoneKind

MILESTONE_EMOJI: dict[str, str] = {
    MilestoneKind.RECEIVED: ":tada:",
    MilestoneKind.GIVING_STREAK: ":fire:",
    MilestoneKind.CHECKIN_STREAK: ":dart:",
}


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def milestone_line(user_id: str, kind: str, threshold: int) -> str:
    """The line a milestone is announced with (the weekly shout-out lists them too)."""
    emoji = MILESTONE_EMOJI.get(kind, ":tada:")
    if kind == MilestoneKind.RECEIVED:
        if threshold == 1:
            return f"{emoji} <@{user_id}> received their first kudos"
        return f"{emoji} <@{user_id}> has now received {threshold} kudos"
    if kind == MilestoneKind.GIVING_STREAK:
        return f"{emoji} <@{user_id}> has given kudos {threshold} weeks in a row"
    return f"{emoji} <@{user_id}> checked in on a goal {threshold} times in a row"


def celebration_post(channel_id: str, items: list[DateToCelebrate], today: date) -> dict[str, Any]:
    lines = []
    for item in items:
        when = "" if item.on == today else f" (on {item.on:%A})"
        if item.kind == DateKind.BIRTHDAY:
            lines.append(f":birthday: Happy birthday, <@{item.user_id}>!{when}")
        else:
            years = f"{item.years} year{'s' if item.years != 1 else ''}"
            lines.append(f":confetti_ball: <@{item.user_id}> has been with us {years}!{when}")
    shown = lines[:40] + ([f"…and {len(lines) - 40} more to celebrate"] if len(lines) > 40 else [])
    text = "Today we celebrate: " + ", ".join(f"<@{i.user_id}>" for i in items[:20])
    return {"channel": channel_id, **message(text, [section("\n".join(shown))])}


def milestone_post(channel_id: str, line: str) -> dict[str, Any]:
    return {"channel": channel_id, **message(line, [section(line + "!")])}


def import_modal() -> dict[str, Any]:
    example = "user,kind,date\nU0123ABCD,birthday,03-14\nU0456EFGH,started,2021-06-01"
    return {
        "type": "modal",
        "callback_id": ids.IMPORT_CALLBACK,
        "title": {"type": "plain_text", "text": "Import dates"},
        "submit": {"type": "plain_text", "text": "Import"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            section(
                "Paste CSV rows `user,kind,date`: a Slack user id, `birthday` (MM-DD; a year is "
                "dropped, never kept) or `started` (YYYY-MM-DD). If any row has a problem, "
                "nothing is saved and every problem is listed."
            ),
            {
                "type": "input",
                "block_id": ids.IMPORT_BLOCK,
                "label": {"type": "plain_text", "text": "CSV"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": ids.IMPORT_ACTION,
                    "multiline": True,
                    "max_length": ids.LIMITS[ids.IMPORT_BLOCK],
                    "placeholder": {"type": "plain_text", "text": clip(example, 150)},
                },
            },
        ],
    }


def imported_dm(user_id: str, people: int, rows: int) -> dict[str, Any]:
    who = "1 person" if people == 1 else f"{people} people"
    text = f"Imported {plural(rows, 'date')} for {who}."
    return {"channel": user_id, **message(text, [section(":white_check_mark: " + text)])}


# Replies to /bravo celebrate --------------------------------------------------------------------


def date_saved(kind: DateKind, month: int, day: int, year: int | None) -> str:
    when = f"{day} {calendar.month_name[month]}"
    if kind == DateKind.BIRTHDAY:
        return (
            f":birthday: Saved: your birthday is on {when}. Your team channels celebrate it at "
            "09:00 (weekends on the Friday before); no year is kept or shown. "
            "`/bravo celebrate optout` to skip celebrations."
        )
    return (
        f":confetti_ball: Saved: you started on {when} {year}. Your team channels celebrate "
        "each anniversary at 09:00."
    )


def date_forgotten(kind: DateKind, gone: bool) -> str:
    word = "birthday" if kind == DateKind.BIRTHDAY else "start date"
    return f"Forgotten: your {word}." if gone else f"I didn't have your {word}."


def opted_out(opt_out: bool) -> str:
    if opt_out:
        return (
            "Done: no birthday or anniversary celebrations for you. "
            "`/bravo celebrate optin` to undo."
        )
    return "Welcome back: your birthday and anniversaries will be celebrated again."


def milestones_where(where: MilestonesPlace) -> str:
    if where == MilestonesPlace.CHANNEL:
        return (
            "Your milestones will be announced in your team channel instead of by DM "
            "(by DM while you are in no team channel)."
        )
    return "Your milestones will reach you by DM only."
