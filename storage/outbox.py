"""Queries for the outbox (enqueue, claim, finish, reschedule) and the delivery records of
scheduled sends."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, literal, literal_column, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from storage.models import OutboxRow, OutboxStatus, ScheduledSend, WorkspaceConfig
from storage.types import UtcDateTime
from storage.upsert import insert_ignore, insert_returning


def add(
    session: Session,
    *,
    team_id: str,
    kind: str,
    method: str,
    payload: str,
    ref: str | None,
    dedupe_key: str | None,
    notify_user: str | None,
    now: datetime,
) -> OutboxRow | None:
    """Queue a message; with a ``dedupe_key`` already queued, nothing is added (returns None)."""
    values = row_values(
        team_id=team_id,
        kind=kind,
        method=method,
        payload=payload,
        ref=ref,
        dedupe_key=dedupe_key,
        notify_user=notify_user,
        now=now,
    )
    if dedupe_key is not None:
        row: OutboxRow | None = insert_returning(session, OutboxRow, values, ["dedupe_key"])
        return row
    row = OutboxRow.model_validate(values)
    session.add(row)
    session.flush()
    return row


def row_values(
    *,
    team_id: str,
    kind: str,
    method: str,
    payload: str,
    ref: str | None,
    dedupe_key: str | None,
    notify_user: str | None,
    now: datetime,
) -> dict[str, object]:
    """A queued row's columns: due at ``now``."""
    return {
        "team_id": team_id,
        "kind": kind,
        "method": method,
        "payload": payload,
        "ref": ref,
        "dedupe_key": dedupe_key,
        "notify_user": notify_user,
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "created_at": now,
        "next_attempt_at": now,
    }


def _insert(session: Session, model: Any) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)


def add_many(session: Session, rows: Sequence[dict[str, object]]) -> dict[str, int]:
    """Queue many rows (``row_values``) in one INSERT; a row whose ``dedupe_key`` is queued
    already is left out. Returns the ids of the rows queued that have a dedupe key, by key."""
    if not rows:
        return {}
    stmt = (
        _insert(session, OutboxRow)
        .values(list(rows))
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(col(OutboxRow.id), col(OutboxRow.dedupe_key))
    )
    return {key: int(i) for i, key in session.execute(stmt).all() if key is not None}


def _free_to_take(now: datetime) -> ColumnElement[bool]:
    """Still queued and not claimed by a worker (or its claim has lapsed: it died mid-send), and
    its workspace has not uninstalled Bravo (nothing more is sent there, whenever it was queued)."""
    uninstalled = select(WorkspaceConfig.team_id).where(
        col(WorkspaceConfig.uninstalled_at).is_not(None)
    )
    return and_(
        col(OutboxRow.status) == OutboxStatus.PENDING,
        or_(col(OutboxRow.claimed_until).is_(None), col(OutboxRow.claimed_until) < now),
        col(OutboxRow.team_id).not_in(uninstalled),
    )


def shard_of_team(shards: int) -> ColumnElement[int]:
    """PostgreSQL: a row's workspace shard, as ``bot.outbox.shards.shard_of`` computes it (the
    first 32 bits of the MD5 of the team id, modulo ``shards``)."""
    return literal_column(
        f"mod(('x' || substr(md5(outbox.team_id), 1, 8))::bit(32)::bigint, {int(shards)})"
    )


def due(
    session: Session,
    now: datetime,
    limit: int,
    *,
    held_back: Sequence[str] = (),
    paced_too: bool = True,
    shards: tuple[int, Sequence[int]] | None = None,
) -> list[tuple[int, str, str]]:
    """(id, team, method) of rows to send now, oldest first. Messages of the workspaces in
    ``held_back`` (their pace is booked up), or of every workspace without ``paced_too``, are
    left for later, so they cannot crowd out other rows, such as replies that are not paced.
    With ``shards`` (how many, and which are ours; PostgreSQL only), paced messages only of the
    workspaces in our shards: the others are paced by the processes holding theirs."""
    stmt = select(OutboxRow.id, OutboxRow.team_id, OutboxRow.method).where(
        _free_to_take(now), col(OutboxRow.next_attempt_at) <= now
    )
    is_paced = col(OutboxRow.method).startswith("chat.") & (
        col(OutboxRow.method) != "chat.getPermalink"
    )
    if not paced_too:
        stmt = stmt.where(~is_paced)
    else:
        if held_back:
            stmt = stmt.where(~(col(OutboxRow.team_id).in_(list(held_back)) & is_paced))
        if shards is not None:
            count, ours = shards
            stmt = stmt.where(~is_paced | shard_of_team(count).in_(sorted(ours)))
    rows = session.exec(
        stmt.order_by(col(OutboxRow.next_attempt_at), col(OutboxRow.id)).limit(limit)
    ).all()
    return [(int(i or 0), t, m) for i, t, m in rows]


def claim(
    session: Session,
    row_ids: Sequence[int],
    now: datetime,
    until: datetime,
    *,
    claimed_by: str | None = None,
) -> list[OutboxRow]:
    """Atomically take due rows for sending, in one statement; rows another worker took first
    are left out. In id order. The claim puts each row in doubt (``in_doubt_since``, kept
    from an earlier claim that never wrote its result: such a row has ``in_doubt_since < now``
    and may already be in Slack)."""
    if not row_ids:
        return []
    rows = session.scalars(
        update(OutboxRow)
        .where(col(OutboxRow.id).in_(list(row_ids)), _free_to_take(now))
        .values(
            claimed_until=until,
            attempts=OutboxRow.attempts + 1,
            in_doubt_since=func.coalesce(OutboxRow.in_doubt_since, literal(now, UtcDateTime())),
            claimed_by=claimed_by,
        )
        .returning(OutboxRow),
        execution_options={"synchronize_session": False, "populate_existing": True},
    ).all()
    return sorted(rows, key=lambda r: r.id or 0)


