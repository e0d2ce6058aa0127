"""Coaching pairings and what a coach may see, on a real database (SQLite, and PostgreSQL)."""

from __future__ import annotations

import pytest

from bot.coaching import errors as coaching_errors
from bot.coaching import service as coaching
from bot.goals import lifecycle
from bot.users import Person
from storage import coaching as pairings
from storage.db import Database
from tests.bot.goals.test_service import ANA, BEN, CY, MONDAY, T, new_goal, pair


def test_who_can_see_a_goal(db: Database) -> None:
    """The visibility matrix: owner, active coach, pending coach, outsider; private, shared
    with the coach, public before and after completion."""
    pair(db, coach=BEN, coachee=ANA)
    with db.write() as s:
        coaching.request_coaching(s, team_id=T, coach=CY, coachee=ANA, now=MONDAY)  # pending
    private = new_goal(db, visibility="private", what="Private: be on time")
    shared = new_goal(db, visibility="coach", what="Shared with my coach")
    public = new_goal(db, visibility="public", what="Public when done")

    def sees(viewer: str) -> set[str]:
        with db.read() as s:
            try:
                shown = coaching.goals_visible(s, team_id=T, owner_id="UANA", viewer_id=viewer)
            except coaching_errors.NotShared:
                return set()
        return {g.what for g in shown}

    assert sees("UANA") == {private.what, shared.what, public.what}
    assert sees("UBEN") == {shared.what, public.what}  # the coach
    assert sees("UCY") == set()  # asked to coach, not accepted: nothing
    assert sees("UDAN") == set()  # an outsider
    with db.write() as s:
        lifecycle.complete_goal(s, team_id=T, goal_id=public.id or 0, actor_id="UANA", now=MONDAY)
    assert sees("UDAN") == {public.what}  # everyone, once completed
    assert sees("UCY") == {public.what}
    with db.write() as s:
        row = pairings.pairing(s, team_id=T, coach_id="UBEN", coachee_id="UANA")
        assert row is not None
        coaching.end_pairing(s, team_id=T, pairing_id=row.id or 0, actor_id="UANA", now=MONDAY)
    assert sees("UBEN") == {public.what}  # an ended pairing sees no more than anyone


def test_coaching_rules(db: Database) -> None:
    with db.write() as s, pytest.raises(coaching_errors.CoachSelfError):
        coaching.request_coaching(s, team_id=T, coach=ANA, coachee=ANA, now=MONDAY)
    with db.write() as s, pytest.raises(coaching_errors.CoachPersonError):
        coaching.request_coaching(
            s, team_id=T, coach=ANA, coachee=Person("UBOT", is_bot=True), now=MONDAY
        )
    with db.write() as s:
        row = coaching.request_coaching(s, team_id=T, coach=BEN, coachee=ANA, now=MONDAY)
    with db.write() as s, pytest.raises(coaching_errors.PairingExistsError):
        coaching.request_coaching(s, team_id=T, coach=BEN, coachee=ANA, now=MONDAY)
    # only Ana can answer
    with (
        db.write() as s,
        pytest.raises(coaching_errors.PairingNotFoundError),
    ):  # only Ana can answer
        coaching.answer_request(
            s, team_id=T, pairing_id=row.id or 0, actor_id="UBEN", accept=True, now=MONDAY
        )
    with db.write() as s:
        coaching.answer_request(
            s, team_id=T, pairing_id=row.id or 0, actor_id="UANA", accept=False, now=MONDAY
        )
    with db.read() as s:
        assert pairings.coaches_of(s, team_id=T, coachee_id="UANA") == []
    with db.write() as s:  # asking again after a decline reuses the pair's row
        again = coaching.request_coaching(s, team_id=T, coach=BEN, coachee=ANA, now=MONDAY)
        assert again.id == row.id and again.status == "pending"
