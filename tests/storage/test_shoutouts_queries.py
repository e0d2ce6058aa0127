"""The weekly post's queries are range reads and index probes (their cost follows the week)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from storage.db import Database
from storage.shoutouts import probe_statement

T = "T1"
END = datetime(2026, 11, 27, 15, tzinfo=UTC)


def plan(db: Database, sql: str, params: dict) -> str:
    with db.engine.connect() as conn:
        rows = conn.execute(text("EXPLAIN QUERY PLAN " + sql), params).all()
    return "\n".join(str(r[-1]) for r in rows)


def test_the_weeks_kudos_and_first_timer_probes_use_team_time_indexes(
    sqlite_db: Database,
) -> None:
    start = (END - timedelta(days=7)).replace(tzinfo=None)
    week = plan(
        sqlite_db,
        "SELECT id FROM kudos WHERE team_id = :t AND created_at >= :s AND created_at < :e",
        {"t": T, "s": start, "e": END.replace(tzinfo=None)},
    )
    assert "ix_kudos_team_created (team_id=? AND created_at>? AND created_at<?)" in week
    probe = plan(
        sqlite_db,
        str(probe_statement(2)),  # what recognised_before runs
        {"u0": "UA", "u1": "UB", "team": T, "before": start},
    )
    assert "ix_kudos_team_recipient_created (team_id=? AND recipient_id=? AND created_at<?)" in (
        probe
    )
    milestones = plan(
        sqlite_db,
        "SELECT id FROM milestone WHERE team_id = :t AND reached_at >= :s AND reached_at < :e",
        {"t": T, "s": start, "e": END.replace(tzinfo=None)},
    )
    assert "ix_milestone_team_reached" in milestones
