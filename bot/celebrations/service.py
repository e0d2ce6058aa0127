"""Celebration use cases: people's dates and how they like to be celebrated, the admins' date
import, and which milestones are announced in a team channel.

Each use case opens its own transaction through ``deps``, writes through ``storage`` and returns
what happened; the replies' words are in ``render.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from bot.admins import is_admin
from bot.celebrations import messages, render
from bot.celebrations.errors import AdminOnlyError, FutureStartDateError, NoRowsError
from bot.celebrations.parse import DateRow, latest_start
from bot.deps import Deps
from storage import celebrations as store
from storage import shoutouts as channels
from storage.models.celebrations import DateKind, DateSource, MilestonesPlace


@dataclass(frozen=True)
class Reached:
    """A milestone someone reached, as a post announces it."""

    user_id: str
    kind: str  # MilestoneKind
    threshold: int


@dataclass(frozen=True)
class Imported:
    people: int
    rows: int


def milestone_words(reached: Reached) -> str:
    """The line a milestone is announced with (the weekly shout-out lists the week's too)."""
    return render.milestone_line(reached.user_id, reached.kind, reached.threshold)


def milestones_in_channel(
    session: Session, *, team_id: str, user_ids: Iterable[str]
) -> frozenset[str]:
    """Of ``user_ids``, those whose milestones are announced in their team channel instead of
    by DM: they chose ``/bravo celebrate milestones channel`` and belong to a team channel (with
    none, the post would have nowhere to go, so they hear by DM as everyone else does)."""
    ids = sorted(set(user_ids))
    chosen = store.prefs(session, team_id=team_id, users=ids)
    return frozenset(
        u
        for u in ids
        if u in chosen
        and chosen[u].milestones == MilestonesPlace.CHANNEL
        and channels.team_channels_of(session, team_id=team_id, user_id=u)
    )


def set_date(
    deps: Deps,
    *,
    team_id: str,
    user_id: str,
    kind: DateKind,
    month: int,
    day: int,
    year: int | None,
) -> None:
    """A person's own birthday or start date (a start date may not be in the future)."""
    now = deps.clock()
    with deps.db.write() as session:
        if year is not None and date(year, month, day) > latest_start(now.date()):
            raise FutureStartDateError(date(year, month, day).isoformat())
        store.set_date(
            session,
            team_id=team_id,
            user_id=user_id,
            kind=kind,
            when=(month, day, year),
            source=DateSource.SELF,
            now=now,
        )


def forget_date(deps: Deps, *, team_id: str, user_id: str, kind: DateKind) -> bool:
    """Forget a person's date; False when Bravo did not have it."""
    with deps.db.write() as session:
        return store.forget_date(session, team_id=team_id, user_id=user_id, kind=kind)


def set_opt_out(deps: Deps, *, team_id: str, user_id: str, opt_out: bool) -> None:
    with deps.db.write() as session:
        row = store.pref(session, team_id=team_id, user_id=user_id)
        row.opt_out = opt_out
        store.save_pref(session, row)


def set_milestones_where(deps: Deps, *, team_id: str, user_id: str, where: MilestonesPlace) -> None:
    with deps.db.write() as session:
        row = store.pref(session, team_id=team_id, user_id=user_id)
        row.milestones = where
        store.save_pref(session, row)


def check_admin(deps: Deps, team_id: str, user_id: str) -> None:
    """Only admins import everyone's dates (Slack is asked now: ``bot.admins``)."""
    if not is_admin(deps.client_for(team_id), deps.config(team_id), user_id):
        raise AdminOnlyError()


def import_dates(
    deps: Deps, *, team_id: str, user_id: str, rows: list[DateRow], now: datetime
) -> Imported:
    """Save every row of an already checked import (all or nothing: one transaction) and queue
    the admin's receipt by DM."""
    if not rows:
        raise NoRowsError()
    with deps.db.write() as session:
        for row in rows:
            store.set_date(
                session,
                team_id=team_id,
                user_id=row.user_id,
                kind=row.kind,
                when=(row.month, row.day, row.year),
                source=DateSource.IMPORT,
                now=now,
            )
        done = Imported(people=len({r.user_id for r in rows}), rows=len(rows))
        receipt = messages.imported(user_id, done.people, done.rows)
        deps.outbox.enqueue(session, team_id, [receipt], now)
    return done
