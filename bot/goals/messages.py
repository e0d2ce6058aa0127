"""What goals and check-ins send, to whom, as outbox messages (pure: results in, envelopes
out; the words are in render.py)."""

from __future__ import annotations

from collections.abc import Sequence, Set
from zoneinfo import ZoneInfo

from bot.goals import ids, render
from bot.goals.checkins import CheckInResult
from bot.goals.due import Due
from bot.goals.lifecycle import Closed
from bot.goals.rules import shared_with_coach
from bot.outbox.envelope import OutMessage, SlackMethod
from storage.models.goals import CheckInPrompt, CheckInStatus, Goal, GoalStatus, Visibility


def prompt_key(goal: Goal, due_iso: str) -> str:
    return f"checkin:{goal.team_id}:{goal.id}:{due_iso}"


def prompt_edit(prompt: CheckInPrompt, payload: dict[str, object]) -> list[OutMessage]:
    """Edit a prompt's DM (so its buttons are gone); nothing if it was never queued."""
    if prompt.outbox_id is None:
        return []
    return [
        OutMessage(
            kind=ids.PROMPT_EDIT,
            method=SlackMethod.UPDATE,
            payload=dict(payload),
            update_of=prompt.outbox_id,
        )
    ]


def due_messages(due: Due, zone: ZoneInfo) -> list[OutMessage]:
    """A due goal's prompt (its key is the delivery record), edits that close missed prompts,
    and the coach alert after missed check-ins in a row."""
    goal = due.goal
    out: list[OutMessage] = []
    for missed in due.missed:
        out += prompt_edit(missed, render.prompt_missed(goal))
    for skipped in due.skipped:
        out += prompt_edit(skipped, render.prompt_set_aside(goal))
    if due.prompt is not None:
        tip = due.tip.text if due.tip else None
        out.append(
            OutMessage(
                kind=ids.PROMPT,
                method=SlackMethod.POST,
                payload=render.prompt_dm(goal, due.prompt, tip, zone),
                dedupe_key=prompt_key(goal, due.due_at.isoformat()),
            )
        )
    for coach in due.alert_coaches:
        out.append(
            OutMessage(
                kind=ids.COACH_ALERT,
                method=SlackMethod.POST,
                payload=render.missed_alert(goal, coach, goal.missed_in_row),
                dedupe_key=f"coach-missed:{goal.team_id}:{goal.id}:{due.due_at.isoformat()}:{coach}",
            )
        )
    return out


def closed_messages(closed: Closed, celebration_channel: str | None) -> list[OutMessage]:
    """A goal completed (celebrated: coaches when shared, the channel when public) or archived;
    either way its open prompts lose their buttons. The owner, who closed it, hears it in the
    one acknowledgement of what they pressed, not in a message of its own."""
    goal = closed.goal
    out: list[OutMessage] = []
    for prompt in closed.closed_prompts:
        out += prompt_edit(prompt, render.prompt_closed(goal))
    if goal.status != GoalStatus.COMPLETED:
        return out
    key = f"goal-done:{goal.team_id}:{goal.id}"
    if shared_with_coach(goal):
        for coach in closed.coaches:
            out.append(
                OutMessage(
                    kind=ids.GOAL_DONE,
                    method=SlackMethod.POST,
                    payload=render.completed_dm_coach(goal, coach),
                    dedupe_key=f"{key}:coach:{coach}",
                )
            )
    channel = celebration_channel or goal.channel_id
    if goal.visibility == Visibility.PUBLIC and channel:
        out.append(
            OutMessage(
                kind=ids.GOAL_DONE,
                method=SlackMethod.POST,
                payload={"unfurl_links": False, **render.completed_post(goal, channel)},
                dedupe_key=f"{key}:post",
                notify_user=goal.owner_id,
            )
        )
    return out


def checkin_messages(
    result: CheckInResult,
    celebration_channel: str | None,
    *,
    from_prompt_buttons: bool,
    in_channel: Set[str] = frozenset(),
) -> list[OutMessage]:
    """A check-in's alerts and celebrations, and the owner's one acknowledgement when it came
    from the note form: the waiting prompt redrawn as answered, or else a DM. A prompt's
    buttons are acknowledged by the handler's redraw (``checkin_ack``)."""
    goal, checkin = result.goal, result.checkin
    out: list[OutMessage] = []
    if not from_prompt_buttons:
        milestone = milestone_told(result, in_channel)
        told = []
        if result.prompt is not None:
            told = prompt_edit(result.prompt, checkin_ack(result, milestone))
        out += told or [checkin_saved(result, milestone)]
    if checkin.status == CheckInStatus.BLOCKED:
        for coach in result.coaches:
            out.append(
                OutMessage(
                    kind=ids.COACH_ALERT,
                    method=SlackMethod.POST,
                    payload=render.blocked_alert(goal, checkin, coach),
                    dedupe_key=f"blocked:{goal.team_id}:{checkin.id}:{coach}",
                )
            )
    if result.completed is not None:
        out += closed_messages(result.completed, celebration_channel)
    return out


def milestone_told(result: CheckInResult, in_channel: Set[str] = frozenset()) -> int | None:
    """The streak milestone the owner's acknowledgement tells: none when their milestones go
    to their team channel (the celebrations job posts it there), except with the goal completed,
    where the streak is part of the news."""
    if result.completed is None and result.goal.owner_id in in_channel:
        return None
    return result.streak_milestone


def checkin_ack(result: CheckInResult, milestone: int | None) -> dict[str, object]:
    """The answered prompt, as its owner sees it once they checked in."""
    goal = result.goal
    return render.prompt_answered(goal, result.checkin.status, goal.streak, milestone)


def goal_saved(
    goal: Goal, zone: ZoneInfo, *, edited: bool, coaches: Sequence[str] = ()
) -> OutMessage:
    """The owner's confirmation, by DM, of a goal set or edited (``coaches``: the owner's
    active coaches, named when the goal is shared with them)."""
    saved = render.goal_saved(goal, zone, edited=edited, coaches=coaches)
    return OutMessage(
        kind=ids.GOAL_SAVED,
        method=SlackMethod.POST,
        payload={"channel": goal.owner_id, **saved},
    )


def checkin_saved(result: CheckInResult, milestone: int | None) -> OutMessage:
    """The owner's confirmation, by DM, of a check-in from the note form that answered no
    prompt Bravo could redraw."""
    saved = render.checkin_saved(
        result.goal, result.checkin.status, counted=result.counted, milestone=milestone
    )
    return OutMessage(
        kind=ids.CHECKIN_SAVED,
        method=SlackMethod.POST,
        payload={"channel": result.checkin.user_id, **saved},
    )


def reminder(goal: Goal, key: str) -> OutMessage:
    """The one gentle reminder of a prompt still unanswered (``key``: its delivery record)."""
    return OutMessage(
        kind=ids.REMINDER,
        method=SlackMethod.POST,
        payload=render.reminder_dm(goal),
        dedupe_key=key,
    )
