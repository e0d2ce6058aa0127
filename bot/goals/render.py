"""Block Kit for goals, check-ins and coaching: modals, prompts, lists, DMs. Pure functions.

Everything a person typed is escaped (``bot.text.escape``) before it goes into mrkdwn.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks import Block, button, clip, context, header, message, quote, section
from bot.cadence import CADENCE_LABELS, WEEKDAYS
from bot.coaching.service import CoacheeWeek
from bot.goals import ids
from bot.goals.service import cadence_of
from bot.text import escape
from storage.models import CheckIn, CheckInPrompt, CoachPairing, Goal

STATUS_LABEL = {
    "on_track": ":large_green_circle: On track",
    "at_risk": ":large_yellow_circle: At risk",
    "blocked": ":red_circle: Blocked",
    "done": ":white_check_mark: Done",
}
VISIBILITY_LABEL = {
    "private": "Only me",
    "coach": "Me and my coach",
    "public": "Me and my coach; everyone when completed",
}
GOAL_STATE = {
    "active": "",
    "paused": ":double_vertical_bar: paused",
    "completed": ":trophy: completed",
    "archived": ":file_cabinet: archived",
}


def when(at: datetime | None, zone: ZoneInfo) -> str:
    if at is None:
        return "none scheduled"
    local = at.astimezone(zone)
    return local.strftime("%a %d %b, %H:%M")


def _text(value: str, limit: int = 1500) -> str:
    return escape(clip(value, limit))


def goal_line(goal: Goal) -> str:
    return f"*{_text(goal.what, 300)}*"


def goal_summary(goal: Goal, zone: ZoneInfo, *, show_next: bool = True) -> str:
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
    if goal.status == "paused" and goal.paused_until:
        state += f" until {goal.paused_until:%d %b}"
    if state:
        lines.append(state)
    if show_next and goal.status in {"active", "paused"}:
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
    what: Block = {"type": "plain_text_input", "multiline": True, "max_length": 1000}
    measure: Block = {"type": "plain_text_input", "max_length": 1000}
    target: Block = {"type": "datepicker"}
    time_: Block = {"type": "timepicker", "initial_time": "09:30"}
    seed = goal or draft
    if seed is not None:
        what["initial_value"] = seed.what
        if seed.measure:
            measure["initial_value"] = seed.measure
        target["initial_date"] = seed.target_date.isoformat()
        time_["initial_time"] = f"{seed.cadence_minute // 60:02d}:{seed.cadence_minute % 60:02d}"
    skill_opts = [_option("#" + s, s) for s in skills[:100]]
    cadence_opts = [_option(label, key) for key, label in CADENCE_LABELS.items()]
    day_opts = [_option(name, str(i)) for i, name in enumerate(WEEKDAYS)]
    vis_opts = [_option(label, key) for key, label in VISIBILITY_LABEL.items()]
    visibility: Block = {"type": "radio_buttons", "options": vis_opts}
    vis_initial = goal.visibility if goal else "coach"
    visibility["initial_option"] = next(o for o in vis_opts if o["value"] == vis_initial)
    blocks = [
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
            _select(cadence_opts, goal.cadence if goal else "weekly"),
        ),
        _input(
            ids.DAY,
            "On (for weekly check-ins)",
            _select(day_opts, str(goal.cadence_day if goal else 0)),
        ),
        _input(ids.TIME, "At (your local time)", time_),
        _input(ids.VISIBILITY, "Who may see it", visibility),
    ]
    return {
        "type": "modal",
        "callback_id": ids.GOAL_MODAL,
        "private_metadata": private_metadata,
        "title": {"type": "plain_text", "text": "Edit goal" if goal else "Set a goal"},
        "submit": {"type": "plain_text", "text": "Save"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    }


def note_modal(*, goal: Goal, private_metadata: str) -> dict[str, Any]:
    status_opts = [_option(label.split(" ", 1)[1], key) for key, label in STATUS_LABEL.items()]
    blocks = [
        section(goal_line(goal)),
        _input(ids.NOTE_STATUS, "How is it going?", _select(status_opts, "on_track")),
        _input(
            ids.NOTE_PROGRESS,
            "Progress",
            {"type": "plain_text_input", "multiline": True, "max_length": 1000},
            "Where do you stand against your measure?",
        ),
        {
            **_input(
                ids.NOTE_WELL, "What went well", {"type": "plain_text_input", "max_length": 1000}
            ),
            "optional": True,
        },
        {
            **_input(ids.NOTE_NEXT, "Next step", {"type": "plain_text_input", "max_length": 1000}),
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


def goal_saved(goal: Goal, zone: ZoneInfo, *, edited: bool) -> dict[str, Any]:
    verb = "updated" if edited else "set"
    who = {
        "private": "Only you can see it.",
        "coach": "You and your coach can see it.",
        "public": "You and your coach can see it; everyone will when you complete it.",
    }[goal.visibility]
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
        block = section(goal_summary(goal, zone, show_next=True))
        if mine and goal.status in {"active", "paused"}:
            block["accessory"] = _goal_menu(goal)
        blocks.append(block)
    if len(goals) > 20:
        blocks.append(context(f"And {len(goals) - 20} more."))
    return message(title, blocks)


def _goal_menu(goal: Goal) -> Block:
    verbs = [("checkin", "Check in now"), ("edit", "Edit")]
    verbs.append(("resume", "Resume check-ins") if goal.status == "paused" else ("pause", "Pause"))
    verbs += [("complete", "Mark completed"), ("archive", "Archive")]
    return {
        "type": "overflow",
        "action_id": ids.GOAL_MENU,
        "options": [_option(label, f"{verb}:{goal.id}") for verb, label in verbs],
    }


def checkin_saved(goal: Goal, status: str, *, counted: bool) -> dict[str, Any]:
    streak = f" :fire: {goal.streak} in a row." if counted and goal.streak > 1 else ""
    text = f"Check-in saved: {STATUS_LABEL[status]}.{streak}"
    if status == "blocked":
        text += " Who could help you get unblocked? Your coach hears about it if you shared it."
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
                button("On track", ids.CHECKIN_ACTION, f"{pid}:on_track", "primary"),
                button("At risk", ids.CHECKIN_ACTION + "_risk", f"{pid}:at_risk"),
                button("Blocked", ids.CHECKIN_ACTION + "_blocked", f"{pid}:blocked", "danger"),
                button("Done!", ids.CHECKIN_ACTION + "_done", f"{pid}:done"),
                button("Add a note", ids.NOTE_ACTION, pid),
            ],
        }
    )
    blocks.append(
        context(f"Due {when(prompt.due_at, zone)} your time · target {goal.target_date:%d %b}")
    )
    return message(f"Time to check in: {_text(goal.what, 100)}", blocks)


def prompt_answered(goal: Goal, status: str, streak: int) -> dict[str, Any]:
    fire = f" · :fire: {streak} in a row" if streak > 1 else ""
    text = f"Checked in: {STATUS_LABEL[status]}{fire}"
    return message(text, [section(f"{goal_line(goal)}\n{text}")])


def prompt_missed(goal: Goal) -> dict[str, Any]:
    text = "This check-in was missed. No worries: the next one is on its way."
    return message(text, [section(f"{goal_line(goal)}\n:hourglass: {text}")])


def prompt_set_aside(goal: Goal) -> dict[str, Any]:
    text = "Set aside while you're away; your streak is safe. Check in any time from /goal list."
    return message(text, [section(f"{goal_line(goal)}\n:palm_tree: {text}")])


def prompt_closed(goal: Goal) -> dict[str, Any]:
    label = "completed" if goal.status == "completed" else "archived"
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


# Celebrations and coach messages ------------------------------------------------------------------


def milestone_dm(user_id: str, streak: int) -> dict[str, Any]:
    text = f"{streak} check-ins in a row! Small steps, kept up, are how skills grow."
    return {"channel": user_id, **message(text, [section(":tada: " + text)])}


def completed_dm_owner(goal: Goal, milestone: int | None) -> dict[str, Any]:
    extra = f" And a streak of {milestone} check-ins along the way." if milestone else ""
    text = f":trophy: You completed your goal {goal_line(goal)}!{extra} What's next?"
    return {"channel": goal.owner_id, **message("You completed a goal!", [section(text)])}


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


def coach_request_dm(pairing: CoachPairing) -> dict[str, Any]:
    pid = str(pairing.id)
    text = (
        f"<@{pairing.coach_id}> would like to coach you. As your coach they would see the goals "
        "you share with your coach, with their check-ins and notes, and get a weekly digest. "
        "Nothing is shared until you accept."
    )
    blocks = [
        section(":handshake: " + text),
        {
            "type": "actions",
            "elements": [
                button("Accept", ids.COACH_ACCEPT, pid, "primary"),
                button("Decline", ids.COACH_DECLINE, pid),
            ],
        },
    ]
    return {
        "channel": pairing.coachee_id,
        **message(f"<@{pairing.coach_id}> would like to coach you", blocks),
    }


def coach_answered(pairing: CoachPairing) -> dict[str, Any]:
    if pairing.status == "active":
        text = (
            f"You accepted <@{pairing.coach_id}> as your coach. End it any time with `/coach list`."
        )
    else:
        text = f"You declined <@{pairing.coach_id}>'s offer to coach you. Nothing was shared."
    return message(text, [section(text)])


def coach_told(pairing: CoachPairing) -> dict[str, Any]:
    if pairing.status == "active":
        text = f":handshake: <@{pairing.coachee_id}> accepted: you are now their coach."
    elif pairing.status == "declined":
        text = f"<@{pairing.coachee_id}> declined your offer to coach them."
    else:
        text = "Your coaching pairing ended."
    return {"channel": pairing.coach_id, **message(text, [section(text)])}


def pairing_ended(pairing: CoachPairing, ended_by: str, other: str) -> dict[str, Any]:
    text = (
        f"<@{ended_by}> ended the coaching between <@{pairing.coach_id}> (coach) "
        f"and <@{pairing.coachee_id}>."
    )
    return {"channel": other, **message(text, [section(text)])}


def coach_list(pairings: Sequence[CoachPairing], viewer_id: str) -> dict[str, Any]:
    live = [p for p in pairings if p.status in {"active", "pending"}]
    if not live:
        text = "No coaching yet. Offer to coach someone with `/coach @name`."
        return message(text, [section(text)])
    blocks: list[Block] = [section("*Your coaching*")]
    for p in live:
        if p.coach_id == viewer_id:
            line = f"You coach <@{p.coachee_id}>"
        else:
            line = f"<@{p.coach_id}> coaches you"
        if p.status == "pending":
            line += " (waiting for an answer)"
        block = section(line)
        block["accessory"] = button(
            "End" if p.status == "active" else "Withdraw", ids.COACH_END, str(p.id)
        )
        blocks.append(block)
    return message("Your coaching", blocks)


def coach_digest(coach_id: str, coachees: Sequence[CoacheeWeek], week_of: date) -> dict[str, Any]:
    blocks: list[Block] = [header(f"Your coaching digest, week of {week_of:%d %b}")]
    for c in coachees[:12]:
        lines = [f"*<@{c.coachee_id}>*"]
        if not c.goals:
            lines.append("No goals shared with you yet.")
        for goal in c.goals[:5]:
            recent = c.checkins.get(goal.id or 0, ())
            status = STATUS_LABEL[recent[0].status] if recent else "no check-in this week"
            changed = ""
            if len(recent) > 1 and recent[0].status != recent[-1].status:
                changed = f" (was {STATUS_LABEL[recent[-1].status]})"
            missed = c.missed.get(goal.id or 0, 0)
            miss = f" · missed {missed}" if missed else ""
            lines.append(f"• {_text(goal.what, 120)}: {status}{changed}{miss}")
            if recent and recent[0].progress:
                lines.append(f"   _{_text(recent[0].progress, 200)}_")
        if c.kudos:
            reasons = "; ".join(f"from <@{k.giver_id}>" for k in c.kudos[:3])
            lines.append(f":clap: {len(c.kudos)} kudos this week ({reasons})")
        block = section("\n".join(lines))
        block["accessory"] = button("Recognise progress", ids.KUDOS_FOR, c.coachee_id)
        blocks.append(block)
    if len(coachees) > 12:
        blocks.append(context(f"And {len(coachees) - 12} more people you coach."))
    blocks.append(context("Progress noticed is progress repeated: a kudos takes ten seconds."))
    return {"channel": coach_id, **message("Your weekly coaching digest", blocks)}


def meta(**values: Any) -> str:
    return json.dumps(values, separators=(",", ":"))
