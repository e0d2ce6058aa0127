"""Scheduled shout-outs and celebrations, each as of a given time (``bravo jobs run NAME --at``).

What is due comes from the database (team channels and their local schedule). Each message has
a delivery record with a unique key (kind, channel, local date) written in the same transaction
as its outbox row, so a job run twice, by a retry, a restart or a second process, posts once. A
post missed while Bravo was down goes out once, late, within ``shoutout_grace_hours``; later
than that, that week's (or day's) is skipped.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.cadence import Cadence, next_due, previous_due
from bot.celebrations.dates import CELEBRATE_AT, dates_to_celebrate
from bot.celebrations.service import milestones_in_channel
from bot.deps import Deps
from bot.outbox.envelope import OutMessage, SlackMethod
from bot.outbox.scheduled import send_once
from bot.outbox.uploads import upload_payload
from bot.shoutouts import ids, render
from bot.shoutouts.chart import chart_png
from bot.shoutouts.errors import ArchivedChannelError, BotNotInChannelError, ChannelNotVisibleError
from bot.shoutouts.team import check_channel, fetch_members
from bot.shoutouts.week import Reached, Week, build_week, unrecognised
from bot.users import Person, zone_or_utc
from storage import shoutouts as store
from storage import users as user_store
from storage.models import ScheduledSend, ShoutoutChannel

log = logging.getLogger(__name__)
MEMBERS_TTL = timedelta(hours=6)
FAIRNESS_WEEKS = 4
SWEEP_AT = 50  # members to look up at once: more, and users.list (Tier 2) beats users.info each
DAILY = Cadence("weekdays", minute=CELEBRATE_AT)


def weekly(cfg: ShoutoutChannel) -> Cadence:
    return Cadence("weekly", weekday=cfg.weekday, minute=cfg.minute)


def next_post(cfg: ShoutoutChannel, now: datetime) -> datetime:
    """When the channel's next weekly post is due, in its local time."""
    zone = zone_or_utc(cfg.tz)
    return next_due(weekly(cfg), zone, now).astimezone(zone)


def week_key(cfg: ShoutoutChannel, due: datetime) -> str:
    """One post per channel and (ISO) week: moving the day after this week's post went out
    does not post the week again."""
    year, week, _ = due.astimezone(zone_or_utc(cfg.tz)).date().isocalendar()
    return f"shoutout:{cfg.team_id}:{cfg.channel_id}:{year}-W{week:02d}"


def refresh_members(deps: Deps, team_id: str, channel_id: str, at: datetime) -> str:
    """Re-read the team from Slack (paginated): "ok"; "failed" when Slack is in trouble (the
    members we knew stay); "gone" when the channel was archived or Bravo was removed."""
    try:
        check_channel(deps.client, channel_id)
        people = fetch_members(deps.client, channel_id)
    except (ArchivedChannelError, BotNotInChannelError, ChannelNotVisibleError):
        return "gone"
    except Exception as err:  # Slack trouble: last known members are good enough this week
        log.warning("could not refresh the members of %s: %s", channel_id, err)
        return "failed"
    with deps.db.write() as session:
        store.replace_members(session, team_id, channel_id, people, at)
    return "ok"


def _stop(deps: Deps, cfg: ShoutoutChannel, due: datetime, at: datetime) -> str:
    """The channel was archived or Bravo removed: stop its shout-outs and tell who started them."""
    with deps.db.write() as session:
        row = store.get_channel(session, cfg.team_id, cfg.channel_id)
        if row is None or not row.enabled:
            return "off"
        row.enabled, row.updated_at = False, at
        store.save(session, row)
        key = week_key(cfg, due).replace("shoutout:", "shoutouts-stopped:", 1)
        payload = render.stopped_dm(cfg.enabled_by, cfg.channel_id)
        message = OutMessage(
            kind=ids.STOPPED, method=SlackMethod.POST, payload=payload, dedupe_key=key
        )
        send_once(
            session,
            deps.outbox,
            message,
            key=key,
            team_id=cfg.team_id,
            kind="stopped",
            target=cfg.enabled_by,
            due_at=due,
            at=at,
        )
    log.warning("shout-outs stopped for %s: archived, or Bravo is no longer in it", cfg.channel_id)
    return "stopped"


def _channels(deps: Deps) -> list[tuple[str, str]]:
    with deps.db.read() as session:
        return [(c.team_id, c.channel_id) for c in store.enabled_channels(session)]


