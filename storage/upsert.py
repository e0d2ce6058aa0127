"""Portable INSERT ... ON CONFLICT for SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session


def _insert(session: Session, table: Any) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def add_counts(
    session: Session, model: Any, keys: dict[str, Any], increments: dict[str, int]
) -> None:
    """Insert a counter row or add to it, atomically (no read-then-write race)."""
    table = model.__table__
    stmt = _insert(session, table).values(**keys, **increments)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(keys),
        set_={name: table.c[name] + stmt.excluded[name] for name in increments},
    )
    session.execute(stmt)


def insert_ignore(session: Session, model: Any, values: dict[str, Any], keys: list[str]) -> bool:
    """Insert unless a row with the same unique ``keys`` exists; True when this call inserted."""
    table = model.__table__
    stmt = (
        _insert(session, table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=keys)
        .returning(table.c[keys[0]])
    )
    # RETURNING, not rowcount: drivers disagree on rowcount for ON CONFLICT DO NOTHING.
    return session.execute(stmt).first() is not None


def upsert(session: Session, model: Any, values: dict[str, Any], keys: list[str]) -> None:
    table = model.__table__
    stmt = _insert(session, table).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=keys, set_={k: stmt.excluded[k] for k in values if k not in keys}
    )
    session.execute(stmt)
