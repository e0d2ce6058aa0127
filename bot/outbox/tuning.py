"""The deliverer's timings and batch sizes, each with the reason for its value."""

from __future__ import annotations

from datetime import timedelta

MAX_BACKOFF = timedelta(minutes=30)
GIVE_UP_AFTER = timedelta(days=2)
CLAIM_FOR = timedelta(seconds=60)
# A claimed row whose sending slot is at most this far off waits in memory (still claimed, so no
# other process takes it); one due later goes back to the queue until its slot.
HOLD_FOR = 3.0
# What Slack answered is written within ANSWERS_WITHIN seconds (a group commit: the answers that
# come meanwhile share one transaction), so after a crash few rows sent but not yet written must
# be looked for in Slack (bench/crash.py: a transaction per answer cost a fifth of the throughput).
# Put-backs, which send nothing, are written in batches of WRITE_EVERY, or within WRITE_WITHIN.
ANSWERS_WITHIN = 0.1
WRITE_EVERY = 20
# Rows claimed per transaction. Small, because slots falling due while we are at the database
# wait for it: at 100 posts a second a 100-row claim would hold them back 100-150 ms.
CLAIM_BATCH = 20
MAX_HELD = 2_000
# With nothing more to claim (the queue is empty, or every workspace's pace is booked up), the
# queue is read again this often; ``kick`` (a commit that queued something) reads it at once.
LOOK_EVERY = 0.05
LOOK_BEHIND = 0.5
# Put-backs are written when WRITE_EVERY wait, or the oldest has waited this long (seconds).
WRITE_WITHIN = 0.5
LOOK_AGAIN = timedelta(seconds=30)  # Slack could not say whether a row in doubt was sent
WAKE_SLACK = 0.002  # sleep a hair past a slot, so the row is due when we look
PACING_NOTE = "waiting for a sending slot (pacing)"
PAUSED_NOTE = "waiting: Slack rate limited this workspace"
