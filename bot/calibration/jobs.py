"""Scheduled work for calibration: reveal every open round whose deadline has passed.

The reveal moves a round from open to revealed with a conditional update, in the transaction
that queues its DMs (each with a unique dedupe key), so a job run twice, or racing the last
reviewer's scores, reveals and sends once."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime

from bot.calibration import service
from bot.deps import NOT_SENDING, Deps
from storage import calibration as store

log = logging.getLogger(__name__)
BATCH = 200


def run_reveals(deps: Deps, at: datetime) -> Counter[str]:
    """Reveal the rounds due by ``at``. In a workspace nothing can be sent to (no token for it,
    or Bravo uninstalled there) a due round is still revealed and its agreement stored, so it
    neither stays due nor holds up the others, but no DM is queued (one log line a workspace)."""
    counts: Counter[str] = Counter()
    why: dict[str, str | None] = {}
    tried: set[int] = set()
    while True:
        with deps.db.read() as session:
            due = [d for d in store.due_rounds(session, at, BATCH) if d[1] not in tried]
        if not due:
            break
        for team_id, round_id in due:
            tried.add(round_id)
            if team_id not in why:
                why[team_id] = deps.not_sending(team_id)
                if why[team_id] is not None:
                    log.info(
                        "calibration reveals skipped in %s: %s",
                        team_id,
                        NOT_SENDING[why[team_id] or ""],
                    )
            send = why[team_id] is None
            counts[
                service.reveal_due(deps, team_id=team_id, round_id=round_id, at=at, send=send)
            ] += 1
        deps.deliverer.kick()
    return counts


def next_reveal(deps: Deps, at: datetime) -> datetime | None:
    with deps.db.read() as session:
        return store.next_deadline(session)
