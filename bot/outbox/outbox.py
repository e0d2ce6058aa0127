"""The outbox: messages are queued in the same transaction as the record they announce."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from sqlmodel import Session

from bot.outbox.envelope import OutMessage, SlackMethod
from storage import home as homes
from storage import outbox as store
from storage.models import OutboxRow, OutboxStatus


class Outbox:
    def enqueue(
        self, session: Session, team_id: str, messages: Iterable[OutMessage], now: datetime
    ) -> list[OutboxRow]:
        rows = []
        people: set[str] = set()
        for msg in messages:
            payload = dict(msg.payload)
            if msg.update_of is not None:
                payload["_update_of"] = msg.update_of
            row = store.add(
                session,
                team_id=team_id,
                kind=msg.kind,
                method=msg.method,
                payload=json.dumps(payload),
                ref=msg.ref,
                dedupe_key=msg.dedupe_key,
                notify_user=msg.notify_user,
                now=now,
            )
            if row is not None:
                rows.append(row)
                people.update(_dm_recipient(msg))
        # Whoever gets a DM has something new in their Home tab: marked in this transaction,
        # so the refresher never publishes a home before the change it shows is committed.
        if people:
            homes.mark_dirty(session, team_id=team_id, user_ids=people, now=now)
        return rows

    def enqueue_many(
        self,
        session: Session,
        queued: Sequence[tuple[str, Sequence[OutMessage], datetime]],
    ) -> dict[str, int]:
        """``enqueue`` for many workspaces' messages, each (team, messages, due at), in one
        INSERT. Returns the ids of the rows queued that have a dedupe key, by key (a key
        already queued is left out)."""
        values: list[dict[str, object]] = []
        for team_id, messages, now in queued:
            values += [_values(team_id, msg, now) for msg in messages]
        ids = store.add_many(session, values)
        people: dict[tuple[str, datetime], set[str]] = {}
        for team_id, messages, now in queued:
            for msg in messages:
                if msg.dedupe_key is None or msg.dedupe_key in ids:
                    people.setdefault((team_id, now), set()).update(_dm_recipient(msg))
        for (team_id, now), users in people.items():
            if users:
                homes.mark_dirty(session, team_id=team_id, user_ids=users, now=now)
        return ids

    def withdraw(
        self,
        session: Session,
        team_id: str,
        ref: str,
        kinds: Sequence[str],
        replacement: Callable[[OutboxRow], OutMessage],
        now: datetime,
    ) -> int:
        """Cancel what is still queued for ``ref``; queue ``replacement(row)`` edits for what was
        already posted (or is being posted). Returns how many were cancelled before sending."""
        cancelled = 0
        for row in store.by_ref(session, team_id=team_id, ref=ref, kinds=kinds):
            if row.status == OutboxStatus.PENDING and store.cancel_if_unclaimed(
                session, row.id or 0, now
            ):
                cancelled += 1
            elif row.status in {OutboxStatus.PENDING, OutboxStatus.SENT}:
                self.enqueue(session, team_id, [replacement(row)], now)
        return cancelled

    def redraw(
        self,
        session: Session,
        team_id: str,
        ref: str,
        kinds: Sequence[str],
        edit: Callable[[OutboxRow], OutMessage],
        now: datetime,
    ) -> int:
        """Queue ``edit(row)`` (an update of that row's message: ``update_of=row.id``) for each
        message of ``ref`` that is posted or still to be (it waits for the post); none for one
        withdrawn or failed. Returns how many were queued."""
        queued = 0
        for row in store.by_ref(session, team_id=team_id, ref=ref, kinds=kinds):
            if row.status in {OutboxStatus.PENDING, OutboxStatus.SENT}:
                self.enqueue(session, team_id, [edit(row)], now)
                queued += 1
        return queued


def _values(team_id: str, msg: OutMessage, now: datetime) -> dict[str, object]:
    payload = dict(msg.payload)
    if msg.update_of is not None:
        payload["_update_of"] = msg.update_of
    return store.row_values(
        team_id=team_id,
        kind=msg.kind,
        method=msg.method,
        payload=json.dumps(payload),
        ref=msg.ref,
        dedupe_key=msg.dedupe_key,
        notify_user=msg.notify_user,
        now=now,
    )


def _dm_recipient(msg: OutMessage) -> list[str]:
    """The person a direct message goes to (a DM is posted to the user id), if it is one."""
    channel = str(msg.payload.get("channel") or "")
    return [channel] if channel[:1] in ("U", "W") and msg.method == SlackMethod.POST else []
