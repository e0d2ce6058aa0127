"""The words of /bravo ratings unmatched: one rating or several, said as such."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.ratings.render import unmatched_message
from storage.models import UnmatchedRating

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def row(n: int) -> UnmatchedRating:
    return UnmatchedRating(
        id=n,
        team_id="T1",
        agent_email=f"sam{n}@example.com",
        rating=5,
        source="zendesk",
        dedupe_key=f"k{n}",
        state="unmatched",
        created_at=NOW,
    )


def test_one_rating_and_several_are_counted_in_words() -> None:
    assert "1 customer rating names someone" in unmatched_message([row(1)], 1)["text"]
    several = unmatched_message([row(1), row(2)], 2)
    assert "2 customer ratings name someone" in several["text"]
    assert "(s)" not in json.dumps(several)
