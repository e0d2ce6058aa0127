"""Block Kit for practice: the scenario DM, the reply modal, the self-assessment, a rater's
ask and modal, the results, ``/practice history`` and its help. Pure functions.

Everything typed (a reply, a note, a workspace's scenario) goes through ``bot.text.said``: no
live mention or broadcast survives."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks import Block, button, clip, context, header, message, quote, section
from bot.practice import ids
from bot.text import said
from storage.models.practice import PracticePlan, PracticeRating, PracticeRound

MODAL_TITLE = 24  # characters in a modal's title


def _said(text: str, limit: int = 2800) -> str:
    return said(clip(text, limit))


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _scenario_blocks(scenario: Any) -> list[Block]:
    return [
        section(f"*{_said(scenario.title, 150)}* · _{scenario.skill}_"),
        section(_said(scenario.situation, 1500)),
        section("*The customer writes:*\n" + quote(_said(scenario.message, 2000))),
    ]


def checks_line(checklist: Sequence[str], ticked: Sequence[int]) -> str:
    """Each checklist item with a tick or a dash."""
    return "\n".join(
        f"{':white_check_mark:' if n in ticked else ':heavy_minus_sign:'} {_said(item, 100)}"
        for n, item in enumerate(checklist)
    )


def ticked(raw: str | None) -> tuple[int, ...]:
    """The indexes stored as JSON (``self_checks``, a rating's ``checks``)."""
    try:
        found = json.loads(raw or "[]")
    except ValueError:
        return ()
    return tuple(n for n in found if isinstance(n, int)) if isinstance(found, list) else ()


# The scenario DM ------------------------------------------------------------------------------


def scenario_dm(row: PracticeRound, scenario: Any) -> dict[str, Any]:
    rid = str(row.id)
    lead = "Your practice scenario for today" if row.planned else "Your practice scenario"
    blocks: list[Block] = [header(f":dart: {lead}"), *_scenario_blocks(scenario)]
    blocks.append(
        {
            "type": "actions",
            "elements": [
                button("Write my reply", ids.WRITE_REPLY, rid, "primary"),
                button("Skip this one", ids.SKIP, rid),
            ],
        }
    )
    blocks.append(context("Only you see your reply, and the people you ask to rate it."))
    return {"channel": row.user_id, **message(f"{lead}: {_said(scenario.title, 150)}", blocks)}


SCENARIO_DONE = "Done: you replied and checked it against the list. `/practice` for another."
SCENARIO_SKIPPED = "Skipped. `/practice` for another whenever you like."
ASK_RATED = "You rated it: thank you. They've been told."
ASK_PASSED = "You passed on this one; they aren't told why."


def scenario_closed(row: PracticeRound, scenario: Any, note: str) -> dict[str, Any]:
    """The scenario DM once its round is over: the scenario still there to read, no buttons."""
    drawn = scenario_dm(row, scenario)
    blocks = [b for b in drawn["blocks"] if b.get("type") != "actions"]
    blocks[-1:] = [context(note)]
    return {**drawn, "blocks": blocks}


def ask_closed(row: PracticeRound, scenario: Any, rater_id: str, note: str) -> dict[str, Any]:
    """A rater's DM once they rated or passed: the reply still there to read, no buttons."""
    drawn = rate_ask_dm(row, scenario, rater_id)
    blocks = [b for b in drawn["blocks"] if b.get("type") != "actions"]
    blocks.append(context(note))
    return {**drawn, "blocks": blocks}


def reply_modal(row: PracticeRound, scenario: Any, private_metadata: str) -> dict[str, Any]:
    field: Block = {
        "type": "plain_text_input",
        "action_id": ids.INPUT,
        "multiline": True,
        "max_length": ids.MAX_REPLY,
        "placeholder": {"type": "plain_text", "text": "What you would write back"},
    }
    if row.reply:
        field["initial_value"] = row.reply[: ids.MAX_REPLY]
    return {
        "type": "modal",
        "callback_id": ids.REPLY_MODAL,
        "private_metadata": private_metadata,
        "title": {"type": "plain_text", "text": "Practice"},
        "submit": {"type": "plain_text", "text": "Next"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            *_scenario_blocks(scenario),
            {
                "type": "input",
                "block_id": ids.REPLY_BLOCK,
                "label": {"type": "plain_text", "text": "Your reply to the customer"},
                "element": field,
            },
        ],
    }


def _checkboxes(checklist: Sequence[str]) -> Block:
    return {
        "type": "checkboxes",
        "action_id": ids.INPUT,
        "options": [
            {"text": {"type": "plain_text", "text": clip(item, 75)}, "value": str(n)}
            for n, item in enumerate(checklist[:10])
        ],
    }


def _note(label: str) -> Block:
    return {
        "type": "input",
        "block_id": ids.NOTE_BLOCK,
        "optional": True,
        "label": {"type": "plain_text", "text": label},
        "element": {
            "type": "plain_text_input",
            "action_id": ids.INPUT,
            "multiline": True,
            "max_length": ids.MAX_NOTE,
        },
    }


def assess_modal(row: PracticeRound, scenario: Any, private_metadata: str) -> dict[str, Any]:
    """The self-assessment: the checklist as checkboxes, a note, and whom to ask to rate it."""
    return {
        "type": "modal",
        "callback_id": ids.ASSESS_MODAL,
        "private_metadata": private_metadata,
        "title": {"type": "plain_text", "text": "How did it go?"},
        "submit": {"type": "plain_text", "text": "Done"},
        "close": {"type": "plain_text", "text": "Later"},
        "blocks": [
            section("*Your reply:*\n" + quote(_said(row.reply or "", 2500))),
            {
                "type": "input",
                "block_id": ids.CHECKS_BLOCK,
                "optional": True,
                "label": {"type": "plain_text", "text": "Which of these did your reply do?"},
                "element": _checkboxes(scenario.checklist),
            },
            _note("A note to yourself (optional)"),
            {
                "type": "input",
                "block_id": ids.RATERS_BLOCK,
                "optional": True,
                "label": {"type": "plain_text", "text": "Ask someone to rate it (optional)"},
                "hint": {
                    "type": "plain_text",
                    "text": "A peer or your coach: they see this reply and rate it on the "
                    "same checklist. Nobody else sees it.",
                },
                "element": {
                    "type": "multi_users_select",
                    "action_id": ids.INPUT,
                    "max_selected_items": ids.MAX_RATERS,
                },
            },
        ],
    }


def result_dm(
    row: PracticeRound, scenario: Any, raters: Sequence[str], streak: int
) -> dict[str, Any]:
    marks = ticked(row.self_checks)
    lines = [
        f":white_check_mark: Practice done: *{_said(scenario.title, 150)}* ({scenario.skill}). "
        f"You ticked {len(marks)} of {len(scenario.checklist)}:",
        checks_line(scenario.checklist, marks),
    ]
    if row.self_note:
        lines.append("_Your note:_ " + _said(row.self_note, 500))
    text = "\n".join(lines)
    blocks: list[Block] = [section(text)]
    after = [f"Practice streak: {streak} day{'s' if streak != 1 else ''}."]
    if raters:
        who = ", ".join(f"<@{r}>" for r in raters)
        after.append(f"I asked {who} to rate your reply; you'll hear back here.")
    blocks.append(context(" ".join(after)))
    return {"channel": row.user_id, **message("Practice done", blocks)}


# Ratings --------------------------------------------------------------------------------------


def rate_ask_dm(row: PracticeRound, scenario: Any, rater_id: str) -> dict[str, Any]:
    rid = str(row.id)
    text = (
        f"<@{row.user_id}> practised a customer reply and asked you to rate it on the "
        f"checklist for *{scenario.skill}*. Only they and you see it."
    )
    blocks: list[Block] = [
        section(":memo: " + text),
        *_scenario_blocks(scenario),
        section("*Their reply:*\n" + quote(_said(row.reply or "", 2500))),
        {
            "type": "actions",
            "elements": [
                button("Rate it", ids.RATE, rid, "primary"),
                button("Not this time", ids.DECLINE, rid),
            ],
        },
    ]
    return {"channel": rater_id, **message(f"<@{row.user_id}> asked you to rate a reply", blocks)}


def rate_modal(row: PracticeRound, scenario: Any, private_metadata: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": ids.RATE_MODAL,
        "private_metadata": private_metadata,
        "title": {"type": "plain_text", "text": "Rate a practice reply"},
        "submit": {"type": "plain_text", "text": "Send rating"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            section(f"*{_said(scenario.title, 150)}*\n" + quote(_said(scenario.message, 1200))),
            section("*The reply:*\n" + quote(_said(row.reply or "", 2500))),
            {
                "type": "input",
                "block_id": ids.CHECKS_BLOCK,
                "optional": True,
                "label": {"type": "plain_text", "text": "Which of these did the reply do?"},
                "element": _checkboxes(scenario.checklist),
            },
            _note("A note for them (optional)"),
        ],
    }


def rated_dm(row: PracticeRound, scenario: Any, rating: PracticeRating) -> dict[str, Any]:
    marks = ticked(rating.checks)
    lines = [
        f":memo: <@{rating.rater_id}> rated your practice reply to "
        f"*{_said(scenario.title, 150)}*: {len(marks)} of {len(scenario.checklist)}.",
        checks_line(scenario.checklist, marks),
    ]
    if rating.note:
        lines.append(f"_<@{rating.rater_id}>'s note:_ " + _said(rating.note, 500))
    return {
        "channel": row.user_id,
        **message("Your practice reply was rated", [section("\n".join(lines))]),
    }


# Replies to commands and buttons --------------------------------------------------------------


SENT = "Your scenario is in your DMs with me. Write your reply there when you're ready."
SKIPPED = "Skipped. Ask for another one any time with `/practice`."
DECLINED = "No problem: I won't ask again about this one."
THANKS = "Thanks: your rating was sent to them."


def thanks_modal() -> dict[str, Any]:
    """What the rating modal turns into once the rating is sent."""
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Rating sent"},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": [section(":white_check_mark: " + THANKS)],
    }


