"""A NUL byte in what people type behaves the same on SQLite and PostgreSQL (which refuses NUL
in text): the edge drops it (``bot.text.clean``), nothing crashes, nothing with a NUL is stored.
And a suggestion that is not stored uses up none of its author's daily quota: the count is in
the suggestion's own transaction."""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import StatementError

from bot.errors import SORRY
from bot.suggestions import service as suggestions
from storage import suggestions as box_store
from storage.db import Database
from storage.migrate import metadata
from storage.models import Kudos, Suggestion, SuggestionQuota
from tests.handlers.conftest import CHANNEL, TEAM, Bravo
from tests.handlers.hostile_kit import (
    forms,
    good_values,
    one_bravo,
    settle,
    text_fields,
    tracebacks,
)

NUL_TEXT = "calm\x00ing an angry\x00 caller"


@pytest.fixture
def bravo(db: Database, tmp_path: Path) -> Iterator[Bravo]:
    """Bravo on SQLite and on PostgreSQL (skipped, with the reason, when it is not reachable),
    with a suggestion box set up."""
    for bravo in one_bravo(tmp_path, database=db, env={"BRAVO_ADMINS": "UANA"}):
        with db.write() as session:
            box_store.set_box(
                session, team_id=TEAM, channel_id=CHANNEL, set_by="UANA", now=bravo.clock()
            )
        yield bravo


def nul_stored(db: Database) -> list[str]:
    """Every stored text value that holds a NUL, as table.column."""
    found = []
    with db.engine.connect() as conn:
        for table in metadata().sorted_tables:
            for row in conn.execute(select(table)).mappings():
                found += [f"{table.name}.{k}" for k, v in row.items() if "\x00" in str(v)]
    return found


def test_a_nul_in_a_slash_command_is_dropped_on_either_database(
    bravo: Bravo, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        sent = bravo.send.slash_command(
            "UANA", "/kudos", f"<@UBEN|ben> for {NUL_TEXT}", channel_id=CHANNEL
        )
        settle(bravo)
    assert sent.status == 200
    with db.read() as session:
        assert [k.reason for k in session.exec(select(Kudos)).scalars()] == [
            "calming an angry caller"
        ]
    assert tracebacks(caplog) == [] and nul_stored(db) == []


def test_a_nul_in_any_form_field_is_dropped_on_either_database(
    bravo: Bravo, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        for name, view in forms().items():
            for block, action, _input in text_fields(view):
                values = copy.deepcopy(good_values(view))
                values[block][action]["value"] = NUL_TEXT
                answer = bravo.send.view_submission("UANA", view, values)
                settle(bravo)
                assert answer.status == 200, (name, block)
    assert tracebacks(caplog) == []
    assert nul_stored(db) == []
    assert not [c for c in bravo.slack.calls("response_url") if SORRY in str(c.args)]


def used_today(db: Database) -> int:
    with db.read() as session:
        return int(session.exec(select(func.coalesce(func.sum(SuggestionQuota.used), 0))).one()[0])


def suggestions_stored(db: Database) -> int:
    with db.read() as session:
        return int(session.exec(select(func.count()).select_from(Suggestion)).one()[0])


def test_a_suggestion_that_is_not_stored_uses_up_no_quota(bravo: Bravo, db: Database) -> None:
    # A suggestion without text fails after its count was taken (in cleaning, or in the database)
    with pytest.raises((StatementError, TypeError)):
        suggestions.post(bravo.deps, team_id=TEAM, user_id="UANA", text=cast(str, None))
    assert (used_today(db), suggestions_stored(db)) == (0, 0)
    suggestions.post(bravo.deps, team_id=TEAM, user_id="UANA", text="More plants")
    assert (used_today(db), suggestions_stored(db)) == (1, 1)


@pytest.mark.postgres
def test_postgres_refusing_a_nul_past_the_edge_uses_up_no_quota(bravo: Bravo, db: Database) -> None:
    """Past the edge (a caller that skipped ``clean``), PostgreSQL refuses the NUL: the
    suggestion is not stored and its count is rolled back with it."""
    if db.dialect != "postgresql":
        pytest.skip("SQLite stores a NUL; only PostgreSQL refuses it")
    with pytest.raises(StatementError):
        suggestions.post(bravo.deps, team_id=TEAM, user_id="UANA", text="More\x00plants")
    assert (used_today(db), suggestions_stored(db)) == (0, 0)
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar_one() == 1
