"""Shared fixtures: databases (SQLite always, PostgreSQL when reachable), a clock, people."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, make_url, text

from bot.admins import _glances
from storage.db import Database
from storage.migrate import upgrade

PG_ADMIN_URL = os.environ.get(
    "BRAVO_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
IN_CI = os.environ.get("CI", "").lower() == "true"


def _pg_reachable() -> str | None:
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as err:  # any failure means: no PostgreSQL here
        return f"{type(err).__name__}: {str(err).splitlines()[0][:120]}"


_PG_PROBLEM: str | None = None
_PG_CHECKED = False


def pg_problem() -> str | None:
    global _PG_PROBLEM, _PG_CHECKED
    if not _PG_CHECKED:
        _PG_PROBLEM, _PG_CHECKED = _pg_reachable(), True
    return _PG_PROBLEM


def require_pg() -> None:
    problem = pg_problem()
    if problem is None:
        return
    if IN_CI:
        pytest.fail(f"CI=true but PostgreSQL at {_pg_where()} is not reachable ({problem})")
    pytest.skip(f"PostgreSQL not reachable at {_pg_where()}, skipping ({problem})")


def _pg_where() -> str:
    url = make_url(PG_ADMIN_URL)
    return f"{url.host}:{url.port or 5432}"


def create_pg_database() -> tuple[str, str]:
    """Create a fresh database for this run; returns (url, name)."""
    name = f"bravo_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name, name


def drop_pg_database(name: str) -> None:
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    require_pg()
    url, name = create_pg_database()
    yield url
    drop_pg_database(name)


@pytest.fixture
def sqlite_db(tmp_path) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    db = Database.from_url(f"sqlite:///{tmp_path / 'bravo.db'}")
    upgrade(db.engine)
    yield db
    db.dispose()


def _reset_pg(db: Database) -> None:
    from storage.migrate import metadata

    with db.engine.begin() as conn:
        names = ", ".join(f'"{t.name}"' for t in metadata().sorted_tables)
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request, tmp_path) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    """A migrated database: every test using it runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        database = Database.from_url(f"sqlite:///{tmp_path / 'bravo.db'}")
        upgrade(database.engine)
        yield database
        database.dispose()
        return
    url = request.getfixturevalue("pg_url")
    database = Database.from_url(url, pool_size=5)
    upgrade(database.engine)
    _reset_pg(database)
    yield database
    database.dispose()


NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # a Monday


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture(autouse=True)
def _forget_admin_glances() -> Iterator[None]:
    """Each test starts with no remembered glance at anyone's admin rights (bot.admins)."""
    _glances.clear()
    yield
    _glances.clear()
