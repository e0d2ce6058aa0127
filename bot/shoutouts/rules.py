"""Team channels, leads, the fairness note and people's celebration settings.

Plain, keyword-only functions over one session; they raise domain errors and return models.
Who may do what: anyone in a channel may turn its shout-outs on; changing or stopping them is
for the person who turned them on, the team's leads and admins. Leads are the channel's creator
and the people an admin names; only a lead may turn on the fairness note, which goes to them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import Session

from bot.shoutouts.errors import FutureStartDateError, NotAllowedError, NotTeamChannelError
from bot.shoutouts.parse import DateRow, ShoutoutsOn
from storage import shoutouts as store
from storage.models import ShoutoutChannel


def is_lead(
    session: Session, cfg: ShoutoutChannel | None, team_id: str, channel_id: str, user_id: str
) -> bool:
    if cfg is not None and cfg.creator_id == user_id:
        return True
    return user_id in store.leads(session, team_id, channel_id)


def _may_change(session: Session, cfg: ShoutoutChannel, user_id: str, admin: bool) -> bool:
    if admin or cfg.enabled_by == user_id:
        return True
    return is_lead(session, cfg, cfg.team_id, cfg.channel_id, user_id)


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
    cfg = store.get_channel(session, team_id, channel_id)
    if cfg is not None and cfg.enabled and not _may_change(session, cfg, user_id, admin):
        raise NotAllowedError("lead_or_owner")
    if cfg is None:
        cfg = ShoutoutChannel(
            team_id=team_id, channel_id=channel_id, enabled_by=user_id, since=now, updated_at=now
        )
    if not cfg.enabled:
        cfg.enabled_by = user_id
    cfg.enabled = True
    cfg.weekday, cfg.minute, cfg.tz = request.weekday, request.minute, tz
    cfg.creator_id = creator_id or cfg.creator_id
    # A post due before now (this very week) belongs to the old schedule: nothing is late.
    cfg.since = now
    cfg.updated_at = now
    store.save(session, cfg)
    store.replace_members(session, team_id, channel_id, members, now)
    return cfg


def team_channel(session: Session, team_id: str, channel_id: str) -> ShoutoutChannel:
    cfg = store.get_channel(session, team_id, channel_id)
    if cfg is None or not cfg.enabled:
        raise NotTeamChannelError()
    return cfg


def turn_off(
    *, session: Session, team_id: str, channel_id: str, user_id: str, admin: bool, now: datetime
) -> ShoutoutChannel:
    cfg = team_channel(session, team_id, channel_id)
    if not _may_change(session, cfg, user_id, admin):
        raise NotAllowedError("lead_or_owner")
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
        raise NotAllowedError("admin")
    return store.add_lead(session, team_id, channel_id, lead_id, by, now)


def set_fairness(
    *, session: Session, team_id: str, channel_id: str, user_id: str, on: bool, now: datetime
) -> ShoutoutChannel:
    cfg = team_channel(session, team_id, channel_id)
    if not is_lead(session, cfg, team_id, channel_id, user_id):
        raise NotAllowedError("lead")
    cfg.fairness_to = user_id if on else None
    cfg.updated_at = now
    store.save(session, cfg)
    return cfg


def set_date(
    *,
    session: Session,
    team_id: str,
    user_id: str,
    kind: str,
    month: int,
    day: int,
    year: int | None,
    now: datetime,
) -> None:
    if year is not None and date(year, month, day) > now.date() + timedelta(days=1):
        raise FutureStartDateError(date(year, month, day).isoformat())
    store.set_date(session, team_id, user_id, kind, (month, day, year), "self", now)


def forget_date(*, session: Session, team_id: str, user_id: str, kind: str) -> bool:
    return store.forget_date(session, team_id, user_id, kind)


def set_opt_out(*, session: Session, team_id: str, user_id: str, opt_out: bool) -> None:
    row = store.pref(session, team_id, user_id)
    row.opt_out = opt_out
    store.save(session, row)


def set_milestones_where(*, session: Session, team_id: str, user_id: str, where: str) -> None:
    row = store.pref(session, team_id, user_id)
    row.milestones = where
    store.save(session, row)


def import_dates(
    *, session: Session, team_id: str, rows: list[DateRow], now: datetime
) -> tuple[int, int]:
    """Save every row of an already checked import (all or nothing: one transaction)."""
    for row in rows:
        when = (row.month, row.day, row.year)
        store.set_date(session, team_id, row.user_id, row.kind, when, "import", now)
    return len({r.user_id for r in rows}), len(rows)
