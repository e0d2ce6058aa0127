"""Alembic migrations, run programmatically (``bravo db upgrade`` and at ``bravo run``)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

MIGRATIONS = Path(__file__).with_name("migrations")


def metadata() -> MetaData:
    import storage.models  # noqa: F401  (registers the tables)

    return SQLModel.metadata


# What the migrations make that no model describes: SQLite's FTS5 index of lessons and the
# shadow tables FTS5 keeps beside it (``lesson_fts_data``, ``_idx``, ``_docsize``, ``_config``),
# and PostgreSQL's expression index for the same search (``lesson_fts_search``).
UNMODELLED_PREFIXES = ("lesson_fts",)


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's filter: what autogenerate compares (everything but the unmodelled tables)."""
    if type_ not in ("table", "index") or name is None:
        return True
    return not name.startswith(UNMODELLED_PREFIXES)


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def revise(engine: Engine, message: str) -> None:
    """Developer helper: autogenerate a migration from the models."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.revision(config, message=message, autogenerate=True)
