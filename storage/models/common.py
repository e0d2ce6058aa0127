"""What every table module shares: 64-bit ids and UTC timestamp columns."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Integer

from storage.types import UtcDateTime

# 64-bit ids on PostgreSQL; SQLite only auto-increments a plain INTEGER PRIMARY KEY.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def utc_column(nullable: bool = False, index: bool = False) -> Column:
    return Column(UtcDateTime(), nullable=nullable, index=index)
