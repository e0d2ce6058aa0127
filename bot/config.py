"""A workspace's settings as every use case sees them: what its admins chose in Slack
(``/bravo settings``), over the environment's defaults (``bot.settings``).

Read from the database at each use (one primary-key lookup), so a change made in one process
takes effect at once in every process, with no restart and no cache to go stale.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from sqlmodel import Session

from bot.settings import KudosRules, Settings
from storage import workspace as store
from storage.db import Database
from storage.models import WorkspaceConfig as Row

DEFAULT_SHOUTOUT_WEEKDAY = 4  # Friday
DEFAULT_SHOUTOUT_MINUTE = 16 * 60  # 16:00 local


class ReviewScope(StrEnum):
    """Who may review a teammate's conversation (``/review``)."""

    LEADS = "leads"  # their active coaches, the leads of their team channels and admins
    ANYONE = "anyone"  # anyone in the workspace


@dataclass(frozen=True)
class WorkspaceConfig:
    team_id: str
    kudos: KudosRules
    shoutout_weekday: int = DEFAULT_SHOUTOUT_WEEKDAY
    shoutout_minute: int = DEFAULT_SHOUTOUT_MINUTE
    admins: tuple[str, ...] = ()  # Bravo admins besides Slack's own admins and owners
    erase_departed_after_days: int | None = None  # None: people who left are kept
    uninstalled: bool = False
    review_scope: ReviewScope = ReviewScope.LEADS


def from_row(settings: Settings, team_id: str, row: Row | None) -> WorkspaceConfig:
    """The environment's defaults, overridden by each setting the workspace chose."""
    base = WorkspaceConfig(team_id=team_id, kudos=settings.kudos, admins=settings.admins)
    if row is None:
        return base
    kudos = settings.kudos
    if row.values_csv is not None:
        kudos = replace(kudos, values=tuple(v for v in row.values_csv.split(",") if v))
    if row.emoji is not None:
        kudos = replace(kudos, emoji=row.emoji)
    if row.daily_allowance is not None:
        kudos = replace(kudos, daily_allowance=row.daily_allowance)
    if row.per_recipient_daily_cap is not None:
        kudos = replace(kudos, per_recipient_daily_cap=row.per_recipient_daily_cap)
    if row.kudos_channel is not None:
        kudos = replace(kudos, kudos_channel=row.kudos_channel or None)  # "": no channel
    admins = base.admins
    if row.admins_csv is not None:
        admins = tuple(a for a in row.admins_csv.split(",") if a)
    return WorkspaceConfig(
        team_id=team_id,
        kudos=kudos,
        shoutout_weekday=(
            row.shoutout_weekday if row.shoutout_weekday is not None else base.shoutout_weekday
        ),
        shoutout_minute=(
            row.shoutout_minute if row.shoutout_minute is not None else base.shoutout_minute
        ),
        admins=admins,
        erase_departed_after_days=row.erase_departed_after_days,
        uninstalled=row.uninstalled_at is not None,
        review_scope=(
            ReviewScope.ANYONE if row.review_scope == ReviewScope.ANYONE else ReviewScope.LEADS
        ),
    )


def config_in(session: Session, settings: Settings, team_id: str) -> WorkspaceConfig:
    """The workspace's settings, read in the caller's transaction."""
    return from_row(settings, team_id, store.config_row(session, team_id))


def load_config(db: Database, settings: Settings, team_id: str) -> WorkspaceConfig:
    with db.read() as session:
        return config_in(session, settings, team_id)
