"""The database itself refuses a status or kind that no enum names (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.models import OutboxRow, OutboxStatus

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def outbox_row(status: str) -> OutboxRow:
    return OutboxRow(
        team_id="T1",
        kind="test",
        method="chat.postMessage",
        payload="{}",
        status=status,
        created_at=NOW,
        next_attempt_at=NOW,
    )


def test_a_status_is_stored_as_its_text_and_an_unknown_one_is_refused(db: Database) -> None:
    with db.write() as session:
        session.add(outbox_row(OutboxStatus.SENT))
    with pytest.raises(IntegrityError), db.write() as session:
        session.execute(text("UPDATE outbox SET status = 'bogus'"))
    with db.read() as session:
        assert session.execute(text("SELECT status FROM outbox")).scalar_one() == "sent"


@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("outbox", "status"),
        ("kudos", "source"),
        ("milestone", "kind"),
        ("goal", "status"),
        ("goal", "visibility"),
        ("goal", "cadence"),
        ("checkin_prompt", "status"),
        ("checkin", "status"),
        ("coach_pairing", "status"),
        ("feedback_request", "status"),
        ("customer_feedback", "kind"),
        ("suggestion", "status"),
        ("person_date", "kind"),
        ("celebration_pref", "milestones"),
    ],
)
def test_each_status_and_kind_column_is_checked(db: Database, table: str, column: str) -> None:
    with db.read() as session:
        checks = inspect(session.connection()).get_check_constraints(table)
    assert f"ck_{table}_{column}" in {c["name"] for c in checks}
