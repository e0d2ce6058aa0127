"""Queries for the anonymous suggestion box: boxes, suggestions and the daily quota."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import update
from sqlmodel import Session, col, delete, select

from storage.models.suggestions import (
    DraftOutcome,
    Suggestion,
    SuggestionBox,
    SuggestionDraft,
    SuggestionQuota,
    SuggestionStatus,
)
from storage.upsert import insert_ignore, upsert


def box(session: Session, team_id: str) -> SuggestionBox | None:
    return session.get(SuggestionBox, team_id)


def set_box(session: Session, *, team_id: str, channel_id: str, set_by: str, now: datetime) -> None:
    values = {"team_id": team_id, "channel_id": channel_id, "set_by": set_by, "set_at": now}
    upsert(session, SuggestionBox, values, ["team_id"])


def take_quota(session: Session, key: str, day: date, limit: int) -> bool:
    """Count one more suggestion under ``key`` today; False (nothing counted) at the limit."""
    insert_ignore(session, SuggestionQuota, {"key": key, "day": day, "used": 0}, ["key"])
    result = session.execute(
        update(SuggestionQuota)
        .where(col(SuggestionQuota.key) == key, col(SuggestionQuota.used) < limit)
        .values(used=SuggestionQuota.used + 1)
    )
    return bool(getattr(result, "rowcount", 0))


def forget_quota(session: Session, before: date) -> int:
    result = session.execute(delete(SuggestionQuota).where(col(SuggestionQuota.day) < before))
    return int(getattr(result, "rowcount", 0) or 0)


def add_suggestion(session: Session, row: Suggestion) -> Suggestion:
    session.add(row)
    session.flush()
    return row


def get_suggestion(session: Session, *, team_id: str, suggestion_id: int) -> Suggestion | None:
    return session.exec(
        select(Suggestion).where(Suggestion.team_id == team_id, Suggestion.id == suggestion_id)
    ).first()


def mark_done(session: Session, suggestion_id: int, note: str, day: date) -> bool:
    result = session.execute(
        update(Suggestion)
        .where(col(Suggestion.id) == suggestion_id, col(Suggestion.status) == SuggestionStatus.OPEN)
        .values(status=SuggestionStatus.DONE, done_note=note, done_on=day)
    )
    return bool(getattr(result, "rowcount", 0))


def done_between(session: Session, team_id: str, since: date, until: date) -> list[Suggestion]:
    return list(
        session.exec(
            select(Suggestion)
            .where(Suggestion.team_id == team_id, Suggestion.status == SuggestionStatus.DONE)
            .where(col(Suggestion.hidden_at).is_(None))
            .where(col(Suggestion.done_on) >= since, col(Suggestion.done_on) < until)
            .order_by(col(Suggestion.done_on), col(Suggestion.id))
        ).all()
    )


def hide(session: Session, *, suggestion_id: int, by: str, reason: str, at: datetime) -> bool:
    """Hide a suggestion (once: False when it already was)."""
    result = session.execute(
        update(Suggestion)
        .where(col(Suggestion.id) == suggestion_id, col(Suggestion.hidden_at).is_(None))
        .values(hidden_at=at, hidden_by=by, hidden_reason=reason)
    )
    return bool(getattr(result, "rowcount", 0))


# Drafts -----------------------------------------------------------------------------------------


def add_draft(session: Session, row: SuggestionDraft) -> None:
    session.add(row)
    session.flush()


def draft(session: Session, *, team_id: str, nonce: str) -> SuggestionDraft | None:
    row = session.get(SuggestionDraft, nonce)
    return row if row is not None and row.team_id == team_id else None


def decide_draft(
    session: Session, *, team_id: str, nonce: str, day: date, outcome: DraftOutcome
) -> bool:
    """Settle a draft (a posted one's text is emptied); False when it was settled already."""
    values = {"nonce": nonce, "team_id": team_id, "text": "", "day": day}
    insert_ignore(session, SuggestionDraft, {**values, "outcome": DraftOutcome.PENDING}, ["nonce"])
    result = session.execute(
        update(SuggestionDraft)
        .where(col(SuggestionDraft.nonce) == nonce, col(SuggestionDraft.team_id) == team_id)
        .where(col(SuggestionDraft.outcome) == DraftOutcome.PENDING)
        .values(outcome=outcome, text="")
    )
    return bool(getattr(result, "rowcount", 0))


def forget_drafts(session: Session, before: date) -> int:
    result = session.execute(delete(SuggestionDraft).where(col(SuggestionDraft.day) < before))
    return int(getattr(result, "rowcount", 0) or 0)
