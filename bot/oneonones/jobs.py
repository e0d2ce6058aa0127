"""The scheduled work of one-on-ones: each prep note a few hours before its meeting (once per
meeting: ``one_on_one.prepped_for`` and the series locked, plus the outbox's dedupe key), the
coachee's "add a topic" note with it, and series moved past their meetings."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime

from bot.deps import Deps, SendCheck
from bot.oneonones import ids, rules
from bot.oneonones.service import prep_due
from storage import oneonones as store

log = logging.getLogger(__name__)
BATCH = 200  # series looked at in one run; the next run takes the rest


def run_preps(deps: Deps, at: datetime) -> Counter[str]:
    counts: Counter[str] = Counter()
    with deps.db.read() as session:
        rows = store.due(session, before=at + rules.PREP_AHEAD, now=at, limit=BATCH)
        due = [(r.team_id, r.id or 0) for r in rows]
    not_sending = SendCheck(deps, ids.JOB)
    for team_id, series_id in due:
        if not_sending(team_id):
            counts["not_installed"] += 1
            continue
        with deps.db.write() as session:
            counts[prep_due(session, deps, team_id=team_id, series_id=series_id, at=at)] += 1
    if counts:
        deps.deliverer.kick()
    return counts


def next_prep(deps: Deps, at: datetime) -> datetime | None:
    """When the next prep note falls due (or the soonest meeting passes)."""
    with deps.db.read() as session:
        soonest = store.next_at(session)
    return None if soonest is None else max(at, soonest - rules.PREP_AHEAD)
