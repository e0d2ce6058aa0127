"""When each message may go: Slack's pace per workspace and per channel."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from storage.models import OutboxRow

# Bravo aims just under the configured pace: at exactly a workspace's limit, network jitter
# makes some posts arrive early and each 429 pauses the workspace a second or more (measured:
# 5-8 extra 429s in 10,000 posts at 100 a second).
PACE_MARGIN = 0.98
# Pacing. Slack tolerates short bursts; a small one lets a kudos post and its DMs go at once,
# and lets delivery catch up after a moment at the database without falling behind the pace.
PACING_BURST = 3
# A little over Slack's one message a second per channel, so network jitter cannot make two posts
# look closer together than that when they arrive.
CHANNEL_SPACING = 1.05
# Web API calls in flight at once: Slack takes 100-300 ms to answer, so one at a time would not
# even reach the default pace of 300 a minute; at a faster pace, more (``senders_for``).
SENDERS = 4
MAX_SENDERS = 32
SLACK_LATENCY = 0.3  # seconds: a slow answer from Slack, which the senders must keep up with


def senders_for(posts_per_minute: int) -> int:
    """Calls in flight that keep up with the pace when Slack takes ``SLACK_LATENCY`` to
    answer (at least ``SENDERS``, at most ``MAX_SENDERS``)."""
    needed = math.ceil(posts_per_minute / 60 * SLACK_LATENCY)
    return min(MAX_SENDERS, max(SENDERS, needed))


@dataclass(order=True)
class Held:
    """A claimed row waiting in memory for its slot (monotonic time); ordered by slot, so the
    deliverer keeps them in a heap."""

    slot: float
    seq: int
    row: OutboxRow = field(compare=False)
    payload: dict[str, Any] = field(compare=False)


@dataclass
class _Slot:
    team: str
    at: float
    token: bool  # a workspace token is booked too (else only the channel's turn)


class Pacer:
    """When each message may go: at most ``per_minute`` per workspace (a token bucket with a
    small ``burst``), and ``spacing`` seconds or more between two messages in one channel.

    ``admit(key, team, channel)`` answers 0.0 (go now; counted as sent) or the seconds to wait.
    A wait books that slot for ``key``: the row that comes back at its time goes, and rows asked
    about later line up behind it instead of taking its place. The bucket is kept as a theoretical
    arrival time per workspace (GCRA), which is what lets slots be booked ahead, in order. A row
    held up by its channel books only the channel's turn, so it never delays other channels.
    Times come from ``now``, monotonic seconds. Besides the booked slots, what actually goes out
    is held to the same bucket, so rows that come late (the process was busy) do not leave as
    one big burst. Pacing is per process: two processes delivering for one workspace each keep
    to the rate, so together they may go faster (Slack's 429s then slow them down).
    """

    def __init__(
        self,
        per_minute: float,
        *,
        burst: int = PACING_BURST,
        spacing: float = CHANNEL_SPACING,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        if per_minute <= 0:
            raise ValueError("per_minute must be positive")
        self.interval = 60.0 / per_minute
        self._tolerance = (max(1, burst) - 1) * self.interval
        self._spacing = spacing
        self._now = now
        self._tat: dict[str, float] = {}  # workspace -> theoretical arrival time of its next post
        self._sent_tat: dict[str, float] = {}  # the same, counting only posts that went
        self._sent: dict[tuple[str, str], float] = {}  # channel -> last time a message went
        self._turns: dict[tuple[str, str], float] = {}  # channel -> first turn nobody has booked
        self._slots: dict[int, _Slot] = {}
        self._queued: dict[str, float] = {}  # workspace -> last time promised to a waiting row
        self._pruned = -math.inf

    def admit(self, key: int, *, team: str, channel: str | None) -> float:
        now = self._now()
        self._prune(now)
        slot = self._slots.get(key)
        if slot is not None and slot.at > now:
            return slot.at - now
        where = (team, channel) if channel else None
        if where is not None:
            free = self._sent.get(where, -math.inf) + self._spacing
            if slot is None:  # rows that already booked this channel go first
                free = max(free, self._turns.get(where, -math.inf))
            if now < free:
                at = max(free, self._turns.get(where, -math.inf))
                self._turns[where] = at + self._spacing
                self._slots[key] = _Slot(team, at, token=False)
                return at - now
        if slot is None or not slot.token:
            tat = self._tat.get(team, now)
            at = max(now, tat - self._tolerance)
            self._tat[team] = max(tat, now) + self.interval
            self._slots[key] = _Slot(team, at, token=True)
            if at > now:
                if where is not None:
                    self._turns[where] = max(self._turns.get(where, -math.inf), at + self._spacing)
                return at - now
        # The slot has come; what actually goes out keeps to the bucket too.
        sent = self._sent_tat.get(team, now)
        if sent - self._tolerance > now:
            # Sending fell behind the booked slots. Rows that find the bucket full line up, an
            # interval apart: told the same time, all of them would come back together and all
            # but one be turned away again, each time (measured: 80 tries a message).
            at = max(sent - self._tolerance, self._queued.get(team, -math.inf) + self.interval)
            self._queued[team] = at
            self._slots[key] = _Slot(team, at, token=True)
            return at - now
        self._sent_tat[team] = max(sent, now) + self.interval
        self._slots.pop(key, None)
        if where is not None:
            self._sent[where] = now
        return 0.0

    def room(self, team: str, within: float) -> int:
        """How many more messages of ``team`` could be given a slot in the next ``within``
        seconds (slots already booked count as taken)."""
        now = self._now()
        first = max(now, self._tat.get(team, now) - self._tolerance)
        if first > now + within:
            return 0
        return int((now + within - first) / self.interval) + 1

    def booked(self) -> list[str]:
        """Workspaces with slots booked ahead (the others have all their room)."""
        return list(self._tat)

    def active(self) -> set[str]:
        """Workspaces whose bucket is not empty yet: slots booked ahead, or posts sent within
        the last burst. Another pacer may take one over, fresh, only once it is not here."""
        now = self._now()
        return {t for t, v in [*self._tat.items(), *self._sent_tat.items()] if v > now}

    def capacity(self, within: float) -> int:
        """The most messages one workspace may be given slots for in ``within`` seconds."""
        return int(within / self.interval) + 1

    def forget(self, team: str) -> None:
        """After a 429: drop the workspace's booked slots and start its bucket afresh."""
        self._tat.pop(team, None)
        self._sent_tat.pop(team, None)
        self._queued.pop(team, None)
        self._slots = {k: s for k, s in self._slots.items() if s.team != team}
        self._turns = {w: t for w, t in self._turns.items() if w[0] != team}

    def _prune(self, now: float) -> None:
        """Forget what no longer constrains anything (once a second; 10,000 DMs leave 10,000
        channels behind). A slot nobody came for in a minute was taken by another process."""
        if now - self._pruned < 1.0:
            return
        self._pruned = now
        self._tat = {t: v for t, v in self._tat.items() if v > now}
        self._sent_tat = {t: v for t, v in self._sent_tat.items() if v > now}
        self._queued = {t: v for t, v in self._queued.items() if v > now}
        self._sent = {w: v for w, v in self._sent.items() if v + self._spacing > now}
        self._turns = {w: v for w, v in self._turns.items() if v > now}
        self._slots = {k: s for k, s in self._slots.items() if s.at > now - 60}
