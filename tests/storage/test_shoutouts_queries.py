"""The weekly post's queries are range reads and index probes (their cost follows the week)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event, text

from storage.db import Database
from storage.shoutouts import most_helpful_lesson, probe_statement

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


def test_the_weeks_most_helpful_lesson_reads_the_weeks_posted_lessons(sqlite_db: Database) -> None:
    """A range read of the week's posted lessons, each one's clicks found by their key."""
    seen: list[str] = []

    def capture(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(sqlite_db.engine, "before_cursor_execute", capture)
    try:
        with sqlite_db.read() as session:
            most_helpful_lesson(
                session, team_id=T, channel_id="C1", start=END - timedelta(days=7), end=END
            )
    finally:
        event.remove(sqlite_db.engine, "before_cursor_execute", capture)
    [sql] = [s for s in seen if "lesson_help" in s]
    args = tuple("x" for _ in range(sql.count("?")))
    with sqlite_db.engine.connect() as conn:
        steps = [str(r[-1]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, args)]
    reads = [s for s in steps if s.startswith(("SCAN", "SEARCH"))]
    assert "ix_lesson_posted (team_id=? AND posted_at>? AND posted_at<?)" in reads[0], steps
    assert "lesson_help" in reads[1] and "(lesson_id=?" in reads[1], steps
    assert all(r.startswith("SEARCH") for r in reads), steps
