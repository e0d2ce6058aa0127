"""Every value in every table: what the privacy tests scan for a person's id."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import inspect, text

from storage.db import Database


def every_value(db: Database) -> Iterator[tuple[str, str, Any]]:
    """(table, column, value) for every value in every table."""
    names = inspect(db.engine).get_table_names()
    with db.engine.connect() as conn:
        for table in names:
            for row in conn.execute(text(f'SELECT * FROM "{table}"')).mappings():
                for column, value in row.items():
                    if value is not None:
                        yield table, column, value


def where_found(db: Database, needle: str) -> list[tuple[str, str]]:
    """(table, column) of every value holding ``needle``."""
    return sorted({(t, c) for t, c, v in every_value(db) if needle in str(v)})
