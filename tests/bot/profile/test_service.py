"""The skill profile: each source counted in its window and not outside it, the direction rule,
who may see a profile, the coaches toggle, the chart, and a cost that ignores history."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import event

from bot.deps import Deps
from bot.errors import error_text
from bot.profile import chart
from bot.profile.errors import ProfileNotShared
from bot.profile.service import (
    Average,
    Count,
    Direction,
    Scores,
    count_direction,
    mean_direction,
    profile_for_viewer,
    profile_of,
    set_shared_with_coaches,
    shared_with_coaches,
)
from storage.db import Database
from storage.models import CoachPairing
from tests.bot.profile import history as h
from tests.bot.profile.history import TEAM

DAY = timedelta(days=1)


@contextmanager
def counting(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)


def seed_ana(deps: Deps, db: Database) -> None:
    """UANA's signals, each source inside the recent window, the previous one and outside."""
    now = deps.clock()
    for n, (ago, values) in enumerate(
        [
            (1, "empathy"),
            (2, "empathy,communication"),
            (89, "empathy"),
            (100, "empathy"),
            (200, "empathy"),  # too old
            (3, "not-a-skill"),
        ]
    ):
        h.kudos(db, "UANA", now - ago * DAY, values, n)
    h.kudos(db, "UBEN", now - DAY, "empathy", 99)  # someone else's
    h.add(
        db,
        [
            h.feedback("UANA", now - 10 * DAY, "empathy", 1),
            h.feedback("UANA", now - 120 * DAY, "empathy", 2),
            h.feedback("UANA", now - 400 * DAY, "empathy", 3),
            h.feedback("UANA", now - 5 * DAY, "communication", 4),
            h.feedback("UBEN", now - 5 * DAY, "empathy", 5),
            h.customer("UANA", now - 3 * DAY, "praise", 5, 1),
            h.customer("UANA", now - 100 * DAY, "complaint", 2, 2),
            h.customer("UANA", now - 300 * DAY, "praise", 4, 3),
            h.customer("UBEN", now - 3 * DAY, "complaint", 1, 4),
        ],
    )
    h.review(db, "UANA", now - 7 * DAY, {"empathy": 4, "communication": None}, 1)
    h.review(db, "UANA", now - 150 * DAY, {"empathy": 2}, 2)
    h.review(db, "UANA", now - 500 * DAY, {"empathy": 1}, 3)
    h.review(db, "UBEN", now - 7 * DAY, {"empathy": 1}, 4)
    h.practice(db, "UANA", now - 4 * DAY, "empathy", 1, ratings=2)
    h.practice(db, "UANA", now - 4 * DAY, "empathy", 2, status="sent")  # not done
    h.practice(db, "UANA", now - 95 * DAY, "empathy", 3)
    h.practice(db, "UANA", now - 300 * DAY, "communication", 4)
    h.practice(db, "UBEN", now - 4 * DAY, "empathy", 5)


def test_each_source_is_counted_in_its_window_only(deps: Deps, db: Database) -> None:
    seed_ana(deps, db)
    profile = profile_of(deps, TEAM, "UANA", deps.clock())
    skills = {s.skill: s for s in profile.skills}
    assert list(skills) == list(deps.config(TEAM).kudos.values)  # every skill, in order
    empathy, communication = skills["empathy"], skills["communication"]
    assert empathy.kudos == Count(recent=3, previous=1)
    assert communication.kudos == Count(recent=1, previous=0)
    assert empathy.feedback == Count(1, 1) and communication.feedback == Count(1, 0)
    assert empathy.reviews == Scores(Average(1, 4.0), Average(1, 2.0))
    assert communication.reviews == Scores()  # "not applicable" is no score
    assert empathy.practice == Count(1, 1) and empathy.practice_ratings == Count(2, 0)
    assert communication.practice == Count(0, 0)
    assert profile.customer.praise == Count(1, 0)
    assert profile.customer.complaints == Count(0, 1)
    assert profile.customer.rating == Scores(Average(1, 5.0), Average(1, 2.0))
    assert skills["professionalism"].empty and not profile.empty


def test_an_empty_history_is_an_empty_profile(deps: Deps) -> None:
    profile = profile_of(deps, TEAM, "UCY", deps.clock())
    assert profile.empty
    assert all(s.direction == Direction.STEADY for s in profile.skills)
    assert chart.chart_png(profile) is None


@pytest.mark.parametrize(
    ("recent", "previous", "direction"),
    [
        (4, 2, Direction.STEADY),  # a couple more is chance
        (2, 0, Direction.STEADY),
        (5, 0, Direction.UP),
        (0, 5, Direction.DOWN),
        (20, 10, Direction.STEADY),  # twice as many, but within what chance gives
        (25, 10, Direction.UP),
        (10, 25, Direction.DOWN),
        (0, 0, Direction.STEADY),
    ],
)
def test_counts_change_only_beyond_noise(recent: int, previous: int, direction: str) -> None:
    assert count_direction(recent, previous) == direction


