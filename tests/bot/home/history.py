"""Rows for a person's history, written straight to the tables (years of it in one go)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from storage.db import Database
from storage.kudos import add_kudos
from storage.models import (
    CoachPairing,
    Feedback,
    FeedbackRequest,
    Goal,
    Kudos,
    Milestone,
    PersonDate,
)

TEAM = "T0KUDOS"


def kudos(
    giver: str, recipient: str, at: datetime, reason: str = "for the calm", n: int = 0
) -> Kudos:
    return Kudos(
        team_id=TEAM,
        batch_id=f"b-{giver}-{recipient}-{n}-{at.timestamp()}",
        giver_id=giver,
        recipient_id=recipient,
        reason=reason,
        values="empathy",
        source="command",
        created_at=at,
    )


def goal(owner: str, what: str, now: datetime, **kw: object) -> Goal:
    values: dict[str, object] = {
        "team_id": TEAM,
        "owner_id": owner,
        "what": what,
        "measure": "a measure",
        "skill": "empathy",
        "target_date": date(2027, 3, 1),
        "cadence_anchor": date(2026, 11, 23),
        "next_due_at": now + timedelta(days=2),
        "created_at": now,
        "updated_at": now,
    }
    values.update(kw)
    return Goal(**values)  # type: ignore[arg-type]


def feedback(giver: str, recipient: str, text: str, at: datetime, n: int = 0) -> Feedback:
    return Feedback(
        team_id=TEAM,
        giver_id=giver,
        recipient_id=recipient,
        situation=f"situation {text}",
        behaviour=f"behaviour {text}",
        impact=f"impact {text}",
        skill="empathy",
        fingerprint=f"fp-{giver}-{recipient}-{n}-{text}"[:64],
        created_at=at,
    )


def request(
    requester: str, giver: str, topic: str, at: datetime, status: str = "open"
) -> FeedbackRequest:
    return FeedbackRequest(
        team_id=TEAM,
        batch_id=f"r-{requester}-{giver}-{topic}"[:36],
        requester_id=requester,
        giver_id=giver,
        topic=topic,
        status=status,
        expires_at=at + timedelta(days=7),
        created_at=at,
    )


def pairing(coach: str, coachee: str, status: str, at: datetime) -> CoachPairing:
    return CoachPairing(
        team_id=TEAM, coach_id=coach, coachee_id=coachee, status=status, requested_at=at
    )


def years_of_history(db: Database, user: str, others: list[str], now: datetime, n: int) -> None:
    """``n`` kudos each way, ``n // 10`` feedback and closed requests, dozens of goals."""
    rows: list[object] = []
    ledger: list[Kudos] = []
    for i in range(n):
        at = now - timedelta(hours=6 * (i + 1))
        other = others[i % len(others)]
        ledger.append(kudos(other, user, at, f"received {i}", i))
        ledger.append(kudos(user, other, at, f"given {i}", i))
    for i in range(n // 10):
        at = now - timedelta(days=i + 1)
        other = others[i % len(others)]
        rows.append(feedback(other, user, f"fb {i}", at, i))
        rows.append(request(user, other, f"mine {i}", at, status="answered"))
        rows.append(request(other, user, f"theirs {i}", at, status="expired"))
        rows.append(goal(user, f"old goal {i}", now, status="completed"))
    for i in range(30):
        rows.append(goal(user, f"open goal {i}", now))
        rows.append(request(user, f"UP{i}", f"open mine {i}", now))
        rows.append(request(f"UP{i}", user, f"open theirs {i}", now))
        rows.append(pairing(user, f"UP{i}", "active", now))
        rows.append(pairing(f"UQ{i}", user, "pending", now))
    for i, t in enumerate((1, 10, 50, 100)):
        rows.append(
            Milestone(
                team_id=TEAM,
                user_id=user,
                kind="received",
                threshold=t,
                reached_at=now - timedelta(days=i),
            )
        )
    rows.append(
        PersonDate(team_id=TEAM, user_id=user, kind="birthday", month=4, day=9, updated_at=now)
    )
    with db.write() as session:
        add_kudos(session, ledger)  # with the tallies and totals, as the kudos room keeps them
        session.add_all(rows)
