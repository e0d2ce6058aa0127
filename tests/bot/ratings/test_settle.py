"""After the answer: agents found by Slack id or email (or not: the rating waits for an admin),
praise or complaint, and the agent told at a calm pace (a few DMs a day, then one digest)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from bot.ratings import ids, jobs
from bot.ratings.agents import BOOK
from bot.sandbox.server import FakeSlack
from storage.db import Database
from storage.models.feedback import CustomerFeedback
from storage.models.ratings import RatingState, UnmatchedRating
from tests.bot.ratings.kit import Hooked, rating, start_hooked


@pytest.fixture
def hooked(slack: FakeSlack, sqlite_db: Database) -> Iterator[Hooked]:
    BOOK.forget()
    yield from start_hooked(slack, sqlite_db)
    BOOK.forget()


def states(hooked: Hooked) -> dict[str, tuple[str, str | None]]:
    """Each rating's comment -> (state, who it was matched to), read from the log."""
    with hooked.deps.db.read() as s:
        got = s.exec(select(UnmatchedRating).order_by(UnmatchedRating.id)).all()
        fbs = {f.id: f for f in s.exec(select(CustomerFeedback)).all()}
    return {
        (fbs[r.feedback_id].text if r.feedback_id else r.comment): (r.state, r.matched_to)
        for r in got
    }


def dms(hooked: Hooked, user: str) -> list[str]:
    calls = hooked.bravo.slack.calls("chat.postMessage", ok=True)
    return [
        c.args["text"] + json.dumps(c.args["blocks"]) for c in calls if c.args["channel"] == user
    ]


def send_all(hooked: Hooked, *bodies: dict) -> None:
    for n, body in enumerate(bodies):
        answer = hooked.post({**body, "ticket_url": f"https://help.example.com/t/{n}"})
        assert answer.status == 202, answer.body
    hooked.settle()


def test_agents_found_by_slack_id_only_when_they_are_teammates(hooked: Hooked) -> None:
    send_all(
        hooked,
        rating("UANA", comment="ana"),
        rating("UROBOT", comment="a bot"),
        rating("UGONE", comment="deactivated"),
        rating("UNOBODY1", comment="unknown"),
    )
    assert states(hooked) == {
        "ana": (RatingState.MATCHED, "UANA"),
        "a bot": (RatingState.UNMATCHED, None),
        "deactivated": (RatingState.UNMATCHED, None),
        "unknown": (RatingState.UNMATCHED, None),
    }
    assert len(dms(hooked, "UANA")) == 1
    assert not dms(hooked, "UGONE") and not dms(hooked, "UROBOT")


def test_agents_found_by_email_any_case_and_an_unknown_id_falls_back_to_it(hooked: Hooked) -> None:
    send_all(
        hooked,
        rating("Ben@Example.com", comment="ben by email"),
        rating("nobody@example.com", comment="nobody"),
        rating("gone@example.com", comment="gone by email"),
        rating("UNOBODY1", comment="id then email", agent_email="cy@example.com"),
    )
    assert states(hooked) == {
        "ben by email": (RatingState.MATCHED, "UBEN"),
        "nobody": (RatingState.UNMATCHED, None),
        "gone by email": (RatingState.UNMATCHED, None),
        "id then email": (RatingState.MATCHED, "UCY"),
    }
    lookups = hooked.bravo.slack.calls("users.lookupByEmail")
    assert {c.args["email"] for c in lookups} == {
        "ben@example.com",
        "nobody@example.com",
        "gone@example.com",
        "cy@example.com",
    }


def test_csat_and_the_middle_of_the_scale(hooked: Hooked) -> None:
    send_all(
        hooked,
        rating("UANA", rating="good", comment="good"),
        rating("UBEN", rating="bad", comment="bad"),
        rating("UCY", rating=3, comment="three"),
    )
    with hooked.deps.db.read() as s:
        got = {f.text: (f.kind, f.rating) for f in s.exec(select(CustomerFeedback)).all()}
    assert got == {
        "good": ("praise", 5),
        "bad": ("complaint", 1),
        "three": ("complaint", 3),
    }


def test_ratings_wait_while_slack_cannot_be_asked_then_the_job_settles_them(
    hooked: Hooked,
) -> None:
    # The lookup fails once; the job's try, later, does not.
    hooked.bravo.slack.fail_next("users.lookupByEmail", status=500, error="internal_error", times=1)
    send_all(hooked, rating("ana@example.com", comment="later"))
    assert states(hooked) == {"later": (RatingState.PENDING, None)}
    counts = jobs.settle_ratings(hooked.deps, hooked.deps.clock())
    assert counts["matched"] == 1
    assert states(hooked) == {"later": (RatingState.MATCHED, "UANA")}


def test_many_ratings_a_few_dms_then_one_digest_a_day(hooked: Hooked) -> None:
    """Eight ratings for Ana in one afternoon: three DMs of their own; the other five wait for
    her digest at 17:00 New York time (22:00 UTC), sent once."""
    send_all(hooked, *[rating("UANA", comment=f"number {n}", rating=4) for n in range(8)])
    own = dms(hooked, "UANA")
    assert len(own) == ids.OWN_DMS_PER_DAY
    before = datetime(2026, 11, 23, 21, 50, tzinfo=UTC)  # 16:50 in New York
    assert jobs.rating_digests(hooked.deps, before)["digests"] == 0
    at = datetime(2026, 11, 23, 22, 5, tzinfo=UTC)
    hooked.bravo.clock.at = at
    assert jobs.rating_digests(hooked.deps, at)["digests"] == 1
    assert jobs.rating_digests(hooked.deps, at)["digests"] == 0  # told: nothing left
    hooked.bravo.deliver()
    digest = dms(hooked, "UANA")[ids.OWN_DMS_PER_DAY :]
    assert len(digest) == 1
    assert "5 more" in digest[0] and all(f"number {n}" in digest[0] for n in range(3, 8))
    with hooked.deps.db.read() as s:
        assert all(f.told_at is not None for f in s.exec(select(CustomerFeedback)).all())


def test_in_the_split_shape_the_web_process_only_records_and_the_job_settles(
    slack: FakeSlack, sqlite_db: Database
) -> None:
    """``bravo run --http --queue``: the web process answers and records; settling (Slack
    lookups, the log, DMs) is the workers' ``ratings_settle`` job."""
    from bot.work import WorkQueue

    queued = WorkQueue(record=lambda _team, _body: None)
    for hooked in start_hooked(slack, sqlite_db, work=queued):
        send_all(hooked, rating("UANA", comment="split"))
        assert states(hooked) == {"split": (RatingState.PENDING, None)}
        looked_up = [c.args["user"] for c in hooked.bravo.slack.calls("users.info")]
        assert "UANA" not in looked_up  # (the admin who made the hook was asked about)
        assert jobs.settle_ratings(hooked.deps, hooked.deps.clock())["matched"] == 1
        assert states(hooked) == {"split": (RatingState.MATCHED, "UANA")}
