"""A home shows one person's own things: another person's feedback, goals, requests, kudos and
dates never appear in it, and a coach's home shows no more of a coachee than their names."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.deps import Deps
from bot.home.service import build_home
from storage.db import Database
from storage.models import PersonDate
from tests.bot.home.history import TEAM, feedback, goal, kudos, pairing, request

SECRET = "SECRET"


def seen_by(deps: Deps, user: str) -> str:
    return json.dumps(build_home(deps, TEAM, user), ensure_ascii=False)


@pytest.fixture
def others_things(deps: Deps, db: Database) -> None:
    """UBEN and UCY's own things, each marked with the word SECRET."""
    now = deps.clock() - timedelta(hours=1)
    with db.write() as session:
        session.add(feedback("UBEN", "UCY", f"{SECRET} fb ben to cy", now))
        shared = feedback("UCY", "UBEN", f"{SECRET} fb shared with coach", now, 1)
        shared.shared_with_coach = True
        session.add(shared)
        session.add(feedback("UCY", "UBEN", f"{SECRET} fb not shared", now, 2))
        session.add(request("UBEN", "UCY", f"{SECRET} request ben asks cy", now))
        session.add(request("UCY", "UBEN", f"{SECRET} request cy asks ben", now))
        for visibility in ("private", "coach", "public"):
            session.add(goal("UBEN", f"{SECRET} {visibility} goal", now, visibility=visibility))
        session.add(kudos("UBEN", "UCY", now, f"{SECRET} kudos between others"))
        session.add(
            PersonDate(
                team_id=TEAM, user_id="UBEN", kind="birthday", month=7, day=7, updated_at=now
            )
        )


@pytest.mark.usefixtures("others_things")
def test_a_bystander_sees_nothing_of_others(deps: Deps) -> None:
    body = seen_by(deps, "UANA")
    assert SECRET not in body
    assert "7 Jul" not in body
    assert "<@UBEN>" not in body and "<@UCY>" not in body


@pytest.mark.usefixtures("others_things")
def test_a_coach_sees_their_coachee_named_and_nothing_private(deps: Deps, db: Database) -> None:
    now = deps.clock()
    with db.write() as session:
        session.add(pairing("UANA", "UBEN", "active", now))
        session.add(pairing("UANA", "UCY", "pending", now))
    body = seen_by(deps, "UANA")
    assert "You coach:* <@UBEN>" in body
    assert "your offer to <@UCY>" in body
    assert SECRET not in body


@pytest.mark.usefixtures("others_things")
def test_a_person_sees_their_own_and_no_one_elses(deps: Deps) -> None:
    ben = seen_by(deps, "UBEN")
    assert "fb shared with coach" in ben and "fb not shared" in ben  # received: theirs
    assert "request cy asks ben" in ben and "request ben asks cy" in ben  # to and by them
    assert "private goal" in ben
    assert "fb ben to cy" not in ben  # what they gave is the recipient's
    cy = seen_by(deps, "UCY")
    assert not any(f"{v} goal" in cy for v in ("private", "coach", "public"))
    assert "fb shared with coach" not in cy and "fb not shared" not in cy
