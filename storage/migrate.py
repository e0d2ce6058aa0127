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
