"""The suggestion box's daily limit: a keyed count per person and day, on a real database
(SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.settings import load_settings
from bot.suggestions import service as suggestions
from bot.suggestions.errors import SuggestionLimitError
from storage.db import Database

T = "T1"


def test_the_quota_key_is_keyed_per_person_and_day() -> None:
    secret = suggestions.quota_secret(load_settings({"SLACK_SIGNING_SECRET": "s3"}))
    other = suggestions.quota_secret(load_settings({"SLACK_SIGNING_SECRET": "s4"}))
    day = date(2026, 11, 23)
    key = suggestions.quota_key(secret, team_id=T, user_id="UANA", day=day)
    assert "UANA" not in key and len(key) == 64
    assert key == suggestions.quota_key(secret, team_id=T, user_id="UANA", day=day)
    assert key != suggestions.quota_key(secret, team_id=T, user_id="UBEN", day=day)
    assert key != suggestions.quota_key(secret, team_id=T, user_id="UANA", day=day + timedelta(1))
    assert key != suggestions.quota_key(other, team_id=T, user_id="UANA", day=day)


def test_the_daily_suggestion_limit_counts_per_key(db: Database) -> None:
    day = date(2026, 11, 23)
    for _ in range(3):
        with db.write() as s:
            suggestions.count_one(s, key="k1", day=day)
    with pytest.raises(SuggestionLimitError), db.write() as s:
        suggestions.count_one(s, key="k1", day=day)
    with db.write() as s:
        suggestions.count_one(s, key="k2", day=day)
        assert suggestions.forget_old_quota(s, today=day + timedelta(days=1)) == 2
