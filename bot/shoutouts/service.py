"""Shout-out use cases: turning a team channel's weekly shout-out on and off, naming leads, the
fairness note, the week so far, and re-reading a team from Slack.

Each use case reads Slack before opening a writing transaction, applies the rules
(``rules.py``) inside it and returns what happened; the replies' words are in ``render.py``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal

from bot.admins import is_admin
from bot.cadence import Cadence, next_due
from bot.deps import Deps
from bot.shoutouts import ids, rules
from bot.shoutouts.errors import (
    ArchivedChannelError,
    BotNotInChannelError,
    ChannelNotVisibleError,
    LeadPersonError,
    NotAChannelError,
)
from bot.shoutouts.parse import ShoutoutsOn
from bot.shoutouts.team import check_channel, fetch_members
from bot.shoutouts.week import Week, build_week
from bot.users import zone_or_utc
from storage import shoutouts as store
from storage.models import ShoutoutChannel

log = logging.getLogger(__name__)
MEMBERS_TTL = timedelta(hours=6)
Refreshed = Literal["ok", "failed", "gone"]


@dataclass(frozen=True)
class Asked:
    """A ``/bravo`` request: who asked, in which channel, when."""

    team_id: str
    user_id: str
    channel_id: str
    now: datetime


@dataclass(frozen=True)
class TurnedOn:
    cfg: ShoutoutChannel
    first: datetime  # the first post, local time
    members: int


@dataclass(frozen=True)
class SoFar:
    """The week so far in a team channel, and when its post is due."""

    cfg: ShoutoutChannel
    week: Week
    next_at: datetime


def weekly(cfg: ShoutoutChannel) -> Cadence:
    return Cadence("weekly", weekday=cfg.weekday, minute=cfg.minute)


def next_post(cfg: ShoutoutChannel, now: datetime) -> datetime:
    """When the channel's next weekly post is due, in its local time."""
    zone = zone_or_utc(cfg.tz)
    return next_due(weekly(cfg), zone, now).astimezone(zone)


def turn_on(deps: Deps, asked: Asked, request: ShoutoutsOn) -> TurnedOn:
    # Slack first, outside any transaction: can Bravo post here, and who is the team?
    client = deps.client_for(asked.team_id)
    info = check_channel(client, asked.channel_id)
    members = deps.directory.teammates(
        team_id=asked.team_id, user_ids=fetch_members(client, asked.channel_id), now=asked.now
    )
    # Slack has no workspace time zone for bots: default to the time zone of the person
    # turning shout-outs on (the time-zone argument overrides it).
    tz = (
        request.tz
        or deps.directory.person(team_id=asked.team_id, user_id=asked.user_id, now=asked.now).tz
    )
    config = deps.config(asked.team_id)
    admin = is_admin(client, config, asked.user_id)
    # No day or time typed: the workspace's default shout-out day and time (``/bravo settings``).
    request = replace(
        request,
        weekday=config.shoutout_weekday if request.weekday is None else request.weekday,
        minute=config.shoutout_minute if request.minute is None else request.minute,
    )
    with deps.db.write() as session:
        cfg = rules.turn_on(
            session=session,
            team_id=asked.team_id,
            channel_id=asked.channel_id,
            user_id=asked.user_id,
            request=request,
            tz=tz,
            creator_id=info.get("creator") or None,
            members=members,
            admin=admin,
            now=asked.now,
        )
    first = next_post(cfg, asked.now)
    # Polled every few minutes: a post due sooner than that would be late without a nudge.
    deps.wake(ids.JOB, first)
    return TurnedOn(cfg, first, len(members))


def turn_off(deps: Deps, asked: Asked) -> None:
    admin = is_admin(deps.client_for(asked.team_id), deps.config(asked.team_id), asked.user_id)
    with deps.db.write() as session:
        rules.turn_off(
            session=session,
            team_id=asked.team_id,
            channel_id=asked.channel_id,
            user_id=asked.user_id,
            admin=admin,
            now=asked.now,
        )


def name_lead(deps: Deps, asked: Asked, lead_id: str) -> None:
    """``/bravo lead @someone``: an admin names a person (not a bot, not someone who left) a
    lead of this channel's team."""
    if asked.channel_id[:1] not in "CG":
        raise NotAChannelError()
    admin = is_admin(deps.client_for(asked.team_id), deps.config(asked.team_id), asked.user_id)
    lead = deps.directory.person(team_id=asked.team_id, user_id=lead_id, now=asked.now)
    if not lead.known or lead.is_bot or lead.deleted:
        why = "unknown" if not lead.known else "bot" if lead.is_bot else "deactivated"
        raise LeadPersonError(lead_id, why)
    with deps.db.write() as session:
        rules.name_lead(
            session=session,
            team_id=asked.team_id,
            channel_id=asked.channel_id,
            lead_id=lead_id,
            by=asked.user_id,
            admin=admin,
            now=asked.now,
        )


def set_fairness(deps: Deps, asked: Asked, on: bool) -> None:
    with deps.db.write() as session:
        rules.set_fairness(
            session=session,
            team_id=asked.team_id,
            channel_id=asked.channel_id,
            user_id=asked.user_id,
            on=on,
            now=asked.now,
        )


def week_so_far(deps: Deps, asked: Asked) -> SoFar:
    """The week up to now among the team (re-read from Slack when the members are stale)."""
    team_id, channel_id = asked.team_id, asked.channel_id
    with deps.db.read() as session:
        cfg = rules.team_channel(session, team_id=team_id, channel_id=channel_id)
    if cfg.members_at is None or asked.now - cfg.members_at > MEMBERS_TTL:
        refresh_members(deps, team_id=team_id, channel_id=channel_id, at=asked.now)
    with deps.db.read() as session:
        week = build_week(
            session=session,
            team_id=team_id,
            channel_id=channel_id,
            members=store.members(session, team_id=team_id, channel_id=channel_id),
            tz=cfg.tz,
            end=asked.now,
            so_far=True,
        )
    return SoFar(cfg, week, next_post(cfg, asked.now))


def refresh_members(deps: Deps, *, team_id: str, channel_id: str, at: datetime) -> Refreshed:
    """Re-read the team from Slack (paginated): "ok"; "failed" when Slack is in trouble (the
    members we knew stay); "gone" when the channel was archived or Bravo was removed."""
    try:
        client = deps.client_for(team_id)
        check_channel(client, channel_id)
        people = fetch_members(client, channel_id)
        people = deps.directory.teammates(team_id=team_id, user_ids=people, now=at)
    except (ArchivedChannelError, BotNotInChannelError, ChannelNotVisibleError):
        return "gone"
    except Exception as err:  # Slack trouble: last known members are good enough this week
        log.warning("could not refresh the members of %s: %s", channel_id, err)
        return "failed"
    with deps.db.write() as session:
        store.replace_members(
            session, team_id=team_id, channel_id=channel_id, user_ids=people, now=at
        )
    return "ok"
