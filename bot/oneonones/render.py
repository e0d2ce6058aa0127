"""One-on-one words and Block Kit (pure). Times are shown with Slack's date formatting, so
each reader sees the meeting in their own time zone; the rule is said in the coach's."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.blocks import Block, button, context, header, message, section
from bot.cadence import WEEKDAYS
from bot.oneonones import ids
from bot.oneonones.errors import hhmm
from bot.oneonones.prep import PrepNote
from bot.text import escape, said, trim
from storage.models.oneonones import ActionItem, ItemOwner, ItemState, Meeting, OneOnOne

TOPIC_LIMIT = 300  # characters of one topic
TOPICS_SHOWN = 10  # topics a meeting keeps

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


# The prep note ---------------------------------------------------------------------------------

SNIPPET = 140  # characters of a check-in, feedback or customer comment quoted in a prep note


def _plain(text: str, limit: int = SNIPPET) -> str:
    return escape(trim(" ".join(text.split()), limit))


def _message(text: str) -> str:
    """Slack message text someone logged (it may hold mentions): shown without live ones."""
    return said(trim(" ".join(text.split()), SNIPPET))


def _lines(title: str, lines: list[str], empty: str) -> Block:
    body = "\n".join(f"• {line}" for line in lines) if lines else f"_{empty}_"
    return section(f"*{title}*\n{body}")


def _profile_lines(note: PrepNote) -> Block:
    unshared = "Not shared: it is theirs, and they haven't chosen to show it to their coaches."
    empty = "Nothing in the last 180 days yet."
    return _lines("Skill profile", note.profile or [], unshared if note.profile is None else empty)


def _growth(note: PrepNote) -> list[Block]:
    """How the coachee grows: their profile (if shared), practice, lessons, training."""
    blocks = [
        _profile_lines(note),
        _lines("Practice done (90 days)", note.practice or [], "None."),
        _lines("Lessons shared (90 days)", note.lessons or [], "None shared."),
    ]
    if note.training is not None:  # shown only when the coachee allows it
        blocks.append(_lines("Training they recorded", note.training, "None recorded."))
    return blocks


def prep_blocks(note: PrepNote) -> list[Block]:
    """The sections of a prep note, each bounded; what the coach may see only."""
    ana = note.series.coachee_id
    goals = [
        f"{_plain(g.what, 100)} (#{escape(g.skill)})"
        + (f", last check-in: {g.last_status.replace('_', ' ')}" if g.last_status else "")
        + (f", {note.missed[g.id or 0]} missed" if note.missed.get(g.id or 0) else "")
        for g in note.goals
    ]
    checkins = [
        f"{c.created_at:%b %d}: {c.status.replace('_', ' ')}"
        + (f", “{_plain(c.progress)}”" if c.progress.strip() else "")
        for c in note.checkins
    ]
    kudos = [f"#{escape(skill)}: {n}" for skill, n in note.kudos_by_skill]
    feedback = [
        f"{f.created_at:%b %d} (#{escape(f.skill)}): {_plain(f.behaviour)}" for f in note.feedback
    ]
    customer = [
        f"{c.created_at:%b %d} {c.kind} ({c.rating}/5): {_message(c.text)}" for c in note.customer
    ]
    blocks: list[Block] = [
        header("One-on-one prep"),
        section(f"For your one-on-one with <@{ana}>, {when(note.meeting.at)}."),
        _lines("Suggested talking points", note.points, "Nothing stands out: ask how it's going."),
        _lines("Their topics", _topic_lines(note.meeting.topics), "None added yet."),
        _lines("Open action items", [_item_line(i) for i in note.items], "None open."),
        _lines("Goals shared with you", goals, "No goals shared with coaches."),
        _lines("Latest check-ins (30 days)", checkins, "No check-ins in 30 days."),
        _lines("Kudos received by skill (90 days)", kudos, "No kudos in 90 days."),
        _lines("Feedback they shared (90 days)", feedback, "None shared with coaches."),
        _lines("Customer feedback (90 days)", customer, "None logged."),
    ]
    if note.reviews is not None:
        reviews = [
            f"{r.created_at:%b %d}: {r.outcome}, {r.status}"
            + (
                f" (asked to discuss: {_plain(r.discuss_reason or '', 80)})"
                if r.discuss_reason
                else ""
            )
            for r in note.reviews
        ]
        blocks.append(_lines("Reviews and discussions (90 days)", reviews, "No reviews."))
    blocks += _growth(note)
    blocks.append(
        {
            "type": "actions",
            "elements": [button("Add notes", ids.ADD_NOTES, str(note.meeting.id or 0))],
        }
    )
    blocks.append(
        context(
            "Private to you: only you see this note. Notes you add are seen by "
            f"you and <@{ana}> only."
        )
    )
    return blocks


def _topic_lines(topics: str) -> list[str]:
    return [_plain(t, TOPIC_LIMIT) for t in topics.split("\n") if t.strip()][:TOPICS_SHOWN]


def _item_line(item: ActionItem) -> str:
    whose = "a goal for" if item.owner == ItemOwner.COACHEE else "a follow-up by"
    state = ", proposed, not yet answered" if item.state == ItemState.PROPOSED else ""
    return f"{_plain(item.text, 120)} ({whose} <@{item.owner_id}>{state})"


def prep_dm(note: PrepNote, coach_id: str) -> dict[str, Any]:
    text = f"Prep for your one-on-one with <@{note.series.coachee_id}>"
    return {"channel": coach_id, **message(text, prep_blocks(note))}


def away_dm(row: OneOnOne, at: datetime) -> dict[str, Any]:
    text = (
        f"No prep note for your one-on-one with <@{row.coachee_id}> {when(at)}: their Slack "
        "status (or `/goal away`) says they're away. Move it with "
        f"`/coach 1on1 @name move <day> HH:MM` if you like."
    )
    return {"channel": row.coach_id, **message(text, [section(text)])}


def topics_dm(row: OneOnOne, meeting: Meeting) -> dict[str, Any]:
    text = (
        f"You have a one-on-one with <@{row.coach_id}> {when(meeting.at)}. Anything you'd like "
        "to talk about? Add a topic and it will be in their prep."
    )
    blocks = [
        section(text),
        {
            "type": "actions",
            "elements": [button("Add a topic", ids.ADD_TOPIC, str(meeting.id or 0))],
        },
        context("Only you and your coach see your topics."),
    ]
    return {"channel": row.coachee_id, **message(text, blocks)}


def topic_modal(meeting_id: int) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": ids.TOPIC_MODAL,
        "private_metadata": str(meeting_id),
        "title": {"type": "plain_text", "text": "Add a topic"},
        "submit": {"type": "plain_text", "text": "Add"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {
                "type": "input",
                "block_id": ids.TOPIC_BLOCK,
                "label": {"type": "plain_text", "text": "What would you like to talk about?"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": "input",
                    "max_length": TOPIC_LIMIT,
                },
            }
        ],
    }


def topic_added(count: int) -> str:
    many = f"{count} topic{'s' if count > 1 else ''}"
    return f"Added: your coach will see it in their prep ({many} so far)."


def prep_sent(note: PrepNote) -> str:
    away = (
        f" Note: <@{note.series.coachee_id}> looks away right now (Slack status or `/goal away`)."
        if note.away
        else ""
    )
    return f"I sent you the prep note for {when(note.meeting.at)} by DM.{away}"


def done_modal(title: str, text: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title[:24]},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": [section(text)],
    }


# Notes and action items ------------------------------------------------------------------------

OWNERS = (("coachee", "A goal for them (they agree first)"), ("coach", "A follow-up for me"))


def _option(value: str, text: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": text}, "value": value}


def notes_modal(meeting_id: int, notes: str, limit: int, item_limit: int) -> dict[str, Any]:
    """Notes (private to the two of them) and up to five action items, each with its owner."""
    blocks: list[Block] = [
        {
            "type": "input",
            "block_id": ids.NOTES_BLOCK,
            "optional": True,
            "label": {"type": "plain_text", "text": "Notes (only you and your coachee see them)"},
            "element": {
                "type": "plain_text_input",
                "action_id": "input",
                "multiline": True,
                "max_length": limit,
                **({"initial_value": notes} if notes else {}),
            },
        }
    ]
    for n in range(5):
        blocks.append(
            {
                "type": "input",
                "block_id": f"{ids.ITEM_BLOCK}{n}",
                "optional": True,
                "label": {"type": "plain_text", "text": f"Action item {n + 1}"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": "input",
                    "max_length": item_limit,
                },
            }
        )
        blocks.append(
            {
                "type": "input",
                "block_id": f"{ids.ITEM_OWNER_BLOCK}{n}",
                "optional": True,
                "label": {"type": "plain_text", "text": "Whose is it?"},
                "element": {
                    "type": "static_select",
                    "action_id": "input",
                    "initial_option": _option(*OWNERS[0]),
                    "options": [_option(v, t) for v, t in OWNERS],
                },
            }
        )
    return {
        "type": "modal",
        "callback_id": ids.NOTES_MODAL,
        "private_metadata": str(meeting_id),
        "title": {"type": "plain_text", "text": "One-on-one notes"},
        "submit": {"type": "plain_text", "text": "Save"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    }


def _notes_text(meeting: Meeting) -> str:
    return escape(trim(meeting.notes, 2500)) if meeting.notes.strip() else "_No notes written._"


def notes_dm(row: OneOnOne, meeting: Meeting, to: str) -> dict[str, Any]:
    """The notes of a meeting, to the coachee (the coach wrote them)."""
    text = f"<@{row.coach_id}> wrote notes on your one-on-one of {when(meeting.at)}"
    blocks = [
        section(f":memo: {text}:"),
        section(_notes_text(meeting)),
        context("Only you and your coach see these notes. `/coach 1on1 @name notes` shows them."),
    ]
    return {"channel": to, **message(text, blocks)}


def item_dm(row: OneOnOne, item: ActionItem) -> dict[str, Any]:
    """A coachee's action item, proposed to them as a goal."""
    text = f"<@{row.coach_id}> suggests an action item from your one-on-one"
    blocks: list[Block] = [
        section(
            f"{text}:\n> {_plain(item.text, 300)}\nWould you like to make it one of your goals?"
        ),
        {
            "type": "actions",
            "elements": [
                button("Make it my goal", ids.MAKE_GOAL, str(item.id or 0), "primary"),
                button("No thanks", ids.NO_THANKS, str(item.id or 0)),
            ],
        },
    ]
    return {"channel": row.coachee_id, **message(text, blocks)}