def run_shoutouts(deps: Deps, at: datetime) -> Counter[str]:
    """The weekly shout-out (and fairness note) of every team channel whose time has come."""
    counts: Counter[str] = Counter()
    for team_id, channel_id in _channels(deps):
        try:
            outcome = _shoutout_one(deps, team_id, channel_id, at)
        except Exception:  # logged; this channel is tried again at the next run
            log.exception("weekly shout-out for %s failed", channel_id)
            outcome = "error"
        counts[outcome] += 1
    deps.deliverer.kick()
    return counts


def _due_week(deps: Deps, cfg: ShoutoutChannel, at: datetime) -> tuple[str, datetime | None]:
    due = previous_due(weekly(cfg), zone_or_utc(cfg.tz), at)
    if due < cfg.since:
        return "not_due", None
    if at - due > timedelta(hours=deps.settings.shoutout_grace_hours):
        return "missed", None
    return "due", due


def _shoutout_one(deps: Deps, team_id: str, channel_id: str, at: datetime) -> str:
    with deps.db.read() as session:
        cfg = store.get_channel(session, team_id, channel_id)
        if cfg is None or not cfg.enabled:
            return "off"
        outcome, due = _due_week(deps, cfg, at)
        if due is None:
            return outcome
        key = week_key(cfg, due)
        if session.get(ScheduledSend, key) is not None:
            return "already_sent"
        stale = cfg.members_at is None or at - cfg.members_at > MEMBERS_TTL
    if stale and refresh_members(deps, team_id, channel_id, at) == "gone":
        return _stop(deps, cfg, due, at)
    with deps.db.read() as session:
        members = store.members(session, team_id, channel_id)
    people = _people(deps, team_id, members, at) if cfg.fairness_to else members
    with deps.db.read() as session:
        week = build_week(
            session=session,
            team_id=team_id,
            channel_id=channel_id,
            members=members,
            tz=cfg.tz,
            end=due,
        )
    png = chart_png(week)  # drawn outside the writing transaction
    with deps.db.write() as session:
        post = send_once(
            session,
            deps.outbox,
            _week_message(week, key),
            key=key,
            team_id=team_id,
            kind="shoutout",
            target=channel_id,
            due_at=due,
            at=at,
        )
        if post is None:
            return "already_sent"
        if png is not None:
            deps.outbox.enqueue(session, team_id, [_chart_message(week, key, png, post.id)], at)
        if cfg.fairness_to:
            _fairness(deps, session, cfg, people, due, at)
    return "sent"


def _week_message(week: Week, key: str) -> OutMessage:
    return OutMessage(
        kind=ids.WEEKLY, method=SlackMethod.POST, payload=render.weekly_post(week), dedupe_key=key
    )


def _chart_message(week: Week, key: str, png: bytes, post_id: int | None) -> OutMessage:
    """The chart goes after the post it belongs to (and not at all if the post failed)."""
    payload = upload_payload(
        channel=week.channel_id,
        filename=f"kudos-week-{week.per_day[-1][0].isoformat()}.png",
        title="This week's kudos",
        alt_text=render.chart_alt_text(week),
        content=png,
    )
    return OutMessage(
        kind=ids.CHART,
        method=SlackMethod.UPLOAD,
        payload=payload,
        dedupe_key=key + ":chart",
        update_of=post_id,
    )


def _fairness(
    deps: Deps,
    session: Session,
    cfg: ShoutoutChannel,
    members: list[str],
    due: datetime,
    at: datetime,
) -> None:
    """The lead's private note: a DM, never a channel post."""
    lead = cfg.fairness_to or ""
    key = f"fairness:{cfg.team_id}:{cfg.channel_id}:{week_key(cfg, due).rsplit(':', 1)[1]}:{lead}"
    quiet = unrecognised(
        session=session,
        team_id=cfg.team_id,
        members=[m for m in members if m != lead],
        now=due,
        weeks=FAIRNESS_WEEKS,
    )
    note = render.fairness_note(lead, cfg.channel_id, quiet, FAIRNESS_WEEKS)
    message = OutMessage(kind=ids.FAIRNESS, method=SlackMethod.POST, payload=note, dedupe_key=key)
    send_once(
        session,
        deps.outbox,
        message,
        key=key,
        team_id=cfg.team_id,
        kind="fairness",
        target=lead,
        due_at=due,
        at=at,
    )


def _people(deps: Deps, team_id: str, members: list[str], at: datetime) -> list[str]:
    """Members who are people (not bots, not deactivated), from the day-old profile cache and
    Slack for the rest (one users.list sweep when many are missing or stale); if Slack is
    unreachable, what the cache says."""
    try:
        found = deps.directory.people(team_id, members, at, sweep_at=SWEEP_AT)
        return [m for m in members if m in found and _human(found[m])]
    except Exception as err:  # Slack trouble: leave out only those we know are not people
        log.warning("could not read the members of a team: %s", err)
    with deps.db.read() as session:
        cached = user_store.cached_people(session, team_id, members)
    return [m for m in members if m not in cached or not (cached[m].is_bot or cached[m].deleted)]


