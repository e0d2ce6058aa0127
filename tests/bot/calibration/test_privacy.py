"""A person's part of calibration in their export, and gone with their erasure: their
invitations and the scores they gave, never another reviewer's scores, and never the scores of
a round about the agent's own conversation."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlmodel import select

from bot.calibration import service
from bot.calibration.parse import OpenRound
from bot.deps import Deps
from bot.privacy import ids
from bot.privacy.service import erase_person, export_person
from bot.sandbox.server import FakeSlack
from storage.db import Database
from storage.models import Calibration, CalibrationReviewer, CalibrationScore, ShoutoutChannel
from tests.db_scan import where_found
from tests.handlers.conftest import deps_alone

T = "T0SANDBOX"
LEAD, BEN, CY, AGENT = "UANA", "UBEN", "UCY", "UEVE"


@pytest.fixture
def deps(slack: FakeSlack, db: Database) -> Iterator[Deps]:
    slack.add_user(AGENT, "eve")
    for built in deps_alone(slack, db):
        now = built.clock()
        with db.write() as s:
            s.add(
                ShoutoutChannel(
                    team_id=T,
                    channel_id="C0KUDOS",
                    enabled_by=LEAD,
                    creator_id=LEAD,
                    since=now,
                    updated_at=now,
                )
            )
        yield built


def scored(deps: Deps, reviewer: str, round_id: int, value: str) -> None:
    values = {
        f"sc_score:{skill}": {"input": {"selected_option": {"value": value}}}
        for skill in deps.config(T).kudos.values
    }
    done = service.submit_scores(
        deps, team_id=T, round_id=round_id, reviewer_id=reviewer, values=values
    )
    assert not isinstance(done, service.Refused)


def a_revealed_round(deps: Deps) -> int:
    asked = OpenRound("https://help.example.com/t/9", (BEN, CY), AGENT)
    opened = service.open_round(deps, team_id=T, lead_id=LEAD, asked=asked, request_key="k1")
    round_id = opened.round.id or 0
    scored(deps, BEN, round_id, "1")
    scored(deps, CY, round_id, "4")
    return round_id


def test_an_export_holds_their_invitations_and_scores_and_no_one_elses(deps: Deps) -> None:
    round_id = a_revealed_round(deps)
    ben = export_person(deps, T, BEN).data
    assert [i["calibration_id"] for i in ben["calibration_invitations"]] == [round_id]
    assert {s["score"] for s in ben["calibration_scores_you_gave"]} == {1}
    assert ben["calibration_rounds_you_led"] == []
    lead = export_person(deps, T, LEAD).data
    assert [r["id"] for r in lead["calibration_rounds_you_led"]] == [round_id]
    agent = export_person(deps, T, AGENT)
    assert [r["id"] for r in agent.data["calibration_rounds_about_you"]] == [round_id]
    assert agent.data["calibration_scores_you_gave"] == []
    assert "score" not in json.dumps(agent.data["calibration_rounds_about_you"], default=str)


def test_erasure_removes_their_scores_and_invitations_and_leaves_the_others(deps: Deps) -> None:
    round_id = a_revealed_round(deps)
    assert where_found(deps.db, BEN)
    erased = erase_person(deps, T, BEN, requested_by=None, why=ids.SELF)
    assert erased.removed["calibration_score"] == len(deps.config(T).kudos.values)
    assert erased.removed["calibration_reviewer"] == 1
    assert where_found(deps.db, BEN) == []
    with deps.db.read() as s:
        assert {r.reviewer_id for r in s.exec(select(CalibrationReviewer)).all()} == {CY}
        assert {r.reviewer_id for r in s.exec(select(CalibrationScore)).all()} == {CY}
        assert s.get(Calibration, round_id) is not None
    view = service.show_round(deps, team_id=T, round_id=round_id, viewer_id=CY)
    assert view.spread is not None and view.spread.scored == (CY,)


def test_erasing_the_lead_keeps_the_round_for_its_reviewers_naming_no_one(deps: Deps) -> None:
    round_id = a_revealed_round(deps)
    _, initial = service.agree_form(deps, team_id=T, round_id=round_id, lead_id=LEAD)
    values = {
        f"sc_score:{s.skill}": {"input": {"selected_option": {"value": str(s.score or "na")}}}
        for s in initial.scores
    }
    service.record_agreed(deps, team_id=T, round_id=round_id, lead_id=LEAD, values=values)
    erase_person(deps, T, LEAD, requested_by=None, why=ids.SELF)
    assert where_found(deps.db, LEAD) == []
    view = service.show_round(deps, team_id=T, round_id=round_id, viewer_id=CY)
    assert view.spread is not None and view.spread.audience == (BEN, CY)
    assert all(s.agreed is not None for s in view.spread.skills)  # the agreed score stays
