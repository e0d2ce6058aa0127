"""the database checks the allowed values of statuses and kinds

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 17:30:00

Statuses and kinds stay text (readable in any SQL client, and a new value needs no type change),
but each column now accepts only the values its StrEnum in ``storage/models`` names. A new value
is added by a migration that widens the check, together with the enum.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table -> column -> allowed values, as they were on 2026-12-02
ALLOWED: dict[str, dict[str, tuple[str, ...]]] = {
    "outbox": {"status": ("pending", "sent", "failed", "cancelled")},
    "kudos": {"source": ("command", "modal", "shortcut", "reaction", "customer")},
    "milestone": {"kind": ("received", "giving_streak", "checkin_streak")},
    "goal": {
        "status": ("active", "paused", "completed", "archived"),
        "visibility": ("private", "coach", "public"),
        "cadence": ("weekdays", "weekly", "biweekly"),
    },
    "checkin_prompt": {"status": ("open", "answered", "missed", "closed")},
    "checkin": {
        "status": ("on_track", "at_risk", "blocked", "done"),
        "source": ("prompt", "note", "self"),
    },
    "coach_pairing": {"status": ("pending", "active", "declined", "ended")},
    "feedback_request": {"status": ("open", "answered", "expired")},
    "customer_feedback": {
        "kind": ("praise", "complaint"),
        "source": ("email", "chat", "phone", "survey", "review"),
    },
    "suggestion": {"status": ("open", "done")},
    "person_date": {"kind": ("birthday", "started"), "source": ("self", "import")},
    "celebration_pref": {"milestones": ("dm", "channel")},
}


def _condition(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    for table, columns in ALLOWED.items():
        with op.batch_alter_table(table) as batch:
            for column, values in columns.items():
                batch.create_check_constraint(f"ck_{table}_{column}", _condition(column, values))


def downgrade() -> None:
    for table, columns in ALLOWED.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.drop_constraint(f"ck_{table}_{column}", type_="check")