def _human(person: Person) -> bool:
    return person.known and not person.is_bot and not person.deleted


def next_shoutout(deps: Deps, at: datetime) -> datetime | None:
    with deps.db.read() as session:
        channels = store.enabled_channels(session)
    times = [next_due(weekly(c), zone_or_utc(c.tz), at) for c in channels]
    return min(times) if times else None


# Celebrations ----------------------------------------------------------------------------------


def run_celebrations(deps: Deps, at: datetime) -> Counter[str]:
    """Birthdays and work anniversaries at 09:00 (channel time) on working days, and
    milestones announced in the team channel for people who asked for that."""
    counts: Counter[str] = Counter()
    channels = _channels(deps)
    for team_id, channel_id in channels:
        try:
            counts[_dates_one(deps, team_id, channel_id, at)] += 1
        except Exception:  # logged; this channel is tried again at the next run
            log.exception("celebrations for %s failed", channel_id)
            counts["error"] += 1
    for team_id in sorted({t for t, _ in channels}):
        counts.update(_milestones(deps, team_id, at))
    deps.deliverer.kick()
    return counts


def _dates_one(deps: Deps, team_id: str, channel_id: str, at: datetime) -> str:
    with deps.db.read() as session:  # most runs find nothing: no writing transaction for that
        cfg = store.get_channel(session, team_id, channel_id)
        if cfg is None or not cfg.enabled:
            return "off"
        zone = zone_or_utc(cfg.tz)
        due = previous_due(DAILY, zone, at)
        if due < cfg.since:
            return "not_due"
        if at - due > timedelta(hours=deps.settings.shoutout_grace_hours):
            return "missed"
        today = due.astimezone(zone).date()
        key = f"celebrate:{team_id}:{channel_id}:{today.isoformat()}"
        if session.get(ScheduledSend, key) is not None:
            return "already_sent"
        members = store.members(session, team_id, channel_id)
        items = dates_to_celebrate(session=session, team_id=team_id, members=members, today=today)
    if not items:
        return "nothing"
    payload = render.celebration_post(channel_id, items, today)
    message = OutMessage(
        kind=ids.CELEBRATE, method=SlackMethod.POST, payload=payload, dedupe_key=key
    )
    with deps.db.write() as session:
        sent = send_once(
            session,
            deps.outbox,
            message,
            key=key,
            team_id=team_id,
            kind="celebrate",
            target=channel_id,
            due_at=due,
            at=at,
        )
    return "celebrated" if sent is not None else "already_sent"


def home_channel(session: Session, team_id: str, user_id: str) -> str | None:
    """The team channel a person's news belongs in: the smallest team they are part of."""
    channels = store.team_channels_of(session, team_id, user_id)
    sized = [(len(store.members(session, team_id, c.channel_id)), c.channel_id) for c in channels]
    return min(sized)[1] if sized else None


def _milestones(deps: Deps, team_id: str, at: datetime) -> Counter[str]:
    """Milestones of people who chose ``/bravo celebrate milestones channel``, posted once in
    their team channel (kudos and goals then send them no DM: ``milestones_in_channel``)."""
    counts: Counter[str] = Counter()
    since = at - timedelta(hours=deps.settings.shoutout_grace_hours)
    with deps.db.read() as session:
        reached = store.milestones_between(session, team_id, since, at + timedelta(seconds=1))
        here = milestones_in_channel(
            session, team_id=team_id, user_ids=[m.user_id for m in reached]
        )
    wanted = [m for m in reached if m.user_id in here]
    if not wanted:
        return counts
    with deps.db.write() as session:
        for m in wanted:
            channel = home_channel(session, team_id, m.user_id)
            if channel is None:
                continue
            key = f"milestone-post:{team_id}:{m.id}"
            payload = render.milestone_post(channel, Reached(m.user_id, m.kind, m.threshold))
            message = OutMessage(
                kind=ids.MILESTONE,
                method=SlackMethod.POST,
                payload=payload,
                dedupe_key=key,
                notify_user=m.user_id,
            )
            if send_once(
                session,
                deps.outbox,
                message,
                key=key,
                team_id=team_id,
                kind="milestone",
                target=m.user_id,
                due_at=m.reached_at,
                at=at,
            ):
                counts["milestone"] += 1
    return counts


def next_celebration(deps: Deps, at: datetime) -> datetime | None:
    with deps.db.read() as session:
        zones = {c.tz for c in store.enabled_channels(session)}
    times = [next_due(DAILY, zone_or_utc(tz), at) for tz in zones]
    return min(times) if times else None
