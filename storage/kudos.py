"""Queries over the kudos ledger and its rollups."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, exists, func, text
from sqlmodel import Session, col, select

from storage.models import (
    GivingStreak,
    Kudos,
    KudosRevocation,
    KudosTally,
    KudosTotal,
    Milestone,
    ProcessedEvent,
)
from storage.models.kudos import MilestoneKind, RevocationReason
from storage.upsert import add_counts, insert_ignore

ALL = ""  # the tally/total row that counts every kudos once, whatever its values


def _not_revoked() -> ColumnElement[bool]:
    return ~exists().where(col(KudosRevocation.kudos_id) == col(Kudos.id))


def lock_giver(session: Session, *, team_id: str, giver_id: str) -> None:
    """Serialise one giver's kudos so two quick commands cannot both pass the allowance check.

    SQLite writers are already serialised by BEGIN IMMEDIATE; PostgreSQL takes a transaction
    advisory lock on the giver."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"kudos:{team_id}:{giver_id}"}
        )


def count_given(
    session: Session,
    *,
    team_id: str,
    giver_id: str,
    since: datetime,
    recipient_id: str | None = None,
) -> int:
    query = (
        select(func.count())
        .select_from(Kudos)
        .where(
            Kudos.team_id == team_id,
            Kudos.giver_id == giver_id,
            col(Kudos.created_at) >= since,
            _not_revoked(),
        )
    )
    if recipient_id is not None:
        query = query.where(Kudos.recipient_id == recipient_id)
    return int(session.exec(query).one())


def add_kudos(session: Session, rows: Sequence[Kudos]) -> None:
    """Append kudos to the ledger and count them in the rollups, in the caller's transaction."""
    session.add_all(rows)
    session.flush()
    _count(session, rows, +1)


def _count(session: Session, rows: Sequence[Kudos], sign: int) -> None:
    """Add (or, with ``sign=-1``, remove) kudos from the daily tally and the all-time totals."""
    tally: dict[tuple[Any, ...], dict[str, int]] = {}
    totals: dict[tuple[Any, ...], dict[str, int]] = {}

    def bump(
        table: dict[tuple[Any, ...], dict[str, int]], key: tuple[Any, ...], **inc: int
    ) -> None:
        entry = table.setdefault(key, dict.fromkeys(inc, 0))
        for name, n in inc.items():
            entry[name] += n

    for row in rows:
        day = row.created_at.date()  # UTC day
        for value in [ALL, *[v for v in row.values.split(",") if v]]:
            bump(tally, (row.team_id, row.recipient_id, value, day), received=sign)
            bump(totals, (row.team_id, row.recipient_id, value), received=sign, given=0)
        bump(totals, (row.team_id, row.giver_id, ALL), received=0, given=sign)
    add_counts(session, KudosTally, ("team_id", "user_id", "value", "day"), tally)
    add_counts(session, KudosTotal, ("team_id", "user_id", "value"), totals)


def uncount_received(session: Session, *, team_id: str, user_id: str) -> None:
    """Before the kudos ``user_id`` received are deleted (an erasure): their givers' all-time
    "given" totals stop counting them, so every total still matches the ledger. (The person's
    own tallies and totals are deleted with them.)"""
    per_giver = session.exec(
        select(Kudos.giver_id, func.count())
        .where(Kudos.team_id == team_id, Kudos.recipient_id == user_id, _not_revoked())
        .group_by(Kudos.giver_id)
    ).all()
    totals = {(team_id, giver, ALL): {"received": 0, "given": -n} for giver, n in per_giver}
    add_counts(session, KudosTotal, ("team_id", "user_id", "value"), totals)


def revoke(
    session: Session, rows: Sequence[Kudos], *, by: str, why: RevocationReason, now: datetime
) -> list[Kudos]:
    """Take kudos back (append a revocation, uncount them). Returns the ones this call revoked."""
    revoked: list[Kudos] = []
    for row in rows:
        assert row.id is not None
        values = {
            "kudos_id": row.id,
            "team_id": row.team_id,
            "revoked_by": by,
            "why": why,
            "revoked_at": now,
        }
        if insert_ignore(session, KudosRevocation, values, ["kudos_id"]):
            revoked.append(row)
    _count(session, revoked, -1)
    return revoked


def batch(session: Session, *, team_id: str, batch_id: str) -> list[Kudos]:
    return list(
        session.exec(
            select(Kudos)
            .where(Kudos.team_id == team_id, Kudos.batch_id == batch_id)
            .order_by(col(Kudos.id))
        ).all()
    )


def revoked_ids(session: Session, ids: Sequence[int]) -> set[int]:
    if not ids:
        return set()
    return set(
        session.exec(
            select(KudosRevocation.kudos_id).where(col(KudosRevocation.kudos_id).in_(list(ids)))
        ).all()
    )


