"""The Home tab as Block Kit (pure): everything about one person, for that person only.

Whatever people typed (kudos reasons, goals, feedback, request topics) is trimmed and made
mention-safe with ``bot.text.said``; people are named with ``<@id>``, which a Home tab shows
as a name and which notifies nobody. The view stays within Block Kit's 100 blocks whatever
the history: each list is capped before it gets here, and again here."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks import Block, button, context, header, section
from bot.home import ids
from bot.home.ids import Toggle
from bot.learning.training import training_line
from bot.profile import ids as profile_ids
from bot.profile.render import profile_blocks
from bot.profile.service import Profile
from bot.text import escape, said, trim
from storage.models import (
    Feedback,
    FeedbackRequest,
    Goal,
    Kudos,
    Milestone,
    PersonDate,
)
from storage.models.learning import Training

MAX_BLOCKS = 100
KUDOS_SHOWN = 5
GOALS_SHOWN = 6
FEEDBACK_SHOWN = 3
REQUESTS_SHOWN = 5
PAIRINGS_SHOWN = 10
MILESTONES_SHOWN = 3
PROFILES_SHOWN = 5  # coachees with a "Skill profile" button
REASON_CHARS = 160
GOAL_CHARS = 200
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
CHECKIN_LABEL = {
    "on_track": ":large_green_circle: on track",
    "at_risk": ":large_yellow_circle: at risk",
    "blocked": ":red_circle: blocked",
    "done": ":tada: done",
}
MILESTONE_WORDS = {
    "received": "{n} kudos received",
    "giving_streak": "{n} weeks in a row giving kudos",
    "checkin_streak": "{n} check-ins in a row",
}


@dataclass(frozen=True)
class KudosNumbers:
    received: int = 0
    given: int = 0
    streak_weeks: int = 0
    best_streak: int = 0
    remaining_today: int = 0
    allowance: int = 0


@dataclass(frozen=True)
class Coaching:
    coaches: tuple[str, ...] = ()
    coachees: tuple[str, ...] = ()
    sharing: tuple[str, ...] = ()  # coachees who let their coaches see their skill profile
    asked_me: tuple[str, ...] = ()  # offers waiting for my answer (from these coaches)
    i_asked: tuple[str, ...] = ()  # my offers waiting for these people's answer
    partial: bool = False  # more pairings than were read: "and more", not a count


@dataclass(frozen=True)
class Prefs:
    leaderboard_opt_out: bool = False
    celebrations_opt_out: bool = False
    milestones_in_channel: bool = False
    profile_to_coaches: bool = False
    training_to_coaches: bool = False


@dataclass(frozen=True)
class AdminSummary:
    values: tuple[str, ...]
    daily_allowance: int
    per_recipient_daily_cap: int
    kudos_channel: str | None
    emoji: str
    shoutout_weekday: int
    shoutout_minute: int
    admins: tuple[str, ...]


@dataclass(frozen=True)
class HomeData:
    """What one person's home shows, read for them (and only them) by ``service.build_home``."""

    user_id: str
    zone: ZoneInfo
    numbers: KudosNumbers
    received: tuple[Kudos, ...] = ()
    given: tuple[Kudos, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    goals: tuple[Goal, ...] = ()
    requests_to_me: tuple[FeedbackRequest, ...] = ()
    feedback: tuple[Feedback, ...] = ()
    my_requests: tuple[FeedbackRequest, ...] = ()
    coaching: Coaching = field(default_factory=Coaching)
    dates: tuple[PersonDate, ...] = ()
    prefs: Prefs = field(default_factory=Prefs)
    admin: AdminSummary | None = None
    reviews_to_acknowledge: int = 0  # reviews of the person's conversations not yet seen to
    skills: Profile | None = None  # the person's own skill profile
    chart_file_id: str | None = None  # their latest chart uploaded, shown with it
    training: tuple[Training, ...] = ()  # the latest training they recorded (TRAINING_SHOWN)


def home_view(data: HomeData, *, history_action: str, settings_action: str) -> dict[str, Any]:
    blocks: list[Block] = [header("Your Bravo")]
    blocks += kudos_blocks(data, history_action)
    blocks += goal_blocks(data)
    blocks += feedback_blocks(data)
    blocks += skills_blocks(data)
    blocks += training_blocks(data)
    blocks += coaching_blocks(data.coaching)
    blocks += celebration_blocks(data)
    if data.admin is not None:
        blocks += admin_blocks(data.admin, settings_action)
    return {"type": "home", "blocks": blocks[:MAX_BLOCKS]}


def _divided(title: str) -> list[Block]:
    return [{"type": "divider"}, header(title)]


def _reason(text: str) -> str:
    return said(trim(text, REASON_CHARS))


def _values(csv: str) -> str:
    return " ".join(f"`#{escape(v)}`" for v in csv.split(",") if v)


def _day(at: datetime, zone: ZoneInfo) -> str:
    local = at.astimezone(zone)
    return f"{local.day} {MONTHS[local.month - 1]}"


def _kudos_line(row: Kudos, who: str, zone: ZoneInfo) -> str:
    values = _values(row.values)
    return f"• {who}, {_day(row.created_at, zone)}: {_reason(row.reason)}" + (
        f" {values}" if values else ""
    )


def kudos_blocks(data: HomeData, history_action: str) -> list[Block]:
    n = data.numbers
    blocks = _divided(":clap: Kudos")
    blocks.append(
        section(
            f"*{n.received}* received · *{n.given}* given · "
            f"*{n.remaining_today}* of {n.allowance} left to give today"
        )
    )
    received = [
        _kudos_line(k, f"from <@{k.giver_id}>", data.zone) for k in data.received[:KUDOS_SHOWN]
    ]
    given = [_kudos_line(k, f"to <@{k.recipient_id}>", data.zone) for k in data.given[:KUDOS_SHOWN]]
    blocks.append(
        section("*Received lately*\n" + ("\n".join(received) or "Nothing yet: it will come!"))
    )
    blocks.append(
        section(
            "*Given lately*\n"
            + ("\n".join(given) or "None yet: `/kudos @someone for ...` makes someone's day.")
        )
    )
    blocks.append(streak_block(data))
    more = json.dumps({"subject": data.user_id})
    blocks.append({"type": "actions", "elements": [button("See more", history_action, more)]})
    return blocks


def streak_block(data: HomeData) -> Block:
    n = data.numbers
    streak = (
        f":fire: Giving streak: *{n.streak_weeks}* week{'s' if n.streak_weeks != 1 else ''}"
        f" (best {n.best_streak})"
        if n.streak_weeks or n.best_streak
        else "No giving streak yet: give kudos this week to start one."
    )
    reached = [
        MILESTONE_WORDS.get(m.kind, "{n} " + escape(m.kind)).format(n=m.threshold)
        + f" ({_day(m.reached_at, data.zone)})"
        for m in data.milestones[:MILESTONES_SHOWN]
    ]
    if reached:
        streak += "\n:trophy: Milestones: " + "; ".join(reached)
    return context(streak)


def goal_blocks(data: HomeData) -> list[Block]:
    blocks = _divided(":dart: Goals")
    if not data.goals:
        blocks.append(section("No goals yet: `/goal` to set one."))
        return blocks
    for goal in data.goals[:GOALS_SHOWN]:
        blocks.append(section(goal_text(goal, data.zone)))
        blocks.append(_goal_buttons(goal))
    if len(data.goals) > GOALS_SHOWN:
        blocks.append(context("More goals: `/goal list`."))
    return blocks


def goal_text(goal: Goal, zone: ZoneInfo) -> str:
    lines = [f"*{said(trim(goal.what, GOAL_CHARS))}*", f"`#{escape(goal.skill)}` · target "]
    lines[1] += f"{goal.target_date.day} {MONTHS[goal.target_date.month - 1]}"
    lines[1] += f" {goal.target_date.year}"
    if goal.last_status:
        label = CHECKIN_LABEL.get(goal.last_status, escape(goal.last_status))
        progress = f": {said(trim(goal.last_progress, 160))}" if goal.last_progress else ""
        lines.append(f"Last check-in {label}{progress}")
    if goal.streak:
        lines.append(f":fire: {goal.streak} check-in{'s' if goal.streak != 1 else ''} in a row")
    if goal.status == "paused":
        until = f" until {_day_of(goal)}" if goal.paused_until else ""
        lines.append(f":double_vertical_bar: Paused{until}")
    elif goal.next_due_at is not None:
        local = goal.next_due_at.astimezone(zone)
        lines.append(
            f"Next check-in: {local:%a} {local.day} {MONTHS[local.month - 1]}, "
            f"{local:%H:%M} your time"
        )
    return "\n".join(lines)


def _day_of(goal: Goal) -> str:
    until = goal.paused_until
    return f"{until.day} {MONTHS[until.month - 1]}" if until else ""


def _goal_buttons(goal: Goal) -> Block:
    value = str(goal.id)
    elements = [button("Check in", ids.GOAL_CHECKIN, value, "primary")]
    if goal.status == "paused":
        elements.append(button("Resume", ids.GOAL_RESUME, value))
    else:
        elements.append(button("Pause", ids.GOAL_PAUSE, value))
    elements.append(button("Complete", ids.GOAL_COMPLETE, value))
    return {"type": "actions", "block_id": f"home_goal_{goal.id}", "elements": elements}


def feedback_blocks(data: HomeData) -> list[Block]:
    blocks = _divided(":speech_balloon: Feedback")
    asked = [
        f"• <@{r.requester_id}> asked you" + (f": {_reason(r.topic)}" if r.topic else "")
        for r in data.requests_to_me[:REQUESTS_SHOWN]
    ]
    blocks.append(
        section(
            "*Waiting for your answer*\n"
            + ("\n".join(asked) or "No one is waiting for feedback from you.")
        )
    )
    got = [
        f"• from <@{f.giver_id}>, {_day(f.created_at, data.zone)}: {_reason(f.behaviour)}"
        for f in data.feedback[:FEEDBACK_SHOWN]
    ]
    blocks.append(
        section(
            "*Received lately* (only you see this)\n"
            + ("\n".join(got) or "No feedback yet: `/feedback request @someone` to ask.")
        )
    )
    mine = [
        f"• asked <@{r.giver_id}>" + (f": {_reason(r.topic)}" if r.topic else "")
        for r in data.my_requests[:REQUESTS_SHOWN]
    ]
    blocks.append(section("*Your open requests*\n" + ("\n".join(mine) or "None open.")))
    if data.reviews_to_acknowledge:
        n = data.reviews_to_acknowledge
        blocks.append(
            section(
                f"*Reviews*: {n} to acknowledge, in your DMs from Bravo (`/review list`; "
                "only you see this)."
            )
        )
    return blocks


def skills_blocks(data: HomeData) -> list[Block]:
    """The person's skill profile: their own figures against their own past, nobody else's."""
    if data.skills is None:
        return []
    blocks = _divided(":seedling: Your skills")
    shared = data.prefs.profile_to_coaches
    who = "Your coaches see this too, as you chose." if shared else "Only you see this."
    blocks += profile_blocks(data.skills, chart_file_id=data.chart_file_id, who_sees=who)
    share = (
        button("Only I see my skill profile", ids.TOGGLE, Toggle.PROFILE_TO_ME)
        if shared
        else button("Let my coaches see my skill profile", ids.TOGGLE, Toggle.PROFILE_TO_COACHES)
    )
    label = "Send me a new chart" if data.chart_file_id else "Send me my chart"
    chart = button(label, profile_ids.SEND_CHART, "chart")
    blocks.append({"type": "actions", "block_id": "home_skills", "elements": [share, chart]})
    return blocks


TRAINING_SHOWN = 3  # training lines on the home


def training_blocks(data: HomeData) -> list[Block]:
    """The training the person recorded (their latest), and whether their coaches see it."""
    blocks = _divided(":mortar_board: Your training")
    shared = data.prefs.training_to_coaches
    lines = [f"• {training_line(t)}" for t in data.training[:TRAINING_SHOWN]]
    if not lines:
        lines = ['Took a course? Record it: `/learned course "Title" #skill next: what I\'ll try`.']
    elif len(data.training) > TRAINING_SHOWN:
        lines.append("All of it: `/learned course list`.")
    who = "Your coaches see it too, as you chose." if shared else "Only you see it."
    blocks.append(section("\n".join(lines) + f"\n_{who}_"))
    share = (
        button("Only I see my training", ids.TOGGLE, Toggle.TRAINING_TO_ME)
        if shared
        else button(
            "Let my coaches see the training I record", ids.TOGGLE, Toggle.TRAINING_TO_COACHES
        )
    )
    blocks.append({"type": "actions", "block_id": "home_training", "elements": [share]})
    return blocks


def _people(user_ids: tuple[str, ...], partial: bool = False) -> str:
    shown = [f"<@{u}>" for u in user_ids[:PAIRINGS_SHOWN]]
    more = len(user_ids) - len(shown)
    if partial:
        return ", ".join(shown) + " and more"
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def coaching_blocks(c: Coaching) -> list[Block]:
    blocks = _divided(":handshake: Coaching")
    lines = []
    if c.coaches:
        lines.append(f"*Your coaches:* {_people(c.coaches, c.partial)}")
    if c.coachees:
        lines.append(
            f"*You coach:* {_people(c.coachees, c.partial)} (`/goal list @someone` for their goals)"
        )
    if c.asked_me:
        lines.append(
            f"*Waiting for your answer:* {_people(c.asked_me, c.partial)} offered to coach you"
        )
    if c.i_asked:
        lines.append(f"*Waiting for their answer:* your offer to {_people(c.i_asked, c.partial)}")
    blocks.append(
        section("\n".join(lines) or "No coaching yet: `/coach @someone` to offer coaching.")
    )
    for coachee in c.sharing[:PROFILES_SHOWN]:
        button_ = button("Skill profile", profile_ids.OPEN_FOR_COACHEE, coachee)
        blocks.append(
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": f"<@{coachee}> shares their skill profile"},
                "accessory": button_,
            }
        )
    return blocks


