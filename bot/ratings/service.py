"""Customer ratings by webhook, the use cases: a signed request received (checked and recorded
before the answer), ratings settled after it (the agent found, the rating added to the customer
feedback log, the agent told at a calm pace), and the daily digest.

Receiving does no Slack call: the webhook answers within milliseconds. Settling happens after
the answer, on the work queue (``Settler``) and, should a process stop first, in the
``ratings_settle`` job; a rating moves on from ``pending`` once (a conditional update), so two
processes settling at once add it to the log once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlmodel import Session

from bot.deps import Deps
from bot.group_commit import GroupCommit
from bot.install.crypto import Sealer, UnreadableSecret
from bot.outbox.envelope import OutMessage
from bot.outbox.scheduled import send_once
from bot.ratings import agents, ids, messages
from bot.ratings.parse import Problem, check_headers, parse_body, signature_hash, signed
from bot.users import Person, local_day_bounds
from storage import coaching
from storage import ratings as store
from storage.models.feedback import CustomerFeedback, CustomerKind, CustomerSource
from storage.models.ratings import RatingState, UnmatchedRating

log = logging.getLogger(__name__)
SETTLE_BATCH = 50
SETTLE_CHUNK = 2  # ratings per writing transaction: short, so a webhook answer waits little
SETTLE_PAUSE = 0.1  # seconds at least between a workspace's batches: answers come first


def sealer_of(deps: Deps) -> Sealer | None:
    """The hook secrets' sealer (``BRAVO_ENCRYPTION_KEY``), or None without a key."""
    keys = deps.settings.encryption_keys
    return _sealer(keys) if keys else None


@lru_cache(maxsize=4)
def _sealer(keys: tuple[str, ...]) -> Sealer:
    return Sealer(keys)


@lru_cache(maxsize=1024)
def _opened(sealer: Sealer, sealed: str) -> str:
    """A sealed secret, opened once per process (Fernet costs more than the rest of a request)."""
    secret = sealer.open(sealed)
    assert secret is not None
    return secret


def kind_of(rating: int) -> str:
    """4-5 ("good") is praise; 1-3 ("bad" included) a complaint: a 3 is not a satisfied customer
    in CSAT's own terms, so it is one to look at, and never becomes kudos."""
    return CustomerKind.PRAISE if rating >= 4 else CustomerKind.COMPLAINT


# Receiving -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    team_id: str
    rating_id: int | None  # None: a duplicate (the same ticket and source came before)

    @property
    def duplicate(self) -> bool:
        return self.rating_id is None


