"""The outbox: messages are queued in the same transaction as the record they announce."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from sqlmodel import Session

from bot.outbox.envelope import OutMessage
from storage import outbox as store
from storage.models import OutboxRow, OutboxStatus


class Outbox:
    def enqueue(
        self, session: Session, team_id: str, messages: Iterable[OutMessage], now: datetime
    ) -> list[OutboxRow]:
        rows = []
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
        return rows

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
