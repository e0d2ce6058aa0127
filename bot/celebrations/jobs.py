"""Scheduled celebrations, as of a given time (``bravo jobs run celebrations --at``).

Birthdays and work anniversaries are posted at 09:00 in each team channel's time zone on working
days (weekends' on the Friday before), and milestones in the team channel of the people who
asked for that. Each message has a delivery record with a unique key written in the same
transaction as its outbox row, so a job run twice posts once; a post missed while Bravo was down
goes out once, late, within ``shoutout_grace_hours``.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.cadence import Cadence, next_due, previous_due
from bot.celebrations import messages
from bot.celebrations.dates import CELEBRATE_AT, dates_to_celebrate
from bot.celebrations.service import Reached, milestone_words, milestones_in_channel
from bot.deps import Deps, SendCheck
from bot.errors import NotInstalledError
from bot.outbox.scheduled import send_once
from bot.users import zone_or_utc
from storage import shoutouts as channels
from storage.models import ScheduledSend
from storage.models.celebrations import CelebrationSend

log = logging.getLogger(__name__)
DAILY = Cadence("weekdays", minute=CELEBRATE_AT)


def _channels(deps: Deps) -> list[tuple[str, str]]:
    with deps.db.read() as session:
        return [(c.team_id, c.channel_id) for c in channels.enabled_channels(session)]


def run_celebrations(deps: Deps, at: datetime) -> Counter[str]:
    """Birthdays and work anniversaries at 09:00 (channel time) on working days, and
    milestones announced in the team channel for people who asked for that."""
    counts: Counter[str] = Counter()
    not_sending = SendCheck(deps, "celebrations")
    team_channels = _channels(deps)
    for team_id, channel_id in team_channels:
        try:
            if not_sending(team_id):  # nothing is queued for a workspace nothing can go to
                counts["not_installed"] += 1
                continue
            counts[_dates_one(deps, team_id=team_id, channel_id=channel_id, at=at)] += 1
        except NotInstalledError:  # its token went while the job ran
            log.info(
                "celebrations for %s skipped: Bravo is not installed in %s", channel_id, team_id
            )
            counts["not_installed"] += 1
        except Exception:  # logged; this channel is tried again at the next run
            log.exception("celebrations for %s failed", channel_id)
            counts["error"] += 1
    for team_id in sorted({t for t, _ in team_channels if not not_sending(t)}):
        counts.update(_milestones(deps, team_id, at))
    deps.deliverer.kick()
    return counts


def _dates_one(deps: Deps, *, team_id: str, channel_id: str, at: datetime) -> str:
    with deps.db.read() as session:  # most runs find nothing: no writing transaction for that
        cfg = channels.get_channel(session, team_id=team_id, channel_id=channel_id)
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
        members = channels.members(session, team_id=team_id, channel_id=channel_id)
        items = dates_to_celebrate(session=session, team_id=team_id, members=members, today=today)
    if not items:
        return "nothing"
    with deps.db.write() as session:
        sent = send_once(
            session,
            deps.outbox,
            messages.celebration(channel_id, items, today, key),
            key=key,
            team_id=team_id,
            kind=CelebrationSend.CELEBRATE,
            target=channel_id,
            due_at=due,
            at=at,
        )
    return "celebrated" if sent is not None else "already_sent"


def home_channel(session: Session, *, team_id: str, user_id: str) -> str | None:
    """The team channel a person's news belongs in: the smallest team they are part of."""
    mine = channels.team_channels_of(session, team_id=team_id, user_id=user_id)
    sized = [
        (len(channels.members(session, team_id=team_id, channel_id=c.channel_id)), c.channel_id)
        for c in mine
    ]
    return min(sized)[1] if sized else None


def _milestones(deps: Deps, team_id: str, at: datetime) -> Counter[str]:
    """Milestones of people who chose ``/bravo celebrate milestones channel``, posted once in
    their team channel (kudos and goals then send them no DM: ``milestones_in_channel``)."""
    counts: Counter[str] = Counter()
    since = at - timedelta(hours=deps.settings.shoutout_grace_hours)
    with deps.db.read() as session:
        reached = channels.milestones_between(session, team_id, since, at + timedelta(seconds=1))
        here = milestones_in_channel(
            session, team_id=team_id, user_ids=[m.user_id for m in reached]
        )
    wanted = [m for m in reached if m.user_id in here]
    if not wanted:
        return counts
    with deps.db.write() as session:
        for m in wanted:
            channel = home_channel(session, team_id=team_id, user_id=m.user_id)
            if channel is None:
                continue
            key = f"milestone-post:{team_id}:{m.id}"
            line = milestone_words(Reached(m.user_id, m.kind, m.threshold))
            if send_once(
                session,
                deps.outbox,
                messages.milestone(channel_id=channel, user_id=m.user_id, line=line, key=key),
                key=key,
                team_id=team_id,
                kind=CelebrationSend.MILESTONE,
                target=m.user_id,
                due_at=m.reached_at,
                at=at,
            ):
                counts["milestone"] += 1
    return counts


def next_celebration(deps: Deps, at: datetime) -> datetime | None:
    with deps.db.read() as session:
        zones = {c.tz for c in channels.enabled_channels(session)}
    times = [next_due(DAILY, zone_or_utc(tz), at) for tz in zones]
    return min(times) if times else None