class _Hooks:
    """Each hook's workspace and opened secret, remembered by this process, so a request needs
    one transaction; that transaction reads the hook's sealed secret again, so a rotation (by
    any process) is in effect at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[str, tuple[str, str, str]] = {}  # hook id -> (team, sealed, secret)

    def get(self, deps: Deps, hook_id: str, *, fresh: bool = False) -> tuple[str, str, str]:
        with self._lock:
            seen = None if fresh else self._seen.get(hook_id)
        if seen is not None:
            return seen
        with deps.db.read() as session:
            hook = store.hook_by_id(session, hook_id)
        if hook is None:
            raise Problem(404, "unknown_hook", "No webhook has this address.")
        return self.put(deps, hook_id, hook.team_id, hook.secret_sealed)

    def put(self, deps: Deps, hook_id: str, team_id: str, sealed: str) -> tuple[str, str, str]:
        sealer = sealer_of(deps)
        if sealer is None:
            raise Problem(404, "unknown_hook", "No webhook has this address.")
        try:
            seen = (team_id, sealed, _opened(sealer, sealed))
        except UnreadableSecret:
            log.error("a webhook secret of %s cannot be opened with its keys", team_id)
            raise Problem(
                503, "hook_unavailable", "This webhook cannot check signatures now."
            ) from None
        with self._lock:
            if len(self._seen) > 10_000:
                self._seen.clear()
            self._seen[hook_id] = seen
        return seen


HOOKS = _Hooks()


@dataclass
class _Request:
    """A webhook request whose signature and body checked out, waiting to be recorded."""

    hook_id: str
    team: str
    sealed: str  # the hook's sealed secret its signature was checked against
    timestamp: str
    body: bytes
    signature: str
    values: dict[str, Any]  # its unmatched_rating row, team_id filled in when recorded
    outcome: Received | Problem | Exception | None = None


def _checked(
    deps: Deps, *, hook_id: str, timestamp: str, signature: str, body: bytes, now_ts: float
) -> _Request:
    """The checks that need no transaction: headers, signature (with the secret this process
    remembers, asked again once if it does not match), body."""
    check_headers(timestamp, signature, now_ts)
    team, sealed, secret = HOOKS.get(deps, hook_id)
    if not signed(secret, timestamp, body, signature):  # perhaps rotated since: ask again
        team, sealed, secret = HOOKS.get(deps, hook_id, fresh=True)
        if not signed(secret, timestamp, body, signature):
            raise Problem(401, "invalid_signature", "The signature does not match.")
    rating = parse_body(body)
    values = {
        "agent_slack_id": rating.agent_slack_id,
        "agent_email": rating.agent_email,
        "rating": rating.rating,
        "comment": rating.comment,
        "source": rating.source,
        "ticket_url": rating.ticket_url,
        "dedupe_key": rating.dedupe_key(signature),
        "state": RatingState.PENDING,
    }
    return _Request(hook_id, team, sealed, timestamp, body, signature, values)


def receive(
    deps: Deps, *, hook_id: str, timestamp: str, signature: str, body: bytes, now_ts: float
) -> Received:
    """Check a webhook request and record its rating, in one transaction with its signature
    (a replay is refused). Raises ``Problem`` and stores nothing when anything is wrong."""
    request = _checked(
        deps, hook_id=hook_id, timestamp=timestamp, signature=signature, body=body, now_ts=now_ts
    )
    _record(deps, [request])
    return _outcome(request)


def _outcome(request: _Request) -> Received:
    if isinstance(request.outcome, Received):
        return request.outcome
    if isinstance(request.outcome, Exception):  # a Problem, or the database failing
        raise request.outcome
    raise RuntimeError("the request was not recorded")


def _record(deps: Deps, requests: list[_Request]) -> None:
    """Record requests in one transaction: each hook read again (a rotation by any process is
    in effect at once: a signature checked with the old secret is checked again), then one
    statement for all their signatures (a replay is refused: 409) and one for all their
    ratings (the same ticket and source is stored once: a duplicate). Each request's outcome
    is set on it; if the transaction fails, every request's is the error."""
    now = deps.clock()
    try:
        with deps.db.write() as session:
            hooks = store.hooks_by_ids(session, [r.hook_id for r in requests])
            live = [r for r in requests if _still_signed(deps, r, hooks)]
            receipts: dict[tuple[str, str], _Request] = {}
            for r in live:  # the same signature twice in one group: the second is a replay
                key = (r.team, signature_hash(r.signature))
                if key in receipts:
                    r.outcome = Problem(409, "replayed", "This signed request was received before.")
                else:
                    receipts[key] = r
            fresh = store.record_receipts(
                session,
                [{"team_id": t, "signature_hash": h, "received_at": now} for t, h in receipts],
            )
            ratings: dict[tuple[str, str], _Request] = {}
            for key, r in receipts.items():
                if key not in fresh:
                    r.outcome = Problem(409, "replayed", "This signed request was received before.")
                    continue
                dedupe = (r.team, str(r.values["dedupe_key"]))
                if dedupe in ratings:  # the same ticket twice in one group: stored once
                    r.outcome = Received(r.team, None)
                else:
                    ratings[dedupe] = r
            added = store.add_ratings(
                session,
                [{**r.values, "team_id": r.team, "created_at": now} for r in ratings.values()],
            )
            for dedupe, r in ratings.items():
                r.outcome = Received(r.team, added.get(dedupe))
    except Exception as err:  # not recorded: every request of the group is told so
        for r in requests:
            r.outcome = err


def _still_signed(deps: Deps, request: _Request, hooks: dict[str, tuple[str, str]]) -> bool:
    """Whether the hook still exists and the request is signed with its secret as it is now
    (sets the request's outcome when not)."""
    found = hooks.get(request.hook_id)
    if found is None:
        request.outcome = Problem(404, "unknown_hook", "No webhook has this address.")
        return False
    team, sealed = found
    if sealed != request.sealed:  # rotated since this process last looked
        try:
            team, sealed, secret = HOOKS.put(deps, request.hook_id, team, sealed)
        except Problem as problem:
            request.outcome = problem
            return False
        if not signed(secret, request.timestamp, request.body, request.signature):
            request.outcome = Problem(401, "invalid_signature", "The signature does not match.")
            return False
    request.team = team
    return True


