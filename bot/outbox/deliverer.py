"""Delivery: the outbox's rows go to Slack.

``Deliverer`` sends them: it paces messages under Slack's limits (``Pacer``: so many a minute per
workspace, one a second per channel), honours 429 ``Retry-After`` (pausing the whole workspace),
retries server and connection errors with backoff, records every failure on the row, and never
drops a message because Slack failed. Claims are atomic, so several processes may deliver at once.
Each row goes with the bot token of its own workspace (``SlackSender``); a workspace with none
fails its rows as ``not_installed``, and holds up no other.
A claim puts its rows in doubt until their results are written (within ``ANSWERS_WITHIN`` of
Slack's answer); a row found in doubt by a later claim (its process died, or its call got no
answer) is first looked for in Slack (``bot.outbox.recovery``), so a crash neither loses a
message nor sends it twice.
"""

from __future__ import annotations

import heapq
import itertools
import json
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from bot.clock import Clock, utcnow
from bot.outbox import tuning as t
from bot.outbox.clients import NOT_INSTALLED
from bot.outbox.envelope import SlackMethod, paced
from bot.outbox.outbox import Outbox
from bot.outbox.pacer import CHANNEL_SPACING, PACE_MARGIN, PACING_BURST, Held, Pacer, senders_for
from bot.outbox.recovery import Claimant, Recovery, free_dead_claims, tag
from bot.outbox.render import delivery_failed_dm
from bot.outbox.sender import Outcome, SlackSender
from bot.outbox.shards import SHARDS, ShardsHeld, shard_of
from bot.outbox.uploads import stored_content, stored_file, uploaded_file_id
from storage import files
from storage import outbox as store
from storage.db import Database
from storage.models import OutboxRow, OutboxStatus

log = logging.getLogger(__name__)


Write = Callable[[Session], None]


