"""A person's export and erasure cover the webhook ratings that name them: by Slack id, matched
to them, or by an email that a rating matched to them carried."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from storage import privacy
from storage.db import Database
from storage.models.ratings import RatingState, UnmatchedRating

T = "T0SANDBOX"
AT = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


def add(db: Database, key: str, **values: object) -> None:
    row = {"team_id": T, "rating": 4, "comment": key, "source": "zendesk", "dedupe_key": key}
    with db.write() as s:
        s.add(UnmatchedRating.model_validate({**row, "created_at": AT, **values}))


def test_export_and_erasure_cover_the_ratings_naming_the_person(sqlite_db: Database) -> None:
    db = sqlite_db
    add(db, "by id", agent_slack_id="UANA", state=RatingState.UNMATCHED)
    add(db, "matched", agent_email="ana@help.example", state=RatingState.MATCHED, matched_to="UANA")
    add(db, "same email", agent_email="ana@help.example", state=RatingState.UNMATCHED)
    add(db, "ben's", agent_slack_id="UBEN", state=RatingState.UNMATCHED)
    add(db, "someone else's", agent_email="x@help.example", state=RatingState.UNMATCHED)
    with db.read() as s:
        data = privacy.person_data(s, team_id=T, user_id="UANA")
        other = privacy.person_data(s, team_id="T0OTHER", user_id="UANA")
    mine = sorted(r["comment"] for r in data["customer_ratings_received"])
    assert mine == ["by id", "matched", "same email"]
    assert other["customer_ratings_received"] == []
    with db.write() as s:
        removed, _ = privacy.erase(s, team_id=T, user_id="UANA")
    assert removed["unmatched_rating"] == 3
    with db.read() as s:
        left = sorted(r.comment for r in s.exec(select(UnmatchedRating)).all())
    assert left == ["ben's", "someone else's"]