def active_by_source(
    session: Session, *, team_id: str, giver_id: str, source_ref: str
) -> list[Kudos]:
    return list(
        session.exec(
            select(Kudos).where(
                Kudos.team_id == team_id,
                Kudos.source_ref == source_ref,
                Kudos.giver_id == giver_id,
                _not_revoked(),
            )
        ).all()
    )


@dataclass(frozen=True)
class BoardRow:
    user_id: str
    count: int


def leaderboard(
    session: Session,
    team_id: str,
    *,
    value: str = ALL,
    since: date | None = None,
    exclude: set[str] | frozenset[str] = frozenset(),
    limit: int = 10,
) -> list[BoardRow]:
    """Top recipients. With ``since`` it sums the daily tally (rows for the window only);
    without, it reads the all-time totals. Never touches the ledger."""
    fetch = limit + len(exclude)
    if since is None:
        total_rows = session.exec(
            select(KudosTotal.user_id, KudosTotal.received)
            .where(
                KudosTotal.team_id == team_id,
                KudosTotal.value == value,
                col(KudosTotal.received) > 0,
            )
            .order_by(col(KudosTotal.received).desc(), col(KudosTotal.user_id))
            .limit(fetch)
        ).all()
        rows = [(u, int(n)) for u, n in total_rows]
    else:
        total = func.sum(KudosTally.received).label("n")
        tally_rows = session.exec(
            select(KudosTally.user_id, total)
            .where(
                KudosTally.team_id == team_id,
                KudosTally.value == value,
                col(KudosTally.day) >= since,
            )
            .group_by(col(KudosTally.user_id))
            .having(total > 0)
            .order_by(total.desc(), col(KudosTally.user_id))
            .limit(fetch)
        ).all()
        rows = [(u, int(n)) for u, n in tally_rows]
    return [BoardRow(u, n) for u, n in rows if u not in exclude][:limit]


@dataclass(frozen=True)
class Totals:
    received: int
    given: int
    by_value: dict[str, int]


def totals(session: Session, *, team_id: str, user_id: str) -> Totals:
    rows = session.exec(
        select(KudosTotal).where(KudosTotal.team_id == team_id, KudosTotal.user_id == user_id)
    ).all()
    received = given = 0
    by_value: dict[str, int] = {}
    for row in rows:
        if row.value == ALL:
            received, given = row.received, row.given
        elif row.received > 0:
            by_value[row.value] = row.received
    return Totals(received, given, dict(sorted(by_value.items(), key=lambda kv: (-kv[1], kv[0]))))


def received_since(session: Session, *, team_id: str, user_id: str, since: date) -> int:
    n = session.exec(
        select(func.coalesce(func.sum(KudosTally.received), 0)).where(
            KudosTally.team_id == team_id,
            KudosTally.value == ALL,
            KudosTally.user_id == user_id,
            col(KudosTally.day) >= since,
        )
    ).one()
    return int(n)


def received_count(session: Session, *, team_id: str, user_id: str) -> int:
    row = session.get(KudosTotal, (team_id, user_id, ALL))
    return row.received if row else 0


def streak(session: Session, *, team_id: str, user_id: str) -> GivingStreak | None:
    return session.get(GivingStreak, (team_id, user_id))


def save_streak(session: Session, row: GivingStreak) -> None:
    session.add(row)
    session.flush()


def reach_milestone(
    session: Session,
    *,
    team_id: str,
    user_id: str,
    kind: MilestoneKind,
    threshold: int,
    now: datetime,
) -> bool:
    """Record a milestone; True only the first time it is reached (celebrate exactly once)."""
    values = {
        "team_id": team_id,
        "user_id": user_id,
        "kind": kind,
        "threshold": threshold,
        "reached_at": now,
    }
    return insert_ignore(session, Milestone, values, ["team_id", "user_id", "kind", "threshold"])


def claim_event(session: Session, *, team_id: str, event_id: str, now: datetime) -> bool:
    """True when this Events API delivery is new; a retry of it returns False."""
    values = {"event_id": event_id, "team_id": team_id, "received_at": now}
    return insert_ignore(session, ProcessedEvent, values, ["event_id"])


def forget_events_before(session: Session, cutoff: datetime) -> int:
    rows = session.exec(
        select(ProcessedEvent).where(col(ProcessedEvent.received_at) < cutoff)
    ).all()
    for row in rows:
        session.delete(row)
    return len(rows)