def claims_in_doubt(session: Session) -> list[tuple[int, str | None]]:
    """(id, claimed_by) of the queued rows that are in doubt: claimed for sending by some
    process that has not written their result."""
    stmt = select(OutboxRow.id, OutboxRow.claimed_by).where(
        col(OutboxRow.in_doubt_since).is_not(None),
        col(OutboxRow.status) == OutboxStatus.PENDING,
        col(OutboxRow.claimed_until).is_not(None),
    )
    return [(int(i or 0), by) for i, by in session.exec(stmt).all()]


def release(session: Session, row_ids: Sequence[int], claimed_by: str) -> int:
    """End the claims of a dead process on these rows (still in doubt), if still its own."""
    if not row_ids:
        return 0
    result = session.execute(
        update(OutboxRow)
        .where(
            col(OutboxRow.id).in_(list(row_ids)),
            col(OutboxRow.claimed_by) == claimed_by,
            col(OutboxRow.status) == OutboxStatus.PENDING,
        )
        .values(claimed_until=None)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def result(
    row_id: int,
    status: OutboxStatus,
    now: datetime,
    *,
    error: str | None,
    channel: str | None,
    ts: str | None,
) -> dict[str, object]:
    """What ``finish`` writes for one row that was sent, failed or was cancelled."""
    return {
        "id": row_id,
        "status": status,
        "sent_at": now if status == OutboxStatus.SENT else None,
        "last_error": error,
        "result_channel": channel,
        "result_ts": ts,
        "claimed_until": None,
        "in_doubt_since": None,
    }


def finish(session: Session, results: Sequence[dict[str, object]]) -> None:
    """Write many rows' results in one executemany UPDATE (by primary key)."""
    if results:
        session.execute(update(OutboxRow), list(results))


def reschedule(
    session: Session,
    row_id: int,
    at: datetime,
    error: str,
    *,
    count_attempt: bool,
    in_doubt: bool = False,
) -> None:
    """Unclaim a row until ``at``. ``in_doubt``: the call may have reached Slack (no answer,
    or a server error), so the row is looked for before it is sent again."""
    values: dict[str, object] = {"next_attempt_at": at, "last_error": error, "claimed_until": None}
    if not in_doubt:
        values["in_doubt_since"] = None
    if not count_attempt:
        values["attempts"] = OutboxRow.attempts - 1
    session.execute(update(OutboxRow).where(col(OutboxRow.id) == row_id).values(**values))


def get(session: Session, row_id: int) -> OutboxRow | None:
    return session.get(OutboxRow, row_id)


def by_ref(session: Session, *, team_id: str, ref: str, kinds: Sequence[str]) -> list[OutboxRow]:
    return list(
        session.exec(
            select(OutboxRow)
            .where(OutboxRow.team_id == team_id, OutboxRow.ref == ref)
            .where(col(OutboxRow.kind).in_(list(kinds)))
            .order_by(col(OutboxRow.id))
        ).all()
    )


def cancel_if_unclaimed(session: Session, row_id: int, now: datetime) -> bool:
    result = session.execute(
        update(OutboxRow)
        .where(col(OutboxRow.id) == row_id, _free_to_take(now))
        .values(status=OutboxStatus.CANCELLED, last_error="withdrawn before delivery")
    )
    return bool(getattr(result, "rowcount", 0))


def counts(session: Session) -> dict[str, int]:
    rows = session.exec(
        select(OutboxRow.status, func.count()).group_by(col(OutboxRow.status))
    ).all()
    return {s: int(n) for s, n in rows}


# Delivery records ------------------------------------------------------------------------------


def record_send(
    session: Session,
    *,
    key: str,
    team_id: str,
    kind: str,
    user_id: str,
    due_at: datetime,
    now: datetime,
    outbox_id: int | None = None,
) -> bool:
    """Write the delivery record for a scheduled message; False when it already exists (it was
    sent, or is being sent, by this or another process)."""
    values = {
        "key": key,
        "team_id": team_id,
        "kind": kind,
        "user_id": user_id,
        "due_at": due_at,
        "created_at": now,
        "outbox_id": outbox_id,
    }
    return insert_ignore(session, ScheduledSend, values, ["key"])


def record_sends(session: Session, rows: Sequence[dict[str, object]]) -> None:
    """``record_send`` for many in one INSERT (``key``, ``team_id``, ``kind``, ``user_id``,
    ``due_at``, ``created_at``, ``outbox_id`` each); records that exist are left as they are."""
    if rows:
        stmt = _insert(session, ScheduledSend).values(list(rows))
        session.execute(stmt.on_conflict_do_nothing(index_elements=["key"]))


def link_send(session: Session, key: str, outbox_id: int | None) -> None:
    session.execute(
        update(ScheduledSend).where(col(ScheduledSend.key) == key).values(outbox_id=outbox_id)
    )


def sends(session: Session, kind: str | None = None) -> list[ScheduledSend]:
    stmt = select(ScheduledSend)
    if kind:
        stmt = stmt.where(ScheduledSend.kind == kind)
    return list(session.exec(stmt.order_by(col(ScheduledSend.due_at))).all())