def plan_set(plan: PracticePlan) -> str:
    which = f" for *{plan.skill}*" if plan.skill else " (a skill in turn)"
    return (
        f"I'll send you a scenario{which} every weekday at {_hhmm(plan.minute)} your time "
        f"({plan.tz}). Days you're away (your Slack status or `/goal away`) are skipped and "
        "don't break your streak. Stop with `/practice stop`."
    )


def plan_stopped(plan: PracticePlan) -> str:
    return (
        f"Stopped your daily practice. Your streak stays at {plan.streak}; restart with "
        "`/practice every weekday 09:00`."
    )


STATUS_WORDS = {
    "sent": "waiting for your reply",
    "answered": "replied, not assessed",
    "assessed": "done",
    "dropped": "skipped",
}


def history(
    rounds: Sequence[PracticeRound],
    rated: dict[int, int],
    plan: PracticePlan | None,
    zone: ZoneInfo,
) -> dict[str, Any]:
    if not rounds:
        text = "No practice yet. Get a scenario with `/practice` (or `/practice empathy`)."
        return message(text, [section(text)])
    lines = ["*Your practice* (only you see this)"]
    for r in rounds:
        day: date = r.created_at.astimezone(zone).date()
        scenario_title = _title(r)
        done = STATUS_WORDS.get(r.status, r.status)
        extra = ""
        if r.self_checks is not None:
            extra = f", ticked {len(ticked(r.self_checks))}"
        n = rated.get(r.id or 0, 0)
        if n:
            extra += f", rated by {n}"
        lines.append(f"• {day:%d %b} · {r.skill} · {scenario_title}: {done}{extra}")
    blocks: list[Block] = [section("\n".join(lines))]
    if plan is not None:
        every = f"Every weekday at {_hhmm(plan.minute)}. " if plan.active else ""
        blocks.append(context(f"{every}Streak: {plan.streak} (best {plan.best_streak})."))
    return message("Your practice", blocks)


def _title(row: PracticeRound) -> str:
    try:
        found = json.loads(row.scenario).get("title", "")
    except (ValueError, AttributeError):
        found = ""
    return _said(str(found), 80) or row.scenario_key