class GroupReceive:
    """The webhook's requests recorded as a group commit (``bot.group_commit``): one
    transaction per group (one statement for their signatures, one for their ratings). Each
    returns only once its own group is committed, so a rating is answered only when it is
    safe."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps
        self._group: GroupCommit[_Request] = GroupCommit([lambda batch: _record(deps, batch)])

    def __call__(
        self, *, hook_id: str, timestamp: str, signature: str, body: bytes, now_ts: float
    ) -> Received:
        mine = _checked(
            self._deps,
            hook_id=hook_id,
            timestamp=timestamp,
            signature=signature,
            body=body,
            now_ts=now_ts,
        )
        self._group(mine)  # each request's outcome is set on it, the group's error included
        return _outcome(mine)


def forget_receipts(deps: Deps, at: datetime) -> int:
    """Signatures older than the window a replay could come in (and a margin)."""
    with deps.db.write() as session:
        return store.purge_receipts(session, before=at - ids.RECEIPTS_KEPT)


# Settling --------------------------------------------------------------------------------------


def settle(
    deps: Deps,
    team_id: str,
    limit: int = SETTLE_BATCH,
    capped: set[tuple[str, str]] | None = None,
) -> Counter[str]:
    """One batch of the workspace's pending ratings: agents looked up (before any transaction),
    then each rating moved on once: to the customer feedback log (its agent told, at a calm
    pace) or to the admins' unmatched list. Short transactions, so webhook requests waiting
    to write get in between. Slack unreachable: they stay pending."""
    with deps.db.read() as session:
        rows = store.waiting(session, team_id=team_id, limit=limit)
    if not rows:
        return Counter()
    now = deps.clock()
    try:
        found = agents.find_agents(deps, team_id, rows, now)
    except agents.LookupFailed as err:
        log.warning("ratings wait: Slack could not find their agents now (%s)", err)
        return Counter({"waiting": len(rows)})
    counts: Counter[str] = Counter()
    pace = Pace(team_id, now, capped)
    for start in range(0, len(rows), SETTLE_CHUNK):
        with deps.db.write() as session:
            out: list[OutMessage] = []
            for row in rows[start : start + SETTLE_CHUNK]:
                counts[_settle_one(deps, session, row, found.get(row.id or 0), pace, out)] += 1
            if out:
                deps.outbox.enqueue(session, team_id, out, now)
    deps.deliverer.kick()
    return counts


def _settle_one(
    deps: Deps,
    session: Session,
    row: UnmatchedRating,
    person: Person | None,
    pace: Pace,
    out: list[OutMessage],
) -> str:
    if person is not None:
        added = add_to_log(session, row, person, pace, was=RatingState.PENDING, out=out)
        return "matched" if added else "taken"
    moved = store.move(
        session,
        team_id=pace.team_id,
        row_id=row.id or 0,
        was=[RatingState.PENDING],
        values={"state": RatingState.UNMATCHED},
    )
    return "unmatched" if moved else "taken"


def settle_all(deps: Deps, at: datetime) -> Counter[str]:
    """Every workspace's pending ratings (the job; the work queue usually came first)."""
    counts: Counter[str] = Counter()
    with deps.db.read() as session:
        teams = store.teams_waiting(session)
    for team in teams:
        if deps.not_sending(team):
            continue
        while True:
            done = settle(deps, team)
            counts.update(done)
            if sum(done.values()) < SETTLE_BATCH or done.get("waiting"):
                break
    return counts


class Pace:
    """How many webhook ratings each agent was told of today (their own DMs and digests):
    asked of the database once per agent per settling, then counted here. ``capped``: agents
    (and their day) known to have had their DMs of the day, kept by a ``Settler`` across
    batches, so a burst for the same agents does not count again."""

    def __init__(self, team_id: str, now: datetime, capped: set[tuple[str, str]] | None = None):
        self.team_id, self.now = team_id, now
        self._told: dict[str, int] = {}
        self._capped = capped if capped is not None else set()

    def may_tell(self, session: Session, person: Person) -> bool:
        uid = person.user_id
        start, _end = local_day_bounds(self.now, person.zone)
        day = (f"{self.team_id}:{uid}", start.date().isoformat())
        if day in self._capped:
            return False
        if uid not in self._told:
            self._told[uid] = store.told_since(
                session, team_id=self.team_id, teammate_id=uid, since=start
            )
        if self._told[uid] >= ids.OWN_DMS_PER_DAY:
            if len(self._capped) > 100_000:
                self._capped.clear()
            self._capped.add(day)
            return False
        self._told[uid] += 1
        return True


