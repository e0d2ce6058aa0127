"""The rules of team channels, leads and the fairness note.

Plain, keyword-only functions over one session (the use cases in ``service.py`` open it); they
raise domain errors and return models.
Who may do what: anyone in a channel may turn its shout-outs on; changing or stopping them is
for the person who turned them on, the team's leads and admins. Leads are the channel's creator
and the people an admin names; only a lead may turn on the fairness note, which goes to them.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.shoutouts.errors import NotAllowedError, NotTeamChannelError
from bot.shoutouts.parse import ShoutoutsOn
from storage import shoutouts as store
from storage.models import ShoutoutChannel
from storage.models.shoutouts import AllowedRole


def is_lead(
    session: Session,
    cfg: ShoutoutChannel | None,
    *,
    team_id: str,
    channel_id: str,
    user_id: str,
) -> bool:
    if cfg is not None and cfg.creator_id == user_id:
        return True
    return user_id in store.leads(session, team_id=team_id, channel_id=channel_id)


def _may_change(session: Session, cfg: ShoutoutChannel, user_id: str, admin: bool) -> bool:
    if admin or cfg.enabled_by == user_id:
        return True
    return is_lead(session, cfg, team_id=cfg.team_id, channel_id=cfg.channel_id, user_id=user_id)


def turn_on(
    *,
    session: Session,
    team_id: str,
    channel_id: str,
    user_id: str,
    request: ShoutoutsOn,
    tz: str,
    creator_id: str | None,
    members: list[str],
    admin: bool,
    now: datetime,
) -> ShoutoutChannel:
    cfg = store.get_channel(session, team_id=team_id, channel_id=channel_id)
    if cfg is not None and cfg.enabled and not _may_change(session, cfg, user_id, admin):
        raise NotAllowedError(AllowedRole.LEAD_OR_OWNER)
    if cfg is None:
        cfg = ShoutoutChannel(
            team_id=team_id, channel_id=channel_id, enabled_by=user_id, since=now, updated_at=now
        )
    if not cfg.enabled:
        cfg.enabled_by = user_id
    cfg.enabled = True
    # The service fills in the workspace's default day and time; None here keeps the channel's.
    cfg.weekday = cfg.weekday if request.weekday is None else request.weekday
    cfg.minute = cfg.minute if request.minute is None else request.minute
    cfg.tz = tz
    cfg.creator_id = creator_id or cfg.creator_id
    # A post due before now (this very week) belongs to the old schedule: nothing is late.
    cfg.since = now
    cfg.updated_at = now
    store.save(session, cfg)
    store.replace_members(
        session, team_id=team_id, channel_id=channel_id, user_ids=members, now=now
    )
    return cfg


def team_channel(session: Session, *, team_id: str, channel_id: str) -> ShoutoutChannel:
    cfg = store.get_channel(session, team_id=team_id, channel_id=channel_id)
    if cfg is None or not cfg.enabled:
        raise NotTeamChannelError()
    return cfg


def turn_off(
    *, session: Session, team_id: str, channel_id: str, user_id: str, admin: bool, now: datetime
) -> ShoutoutChannel:
    cfg = team_channel(session, team_id=team_id, channel_id=channel_id)
    if not _may_change(session, cfg, user_id, admin):
        raise NotAllowedError(AllowedRole.LEAD_OR_OWNER)
    cfg.enabled = False
    cfg.fairness_to = None
    cfg.updated_at = now
    store.save(session, cfg)
    return cfg


def name_lead(
    *,
    session: Session,
    team_id: str,
    channel_id: str,
    lead_id: str,
    by: str,
    admin: bool,
    now: datetime,
) -> bool:
    if not admin:
        raise NotAllowedError(AllowedRole.ADMIN)
    return store.add_lead(
        session, team_id=team_id, channel_id=channel_id, user_id=lead_id, by=by, now=now
    )


def set_fairness(
    *, session: Session, team_id: str, channel_id: str, user_id: str, on: bool, now: datetime
) -> ShoutoutChannel:
    cfg = team_channel(session, team_id=team_id, channel_id=channel_id)
    if not is_lead(session, cfg, team_id=team_id, channel_id=channel_id, user_id=user_id):
        raise NotAllowedError(AllowedRole.LEAD)
    cfg.fairness_to = user_id if on else None
    cfg.updated_at = now
    store.save(session, cfg)
    return cfg
