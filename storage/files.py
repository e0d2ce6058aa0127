"""Files waiting to be uploaded (``ExportFile``): add one, read it for its upload, delete it once
uploaded, and delete those left behind (an upload that was never finished)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, col, select

from storage.models import ExportFile


def add_file(
    session: Session,
    *,
    team_id: str,
    user_id: str,
    name: str,
    gzipped: bytes,
    size: int,
    now: datetime,
) -> int:
    row = ExportFile(
        team_id=team_id, user_id=user_id, name=name, gzipped=gzipped, size=size, created_at=now
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id


def file_for(session: Session, *, file_id: int, team_id: str, user_id: str) -> ExportFile | None:
    """The file, only when it holds ``user_id``'s data in ``team_id`` (None otherwise: gone,
    erased, or someone else's)."""
    return session.exec(
        select(ExportFile).where(
            col(ExportFile.id) == file_id,
            col(ExportFile.team_id) == team_id,
            col(ExportFile.user_id) == user_id,
        )
    ).first()


def delete_files(session: Session, file_ids: Iterable[int]) -> int:
    ids = list(file_ids)
    if not ids:
        return 0
    result = session.execute(delete(ExportFile).where(col(ExportFile.id).in_(ids)))
    return int(getattr(result, "rowcount", 0) or 0)


def delete_file(session: Session, *, file_id: int, team_id: str, user_id: str) -> None:
    """An upload of the file ended: it goes (only when the row was for its owner)."""
    session.execute(
        delete(ExportFile).where(
            col(ExportFile.id) == file_id,
            col(ExportFile.team_id) == team_id,
            col(ExportFile.user_id) == user_id,
        )
    )


def delete_files_before(session: Session, before: datetime) -> int:
    """Files older than ``before``: their upload ended long ago without deleting them."""
    result = session.execute(delete(ExportFile).where(col(ExportFile.created_at) < before))
    return int(getattr(result, "rowcount", 0) or 0)
