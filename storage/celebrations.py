"""Queries for people's dates (birthdays, start dates) and how they like to be celebrated."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import exists
from sqlmodel import Session, col, select

from storage.models.celebrations import CelebrationPref, DateKind, DateSource, PersonDate
from storage.upsert import upsert


def set_date(
    session: Session,
    *,
    team_id: str,
    user_id: str,
    kind: DateKind,
    when: tuple[int, int, int | None],
    source: DateSource,
    now: datetime,
) -> None:
    month, day, year = when
    values = {
        "team_id": team_id,
        "user_id": user_id,
        "kind": kind,
        "month": month,
        "day": day,
        "year": year,
        "source": source,
        "updated_at": now,
    }
    upsert(session, PersonDate, values, ["team_id", "user_id", "kind"])


def forget_date(session: Session, *, team_id: str, user_id: str, kind: DateKind) -> bool:
    row = session.get(PersonDate, (team_id, user_id, kind))
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def dates_on(
    session: Session, *, team_id: str, users: Sequence[str], days: Sequence[date]
) -> list[PersonDate]:
    """Dates of ``users`` that fall on any of ``days`` (month and day), opted-out people left
    out."""
    if not users or not days:
        return []
    pairs = {(d.month, d.day) for d in days}
    opted_out = exists().where(
        col(CelebrationPref.team_id) == col(PersonDate.team_id),
        col(CelebrationPref.user_id) == col(PersonDate.user_id),
        col(CelebrationPref.opt_out).is_(True),
    )
    rows = session.exec(
        select(PersonDate)
        .where(PersonDate.team_id == team_id, col(PersonDate.user_id).in_(list(users)))
        .where(col(PersonDate.month).in_(sorted({m for m, _ in pairs})))
        .where(~opted_out)
        .order_by(col(PersonDate.kind), col(PersonDate.user_id))
    ).all()
    return [r for r in rows if (r.month, r.day) in pairs]


def pref(session: Session, *, team_id: str, user_id: str) -> CelebrationPref:
    return session.get(CelebrationPref, (team_id, user_id)) or CelebrationPref(
        team_id=team_id, user_id=user_id
    )


def prefs(session: Session, *, team_id: str, users: Sequence[str]) -> dict[str, CelebrationPref]:
    if not users:
        return {}
    rows = session.exec(
        select(CelebrationPref).where(
            CelebrationPref.team_id == team_id, col(CelebrationPref.user_id).in_(list(users))
        )
    ).all()
    return {r.user_id: r for r in rows}


def save_pref(session: Session, row: CelebrationPref) -> None:
    session.add(row)
    session.flush()


def dates_of(session: Session, *, team_id: str, user_id: str) -> list[PersonDate]:
    """A person's own dates (a birthday, a start date: two rows at most)."""
    return list(
        session.exec(
            select(PersonDate)
            .where(PersonDate.team_id == team_id, PersonDate.user_id == user_id)
            .order_by(col(PersonDate.kind))
        ).all()
    )
