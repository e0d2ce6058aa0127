"""Export and erasure of one person, straight through the use cases: what an export holds (and
never holds), and that an erased person's id is left in no column of any table."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest
from sqlmodel import select

from bot.deps import Deps
from bot.privacy import ids
from bot.privacy.service import erase_person, export_person, subject_key
from bot.sandbox.server import FakeSlack
from storage import kudos as ledger
from storage.db import Database
from storage.models import Erasure, Feedback, Kudos, OutboxRow, WorkspaceConfig
from storage.models.work import WorkItem
from tests.bot.privacy.seed import ANA, AT, BEN, BEN_TO_CY, CY, CY_GOAL, T, give, seed
from tests.db_scan import where_found
from tests.handlers.conftest import deps_alone


@pytest.fixture
def deps(slack: FakeSlack, db: Database) -> Iterator[Deps]:
    seed(db)
    yield from deps_alone(slack, db)


def test_an_export_holds_the_persons_data_and_nothing_private_of_others(deps: Deps) -> None:
    export = export_person(deps, T, ANA)
    data = json.loads(export.json_bytes)
    assert set(data) == set(export.data)
    assert {k["reason"] for k in data["kudos_received"]} == {
        "Ben thanks Ana for calming a caller",
        "Cy thanks Ana, then took it back",
    }
    assert [k["revoked"] for k in data["kudos_received"]] == [False, True]
    assert [k["recipient_id"] for k in data["kudos_given"]] == [BEN]
    assert [g["what"] for g in data["goals"]] == ["Ana's goal: learn the billing tool"]
    assert [c["progress"] for c in data["checkins"]] == [f"{ANA} progress"]
    assert [f["situation"] for f in data["feedback_received"]] == ["Ben to Ana: great tone"]
    assert [f["situation"] for f in data["feedback_given"]] == ["Ana to Ben: clear notes"]
    assert [r["topic"] for r in data["feedback_requests_made"]] == [f"{ANA} asks {BEN}"]
    assert [r["topic"] for r in data["feedback_requests_to_you"]] == [f"{BEN} asks {ANA}"]
    assert [c["text"] for c in data["customer_feedback_about_you"]] == ["Ana was wonderful"]
    assert [p["coachee_id"] for p in data["coaching"]] == [ANA]
    assert data["celebration_dates"][0]["month"] == 3 and data["celebration_preferences"]
    assert data["setting_changes_you_made"] and "anonymous" in data["about"]["suggestions"]
    # Nothing private of anyone else: Ben's feedback to Cy, Cy's goal, what was said about Cy.
    blob = export.json_bytes.decode() + export.csv_bytes.decode()
    for secret in (BEN_TO_CY, CY_GOAL, f"{CY} progress", "Cy's private complaint", "Cy was rude"):
        assert secret not in blob
    rows = list(csv.DictReader(io.StringIO(export.csv_bytes.decode())))
    assert [(r["direction"], r["revoked"]) for r in rows] == [
        ("received", ""),
        ("received", "yes"),
        ("given", ""),
    ]


def test_erasure_leaves_the_id_in_no_column_of_any_table(deps: Deps) -> None:
    assert where_found(deps.db, ANA)  # the scan does see Ana before
    erased = erase_person(deps, T, ANA, requested_by=None, why=ids.SELF)
    assert where_found(deps.db, ANA) == []
    assert erased.removed["kudos"] == 2 and erased.removed["goal"] == 1
    assert erased.removed["outbox"] == 1  # the DM that waited for her
    with deps.db.read() as s:
        [record] = s.exec(select(Erasure)).all()
        assert record.subject_key == subject_key(deps, T, ANA) and record.requested_by is None
        # What others hold stays: Ben's and Cy's goals, Ben's feedback to Cy, Cy's kudos.
        assert s.exec(select(Feedback).where(Feedback.situation == BEN_TO_CY)).one()
        config = s.get(WorkspaceConfig, T)
        assert config is not None and config.admins_csv == BEN
        post = s.exec(select(OutboxRow).where(OutboxRow.payload.contains("C0KUDOS"))).one()  # type: ignore[attr-defined]
        assert "someone who has left Bravo gave kudos" in json.loads(post.payload)["text"]
    # Erasing again finds nothing more, and says it was done before.
    again = erase_person(deps, T, ANA, requested_by=BEN, why=ids.ADMIN)
    assert again.already and again.removed == {}


def test_kudos_received_leave_the_counts_and_given_ones_stay_unnamed(deps: Deps) -> None:
    with deps.db.read() as s:
        before = {r.user_id: r.count for r in ledger.leaderboard(s, T)}
    assert before == {ANA: 1, BEN: 1, CY: 1}
    erase_person(deps, T, ANA, requested_by=None, why=ids.SELF)
    with deps.db.read() as s:
        after = {r.user_id: r.count for r in ledger.leaderboard(s, T)}
        assert after == {BEN: 1, CY: 1}
        assert ledger.totals(s, team_id=T, user_id=ANA).received == 0
        assert ledger.received_count(s, team_id=T, user_id=BEN) == 1
        [to_ben] = s.exec(select(Kudos).where(Kudos.recipient_id == BEN)).all()
        assert to_ben.giver_id == "erased" and to_ben.reason == "Ana thanks Ben for the handover"
        [to_cy] = s.exec(select(Kudos).where(Kudos.recipient_id == CY)).all()
        assert to_cy.reason == "Ben thanks Cy for pairing with someone who has left Bravo"
        [given] = s.exec(select(Feedback).where(Feedback.recipient_id == BEN)).all()
        assert given.giver_id == "erased"
        # Ben gave Ana one kudos: he is no longer counted as having given it (the totals match
        # the ledger); his kudos to Cy still counts
        assert ledger.totals(s, team_id=T, user_id=BEN).given == 1
        assert ledger.totals(s, team_id=T, user_id=CY).given == 0  # Cy's was taken back


def test_erasure_rewrites_whole_ids_only_and_the_erasure_log_too(deps: Deps) -> None:
    with deps.db.write() as s:
        give(s, T, BEN, "UANA2", f"Ben thanks UANA2, not <@{ANA}|ana>, and uana too", AT)
    erase_person(deps, "T0SANDBOX", "UGONE", requested_by=ANA, why=ids.ADMIN)
    erase_person(deps, T, ANA, requested_by=None, why=ids.SELF)
    assert where_found(deps.db, ANA) == [  # UANA2 is someone else: left as it is
        ("kudos", "reason"),
        ("kudos", "recipient_id"),
        ("kudos_tally", "user_id"),
        ("kudos_total", "user_id"),
        ("milestone", "user_id"),
    ]
    with deps.db.read() as s:
        [to_other] = s.exec(select(Kudos).where(Kudos.recipient_id == "UANA2")).all()
        assert to_other.reason == ("Ben thanks UANA2, not someone who has left Bravo, and uana too")
        assert {e.requested_by for e in s.exec(select(Erasure))} == {"erased", None}


def test_erasure_drops_the_requests_waiting_for_a_worker_that_name_them(deps: Deps) -> None:
    with deps.db.write() as s:
        for who in (ANA, BEN):
            body = json.dumps({"user_id": who, "text": f"<@{who}> for the handover"})
            s.add(WorkItem(team_id=T, body=body, created_at=AT))
    erased = erase_person(deps, T, ANA, requested_by=None, why=ids.SELF)
    assert erased.removed["work_item"] == 1
    with deps.db.read() as s:
        [left] = s.exec(select(WorkItem)).all()
        assert BEN in left.body  # Ben's request still waits for a worker
