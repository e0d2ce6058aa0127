"""Review use cases and queries on the real databases: who may see whose reviews, bounded
averages, and a person's reviews in their export and gone after their erasure."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlmodel import select

from bot.deps import Deps
from bot.privacy import ids as privacy_ids
from bot.privacy.service import erase_person, export_person
from bot.reviews import service
from bot.reviews.errors import ReviewsHiddenError
from bot.sandbox.server import FakeSlack
from storage import reviews as store
from storage.db import Database
from storage.models import (
    CoachPairing,
    Review,
    ReviewScore,
    ShoutoutChannel,
    ShoutoutMember,
    TeamLead,
)
from tests.db_scan import where_found
from tests.handlers.conftest import deps_alone

T = "T0SANDBOX"
ANA, BEN, CY, LEAD, COACH, ADMIN = "UANA", "UBEN", "UCY", "ULEA", "UCOCO", "UADA"
AT = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # the deps' clock


@pytest.fixture
def deps(slack: FakeSlack, db: Database) -> Iterator[Deps]:
    slack.add_user(ADMIN, "ada", is_admin=True)
    with db.write() as s:
        s.add(
            CoachPairing(
                team_id=T, coach_id=COACH, coachee_id=ANA, status="active", requested_at=AT
            )
        )
        s.add(
            CoachPairing(team_id=T, coach_id=BEN, coachee_id=ANA, status="ended", requested_at=AT)
        )
        for channel, enabled in (("C0TEAM", True), ("C0OFF", False)):
            s.add(
                ShoutoutChannel(
                    team_id=T,
                    channel_id=channel,
                    enabled=enabled,
                    enabled_by=ANA,
                    creator_id=CY if enabled else BEN,
                    since=AT,
                    updated_at=AT,
                )
            )
            s.add(ShoutoutMember(team_id=T, channel_id=channel, user_id=ANA))
        s.add(TeamLead(team_id=T, channel_id="C0TEAM", user_id=LEAD, named_by=ADMIN, named_at=AT))
        s.add(TeamLead(team_id=T, channel_id="C0OFF", user_id=BEN, named_by=ADMIN, named_at=AT))
    yield from deps_alone(slack, db)


def add_review(
    deps: Deps,
    agent: str,
    reviewer: str,
    at: datetime,
    scores: dict[str, int | None],
    note: str = "",
) -> int:
    with deps.db.write() as s:
        row, fresh = store.insert_review(
            s,
            {
                "team_id": T,
                "agent_id": agent,
                "reviewer_id": reviewer,
                "link": "https://help.example.com/t/1",
                "outcome": "resolved",
                "went_well": f"{reviewer} liked {agent}'s tone",
                "try_next": "Summarise first",
                "status": "sent",
                "request_key": f"k:{agent}:{reviewer}:{at.isoformat()}",
                "created_at": at,
                "updated_at": at,
            },
        )
        assert fresh and row.id is not None
        store.replace_scores(
            s,
            row,
            [
                ReviewScore(
                    team_id=T,
                    review_id=row.id,
                    agent_id=agent,
                    skill=k,
                    score=v,
                    note=note,
                    created_at=at,
                )
                for k, v in scores.items()
            ],
        )
        return row.id


def test_who_may_see_an_agents_reviews(deps: Deps) -> None:
    with deps.db.read() as s:
        seen = {
            u: service.may_see(s, team_id=T, agent_id=ANA, viewer_id=u)
            for u in (ANA, COACH, LEAD, CY, BEN, ADMIN, "UFAR")
        }
    # Ana, her active coach, the named lead and the creator of her enabled team channel; not
    # Ben (his coaching ended, and he leads only a channel whose shout-outs are off), no admin.
    assert seen == {
        ANA: True,
        COACH: True,
        LEAD: True,
        CY: True,
        BEN: False,
        ADMIN: False,
        "UFAR": False,
    }


def test_the_list_averages_each_skill_over_30_and_90_days_and_refuses_others(deps: Deps) -> None:
    add_review(deps, ANA, LEAD, AT - timedelta(days=5), {"empathy": 2, "clarity": None})
    add_review(deps, ANA, COACH, AT - timedelta(days=40), {"empathy": 4, "clarity": 3})
    add_review(deps, ANA, COACH, AT - timedelta(days=100), {"empathy": 1})  # too old for both
    add_review(deps, BEN, LEAD, AT - timedelta(days=1), {"empathy": 1})  # someone else's
    found = service.list_reviews(deps, team_id=T, viewer_id=LEAD, subject_id=ANA)
    assert [(a.skill, a.average, a.scores) for a in found.last30] == [("empathy", 2.0, 1)]
    assert [(a.skill, a.average, a.scores) for a in found.last90] == [
        ("clarity", 3.0, 1),
        ("empathy", 3.0, 2),
    ]
    assert len(found.received) == 3 and found.given == []
    mine = service.list_reviews(deps, team_id=T, viewer_id=LEAD, subject_id=LEAD)
    assert len(mine.given) == 2 and mine.received == []
    for outsider in (ADMIN, BEN):
        with pytest.raises(ReviewsHiddenError):
            service.list_reviews(deps, team_id=T, viewer_id=outsider, subject_id=ANA)


def test_the_averages_read_the_agent_index(deps: Deps) -> None:
    since = AT - timedelta(days=30)
    with deps.db.read() as s:
        if s.get_bind().dialect.name != "sqlite":
            pytest.skip("the plan is checked on SQLite")
        plan = s.execute(
            text(
                "EXPLAIN QUERY PLAN SELECT skill, avg(score), count(score) FROM review_score "
                "WHERE team_id = :t AND agent_id = :a AND created_at >= :since "
                "AND score IS NOT NULL GROUP BY skill"
            ),
            {"t": T, "a": ANA, "since": since},
        ).all()
    assert "ix_review_score_agent" in " ".join(str(r) for r in plan)


def test_a_persons_reviews_are_in_their_export_and_gone_after_erasure(deps: Deps) -> None:
    received = add_review(deps, ANA, LEAD, AT, {"empathy": 3}, note=f"note for {ANA}")
    given = add_review(deps, CY, ANA, AT, {"empathy": 4})
    others = add_review(deps, CY, LEAD, AT, {"empathy": 2}, note="Lea's private note on Cy")
    data = json.loads(export_person(deps, T, ANA).json_bytes)
    assert [r["id"] for r in data["reviews_received"]] == [received]
    assert [r["id"] for r in data["reviews_given"]] == [given]
    assert data["reviews_received"][0]["scores"][0]["score"] == 3
    assert "Lea's private note on Cy" not in json.dumps(data)
    erased = erase_person(deps, T, ANA, requested_by=None, why=privacy_ids.SELF)
    assert erased.removed["review"] == 2 and erased.removed["review_score"] == 2
    assert where_found(deps.db, ANA) == []
    with deps.db.read() as s:
        assert [r.id for r in s.exec(select(Review))] == [others]