def follow_up_dm(row: OneOnOne, item: ActionItem) -> dict[str, Any]:
    """A coach's follow-up, with its Done button (to the coach)."""
    text = f"Your follow-up from the one-on-one with <@{row.coachee_id}>"
    blocks: list[Block] = [
        section(f"{text}:\n> {_plain(item.text, 300)}"),
        {"type": "actions", "elements": [button("Done", ids.ITEM_DONE, str(item.id or 0))]},
    ]
    return {"channel": row.coach_id, **message(text, blocks)}


def item_answered(item: ActionItem) -> dict[str, Any]:
    words = {
        ItemState.DONE: "Done",
        ItemState.DECLINED: "You said no thanks",
        ItemState.OPEN: "Still open",
    }.get(ItemState(item.state), item.state)
    goal = " (it's one of your goals now)" if item.goal_id else ""
    text = f"{words}: {_plain(item.text, 300)}{goal}"
    return message(text, [section(text)])


def notes_saved(items: int) -> str:
    extra = f" and {items} action item{'s' if items != 1 else ''}" if items else ""
    return f"Notes saved{extra}. Your coachee was told; only the two of you see them."


def latest_notes(row: OneOnOne, meeting: Meeting | None, items: list[ActionItem]) -> dict[str, Any]:
    pair = f"<@{row.coach_id}> and <@{row.coachee_id}>"
    if meeting is None:
        text = f"No notes yet for the one-on-ones between {pair}."
        blocks = [section(text)]
    else:
        text = f"Notes of the one-on-one between {pair}, {when(meeting.at)}"
        blocks = [section(f"*{text}*"), section(_notes_text(meeting))]
    blocks.append(_lines("Open action items", [_item_line(i) for i in items], "None open."))
    blocks.append(context("Only the two of you see these."))
    return {"response_type": "ephemeral", **message(text, blocks)}
