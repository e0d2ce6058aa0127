"""Block Kit for goals and check-ins: modals, prompts, lists, DMs, replies. Pure functions.

Everything a person typed is escaped (``bot.text.escape``) before it goes into mrkdwn.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks import Block, button, clip, context, message, quote, section
from bot.cadence import CADENCE_LABELS, WEEKDAYS
from bot.goals import ids
from bot.goals.ids import MenuVerb
from bot.goals.rules import OPEN, cadence_of
from bot.text import escape, trim
from storage.models.goals import (
    CadenceKind,
    CheckIn,
    CheckInPrompt,
    CheckInStatus,
    Goal,
    GoalStatus,
    Visibility,
)

STATUS_LABEL: dict[str, str] = {
    CheckInStatus.ON_TRACK: ":large_green_circle: On track",
    CheckInStatus.AT_RISK: ":large_yellow_circle: At risk",
    CheckInStatus.BLOCKED: ":red_circle: Blocked",
    CheckInStatus.DONE: ":white_check_mark: Done",
}
VISIBILITY_LABEL: dict[str, str] = {
    Visibility.PRIVATE: "Only me",
    Visibility.COACH: "Me and my coach",
    Visibility.PUBLIC: "Me and my coach; everyone when completed",
}
COMPLETED_PUBLIC = "; everyone will when you complete it"


def saved_for(visibility: str, coaches: Sequence[str]) -> str:
    """Who can see a goal just saved, naming the coach; "only you" when there is none yet."""
    then = COMPLETED_PUBLIC if visibility == Visibility.PUBLIC else ""
    if visibility == Visibility.PRIVATE:
        return "Only you can see it."
    if not coaches:
        return f"Only you can see it for now: you have no coach yet{then}."
    names = " and ".join(f"<@{c}>" for c in coaches)
    return f"You and your coach {names} can see it{then}."


GOAL_STATE: dict[str, str] = {
    GoalStatus.ACTIVE: "",
    GoalStatus.PAUSED: ":double_vertical_bar: paused",
    GoalStatus.COMPLETED: ":trophy: completed",
    GoalStatus.ARCHIVED: ":file_cabinet: archived",
}


def when(at: datetime | None, zone: ZoneInfo) -> str:
    if at is None:
        return "none scheduled"
    local = at.astimezone(zone)
    return local.strftime("%a %d %b, %H:%M")


def _text(value: str, limit: int = 1500) -> str:
    return escape(trim(value, limit))


def goal_line(goal: Goal) -> str:
    return f"*{_text(goal.what, 300)}*"


def goal_summary(
    goal: Goal, zone: ZoneInfo, *, show_next: bool = True, zones_named: bool = False
) -> str:
    """``zones_named``: for someone else's goal, say which time zone each time is in (the next
    check-in in the viewer's, the schedule in the owner's)."""
    lines = [
        goal_line(goal),
        f"Measure: {_text(goal.measure, 300)}",
        f"`#{goal.skill}` · target {goal.target_date:%d %b %Y}",
    ]
    if goal.last_status:
        progress = f" ({_text(goal.last_progress, 200)})" if goal.last_progress else ""
        lines.append(f"Last check-in: {STATUS_LABEL[goal.last_status]}{progress}")
    if goal.streak:
        lines.append(f":fire: {goal.streak} check-in{'s' if goal.streak != 1 else ''} in a row")
    state = GOAL_STATE.get(goal.status, "")
    if goal.status == GoalStatus.PAUSED and goal.paused_until:
        state += f" until {goal.paused_until:%d %b}"
    if state:
        lines.append(state)
    if show_next and goal.status in OPEN and zones_named:
        lines.append(
            f"Next check-in: {when(goal.next_due_at, zone)} your time ({zone.key}); "
            f"{cadence_of(goal).describe()} their time ({goal.tz})"
        )
    elif show_next and goal.status in OPEN:
        lines.append(
            f"Next check-in: {when(goal.next_due_at, zone)} ({cadence_of(goal).describe()})"
        )
    return "\n".join(lines)


# The goal modal --------------------------------------------------------------------------------


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": clip(text, 75)}, "value": value}


def _input(block_id: str, label: str, element: Block, hint: str | None = None) -> Block:
    element = {"action_id": ids.INPUT, **element}
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": label},
        "element": element,
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint}
    return block


def _select(options: list[dict[str, Any]], initial: str | None) -> Block:
    element: Block = {"type": "static_select", "options": options}
    chosen = [o for o in options if o["value"] == initial]
    if chosen:
        element["initial_option"] = chosen[0]
    return element


def goal_modal(
    *,
    skills: Sequence[str],
    private_metadata: str,
    goal: Goal | None = None,
    draft: Goal | None = None,
) -> dict[str, Any]:
    """Set (or edit) a SMART goal. Defaults: weekly, Monday 09:30, shared with my coach.
    ``draft``: an unsaved goal to start a new one from (feedback turned into an action plan)."""
    return {
        "type": "modal",
        "callback_id": ids.GOAL_MODAL,
        "private_metadata": private_metadata,
        "title": {"type": "plain_text", "text": "Edit goal" if goal else "Set a goal"},
        "submit": {"type": "plain_text", "text": "Save"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": _goal_fields(skills, goal, goal or draft),
    }


def _goal_fields(skills: Sequence[str], goal: Goal | None, seed: Goal | None) -> list[Block]:
    """The goal modal's inputs: filled from ``seed`` (the goal edited, or a draft); the
    schedule and visibility only from a goal edited."""
    what: Block = {
        "type": "plain_text_input",
        "multiline": True,
        "max_length": ids.LIMITS[ids.WHAT],
    }
    measure: Block = {"type": "plain_text_input", "max_length": ids.LIMITS[ids.MEASURE]}
    target: Block = {"type": "datepicker"}
    time_: Block = {"type": "timepicker", "initial_time": "09:30"}
    if seed is not None:
        what["initial_value"] = seed.what
        if seed.measure:
            measure["initial_value"] = seed.measure
        target["initial_date"] = seed.target_date.isoformat()
        time_["initial_time"] = f"{seed.cadence_minute // 60:02d}:{seed.cadence_minute % 60:02d}"
    skill_opts = [_option("#" + s, s) for s in skills[:100]]
    cadence_opts = [_option(label, key) for key, label in CADENCE_LABELS.items()]
    day_opts = [_option(name, str(i)) for i, name in enumerate(WEEKDAYS)]
    return [
        _input(
            ids.WHAT,
            "What will you do? (specific)",
            what,
            "One concrete behaviour, e.g. 'Summarise the customer's issue before solving it'.",
        ),
        _input(
            ids.MEASURE,
            "How will you measure progress?",
            measure,
            "A number or a clear sign, e.g. 'CSAT on my chats at 4.6 or more'.",
        ),
        _input(ids.SKILL, "Skill area", _select(skill_opts, seed.skill if seed else None)),
        _input(ids.TARGET, "Target date", target),
        _input(
            ids.CADENCE,
            "Check in",
            _select(cadence_opts, goal.cadence if goal else CadenceKind.WEEKLY),
        ),
        _input(
            ids.DAY,
            "On (for weekly check-ins)",
            _select(day_opts, str(goal.cadence_day if goal else 0)),
        ),
        _input(ids.TIME, "At (your local time)", time_),
        _input(ids.VISIBILITY, "Who may see it", _visibility(goal)),
    ]


def _visibility(goal: Goal | None) -> Block:
    options = [_option(label, key) for key, label in VISIBILITY_LABEL.items()]
    initial = goal.visibility if goal else Visibility.COACH
    chosen = next(o for o in options if o["value"] == initial)
    return {"type": "radio_buttons", "options": options, "initial_option": chosen}


def note_modal(*, goal: Goal, private_metadata: str) -> dict[str, Any]:
    status_opts = [_option(label.split(" ", 1)[1], key) for key, label in STATUS_LABEL.items()]
    blocks = [
        section(goal_line(goal)),
        _input(ids.NOTE_STATUS, "How is it going?", _select(status_opts, CheckInStatus.ON_TRACK)),
        _input(
            ids.NOTE_PROGRESS,
            "Progress",
            {
                "type": "plain_text_input",
                "multiline": True,
                "max_length": ids.LIMITS[ids.NOTE_PROGRESS],
            },
            "Where do you stand against your measure?",
        ),
        {
            **_input(
                ids.NOTE_WELL,
                "What went well",
                {"type": "plain_text_input", "max_length": ids.LIMITS[ids.NOTE_WELL]},
            ),
            "optional": True,
        },
        {
            **_input(
                ids.NOTE_NEXT,
                "Next step",
                {"type": "plain_text_input", "max_length": ids.LIMITS[ids.NOTE_NEXT]},
            ),
            "optional": True,
        },
    ]
    return {
        "type": "modal",
        "callback_id": ids.NOTE_MODAL,
        "private_metadata": private_metadata,
        "title": {"type": "plain_text", "text": "Check in"},
        "submit": {"type": "plain_text", "text": "Save"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    }


def pause_modal(*, goal: Goal, private_metadata: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": ids.PAUSE_MODAL,
        "private_metadata": private_metadata,
        "title": {"type": "plain_text", "text": "Pause check-ins"},
        "submit": {"type": "plain_text", "text": "Pause"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            section(goal_line(goal)),
            _input(
                ids.PAUSE_UNTIL,
                "No check-ins until (and including)",
                {"type": "datepicker"},
                "Your streak is kept while the goal is paused.",
            ),
        ],
    }


# Replies to the owner --------------------------------------------------------------------------


def goal_saved(
    goal: Goal, zone: ZoneInfo, *, edited: bool, coaches: Sequence[str] = ()
) -> dict[str, Any]:
    verb = "updated" if edited else "set"
    who = saved_for(goal.visibility, coaches)
    text = f":dart: Goal {verb}. {who}"
    return message(text, [section(text), section(goal_summary(goal, zone))])


def goal_list(
    goals: Sequence[Goal], zone: ZoneInfo, *, owner_id: str, viewer_id: str
) -> dict[str, Any]:
    mine = owner_id == viewer_id
    if not goals:
        text = (
            "You have no goals yet. Set one with `/goal`."
            if mine
            else f"<@{owner_id}> has not shared any goals with you."
        )
        return message(text, [section(text)])
    title = "Your goals" if mine else f"Goals <@{owner_id}> shared with you"
    blocks: list[Block] = [section(f"*{title}*")]
    for goal in goals[:20]:
        block = section(goal_summary(goal, zone, show_next=True, zones_named=not mine))
        if mine and goal.status in OPEN:
            block["accessory"] = _goal_menu(goal)
        blocks.append(block)
    if len(goals) > 20:
        blocks.append(context(f"And {len(goals) - 20} more."))
    return message(title, blocks)


def _goal_menu(goal: Goal) -> Block:
    verbs = [(MenuVerb.CHECKIN, "Check in now"), (MenuVerb.EDIT, "Edit")]
    verbs.append(
        (MenuVerb.RESUME, "Resume check-ins")
        if goal.status == GoalStatus.PAUSED
        else (MenuVerb.PAUSE, "Pause")
    )
    verbs += [(MenuVerb.COMPLETE, "Mark completed"), (MenuVerb.ARCHIVE, "Archive")]
    return {
        "type": "overflow",
        "action_id": ids.GOAL_MENU,
        "options": [_option(label, f"{verb}:{goal.id}") for verb, label in verbs],
    }


def away_set(until: date | None, was_away: bool = True) -> str:
    if until is None and not was_away:
        return "You weren't away, so nothing changed: check-ins go on as scheduled."
    if until is None:
        return "Welcome back! Check-ins resume on schedule."
    return (
        f":palm_tree: No check-ins through {until:%a %d %b}; your streaks are kept. "
        "`/goal back` when you return early."
    )


def resumed(goal: Goal, zone: ZoneInfo) -> str:
    return f"Check-ins resumed. Next: {when(goal.next_due_at, zone)}."


def closed(goal: Goal, milestone: int | None = None) -> str:
    if goal.status == GoalStatus.COMPLETED:
        return _told(":trophy: Goal completed. Well done! What's next?", milestone)
    return "Goal archived. It stays in your history; no more check-ins."


def _told(text: str, milestone: int | None, completed: bool = False) -> str:
    """The owner's one acknowledgement, with what the check-in brought: the goal completed, a
    streak milestone (no separate message tells them)."""
    if completed:
        text += "\n:trophy: You completed your goal. Well done! What's next?"
    if milestone:
        text += (
            f"\n:tada: {milestone} check-ins in a row! Small steps, kept up, are how skills grow."
        )
    return text


def checkin_saved(
    goal: Goal, status: str, *, counted: bool, milestone: int | None = None
) -> dict[str, Any]:
    streak = f" :fire: {goal.streak} in a row." if counted and goal.streak > 1 else ""
    text = f"Check-in saved: {STATUS_LABEL[status]}.{streak}"
    if status == CheckInStatus.BLOCKED:
        text += " Who could help you get unblocked? Your coach hears about it if you shared it."
    text = _told(text, milestone, goal.status == GoalStatus.COMPLETED)
    return message(text, [section(text), context(goal_line(goal))])


# Prompts ---------------------------------------------------------------------------------------


def checkin_prompt(
    goal: Goal, prompt: CheckInPrompt, tip_text: str | None, zone: ZoneInfo
) -> dict[str, Any]:
    pid = str(prompt.id)
    lines = [f":wave: Time to check in on your goal\n{goal_line(goal)}"]
    lines.append(f"Measure: {_text(goal.measure, 300)}")
    if goal.last_status:
        last = STATUS_LABEL[goal.last_status]
        if goal.last_progress:
            last += f": {_text(goal.last_progress, 300)}"
        lines.append(f"Last time: {last}")
    else:
        lines.append("This is your first check-in on it.")
    if goal.streak:
        lines.append(f":fire: {goal.streak} in a row so far")
    blocks: list[Block] = [section("\n".join(lines))]
    if tip_text:
        blocks.append(context(f":bulb: *Tip for #{goal.skill}:* {escape(tip_text)}"))
    blocks.append(
        {
            "type": "actions",
            "block_id": f"checkin_{pid}",
            "elements": [
                button(
                    "On track", ids.CHECKIN_ACTION, f"{pid}:{CheckInStatus.ON_TRACK}", "primary"
                ),
                button("At risk", ids.CHECKIN_ACTION + "_risk", f"{pid}:{CheckInStatus.AT_RISK}"),
                button(
                    "Blocked",
                    ids.CHECKIN_ACTION + "_blocked",
                    f"{pid}:{CheckInStatus.BLOCKED}",
                    "danger",
                ),
                button("Done!", ids.CHECKIN_ACTION + "_done", f"{pid}:{CheckInStatus.DONE}"),
                button("Add a note", ids.NOTE_ACTION, pid),
            ],
        }
    )
    blocks.append(
        context(f"Due {when(prompt.due_at, zone)} your time · target {goal.target_date:%d %b}")
    )
    return message(f"Time to check in: {_text(goal.what, 100)}", blocks)


def prompt_answered(
    goal: Goal, status: str, streak: int, milestone: int | None = None
) -> dict[str, Any]:
    fire = f" · :fire: {streak} in a row" if streak > 1 else ""
    text = _told(
        f"Checked in: {STATUS_LABEL[status]}{fire}", milestone, goal.status == GoalStatus.COMPLETED
    )
    return message(text, [section(f"{goal_line(goal)}\n{text}")])


def prompt_missed(goal: Goal) -> dict[str, Any]:
    text = "This check-in was missed. No worries: the next one is on its way."
    return message(text, [section(f"{goal_line(goal)}\n:hourglass: {text}")])


def prompt_set_aside(goal: Goal) -> dict[str, Any]:
    text = "Set aside while you're away; your streak is safe. Check in any time from /goal list."
    return message(text, [section(f"{goal_line(goal)}\n:palm_tree: {text}")])


def prompt_closed(goal: Goal) -> dict[str, Any]:
    label = "completed" if goal.status == GoalStatus.COMPLETED else "archived"
    text = f"This goal is {label}; no check-in needed."
    return message(text, [section(f"{goal_line(goal)}\n{text}")])


def reminder_dm(goal: Goal) -> dict[str, Any]:
    text = (
        f"A gentle nudge: how is *{_text(goal.what, 200)}* going? "
        "Your check-in is waiting above; one click is enough."
    )
    return {"channel": goal.owner_id, **message(text, [section(":seedling: " + text)])}


def prompt_dm(
    goal: Goal, prompt: CheckInPrompt, tip_text: str | None, zone: ZoneInfo
) -> dict[str, Any]:
    return {"channel": goal.owner_id, **checkin_prompt(goal, prompt, tip_text, zone)}


# Celebrations and alerts to coaches -----------------------------------------------------------


def completed_dm_coach(goal: Goal, coach_id: str) -> dict[str, Any]:
    text = f":trophy: <@{goal.owner_id}> completed a goal: {goal_line(goal)}"
    blocks = [
        section(text),
        {
            "type": "actions",
            "elements": [button("Recognise it with kudos", ids.KUDOS_FOR, goal.owner_id)],
        },
    ]
    return {"channel": coach_id, **message(f"<@{goal.owner_id}> completed a goal", blocks)}


def completed_post(goal: Goal, channel: str) -> dict[str, Any]:
    text = f":trophy: <@{goal.owner_id}> just completed a goal: {goal_line(goal)}"
    lines = [text, f"Measure: {_text(goal.measure, 300)}"]
    return {
        "channel": channel,
        **message(f"<@{goal.owner_id}> completed a goal", [section("\n".join(lines))]),
    }


def blocked_alert(goal: Goal, checkin: CheckIn, coach_id: str) -> dict[str, Any]:
    note = f"\n{quote(_text(checkin.progress, 500))}" if checkin.progress else ""
    text = f":red_circle: <@{goal.owner_id}> is blocked on {goal_line(goal)}{note}"
    blocks = [section(text), context("A quick message from you could unblock them.")]
    return {"channel": coach_id, **message(f"<@{goal.owner_id}> is blocked", blocks)}


def missed_alert(goal: Goal, coach_id: str, missed: int) -> dict[str, Any]:
    text = (
        f":hourglass: <@{goal.owner_id}> has missed {missed} check-ins in a row on "
        f"{goal_line(goal)}. A friendly word may help."
    )
    return {"channel": coach_id, **message(f"<@{goal.owner_id}> missed check-ins", [section(text)])}


def meta(**values: Any) -> str:
    return json.dumps(values, separators=(",", ":"))
