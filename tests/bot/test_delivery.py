"""The outbox delivery path: retries, Retry-After, recorded failures, nothing lost."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import select

from bot.delivery import Deliverer, Outbox, Outcome, OutMessage
from storage.models import OutboxRow

T = "T1"


class ScriptedSender:
    """A recording stand-in for SlackSender that answers from a script, then succeeds."""

    def __init__(self, *script: Outcome) -> None:
        self.script = list(script)
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.n = 0

    def call(self, method: str, payload: dict[str, Any]) -> Outcome:
        self.calls.append((method, payload))
        if self.script:
            return self.script.pop(0)
        self.n += 1
        return Outcome(True, {"ok": True, "channel": payload.get("channel"), "ts": f"1.{self.n}"})


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def queue(db, clock, *messages: OutMessage) -> list[int]:
    with db.write() as s:
        rows = Outbox().enqueue(s, T, messages, clock())
        return [r.id for r in rows]


def rows(db) -> list[OutboxRow]:
    with db.read() as s:
        return list(s.exec(select(OutboxRow).order_by(OutboxRow.id)).all())


def post(text: str = "hi", **kw: Any) -> OutMessage:
    return OutMessage(
        kind="kudos_post", method="chat.postMessage", payload={"channel": "C1", "text": text}, **kw
    )


def test_delivers_and_records_ts(db) -> None:
    clock = Clock(datetime(2026, 11, 23, tzinfo=UTC))
    sender = ScriptedSender()
    queue(db, clock, post())
    Deliverer(db, sender, clock=clock).drain()
    [row] = rows(db)
    assert (row.status, row.result_channel, row.result_ts, row.attempts) == ("sent", "C1", "1.1", 1)
    assert sender.calls == [("chat.postMessage", {"channel": "C1", "text": "hi"})]


def test_429_waits_for_retry_after_and_pauses_the_workspace(db) -> None:
    clock = Clock(datetime(2026, 11, 23, tzinfo=UTC))
    sender = ScriptedSender(Outcome(False, retry_after=30, transient=True, error="ratelimited"))
    queue(db, clock, post("a"), post("b"))
    deliverer = Deliverer(db, sender, clock=clock)
    deliverer.drain()
    assert len(sender.calls) == 1  # b was not tried while the workspace is paused
    clock.at += timedelta(seconds=29)
    deliverer.drain()
    assert len(sender.calls) == 1
    clock.at += timedelta(seconds=2)
    deliverer.drain()
    assert [c[1]["text"] for c in sender.calls] == ["a", "b", "a"]
    assert [r.status for r in rows(db)] == ["sent", "sent"]


def test_server_errors_back_off_and_keep_the_message(db) -> None:
    clock = Clock(datetime(2026, 11, 23, tzinfo=UTC))
    down = Outcome(False, transient=True, error="http_503")
    sender = ScriptedSender(down, down, down)
    queue(db, clock, post())
    deliverer = Deliverer(db, sender, clock=clock)
    for _ in range(3):
        deliverer.drain()
        [row] = rows(db)
        assert row.status == "pending" and row.last_error == "http_503"
        clock.at += timedelta(minutes=5)
    deliverer.drain()
    [row] = rows(db)
    assert row.status == "sent" and row.attempts == 4


def test_permanent_failure_is_recorded_and_the_giver_told(db) -> None:
    clock = Clock(datetime(2026, 11, 23, tzinfo=UTC))
    sender = ScriptedSender(Outcome(False, error="not_in_channel"))
    queue(db, clock, post(notify_user="UANA"))
    Deliverer(db, sender, clock=clock).drain()
    failed, notice = rows(db)
    assert (failed.status, failed.last_error) == ("failed", "not_in_channel")
    assert notice.status == "sent"
    payload = json.loads(notice.payload)
    assert payload["channel"] == "UANA" and "/invite" in payload["text"]


def test_dedupe_key_queues_once(db) -> None:
    clock = Clock(datetime(2026, 11, 23, tzinfo=UTC))
    queue(db, clock, post(dedupe_key="milestone:x"))
    queue(db, clock, post(dedupe_key="milestone:x"))
    assert len(rows(db)) == 1


def test_withdraw_cancels_pending_and_edits_sent(db) -> None:
    clock = Clock(datetime(2026, 11, 23, tzinfo=UTC))
    sender = ScriptedSender()
    deliverer = Deliverer(db, sender, clock=clock)
    queue(db, clock, post("sent one", ref="batch-1"))
    deliverer.drain()
    queue(db, clock, post("queued one", ref="batch-1"))

    def edit(row: OutboxRow) -> OutMessage:
        return OutMessage(
            kind="edit", method="chat.update", payload={"text": "withdrawn"}, update_of=row.id
        )

    with db.write() as s:
        cancelled = Outbox().withdraw(s, T, "batch-1", ["kudos_post"], edit, clock())
    assert cancelled == 1
    deliverer.drain()
    assert sender.calls[-1] == ("chat.update", {"text": "withdrawn", "channel": "C1", "ts": "1.1"})
    assert [r.status for r in rows(db)] == ["sent", "cancelled", "sent"]


def test_two_deliverers_never_send_a_row_twice(db) -> None:
    clock = Clock(datetime(2026, 11, 23, tzinfo=UTC))
    queue(db, clock, *[post(str(i)) for i in range(20)])
    sender = ScriptedSender()
    a, b = Deliverer(db, sender, clock=clock), Deliverer(db, sender, clock=clock)
    import threading

    threads = [threading.Thread(target=d.drain) for d in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    texts = [c[1]["text"] for c in sender.calls]
    assert sorted(texts, key=int) == [str(i) for i in range(20)]
