"""A person's signals written straight to the tables, at chosen moments (years in one go)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from storage.db import Database
from storage.kudos import add_kudos
from storage.models import (
    CoachPairing,
    CustomerFeedback,
    Feedback,
    Kudos,
    Lesson,
    LessonHelp,
    PracticeRating,
    PracticeRound,
    Review,
    ReviewScore,
)

TEAM = "T0KUDOS"


def kudos(db: Database, recipient: str, at: datetime, values: str, n: int) -> None:
    row = Kudos(
        team_id=TEAM,
        batch_id=f"pk-{recipient}-{n}-{at.timestamp()}",
        giver_id="UGIVER",
        recipient_id=recipient,
        reason="for the calm",
        values=values,
        source="command",
        created_at=at,
    )
    with db.write() as session:
        add_kudos(session, [row])  # with the daily tallies, as the kudos room keeps them


def feedback(recipient: str, at: datetime, skill: str, n: int) -> Feedback:
    return Feedback(
        team_id=TEAM,
        giver_id="UGIVER",
        recipient_id=recipient,
        situation="s",
        behaviour="b",
        impact="i",
        skill=skill,
        fingerprint=f"pf-{recipient}-{n}-{at.timestamp()}"[:64],
        created_at=at,
    )


def customer(teammate: str, at: datetime, kind: str, rating: int, n: int) -> CustomerFeedback:
    return CustomerFeedback(
        team_id=TEAM,
        logged_by="UGIVER",
        teammate_id=teammate,
        kind=kind,
        rating=rating,
        source="email",
        text="thanks",
        source_ref=f"C1:{n}.{at.timestamp()}",
        created_at=at,
    )


def review(db: Database, agent: str, at: datetime, scores: dict[str, int | None], n: int) -> None:
    with db.write() as session:
        row = Review(
            team_id=TEAM,
            agent_id=agent,
            reviewer_id="UREVIEWER",
            link="https://example.com/t/1",
            outcome="resolved",
            request_key=f"rk-{agent}-{n}-{at.timestamp()}",
            created_at=at,
            updated_at=at,
        )
        session.add(row)
        session.flush()
        for skill, score in scores.items():
            session.add(
                ReviewScore(
                    team_id=TEAM,
                    review_id=row.id or 0,
                    agent_id=agent,
                    skill=skill,
                    score=score,
                    created_at=at,
                )
            )


def practice(
    db: Database,
    user: str,
    at: datetime,
    skill: str,
    n: int,
    status: str = "assessed",
    ratings: int = 0,
) -> None:
    with db.write() as session:
        row = PracticeRound(
            team_id=TEAM,
            user_id=user,
            skill=skill,
            scenario_key="k",
            scenario="{}",
            status=status,
            request_key=f"pr-{user}-{n}-{at.timestamp()}",
            created_at=at,
            assessed_at=at if status == "assessed" else None,
        )
        session.add(row)
        session.flush()
        for i in range(ratings):
            session.add(
                PracticeRating(
                    team_id=TEAM,
                    round_id=row.id or 0,
                    rater_id=f"URATER{i}",
                    status="rated",
                    asked_at=at,
                    rated_at=at,
                )
            )


def pairing(db: Database, coach: str, coachee: str, status: str, at: datetime) -> None:
    with db.write() as session:
        session.add(
            CoachPairing(
                team_id=TEAM, coach_id=coach, coachee_id=coachee, status=status, requested_at=at
            )
        )


def add(db: Database, rows: list[object]) -> None:
    with db.write() as session:
        session.add_all(rows)


def lesson(
    db: Database,
    author: str,
    *,
    posted: datetime | None,
    skill: str | None = "empathy",
    helps: Sequence[tuple[str, datetime]] = (),
    visibility: str = "team",
    created: datetime | None = None,
    team: str = TEAM,
    learned: str = "Name the feeling first",
    channel: str = "C0TEAM",
) -> int:
    """A lesson ``author`` learned, posted at ``posted`` (None: never), with "This helped me"
    clicks (who, when); its ``helped_count`` is every click, as the learning room keeps it."""
    made = created or posted
    assert made is not None
    with db.write() as session:
        row = Lesson(
            team_id=team,
            author_id=author,
            added_by=author,
            learned=learned,
            skill=skill,
            origin="command",
            visibility=visibility,
            posted_channel=channel if posted else None,
            posted_at=posted,
            helped_count=len(helps),
            created_at=made,
            updated_at=posted or made,
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        for user, at in helps:
            session.add(LessonHelp(lesson_id=row.id, user_id=user, team_id=team, created_at=at))
        return row.id