def test_averages_need_enough_scores_and_half_a_point() -> None:
    assert mean_direction(Average(3, 3.5), Average(3, 2.9)) == Direction.UP
    assert mean_direction(Average(3, 2.9), Average(3, 3.5)) == Direction.DOWN
    assert mean_direction(Average(3, 3.3), Average(3, 2.9)) == Direction.STEADY  # 0.4
    assert mean_direction(Average(2, 4.0), Average(9, 1.0)) == Direction.STEADY  # too few
    assert mean_direction(Average(5, 4.0), Average(0, None)) == Direction.STEADY


def test_a_skill_moves_with_kudos_and_reviews_not_feedback_or_practice(
    deps: Deps, db: Database
) -> None:
    now = deps.clock()
    for n in range(6):
        h.kudos(db, "UANA", now - (n + 1) * DAY, "empathy", n)  # 6 against 0: up
    for n in range(3):
        h.review(db, "UANA", now - (n + 1) * DAY, {"empathy": 1, "communication": 4}, n)
        h.review(db, "UANA", now - (100 + n) * DAY, {"empathy": 1, "communication": 2}, 10 + n)
    h.add(db, [h.feedback("UANA", now - (100 + n) * DAY, "professionalism", n) for n in range(9)])
    skills = {s.skill: s for s in profile_of(deps, TEAM, "UANA", now).skills}
    assert skills["empathy"].direction == Direction.UP  # kudos up, scores unchanged
    assert skills["communication"].direction == Direction.UP  # scores 2 -> 4
    assert skills["professionalism"].feedback.direction == Direction.DOWN
    assert skills["professionalism"].direction == Direction.STEADY  # feedback moves no skill
    for n in range(3):
        h.review(db, "UANA", now - (n + 1) * DAY, {"empathy": 1}, 20 + n)
        h.review(db, "UANA", now - (100 + n) * DAY, {"empathy": 4}, 30 + n)
    skills = {s.skill: s for s in profile_of(deps, TEAM, "UANA", now).skills}
    assert skills["empathy"].reviews.direction == Direction.DOWN
    assert skills["empathy"].direction == Direction.STEADY  # kudos up, scores down: mixed


# Who may see a profile --------------------------------------------------------------------------


def test_who_may_see_a_profile(deps: Deps, db: Database) -> None:
    now = deps.clock()
    seed_ana(deps, db)
    h.pairing(db, "UBEN", "UANA", "active", now)
    h.pairing(db, "UEND", "UANA", "ended", now)
    h.pairing(db, "UPEND", "UANA", "pending", now)
    h.pairing(db, "UANA", "UCY", "active", now)  # Ana coaches Cy: no way into Cy's either
    other = CoachPairing(
        team_id="T0OTHER", coach_id="UOTHER", coachee_id="UANA", status="active", requested_at=now
    )
    h.add(db, [other])  # a pairing in another workspace

    def sees(viewer: str) -> bool:
        try:
            profile = profile_for_viewer(deps, TEAM, viewer, "UANA", now)
        except ProfileNotShared as err:
            assert "UANA" in error_text(err)
            return False
        assert profile.user_id == "UANA"
        return True

    admin = "UADMIN"
    deps = replace(deps, settings=replace(deps.settings, admins=(admin,)))
    assert admin in deps.config(TEAM).admins
    assert shared_with_coaches(deps, team_id=TEAM, user_id="UANA") is False
    assert sees("UANA")
    assert not sees("UBEN")  # an active coach, but Ana has not shared it
    set_shared_with_coaches(deps, team_id=TEAM, user_id="UANA", on=True)
    assert shared_with_coaches(deps, team_id=TEAM, user_id="UANA") is True
    assert sees("UANA") and sees("UBEN")
    for viewer in ("UEND", "UPEND", "UCY", admin, "UOTHER", "UGIVER"):
        assert not sees(viewer), viewer
    with pytest.raises(ProfileNotShared):  # Ana's choice covers her profile, not Cy's
        profile_for_viewer(deps, TEAM, "UANA", "UCY", now)
    set_shared_with_coaches(deps, team_id=TEAM, user_id="UANA", on=False)
    assert not sees("UBEN")  # taken back at once


def test_the_choice_is_per_workspace(deps: Deps, db: Database) -> None:
    set_shared_with_coaches(deps, team_id="T0OTHER", user_id="UANA", on=True)
    h.pairing(db, "UBEN", "UANA", "active", deps.clock())
    assert not shared_with_coaches(deps, team_id=TEAM, user_id="UANA")
    with pytest.raises(ProfileNotShared):
        profile_for_viewer(deps, TEAM, "UBEN", "UANA", deps.clock())


