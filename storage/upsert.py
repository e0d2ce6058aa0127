"""Portable INSERT ... ON CONFLICT for SQLite and PostgreSQL."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session


def dialect_insert(session: Session, table: Any) -> Any:
    """An INSERT of ``table`` in the session's dialect (for its ON CONFLICT clauses)."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def add_counts(
    session: Session,
    model: Any,
    key_names: Sequence[str],
    counts: Mapping[tuple[Any, ...], Mapping[str, int]],
) -> None:
    """Insert counter rows or add to them, atomically (no read-then-write race), in one
    statement. Rows go in key order so concurrent transactions lock them in the same order."""
    if not counts:
        return
    table = model.__table__
    increments = list(next(iter(counts.values())))
    rows = [
        {**dict(zip(key_names, key, strict=True)), **inc} for key, inc in sorted(counts.items())
    ]
    stmt = dialect_insert(session, table).values(rows)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(key_names),
        set_={name: table.c[name] + stmt.excluded[name] for name in increments},
    )
    session.execute(stmt)


def insert_ignore(session: Session, model: Any, values: dict[str, Any], keys: list[str]) -> bool:
    """Insert unless a row with the same unique ``keys`` exists; True when this call inserted."""
    table = model.__table__
    stmt = (
        dialect_insert(session, table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=keys)
        .returning(table.c[keys[0]])
    )
    # RETURNING, not rowcount: drivers disagree on rowcount for ON CONFLICT DO NOTHING.
    return session.execute(stmt).first() is not None


def insert_returning(session: Session, model: Any, values: dict[str, Any], keys: list[str]) -> Any:
    """Insert unless a row with the same unique ``keys`` exists, in one round trip; the new row
    as a persistent ORM object, or None when it existed."""
    dialect = session.get_bind().dialect.name
    stmt = _returning_insert(dialect, model, tuple(keys))
    return session.scalars(stmt, [values]).first()


@functools.cache
def _returning_insert(dialect: str, model: Any, keys: tuple[str, ...]) -> Any:
    # Built once: composing an INSERT per row costs more than running it (measured in bench/).
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(model).on_conflict_do_nothing(index_elements=list(keys)).returning(model)


def upsert(session: Session, model: Any, values: dict[str, Any], keys: list[str]) -> None:
    table = model.__table__
    stmt = dialect_insert(session, table).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=keys, set_={k: stmt.excluded[k] for k in values if k not in keys}
    )
    session.execute(stmt)