class Deliverer:
    """Sends due outbox rows. ``deliver_due`` is synchronous (tests, CLI); ``start`` runs it in a
    background thread woken by ``kick`` after every commit that queued something.

    A pass reads the due rows and claims them ``CLAIM_BATCH`` to a transaction. For each row: a
    workspace paused by a 429 puts it back until the pause ends; a chat.* row asks the ``Pacer``
    and, when it must wait, is held in memory (slot within ``HOLD_FOR``) or put back in the queue
    until its slot, so the rows behind it, other workspaces' included, are read next; the rest
    go to up to ``senders`` calls in flight. Held rows go as their slots come, between database
    work. Results and put-backs are written in batches. Putting a row back never counts an
    attempt. ``clock`` dates rows; ``monotonic`` and ``sleep`` drive pacing (inject them in tests).
    """

    def __init__(
        self,
        db: Database,
        sender: SlackSender,
        clock: Clock = utcnow,
        poll_seconds: float = 0.5,
        *,
        posts_per_minute: int = 300,
        burst: int = PACING_BURST,
        channel_spacing: float = CHANNEL_SPACING,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        senders: int | None = None,
        recovery: Recovery | None = None,
        answers_within: float = t.ANSWERS_WITHIN,
    ) -> None:
        self._db = db
        # Without ``recovery`` a row in doubt is sent again (at least once) without looking.
        self._recovery = recovery
        self._claimant = Claimant()
        self._sender = sender
        self._clock = clock
        self._poll = poll_seconds
        self._mono = monotonic
        self._sleep = sleep
        self._pacer = Pacer(
            posts_per_minute * PACE_MARGIN, burst=burst, spacing=channel_spacing, now=monotonic
        )
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._paused_until: dict[str, datetime] = {}
        self._held: list[Held] = []  # heap
        self._seq = itertools.count()
        self._wakes: list[float] = []  # heap: when rows put back for pacing come due (monotonic)
        self._resume_at: dict[str, float] = {}  # when paused workspaces may post again
        self._writes: list[Write] = []
        self._results: list[dict[str, object]] = []  # rows sent, failed or cancelled
        self._answers_within = answers_within
        self._answered_at: float | None = None  # when the oldest answer not yet written came
        self._written = monotonic()  # when results were last written
        self._senders = max(1, senders if senders is not None else senders_for(posts_per_minute))
        self._pool: ThreadPoolExecutor | None = None
        self._in_flight: dict[Future[Outcome], OutboxRow] = {}
        # Workspaces whose latest answer was not a 429. Until Slack has answered a workspace (at
        # start, after a pause) it gets one call at a time, so a 429 stops everything after it.
        self._answered: set[str] = set()
        self._lock = threading.RLock()
        self._next_look = 0.0  # monotonic: when to read the queue again if not kicked
        # Pacing is per process, so each workspace's paced (chat.*) messages go from one
        # process at a time, and its pace holds (bot.scheduling.start.share_pacing). On SQLite,
        # where several processes deliver (gunicorn workers), one of them sends them all (the
        # holder of the pacer lock: ``paces``); on PostgreSQL every delivering process sends
        # those of the workspaces in the shards it holds (``shards``; None: all). The rest
        # (replies, views) any process sends at once.
        self.paces: Callable[[], bool] = lambda: True
        self.shards: ShardsHeld = lambda: None

    def kick(self) -> None:
        self._next_look = 0.0
        self._wake.set()

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="bravo-delivery", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        with self._lock:  # let another process have the rows held for a slot right away
            self._settle(until=0)  # what is in flight is written as sent (or not), not lost
            now = self._clock()
            for held in self._held:
                self._put_back(held.row, now, t.PACING_NOTE)
            self._held = []
            self._write()
            if self._pool is not None:
                self._pool.shutdown(wait=True)
                self._pool = None

    def recover(self) -> int:
        """Free at once the rows that a dead process of this host left claimed, in doubt; the
        next claim looks for them in Slack. Returns how many."""
        freed = free_dead_claims(self._db, self._claimant)
        if freed:
            log.warning("outbox: %d rows left in doubt by a process that died", freed)
            self.kick()
        return freed

    def _run(self) -> None:
        try:
            self.recover()
        except Exception:  # the claims lapse in CLAIM_FOR anyway
            log.exception("outbox recovery failed")
        while not self._stop.is_set():
            try:
                handled = self.deliver_due(settle=False)
            except Exception:  # keep the loop alive; the rows stay queued
                log.exception("delivery pass failed")
                handled = 0
            if not handled:
                self._idle()

    def _idle(self) -> None:
        """Wait for a kick, a slot, the end of a pause, or (with calls in flight) an answer."""
        timeout = self._idle_wait()
        with self._lock:
            if timeout >= t.WRITE_WITHIN:
                self._write()  # nothing more for a while: write what is waiting now
            in_flight = list(self._in_flight)
        if in_flight:
            wait(in_flight, timeout=timeout, return_when=FIRST_COMPLETED)
            if any(f.done() for f in in_flight):
                with self._lock:
                    self._settle(until=len(self._in_flight))
                    self._write_if_due()
            return
        self._wake.wait(timeout)
        self._wake.clear()

    def _idle_wait(self) -> float:
        """Until the next slot or the end of a 429 pause, at most ``poll_seconds``."""
        waits = [self._poll]
        pacing = self._pacing_wait()
        if pacing is not None:
            waits.append(pacing)
        with self._lock:
            now = self._mono()
            self._resume_at = {t: at for t, at in self._resume_at.items() if at > now}
            waits += [at - now + t.WAKE_SLACK for at in self._resume_at.values()]
            if self._answered_at is not None:  # answers to write
                waits.append(max(0.0, self._answered_at + self._answers_within - now))
        return min(waits)

    def deliver_due(self, limit: int = 100, *, settle: bool = True) -> int:
        """One pass: send held rows whose slot came, then claim and handle what is due. Returns
        how many rows were handled (sent, retried, finished, held or put back). With ``settle``
        (tests, the CLI) it waits for every answer and writes the results before returning; the
        delivery thread does not: what is still in flight is handled in its next pass (waiting
        would send one row per round trip to Slack, measured: 60 a second)."""
        with self._lock:
            try:
                handled = self._send_held()
                if len(self._held) < t.MAX_HELD:
                    handled += self._take_due(limit)
                return handled
            finally:
                if settle:
                    self._settle(until=0)
                    self._write()
                else:
                    self._settle(until=self._senders - 1)
                    self._write_if_due()

    def drain(self, max_passes: int = 100_000) -> None:
        """Deliver until nothing more is due, sleeping (``sleep``) through pacing waits but not
        through Retry-After pauses or backoffs (for tests, the demo and benchmarks)."""
        self.recover()
        for _ in range(max_passes):
            self._next_look = 0.0
            if self.deliver_due():
                continue
            with self._lock:
                if self._in_flight:  # their answers may queue retries: look again after them
                    self._settle(until=0)
                    self._write()
                    continue
            with self._lock:
                if self._writes or self._results:  # writing may queue more (failure notices)
                    self._write()
                    continue
            wait = self._pacing_wait()
            if wait is None:
                if not self._anything_due():
                    return
                wait = self._pacer.interval  # due, but its workspace's pace is booked up
            self._sleep(wait)

    def _anything_due(self) -> bool:
        paces, shards = self._pacing_share()
        with self._db.read() as session:
            return bool(store.due(session, self._clock(), 1, paced_too=paces, shards=shards))

    def _pacing_share(self) -> tuple[bool, tuple[int, list[int]] | None]:
        """Whether this process sends paced posts now, and of which shards (None: all)."""
        if not self.paces():
            return False, None
        mine = self.shards()
        if mine is None:
            return True, None
        return bool(mine), (SHARDS, sorted(mine))

    def busy_with(self, shard: int) -> bool:
        """Whether this process still has posts of the shard's workspaces held for a slot or in
        flight, or slots booked ahead for them: until not, it keeps the shard (another process
        pacing them from a fresh bucket meanwhile could go over their pace)."""
        with self._lock:
            teams = {h.row.team_id for h in self._held}
            teams.update(row.team_id for row in self._in_flight.values())
            teams.update(self._pacer.active())
        return any(shard_of(team) == shard for team in teams)

    def _pacing_wait(self) -> float | None:
        """Seconds until a held row's slot or a put-back row comes due; None when none will."""
        with self._lock:
            now = self._mono()
            while self._wakes and self._wakes[0] <= now:
                heapq.heappop(self._wakes)
            times = [h.slot for h in self._held[:1]] + self._wakes[:1]
            return max(0.0, min(times) - now) + t.WAKE_SLACK if times else None

    def _send_held(self) -> int:
        """Handle the held rows whose slot has come, earliest first."""
        now = self._mono()
        ready = []
        while self._held and self._held[0].slot <= now:
            ready.append(heapq.heappop(self._held))
        for held in ready:
            self._process(held.row, held.payload)
        return len(ready)

    def _take_due(self, limit: int) -> int:
        """Claim what is due and can go soon: a workspace's messages only as far as its pace has
        slots in the next ``HOLD_FOR`` seconds. Claiming more would only book slots far ahead
        and put the rows back, a write per row for nothing (measured with 10,000 check-ins due
        at once: 9 updates a message instead of 2)."""
        now, mono = self._clock(), self._mono()
        if mono < self._next_look and not any(at <= mono for at in self._resume_at.values()):
            return 0  # (a pause that just ended is a reason to look at once)
        self._resume_at = {t: at for t, at in self._resume_at.items() if at > mono}
        # Only a workspace with slots booked, or paused, can be short of room.
        busy = {*self._pacer.booked(), *self._paused_until}
        room = {team: self._room(team, now) for team in busy}
        take: list[int] = []
        full = True
        paces, shards = self._pacing_share()
        for _ in range(3):  # again without the workspaces this pass has filled, if any
            held_back = sorted(team for team, free in room.items() if free <= 0)
            with self._db.read() as session:
                due = store.due(
                    session, now, limit, held_back=held_back, paced_too=paces, shards=shards
                )
            skipped = False
            for row_id, team, method in due:
                if paced(method):
                    free = room.get(team)
                    if free is None:
                        free = room[team] = self._room(team, now)
                    if free <= 0:
                        skipped = True
                        continue
                    room[team] = free - 1
                take.append(row_id)
            full = len(due) == limit
            if not skipped:
                break
        # Nothing (more) to take: look again when woken (kick), or shortly, not on every slot;
        # while a workspace's backlog waits for its pace, reading past it costs a scan of it.
        if full and take:
            self._next_look = 0.0
        else:
            self._next_look = mono + (t.LOOK_BEHIND if held_back and not due else t.LOOK_EVERY)
        handled = 0
        for start in range(0, len(take), t.CLAIM_BATCH):
            handled += self._claim_and_process(take[start : start + t.CLAIM_BATCH])
            handled += self._send_held()  # slots that came while we were at the database
        return handled

    def _room(self, team: str, now: datetime) -> int:
        """Messages of ``team`` worth claiming now; 0 while it is paused by a 429, or while its
        free slots are too few to be worth a transaction (they come back in a moment)."""
        paused = self._paused_until.get(team)
        if paused is not None and paused > now:
            return 0
        free = self._pacer.room(team, t.HOLD_FOR)  # held rows have booked their slots
        worth = max(1, min(t.CLAIM_BATCH, self._pacer.capacity(t.HOLD_FOR) // 4))
        return free if free >= worth else 0

    def _claim_and_process(self, row_ids: list[int]) -> int:
        now = self._clock()
        with self._db.write() as session:  # one statement claims the batch
            rows = store.claim(  # others: taken already
                session, row_ids, now, now + t.CLAIM_FOR, claimed_by=self._claimant.name
            )
        started = self._mono()
        for n, row in enumerate(rows):
            if self._mono() - started > t.CLAIM_FOR.total_seconds() / 2:
                # Slack is slow today: hand back what is left before our claims run out.
                for rest in rows[n:]:
                    self._put_back(rest, self._clock(), rest.last_error or "claim handed back")
                break
            if self._in_slack(row, now):
                continue
            self._process(row)
            self._send_held()  # a slot may have come while we were busy
            self._write_if_due()
        return len(rows)

    def _in_slack(self, row: OutboxRow, claimed_at: datetime) -> bool:
        """For a row that was in doubt before this claim: whether it is settled by looking for
        it in Slack (found: sent; Slack could not say: tried again later)."""
        since = row.in_doubt_since
        if since is None or since >= claimed_at or self._recovery is None:
            return False
        payload = json.loads(row.payload)
        found = self._recovery.find(row.id or 0, row.method, payload, since, row.team_id)
        if found.found:
            log.info("outbox row %s was in Slack already (%s %s)", row.id, found.channel, found.ts)
            where = {"channel": found.channel, "ts": found.ts}
            self._finish(row, OutboxStatus.SENT, response=where)
        elif found.transient:
            self._retry(row, f"in doubt: {found.error}", t.LOOK_AGAIN, in_doubt=True)
        elif found.error:
            log.warning("outbox row %s in doubt, Slack says %s: sent again", row.id, found.error)
        self._write_if_due()
        return found.found or found.transient

    def _process(self, row: OutboxRow, payload: dict[str, Any] | None = None) -> None:
        """A claimed row: put it back while its workspace is paused, wait for its slot, or send."""
        self._settle(until=self._senders - 1)  # a sender is free before the pacer is asked
        if row.team_id not in self._answered:
            self._settle_workspace(row.team_id)
        paused = self._paused_until.get(row.team_id)
        if paused is not None and paused > self._clock():
            self._put_back(row, paused, t.PAUSED_NOTE)
            return
        if payload is None:
            payload = self._payload(row)
            if payload is None:
                return
        if paced(row.method):
            channel = payload.get("channel")
            wait = self._pacer.admit(
                row.id or 0, team=row.team_id, channel=str(channel) if channel else None
            )
            if wait > 0:
                self._wait(row, payload, wait)
                return
        self._send(row, payload)

    def _payload(self, row: OutboxRow) -> dict[str, Any] | None:
        """The call's arguments; for an edit, with the channel and ts of the message it edits
        (None when the row was settled instead)."""
        payload: dict[str, Any] = json.loads(row.payload)
        if stored_file(row.method, row.payload) is not None:
            return self._with_file(row, payload)
        update_of = payload.pop("_update_of", None)
        if update_of is None:
            return payload
        self._settle(until=0)  # the message it edits may have been sent earlier in this pass
        self._write()
        with self._db.read() as session:
            target = store.get(session, int(update_of))
        if target is None or target.status in {OutboxStatus.CANCELLED, OutboxStatus.FAILED}:
            self._finish(row, OutboxStatus.CANCELLED, error="nothing to update")
            return None
        if target.status != OutboxStatus.SENT:
            self._retry(row, "waiting for the message it edits", timedelta(seconds=2))
            return None
        payload["channel"], payload["ts"] = target.result_channel, target.result_ts
        return payload

    def _with_file(self, row: OutboxRow, payload: dict[str, Any]) -> dict[str, Any] | None:
        """An upload of a stored file, with its bytes (cancelled when the file is gone)."""
        with self._db.read() as session:
            found = stored_content(session, payload, team_id=row.team_id, user_id=row.notify_user)
        if found is None:
            self._finish(row, OutboxStatus.CANCELLED, error="file gone")
        return found

    def _wait(self, row: OutboxRow, payload: dict[str, Any], wait: float) -> None:
        if wait <= t.HOLD_FOR:
            heapq.heappush(self._held, Held(self._mono() + wait, next(self._seq), row, payload))
            return
        heapq.heappush(self._wakes, self._mono() + wait)
        self._put_back(row, self._clock() + timedelta(seconds=wait), t.PACING_NOTE)

    def _send(self, row: OutboxRow, payload: dict[str, Any]) -> None:
        if row.method == SlackMethod.POST:
            payload = tag(payload, row.id or 0)  # so that it can be found after a crash
        if self._senders == 1:
            self._handle(row, self._sender.call(row.method, payload, row.team_id))
            return
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self._senders, thread_name_prefix="bravo-send")
        call = self._pool.submit(self._sender.call, row.method, payload, row.team_id)
        self._in_flight[call] = row

    def _settle(self, *, until: int) -> None:
        """Handle finished calls; wait while more than ``until`` are still in flight."""
        while self._in_flight:
            done = [f for f in self._in_flight if f.done()]
            if not done:
                if len(self._in_flight) <= until:
                    return
                done = list(wait(self._in_flight, return_when=FIRST_COMPLETED).done)
            for future in done:
                row = self._in_flight.pop(future)
                try:
                    outcome = future.result()
                except Exception as err:  # a bug in the sender: treat it as transient
                    log.exception("sending outbox row %s failed", row.id)
                    outcome = Outcome(False, transient=True, error=f"bravo: {err}")
                self._handle(row, outcome)
            self._write_if_due()  # answers t.ANSWERS_WITHIN old are written (group commit)

    def _settle_workspace(self, team_id: str) -> None:
        """Wait until no call for this workspace is in flight (handling what finishes)."""
        while mine := [f for f, r in self._in_flight.items() if r.team_id == team_id]:
            wait(mine, return_when=FIRST_COMPLETED)
            self._settle(until=len(self._in_flight))

    def _handle(self, row: OutboxRow, outcome: Outcome) -> None:
        if outcome.retry_after is None:
            self._answered.add(row.team_id)
        if outcome.ok:
            self._finish(row, OutboxStatus.SENT, response=outcome.response)
        elif outcome.retry_after is not None:
            self._pause(row.team_id, outcome.retry_after)
            self._retry(
                row,
                outcome.error or "ratelimited",
                timedelta(seconds=outcome.retry_after),
                count_attempt=False,
            )
        elif outcome.transient and self._clock() - row.created_at < t.GIVE_UP_AFTER:
            backoff = min(t.MAX_BACKOFF, timedelta(seconds=2 ** min(row.attempts, 11)))
            # No answer, or a server error: Slack may have posted it. Looked for before resending.
            self._retry(row, outcome.error or "transient", backoff, in_doubt=True)
        else:
            log.warning("Slack refused outbox row %s (%s): %s", row.id, row.method, outcome.error)
            self._finish(row, OutboxStatus.FAILED, error=outcome.error)

    def _pause(self, team_id: str, seconds: float) -> None:
        """Slack said 429: nothing more for this workspace until Retry-After has passed."""
        until = self._clock() + timedelta(seconds=seconds)
        self._paused_until[team_id] = until
        self._answered.discard(team_id)
        self._resume_at[team_id] = self._mono() + seconds
        self._pacer.forget(team_id)
        for held in [h for h in self._held if h.row.team_id == team_id]:
            self._put_back(held.row, until, t.PAUSED_NOTE)
        self._held = [h for h in self._held if h.row.team_id != team_id]
        heapq.heapify(self._held)
        self._write()  # unclaimed now, so the rows are there to take the moment the pause ends

    def _put_back(self, row: OutboxRow, at: datetime, note: str) -> None:
        """Unclaim a row without counting an attempt; it is due again at ``at``."""
        row_id, error = row.id or 0, row.last_error or note
        self._writes.append(lambda s: store.reschedule(s, row_id, at, error, count_attempt=False))

    def _finish(
        self,
        row: OutboxRow,
        status: OutboxStatus,
        *,
        response: dict[str, Any] | None = None,
        error: str | None = None,
    ) -> None:
        now = self._clock()
        response = response or {}
        channel = response.get("channel")
        ts = response.get("ts") or response.get("message_ts") or uploaded_file_id(response)
        self._note_answer()
        self._results.append(
            store.result(row.id or 0, status, now, error=error, channel=channel, ts=ts)
        )
        file_id, owner = stored_file(row.method, row.payload), row.notify_user or ""
        if file_id is not None:  # uploaded, or never will be: the stored file goes
            self._writes.append(
                lambda s: files.delete_file(s, file_id=file_id, team_id=row.team_id, user_id=owner)
            )
        if status == OutboxStatus.FAILED and row.notify_user and error != NOT_INSTALLED:
            self._writes.append(lambda s: self._notify_failure(s, row, error or "unknown", now))

    def _notify_failure(self, session: Session, row: OutboxRow, error: str, now: datetime) -> None:
        payload = json.loads(row.payload)
        message = delivery_failed_dm(
            user_id=row.notify_user or "", channel=payload.get("channel"), error=error
        )
        Outbox().enqueue(session, row.team_id, [message], now)

    def _retry(
        self,
        row: OutboxRow,
        error: str,
        delay: timedelta,
        *,
        count_attempt: bool = True,
        in_doubt: bool = False,
    ) -> None:
        row_id, at = row.id or 0, self._clock() + delay
        self._note_answer()
        self._writes.append(
            lambda s: store.reschedule(
                s, row_id, at, error, count_attempt=count_attempt, in_doubt=in_doubt
            )
        )

    def _note_answer(self) -> None:
        if self._answered_at is None:
            self._answered_at = self._mono()

    def _write_if_due(self) -> None:
        """Write what Slack answered once the oldest answer is ``answers_within`` old (a crash
        must forget as few posts Slack took as can be); put-backs, which sent nothing, once there
        are ``WRITE_EVERY`` or the oldest is ``WRITE_WITHIN`` old."""
        answered = self._answered_at
        if answered is not None and self._mono() - answered >= self._answers_within:
            self._write()
            return
        waiting = len(self._writes) + len(self._results)
        if waiting >= t.WRITE_EVERY or (waiting and self._mono() - self._written >= t.WRITE_WITHIN):
            self._write()

    def _write(self) -> None:
        """Write the queued results and put-backs in one transaction."""
        if not self._writes and not self._results:
            return
        writes, self._writes = self._writes, []
        results, self._results = self._results, []
        self._answered_at = None
        self._written = self._mono()
        with self._db.write() as session:
            store.finish(session, results)
            for write in writes:
                write(session)