# The chart, and the cost --------------------------------------------------------------------------


def test_the_chart_is_a_deterministic_png(deps: Deps, db: Database) -> None:
    seed_ana(deps, db)
    profile = profile_of(deps, TEAM, "UANA", deps.clock())
    png = chart.chart_png(profile)
    assert png is not None and png.startswith(b"\x89PNG\r\n\x1a\n")
    assert chart.chart_png(profile) == png
    assert "#empathy: 3 (before: 1)" in chart.alt_text(profile)


def five_years(db: Database, user: str, now: Any, per_week: int) -> None:
    for week in range(5 * 52):
        at = now - (week * 7 + 1) * DAY
        for i in range(per_week):
            h.kudos(db, user, at - i * timedelta(minutes=5), "empathy,communication", week * 9 + i)
    h.add(db, [h.feedback(user, now - (7 * w + 1) * DAY, "empathy", w) for w in range(260)])
    h.add(db, [h.customer(user, now - (7 * w + 1) * DAY, "praise", 4, w) for w in range(260)])
    for w in range(0, 260, 4):
        h.review(db, user, now - (7 * w + 2) * DAY, {"empathy": 3, "communication": 2}, w)
        h.practice(db, user, now - (7 * w + 3) * DAY, "empathy", w, ratings=1)
        helps = [(f"UREADER{i}", now - (7 * w + 1) * DAY) for i in range(3)]
        h.lesson(db, user, posted=now - (7 * w + 4) * DAY, helps=helps)


def test_cost_does_not_grow_with_history(deps: Deps, db: Database) -> None:
    now = deps.clock()
    h.kudos(db, "UBEN", now - DAY, "empathy", 1)
    with counting(db) as small:
        profile_of(deps, TEAM, "UBEN", now)
    five_years(db, "UANA", now, 2)
    with counting(db) as big:
        profile = profile_of(deps, TEAM, "UANA", now)
    assert len(big) == len(small)
    assert len([s for s in big if "GROUP BY" in s]) == 6  # one grouped read per source
    assert profile.skills[0].kudos.recent == 13 * 2  # thirteen weeks in the last 90 days


def test_the_reads_use_their_indexes(deps: Deps, db: Database) -> None:
    """On SQLite, every table is searched through an index by the person and a date range, never
    scanned (PostgreSQL's plans are printed by bench/profile.py)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the query plans are checked on SQLite; PostgreSQL's in the benchmark")
    with counting(db) as seen:
        profile_of(deps, TEAM, "UANA", deps.clock())
    reads = [s for s in seen if "GROUP BY" in s]
    with db.engine.connect() as conn:
        for statement in reads:
            args = tuple("x" for _ in range(statement.count("?")))
            steps = [
                str(r[-1]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, args)
            ]
            tables = [d for d in steps if d.startswith(("SCAN", "SEARCH"))]
            assert tables and all(d.startswith("SEARCH") for d in tables), steps
            assert all("INDEX" in d for d in tables), steps
            person = ("user_id=?", "recipient_id=?", "agent_id=?", "teammate_id=?", "author_id=?")
            assert any(p in tables[0] for p in person) and "<?" in tables[0], steps


def test_the_window_edges(deps: Deps, db: Database) -> None:
    """Recent: from 90 days ago (included) to now (included); before: the 90 days before that.
    Kudos count by UTC day: today and the 89 days before it are recent."""
    now = deps.clock()
    edges = [now, now - 90 * DAY, now - 90 * DAY - timedelta(seconds=1), now - 180 * DAY]
    edges.append(now - 180 * DAY - timedelta(seconds=1))  # out
    h.add(db, [h.feedback("UANA", at, "empathy", n) for n, at in enumerate(edges)])
    for n, days in enumerate((0, 89, 90, 179, 180)):
        h.kudos(db, "UANA", now - days * DAY, "empathy", n)
    [empathy] = [s for s in profile_of(deps, TEAM, "UANA", now).skills if s.skill == "empathy"]
    assert empathy.feedback == Count(recent=2, previous=2)
    assert empathy.kudos == Count(recent=2, previous=2)


@given(st.integers(0, 10_000), st.integers(0, 10_000))
def test_the_count_rule_is_symmetric_and_ignores_small_changes(a: int, b: int) -> None:
    up, down = count_direction(a, b), count_direction(b, a)
    assert {up, down} in ({Direction.STEADY}, {Direction.UP, Direction.DOWN})
    if abs(a - b) < 3:
        assert up == Direction.STEADY
    if up == Direction.UP:
        assert count_direction(a + 1, b) == Direction.UP  # more of it stays up
