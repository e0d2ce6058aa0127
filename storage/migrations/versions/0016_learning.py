"""learning: lessons, who they helped, training, and the lessons' full-text index

Revision ID: 0016_learning
Revises: 0015_one_on_ones
Create Date: 2026-12-03 17:30:00

Lessons people learned (``lesson``), each "This helped me" (``lesson_help``), training people
took (``training``), and whether a person's coaches see that training
(``user_pref.learning_to_coaches``).

Search: on SQLite an FTS5 table over the lesson's text (``lesson_fts``, external content, kept
by three triggers; an update that does not change the text leaves the index alone); on
PostgreSQL an expression GIN index (``lesson_fts_search``) over the same text. Neither is
described by a model (``storage.migrate.include_name`` keeps them out of autogenerate).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0016_learning"
down_revision: str | None = "0015_one_on_ones"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Utc = storage.types.UtcDateTime
Str = sqlmodel.sql.sqltypes.AutoString
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

# The text a lesson is found by (the same expression in storage.learning's PostgreSQL query).
PG_DOCUMENT = "to_tsvector('english', learned || ' ' || what_happened)"

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE lesson_fts USING fts5(learned, what_happened, content='lesson',"
    " content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER lesson_fts_insert AFTER INSERT ON lesson BEGIN"
    " INSERT INTO lesson_fts(rowid, learned, what_happened)"
    " VALUES (new.id, new.learned, new.what_happened); END",
    "CREATE TRIGGER lesson_fts_delete AFTER DELETE ON lesson BEGIN"
    " INSERT INTO lesson_fts(lesson_fts, rowid, learned, what_happened)"
    " VALUES ('delete', old.id, old.learned, old.what_happened); END",
    "CREATE TRIGGER lesson_fts_update AFTER UPDATE OF learned, what_happened ON lesson BEGIN"
    " INSERT INTO lesson_fts(lesson_fts, rowid, learned, what_happened)"
    " VALUES ('delete', old.id, old.learned, old.what_happened);"
    " INSERT INTO lesson_fts(rowid, learned, what_happened)"
    " VALUES (new.id, new.learned, new.what_happened); END",
]


def upgrade() -> None:
    op.create_table(
        "lesson",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("team_id", Str(length=32), nullable=False),
        sa.Column("author_id", Str(length=32), nullable=False),
        sa.Column("added_by", Str(length=32), nullable=False),
        sa.Column("learned", sa.Text(), nullable=False),
        sa.Column("what_happened", sa.Text(), nullable=False),
        sa.Column("skill", Str(length=64), nullable=True),
        sa.Column("link", Str(length=1000), nullable=True),
        sa.Column("origin", Str(length=16), nullable=False),
        sa.Column("visibility", Str(length=16), nullable=False),
        sa.Column("posted_channel", Str(length=32), nullable=True),
        sa.Column("posted_at", Utc(timezone=True), nullable=True),
        sa.Column("source_channel", Str(length=32), nullable=True),
        sa.Column("source_ts", Str(length=32), nullable=True),
        sa.Column("helped_count", sa.Integer(), nullable=False),
        sa.Column("request_key", Str(length=64), nullable=True),
        sa.Column("created_at", Utc(timezone=True), nullable=False),
        sa.Column("updated_at", Utc(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "request_key"),
        sa.UniqueConstraint("team_id", "source_channel", "source_ts"),
    )
    with op.batch_alter_table("lesson", schema=None) as batch_op:
        batch_op.create_index("ix_lesson_author", ["team_id", "author_id", "created_at"])
        batch_op.create_index("ix_lesson_added_by", ["team_id", "added_by", "created_at"])
        batch_op.create_index("ix_lesson_visible", ["team_id", "visibility", "helped_count"])
        batch_op.create_index("ix_lesson_posted", ["team_id", "posted_at"])

    op.create_table(
        "lesson_help",
        sa.Column("lesson_id", BigId, autoincrement=False, nullable=False),
        sa.Column("user_id", Str(length=32), nullable=False),
        sa.Column("team_id", Str(length=32), nullable=False),
        sa.Column("kudos_batch", Str(length=36), nullable=True),
        sa.Column("created_at", Utc(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("lesson_id", "user_id"),
    )
    with op.batch_alter_table("lesson_help", schema=None) as batch_op:
        batch_op.create_index("ix_lesson_help_user", ["team_id", "user_id", "created_at"])

    op.create_table(
        "training",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", Str(length=32), nullable=False),
        sa.Column("user_id", Str(length=32), nullable=False),
        sa.Column("title", Str(length=200), nullable=False),
        sa.Column("skill", Str(length=64), nullable=True),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("next_step", sa.Text(), nullable=False),
        sa.Column("link", Str(length=1000), nullable=True),
        sa.Column("goal_id", sa.Integer(), nullable=True),
        sa.Column("request_key", Str(length=64), nullable=True),
        sa.Column("created_at", Utc(timezone=True), nullable=False),
        sa.Column("updated_at", Utc(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "request_key"),
    )
    with op.batch_alter_table("training", schema=None) as batch_op:
        batch_op.create_index("ix_training_person", ["team_id", "user_id", "taken_on"])

    with op.batch_alter_table("user_pref", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "learning_to_coaches", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )

    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
    else:
        op.execute(f"CREATE INDEX lesson_fts_search ON lesson USING gin ({PG_DOCUMENT})")
    _kudos_sources(KUDOS_SOURCES + ("lesson",))


# "This helped me" thanks the author with a kudos whose source is "lesson" (KudosSource.LESSON):
# the check made by 0005 widens with the enum.
KUDOS_SOURCES = ("command", "modal", "shortcut", "reaction", "customer")


def _kudos_sources(allowed: tuple[str, ...]) -> None:
    with op.batch_alter_table("kudos", schema=None) as batch_op:
        batch_op.drop_constraint("ck_kudos_source", type_="check")
        batch_op.create_check_constraint(
            "ck_kudos_source", f"source IN ({', '.join(repr(v) for v in allowed)})"
        )


def downgrade() -> None:
    op.execute("UPDATE kudos SET source = 'command' WHERE source = 'lesson'")  # totals kept
    _kudos_sources(KUDOS_SOURCES)
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS lesson_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS lesson_fts")
    else:
        op.execute("DROP INDEX IF EXISTS lesson_fts_search")
    with op.batch_alter_table("user_pref", schema=None) as batch_op:
        batch_op.drop_column("learning_to_coaches")
    with op.batch_alter_table("training", schema=None) as batch_op:
        batch_op.drop_index("ix_training_person")
    op.drop_table("training")
    with op.batch_alter_table("lesson_help", schema=None) as batch_op:
        batch_op.drop_index("ix_lesson_help_user")
    op.drop_table("lesson_help")
    with op.batch_alter_table("lesson", schema=None) as batch_op:
        batch_op.drop_index("ix_lesson_posted")
        batch_op.drop_index("ix_lesson_visible")
        batch_op.drop_index("ix_lesson_added_by")
        batch_op.drop_index("ix_lesson_author")
    op.drop_table("lesson")
