"""Scheduled weekly shout-outs, as of a given time (``bravo jobs run shoutouts --at``).

What is due comes from the database (team channels and their local schedule). Each message has
a delivery record with a unique key (kind, channel, local date) written in the same transaction
as its outbox row, so a job run twice, by a retry, a restart or a second process, posts once. A
post missed while Bravo was down goes out once, late, within ``shoutout_grace_hours``; later
than that, that week's is skipped. (Birthdays and milestones: ``bot.celebrations.jobs``.)
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.cadence import next_due, previous_due
from bot.deps import Deps, SendCheck
from bot.errors import NotInstalledError
from bot.outbox.scheduled import send_once
from bot.shoutouts import messages
from bot.shoutouts.chart import chart_png
from bot.shoutouts.service import MEMBERS_TTL, refresh_members, weekly
from bot.shoutouts.week import build_week, unrecognised
from bot.users import zone_or_utc
from storage import shoutouts as store
from storage.models import ScheduledSend, ShoutoutChannel
from storage.models.shoutouts import ShoutoutSend

log = logging.getLogger(__name__)
FAIRNESS_WEEKS = 4
SWEEP_AT = 50  # members to look up at once: more, and users.list (Tier 2) beats users.info each


def week_key(cfg: ShoutoutChannel, due: datetime) -> str:
    """One post per channel and (ISO) week: moving the day after this week's post went out
    does not post the week again."""
    year, week, _ = due.astimezone(zone_or_utc(cfg.tz)).date().isocalendar()
    return f"shoutout:{cfg.team_id}:{cfg.channel_id}:{year}-W{week:02d}"


def _stop(deps: Deps, cfg: ShoutoutChannel, due: datetime, at: datetime) -> str:
    """The channel was archived or Bravo removed: stop its shout-outs and tell who started them."""
    with deps.db.write() as session:
        row = store.get_channel(session, team_id=cfg.team_id, channel_id=cfg.channel_id)
        if row is None or not row.enabled:
            return "off"
        row.enabled, row.updated_at = False, at
        store.save(session, row)
        key = week_key(cfg, due).replace("shoutout:", "shoutouts-stopped:", 1)
        send_once(
            session,
            deps.outbox,
            messages.stopped(user_id=cfg.enabled_by, channel_id=cfg.channel_id, key=key),
            key=key,
            team_id=cfg.team_id,
            kind=ShoutoutSend.STOPPED,
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
    not_sending = SendCheck(deps, "weekly shout-outs")
    for team_id, channel_id in _channels(deps):
        try:
            if not_sending(team_id):  # nothing is queued for a workspace nothing can go to
                counts["not_installed"] += 1
                continue
            outcome = _shoutout_one(deps, team_id=team_id, channel_id=channel_id, at=at)
        except NotInstalledError:  # its token went while the job ran
            log.info(
                "weekly shout-out for %s skipped: Bravo is not installed in %s", channel_id, team_id
            )
            outcome = "not_installed"
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


def _shoutout_one(deps: Deps, *, team_id: str, channel_id: str, at: datetime) -> str:
    with deps.db.read() as session:
        cfg = store.get_channel(session, team_id=team_id, channel_id=channel_id)
        if cfg is None or not cfg.enabled:
            return "off"
        outcome, due = _due_week(deps, cfg, at)
        if due is None:
            return outcome
        key = week_key(cfg, due)
        if session.get(ScheduledSend, key) is not None:
            return "already_sent"
        stale = cfg.members_at is None or at - cfg.members_at > MEMBERS_TTL
    gone = stale and refresh_members(deps, team_id=team_id, channel_id=channel_id, at=at) == "gone"
    if gone:
        return _stop(deps, cfg, due, at)
    with deps.db.read() as session:
        members = store.members(session, team_id=team_id, channel_id=channel_id)
    people = _people(deps, team_id=team_id, members=members, at=at) if cfg.fairness_to else members
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
            messages.week_post(week, key),
            key=key,
            team_id=team_id,
            kind=ShoutoutSend.SHOUTOUT,
            target=channel_id,
            due_at=due,
            at=at,
        )
        if post is None:
            return "already_sent"
        if png is not None:
            deps.outbox.enqueue(session, team_id, [messages.chart(week, key, png, post.id)], at)
        if cfg.fairness_to:
            _fairness(deps, session, cfg, people, due, at)
    return "sent"


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
    send_once(
        session,
        deps.outbox,
        messages.fairness(
            lead_id=lead, channel_id=cfg.channel_id, quiet=quiet, weeks=FAIRNESS_WEEKS, key=key
        ),
        key=key,
        team_id=cfg.team_id,
        kind=ShoutoutSend.FAIRNESS,
        target=lead,
        due_at=due,
        at=at,
    )


def _people(deps: Deps, *, team_id: str, members: list[str], at: datetime) -> list[str]:
    """Members who are teammates (``bot.users.is_teammate``)."""
    return deps.directory.teammates(team_id=team_id, user_ids=members, now=at, sweep_at=SWEEP_AT)


def next_shoutout(deps: Deps, at: datetime) -> datetime | None:
    with deps.db.read() as session:
        channels = store.enabled_channels(session)
    times = [next_due(weekly(c), zone_or_utc(c.tz), at) for c in channels]
    return min(times) if times else None