def celebration_blocks(data: HomeData) -> list[Block]:
    blocks = _divided(":birthday: Celebrations and privacy")
    dates = [
        f"• {'Birthday' if d.kind == 'birthday' else 'Started'}: {d.day} {MONTHS[d.month - 1]}"
        + (f" {d.year}" if d.year else "")
        for d in data.dates
        if 1 <= d.month <= 12
    ]
    blocks.append(
        section(
            "*Your dates*\n"
            + ("\n".join(dates) or "None yet: `/bravo celebrate` to add your birthday.")
        )
    )
    p = data.prefs
    place = "in your team channel" if p.milestones_in_channel else "by DM"
    blocks.append(
        section(
            f"*Leaderboards:* {'you are hidden' if p.leaderboard_opt_out else 'you are shown'}\n"
            f"*Celebrations:* {'off' if p.celebrations_opt_out else 'on'}\n"
            f"*Milestones announced:* {place}"
        )
    )
    blocks.append({"type": "actions", "block_id": "home_prefs", "elements": _toggles(p)})
    return blocks


def _toggles(p: Prefs) -> list[Block]:
    board = (
        button("Show me on leaderboards", ids.TOGGLE, Toggle.LEADERBOARDS_IN)
        if p.leaderboard_opt_out
        else button("Hide me from leaderboards", ids.TOGGLE, Toggle.LEADERBOARDS_OUT)
    )
    party = (
        button("Turn celebrations on", ids.TOGGLE, Toggle.CELEBRATIONS_IN)
        if p.celebrations_opt_out
        else button("Turn celebrations off", ids.TOGGLE, Toggle.CELEBRATIONS_OUT)
    )
    place = (
        button("Milestones by DM", ids.TOGGLE, Toggle.MILESTONES_DM)
        if p.milestones_in_channel
        else button("Milestones in my channel", ids.TOGGLE, Toggle.MILESTONES_CHANNEL)
    )
    return [board, party, place]


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def admin_blocks(a: AdminSummary, settings_action: str) -> list[Block]:
    blocks = _divided(":gear: Workspace settings (admins)")
    values = " ".join(f"`#{escape(v)}`" for v in a.values[:20]) or "none"
    cap = str(a.per_recipient_daily_cap) if a.per_recipient_daily_cap else "no cap"
    channel = f"<#{a.kudos_channel}>" if a.kudos_channel else "where kudos are given"
    day = WEEKDAYS[a.shoutout_weekday % 7]
    time = f"{a.shoutout_minute // 60:02d}:{a.shoutout_minute % 60:02d}"
    admins = _people(a.admins) if a.admins else "Slack's admins and owners"
    blocks.append(
        section(
            f"*Values:* {values}\n*Daily allowance:* {a.daily_allowance} · "
            f"*per person:* {cap}\n*Kudos channel:* {channel} · "
            f"*emoji:* :{escape(a.emoji)}:\n*Shout-outs:* {day} {time}\n*Bravo admins:* {admins}"
        )
    )
    blocks.append(
        {"type": "actions", "elements": [button("Open settings", settings_action, "open")]}
    )
    return blocks


def refusal_view(text: str) -> dict[str, Any]:
    """A small modal answering a button on the home that could not be done (the home has no
    channel for an ephemeral reply)."""
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Bravo"},
        "close": {"type": "plain_text", "text": "OK"},
        "blocks": [section(text)],
    }