def add_to_log(
    session: Session,
    row: UnmatchedRating,
    person: Person,
    pace: Pace,
    *,
    was: str,
    out: list[OutMessage],
    by: str | None = None,
) -> CustomerFeedback | None:
    """Move the rating to the customer feedback log, once (None: it was moved before); its
    agent is told now (``out``: the DMs to queue), unless they heard of enough today (then the
    digest tells them)."""
    rating_id, tell = row.id or 0, pace.may_tell(session, person)
    fb = store.add_feedback(
        session,
        {
            "team_id": pace.team_id,
            "logged_by": ids.LOGGED_BY,
            "teammate_id": person.user_id,
            "kind": kind_of(row.rating),
            "rating": row.rating,
            "source": CustomerSource.SURVEY,
            "text": row.comment,
            "source_ref": f"rating:{rating_id}",
            "origin": row.source,
            "ticket_url": row.ticket_url,
            "told_at": pace.now if tell else None,
            "created_at": pace.now,
        },
    )
    if fb is None:  # another process logged it first
        return None
    resolved: dict[str, Any] = {"state": RatingState.MATCHED, "matched_to": person.user_id}
    resolved |= {"resolved_at": pace.now, "resolved_by": by or ids.LOGGED_BY}
    resolved |= {"feedback_id": fb.id, "comment": "", "ticket_url": None}  # kept once, in fb
    if not store.move(session, team_id=pace.team_id, row_id=rating_id, was=[was], values=resolved):
        store.drop_feedback(session, team_id=pace.team_id, row_id=fb.id or 0)  # matched elsewhere
        return None
    if tell:
        out.append(messages.rating_dm(fb))
        if fb.kind == CustomerKind.PRAISE:  # its coaches may make it kudos, in one click
            coaches = coaching.coaches_of(session, team_id=pace.team_id, coachee_id=person.user_id)
            out += [messages.coach_praise(fb, c) for c in coaches if c != person.user_id]
    return fb


class Settler:
    """Settles a workspace's ratings on the work queue soon after they arrive: one task per
    workspace at a time, however many requests kick it (a burst is settled in batches)."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps
        self._lock = threading.Lock()
        self._wanted: set[str] = set()
        self._running: set[str] = set()
        self._capped: set[tuple[str, str]] = set()  # (agent, their day): told enough

    def kick(self, team_id: str) -> None:
        if self._deps.work.queued:  # the split shape: the web process only answers and records;
            return  # the workers' ``ratings_settle`` job settles (within its minute)
        with self._lock:
            self._wanted.add(team_id)
            if team_id in self._running:
                return
            self._running.add(team_id)
        if not self._deps.work.submit(lambda: self._run(team_id), on_error=self._failed(team_id)):
            with self._lock:  # the queue is full: the job settles them within a minute
                self._running.discard(team_id)

    def _failed(self, team_id: str) -> Callable[[Exception], None]:
        def on_error(_err: Exception) -> None:
            with self._lock:
                self._running.discard(team_id)

        return on_error

    def _run(self, team_id: str) -> None:
        while True:
            with self._lock:
                if team_id not in self._wanted:
                    self._running.discard(team_id)
                    return
                self._wanted.discard(team_id)
            time.sleep(SETTLE_PAUSE)  # let a burst gather: fewer, fuller batches
            while self._batch(team_id):
                pass

    def _batch(self, team_id: str) -> bool:
        """One batch, then a rest as long as it took: settling takes at most half of this
        process's time, so the webhook's answers (on the same interpreter) stay fast while a
        burst lasts; the backlog is settled once it ends. True: more may be waiting."""
        began = time.monotonic()
        done = settle(self._deps, team_id, capped=self._capped)
        time.sleep(max(SETTLE_PAUSE, time.monotonic() - began))
        return sum(done.values()) >= SETTLE_BATCH and not done.get("waiting")


# The daily digest ------------------------------------------------------------------------------


def send_digests(deps: Deps, at: datetime) -> Counter[str]:
    """To each agent with ratings they were not told of (more than their own DMs of a day):
    one digest a day, at ``DIGEST_HOUR`` in their time zone."""
    counts: Counter[str] = Counter()
    with deps.db.read() as session:
        people = store.untold_people(session)
    for team_id, user_id in people:
        if deps.not_sending(team_id):
            continue
        try:
            person = deps.directory.person(team_id=team_id, user_id=user_id, now=at)
        except Exception as err:  # Slack trouble: tomorrow's digest, or the next run, tells them
            log.warning("rating digest waits: %s", err)
            continue
        local = at.astimezone(person.zone)
        if local.hour < ids.DIGEST_HOUR:
            continue
        counts[_digest(deps, team_id, user_id, local.date().isoformat(), at)] += 1
    return counts


def _digest(deps: Deps, team_id: str, user_id: str, day: str, at: datetime) -> str:
    with deps.db.write() as session:
        rows = store.untold(session, team_id=team_id, teammate_id=user_id)
        if not rows:
            return "nothing"
        sent = send_once(
            session,
            deps.outbox,
            lambda: messages.digest(user_id, rows),
            key=f"{ids.RatingKind.DIGEST}:{team_id}:{user_id}:{day}",
            team_id=team_id,
            kind=ids.RatingKind.DIGEST,
            target=user_id,
            due_at=at,
            at=at,
        )
        if sent is None:
            return "already"
        store.mark_told(session, team_id=team_id, row_ids=_ids(rows), now=at)
    deps.deliverer.kick()
    return "digests"


def _ids(rows: Sequence[CustomerFeedback]) -> list[int]:
    return [r.id for r in rows if r.id is not None]
