"""One-on-one words and Block Kit (pure). Times are shown with Slack's date formatting, so
each reader sees the meeting in their own time zone; the rule is said in the coach's."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.blocks import context, message, section
from bot.cadence import WEEKDAYS
from bot.oneonones.errors import hhmm
from storage.models.oneonones import OneOnOne

HELP = (
    "*One-on-ones*\n"
    "• `/coach 1on1 @ana every tuesday 14:00` (or `every other tuesday 14:00`): recurring "
    "one-on-ones with someone you coach, in your time zone.\n"
    "• `/coach 1on1 @ana move thursday 10:30` or `/coach 1on1 @ana cancel`: either of you.\n"
    "• `/coach 1on1 @ana notes`: the latest meeting notes, for the two of you only.\n"
    "• `/coach 1on1 list`: your one-on-ones.\n"
    "• `/coach prep @ana`: the prep note for your next one-on-one with Ana, by DM."
)


def when(at: datetime | None) -> str:
    """A meeting time as each reader's local time (a UTC fallback for old clients)."""
    if at is None:
        return "no meeting planned"
    stamp = int(at.timestamp())
    return f"<!date^{stamp}^{{date_short_pretty}} at {{time}}|{at:%Y-%m-%d %H:%M} UTC>"


def rule(row: OneOnOne) -> str:
    every = "every" if row.every_weeks == 1 else "every other"
    return f"{every} {WEEKDAYS[row.weekday]} at {hhmm(row.minute)} ({row.tz})"


def changed_dm(row: OneOnOne, actor_id: str, what: str, to: str) -> dict[str, Any]:
    """A one-on-one set, moved or cancelled, to one of the two."""
    pair = f"<@{row.coach_id}> (coach) and <@{row.coachee_id}>"
    by = "You" if actor_id == to else f"<@{actor_id}>"
    if what == "cancelled":
        text = f"{by} cancelled the one-on-ones between {pair}. No more are planned."
    elif what == "moved":
        text = f"{by} moved the one-on-ones between {pair}: now {rule(row)}."
    else:
        text = f"{by} set one-on-ones between {pair}: {rule(row)}."
    blocks = [section(f":calendar: {text}")]
    if what != "cancelled":
        blocks.append(
            context(
                f"Next: {when(row.next_at)}. Either of you can "
                f"`/coach 1on1 @name move <day> HH:MM` or `cancel`."
            )
        )
    return {"channel": to, **message(text, blocks)}


def receipt(row: OneOnOne, what: str) -> str:
    pair = f"<@{row.coach_id}> and <@{row.coachee_id}>"
    if what == "cancelled":
        return f"Cancelled: no more one-on-ones between {pair}. Both of you were told."
    return (
        f"Done: one-on-ones between {pair}, {rule(row)}. "
        f"Next: {when(row.next_at)}. Both of you get a note by DM."
    )


def listing(rows: list[OneOnOne], user_id: str) -> dict[str, Any]:
    if not rows:
        text = (
            "You have no one-on-ones planned. A coach sets them with "
            "`/coach 1on1 @name every tuesday 14:00`."
        )
        return message(text, [section(text)])
    lines = []
    for row in rows:
        other = row.coachee_id if row.coach_id == user_id else row.coach_id
        role = "you coach" if row.coach_id == user_id else "your coach"
        lines.append(f"• <@{other}> ({role}): {rule(row)}; next {when(row.next_at)}")
    text = "*Your one-on-ones*\n" + "\n".join(lines)
    return message("Your one-on-ones", [section(text)])