def kudos_received_since(
    session: Session, *, team_id: str, user_id: str, since: datetime
) -> list[Kudos]:
    revoked = select(KudosRevocation.kudos_id)
    return list(
        session.exec(
            select(Kudos)
            .where(Kudos.team_id == team_id, Kudos.recipient_id == user_id)
            .where(col(Kudos.created_at) >= since, col(Kudos.id).not_in(revoked))
            .order_by(col(Kudos.created_at).desc())
            .limit(20)
        ).all()
    )


# Kudos history: a person's kudos, received and given, a page at a time (keyset pagination)


@dataclass(frozen=True)
class Mark:
    """A place in a person's history: a kudos' (created_at, id), the order pages follow."""

    at: datetime
    id: int


def history_rows(
    session: Session,
    *,
    team_id: str,
    user_id: str,
    limit: int,
    older_than: Mark | None = None,
    newer_than: Mark | None = None,
    channels: Sequence[str] | None = None,
) -> list[Kudos]:
    """Kudos ``user_id`` received or gave, not taken back: the newest ``limit`` (older than
    ``older_than``), newest first; or, with ``newer_than``, the ``limit`` just newer than it,
    oldest first. ``channels``: only kudos given in one of those channels.

    Each side reads its own index (team, recipient or giver, created_at) from the mark and
    stops after ``limit`` rows, so a page costs the same after ten kudos or ten thousand."""
    if channels is not None and not channels:
        return []
    newer = newer_than is not None
    found: dict[int, Kudos] = {}
    for person in (col(Kudos.recipient_id), col(Kudos.giver_id)):
        query = select(Kudos).where(Kudos.team_id == team_id, person == user_id, _not_revoked())
        if channels is not None:
            query = query.where(col(Kudos.channel_id).in_(list(channels)))
        query = _from_mark(query, newer_than if newer else older_than, newer=newer)
        for row in session.exec(query.limit(limit)).all():
            found[row.id or 0] = row
    rows = sorted(found.values(), key=lambda k: (k.created_at, k.id or 0), reverse=not newer)
    return rows[:limit]


def _from_mark(query: Any, mark: Mark | None, *, newer: bool) -> Any:
    """Rows past ``mark`` (after it going newer, before it going older), in that order. The
    bound on created_at alone is what an index range can use; the id breaks ties."""
    at, key = col(Kudos.created_at), col(Kudos.id)
    if mark is not None and newer:
        query = query.where(at >= mark.at, (at > mark.at) | (key > mark.id))
    elif mark is not None:
        query = query.where(at <= mark.at, (at < mark.at) | (key < mark.id))
    return query.order_by(at.asc(), key.asc()) if newer else query.order_by(at.desc(), key.desc())


def history_channels(session: Session, *, team_id: str, user_id: str, limit: int) -> list[str]:
    """The channels (not DMs) kudos ``user_id`` received or gave were given in: at most
    ``limit`` of them, so the Slack calls asking which are public stay bounded."""
    found: dict[str, None] = {}
    for person in (col(Kudos.recipient_id), col(Kudos.giver_id)):
        query = (
            select(Kudos.channel_id)
            .where(Kudos.team_id == team_id, person == user_id)
            .where(col(Kudos.channel_id).is_not(None), ~col(Kudos.channel_id).startswith("D"))
            .distinct()
            .limit(limit)
        )
        found.update((c, None) for c in session.exec(query).all() if c)
    return list(found)[:limit]


# The Home tab: a person's latest kudos and milestones (bounded, by the person's indexes) ------


def recent_received(session: Session, *, team_id: str, user_id: str, limit: int) -> list[Kudos]:
    """The latest kudos ``user_id`` received and still holds (ix_kudos_team_recipient_created)."""
    return list(
        session.exec(
            select(Kudos)
            .where(Kudos.team_id == team_id, Kudos.recipient_id == user_id, _not_revoked())
            .order_by(col(Kudos.created_at).desc(), col(Kudos.id).desc())
            .limit(limit)
        ).all()
    )


def recent_given(session: Session, *, team_id: str, user_id: str, limit: int) -> list[Kudos]:
    """The latest kudos ``user_id`` gave, not taken back (ix_kudos_team_giver_created)."""
    return list(
        session.exec(
            select(Kudos)
            .where(Kudos.team_id == team_id, Kudos.giver_id == user_id, _not_revoked())
            .order_by(col(Kudos.created_at).desc(), col(Kudos.id).desc())
            .limit(limit)
        ).all()
    )


def recent_milestones(
    session: Session, *, team_id: str, user_id: str, limit: int
) -> list[Milestone]:
    return list(
        session.exec(
            select(Milestone)
            .where(Milestone.team_id == team_id, Milestone.user_id == user_id)
            .order_by(col(Milestone.reached_at).desc(), col(Milestone.id).desc())
            .limit(limit)
        ).all()
    )
