"""Training as Block Kit (pure): the recorded course with its **Make it a goal** button, a
person's list, the course form. What people typed is shown mention-safe (``bot.text.said``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.blocks import Block, button, clip, context, message, section
from bot.learning import ids
from bot.learning.training import Saved, Shown, training_line
from bot.learning.training_errors import COURSE, EXAMPLE, MAX_NEXT
from bot.text import person, plain, said
from storage.models.learning import Training

HELP = (
    f"*Record training you took* — {EXAMPLE}\n"
    f"• `{COURSE}` alone opens a form (title, date, skill, what you'll try next, a link).\n"
    "• `on` takes a date (`2026-03-14`), `today`, `yesterday` or a weekday; the default is today.\n"
    f"• `{COURSE} list` shows what you recorded; a coach can use `{COURSE} list @person` when "
    "that person lets their coaches see it (on their Bravo Home tab).\n"
    "Only you see your training unless you share it with your coaches."
)


def _who_sees(shared: bool) -> str:
    return "Your coaches see it too, as you chose." if shared else "Only you see it."


def _goal_button(row: Training) -> Block | None:
    if not row.next_step or row.goal_id is not None or row.id is None:
        return None
    return button("Make it a goal", ids.COURSE_GOAL, str(row.id), style="primary")


def recorded_blocks(saved: Saved) -> list[Block]:
    row = saved.training
    blocks: list[Block] = [section(f":mortar_board: Recorded: {training_line(row)}")]
    hint = _who_sees(saved.shared)
    if not row.next_step:
        hint += " Next time add what you'll try: `next: ...` after the title."
    blocks.append(context(hint))
    found = _goal_button(row)
    if found is not None:
        blocks.append({"type": "actions", "block_id": "course_goal", "elements": [found]})
    return blocks


def recorded(saved: Saved) -> dict[str, Any]:
    text = f"Recorded: {said(saved.training.title)}"
    return {"response_type": "ephemeral", **message(text, recorded_blocks(saved))}


def goal_made(row: Training) -> str:
    return (
        ":dart: Done: what you'll try next is now a goal, with a weekly check-in. "
        "See or change it with `/goal list`."
    )


def listing(shown: Shown) -> dict[str, Any]:
    own = shown.viewer_id == shown.person_id
    whose = "Your training" if own else f"{person(shown.person_id)}'s training"
    if not shown.rows:
        text = (
            f"You haven't recorded any training yet. Try {EXAMPLE}."
            if own
            else f"{whose}: nothing recorded yet."
        )
        return {"response_type": "ephemeral", **message(text, [section(text)])}
    blocks: list[Block] = [section(f"*{whose}* (newest first)")]
    lines = [f"• {training_line(r)}" + (" _(a goal)_" if r.goal_id else "") for r in shown.rows]
    blocks.append(section("\n".join(lines)))
    notes = []
    if shown.more:
        notes.append(f"Showing the latest {len(shown.rows)}.")
    if own:
        notes.append(_who_sees(shown.shared))
    if notes:
        blocks.append(context(" ".join(notes)))
    return {"response_type": "ephemeral", **message(whose, blocks)}


def _input(block: str, label: str, element: Block, optional: bool = False) -> Block:
    found: Block = {
        "type": "input",
        "block_id": block,
        "label": {"type": "plain_text", "text": label},
        "element": {"action_id": "input", **element},
    }
    if optional:
        found["optional"] = True
    return found


def _text(limit: int, placeholder: str, initial: str = "", multiline: bool = False) -> Block:
    element: Block = {
        "type": "plain_text_input",
        "max_length": limit,
        "multiline": multiline,
        "placeholder": {"type": "plain_text", "text": placeholder},
    }
    if initial:
        element["initial_value"] = initial[:limit]
    return element


def course_modal(skills: tuple[str, ...], title: str, today: date) -> dict[str, Any]:
    """The course form. ``title``: what was typed after ``/learned course``, if anything."""
    options = [{"text": {"type": "plain_text", "text": clip(s, 75)}, "value": s} for s in skills]
    blocks = [
        _input(
            ids.COURSE_TITLE,
            "Which training did you take?",
            _text(ids.MAX_TITLE, "De-escalation basics", plain(title)),
        ),
        _input(
            ids.COURSE_DATE,
            "When",
            {"type": "datepicker", "initial_date": today.isoformat()},
        ),
    ]
    if options:
        element = {"type": "static_select", "options": options[:100]}
        blocks.append(_input(ids.COURSE_SKILL, "The skill it builds", element, optional=True))
    next_field = _text(MAX_NEXT, "One thing you will try at work", multiline=True)
    blocks.append(_input(ids.COURSE_NEXT, "What you'll try next", next_field, optional=True))
    link = _text(1000, "https://…")
    blocks.append(_input(ids.COURSE_LINK, "A link to the course", link, optional=True))
    blocks.append(context("Only you see it, unless you let your coaches see your training."))
    return {
        "type": "modal",
        "callback_id": ids.COURSE_MODAL,
        "title": {"type": "plain_text", "text": "Training I took"},
        "submit": {"type": "plain_text", "text": "Record"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    }


def recorded_modal(saved: Saved) -> dict[str, Any]:
    """The form, once saved: what was recorded (with its button)."""
    return info_modal(recorded_blocks(saved))


def info_modal(blocks: list[Block]) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": ids.COURSE_MODAL + "_done",
        "title": {"type": "plain_text", "text": "Training I took"},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": blocks,
    }
