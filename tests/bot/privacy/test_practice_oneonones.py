"""Practice and one-on-ones in a person's export and erasure: Ana's rounds, the ratings on them
and the ones she gave, her plan, her one-on-ones (as coachee of Ben, as coach of Cy) with their
meetings and action items. Cy's reply and Ben and Cy's one-on-one are never part of her data;
erasing her leaves Ben's and Cy's own records as they were."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlmodel import Session, col, select

from bot.deps import Deps
from bot.privacy import ids
from bot.privacy.render import forget_modal
from bot.privacy.service import erase_person, export_person
from bot.sandbox.server import FakeSlack
from storage import privacy as store
from storage.db import Database
from storage.models import SlackUser, UserPref
from storage.models.oneonones import ActionItem, Meeting, OneOnOne
from storage.models.practice import (
    PracticePlan,
    PracticeRating,
    PracticeRound,
    PracticeScenario,
    RatingStatus,
    RoundStatus,
)
from tests.bot.privacy.seed import ANA, AT, BEN, CY, T, seed
from tests.bot.privacy.test_export_files import whole_export
from tests.db_scan import where_found
from tests.handlers.conftest import deps_alone

ANA_REPLY = "Ana's reply: I hear you, let me fix the invoice"
CY_REPLY = "Cy's private reply: please hold, again"
BEN_ON_ANA = "Ben on Ana's reply: warm opening"
ANA_ON_CY = f"Ana on Cy's reply: ask what <@{CY}> can do, as <@{ANA}> would"
BEN_ON_CY = "Ben on Cy's reply: too curt"
EARLIER_ON_CY = "someone erased before on Cy's reply"
ANA_ON_CY_TOO = "Ana's second look at Cy's other reply"
BEN_ANA_NOTES = "Ben and Ana's notes: the refund backlog"
ANA_TOPICS = "Ana's topics: my handle times"
ANA_CY_NOTES = "Ana coaching Cy: notes on the night shift"
BEN_CY_NOTES = "Ben and Cy's private notes: the complaint"
CY_ITEM = "Cy's item with Ben: shadow a senior"
STATUS = "In a training"

Ids = dict[str, int]


def practice_round(s: Session, who: str, reply: str, key: str) -> int:
    row = PracticeRound(
        team_id=T,
        user_id=who,
        skill="empathy",
        scenario_key="refund-1",
        scenario=json.dumps({"customer": "I want my money back"}),
        reply=reply,
        self_checks="[0, 2]",
        self_note=f"{who}'s self note",
        status=RoundStatus.ASSESSED,
        request_key=key,
        created_at=AT,
        answered_at=AT,
        assessed_at=AT,
    )
    s.add(row)
    s.flush()
    assert row.id is not None
    return row.id


def rating(s: Session, round_id: int, rater: str, note: str = "", rated: bool = True) -> None:
    status = RatingStatus.RATED if rated else RatingStatus.ASKED
    s.add(
        PracticeRating(
            team_id=T,
            round_id=round_id,
            rater_id=rater,
            checks="[1]" if rated else None,
            note=note,
            status=status,
            asked_at=AT,
            rated_at=AT if rated else None,
        )
    )


def series(s: Session, coach: str, coachee: str, notes: str, topics: str = "") -> tuple[int, int]:
    row = OneOnOne(
        team_id=T,
        coach_id=coach,
        coachee_id=coachee,
        anchor=date(2026, 11, 16),
        next_at=AT + timedelta(days=7),
        created_by=coach,
        created_at=AT,
        updated_at=AT,
    )
    s.add(row)
    s.flush()
    assert row.id is not None
    meeting = Meeting(
        team_id=T,
        series_id=row.id,
        at=AT,
        topics=topics,
        notes=notes,
        noted_by=coach,
        noted_at=AT,
        created_at=AT,
    )
    s.add(meeting)
    s.flush()
    assert meeting.id is not None
    return row.id, meeting.id


def item(s: Session, where: tuple[int, int], owner: str, owner_id: str, text: str) -> None:
    s.add(
        ActionItem(
            team_id=T,
            series_id=where[0],
            meeting_id=where[1],
            owner=owner,
            owner_id=owner_id,
            text=text,
            created_at=AT,
            updated_at=AT,
        )
    )


def seed_coaching(db: Database) -> Ids:
    with db.write() as s:
        ana_round = practice_round(s, ANA, ANA_REPLY, "r-ana")
        rating(s, ana_round, BEN, BEN_ON_ANA)
        rating(s, ana_round, CY, rated=False)
        cy_round = practice_round(s, CY, CY_REPLY, "r-cy")
        rating(s, cy_round, ANA, ANA_ON_CY)
        rating(s, cy_round, BEN, BEN_ON_CY)
        cy_other = practice_round(s, CY, "Cy's other reply", "r-cy-2")
        rating(s, cy_other, "erased", EARLIER_ON_CY)  # a rater erased before Ana
        rating(s, cy_other, ANA, ANA_ON_CY_TOO)
        ben_round = practice_round(s, BEN, "Ben's reply", "r-ben")
        rating(s, ben_round, ANA, rated=False)  # asked of Ana, never given
        for who in (ANA, CY):
            s.add(PracticePlan(team_id=T, user_id=who, streak=3, created_at=AT, updated_at=AT))
        s.add(
            PracticeScenario(
                team_id=T,
                key="refund-1",
                skill="empathy",
                body="{}",
                updated_by=ANA,
                updated_at=AT,
            )
        )
        ben_ana = series(s, BEN, ANA, BEN_ANA_NOTES, ANA_TOPICS)
        item(s, ben_ana, "coachee", ANA, "Ana's item: read the refund policy")
        item(s, ben_ana, "coach", BEN, "Ben's follow-up for Ana")
        ana_cy = series(s, ANA, CY, ANA_CY_NOTES, "Cy's topics for Ana")
        item(s, ana_cy, "coachee", CY, "Cy's item with Ana")
        ben_cy = series(s, BEN, CY, BEN_CY_NOTES, "Cy's topics for Ben")
        item(s, ben_cy, "coachee", CY, CY_ITEM)
        ana_profile = s.get(SlackUser, (T, ANA))
        assert ana_profile is not None
        ana_profile.status_text, ana_profile.status_away = STATUS, True
        s.add(ana_profile)
        pref = s.get(UserPref, (T, ANA))
        assert pref is not None
        pref.profile_to_coaches = True
        s.add(pref)
    return {"ana_round": ana_round, "cy_round": cy_round, "cy_other": cy_other, "ben": ben_round}


@pytest.fixture
def rows(db: Database) -> Ids:
    seed(db)
    return seed_coaching(db)


@pytest.fixture
def deps(slack: FakeSlack, db: Database, rows: Ids) -> Iterator[Deps]:
    yield from deps_alone(slack, db)


def test_an_export_holds_her_practice_and_one_on_ones_and_not_others(deps: Deps, rows: Ids) -> None:
    data = export_person(deps, T, ANA).data
    [own] = data["practice_rounds"]
    assert own["reply"] == ANA_REPLY and own["self_note"] == f"{ANA}'s self note"
    # Who rated her and what they said, as the practice feature shows her; and who was asked.
    assert [(r["rater_id"], r["note"], r["status"]) for r in own["ratings"]] == [
        (BEN, BEN_ON_ANA, "rated"),
        (CY, "", "asked"),
    ]
    given = {r["round_id"]: r for r in data["practice_ratings_you_gave"]}
    assert set(given) == {rows["cy_round"], rows["cy_other"], rows["ben"]}
    assert given[rows["cy_round"]]["note"] == ANA_ON_CY
    assert given[rows["cy_round"]]["round_owner_id"] == CY
    assert [(p["user_id"], p["streak"]) for p in data["practice_plan"]] == [(ANA, 3)]
    assert [s["key"] for s in data["practice_scenarios_you_changed"]] == ["refund-1"]
    pairs = {(s["coach_id"], s["coachee_id"]) for s in data["one_on_ones"]}
    assert pairs == {(BEN, ANA), (ANA, CY)}
    assert {m["notes"] for m in data["one_on_one_meetings"]} == {BEN_ANA_NOTES, ANA_CY_NOTES}
    assert ANA_TOPICS in {m["topics"] for m in data["one_on_one_meetings"]}
    assert {i["text"] for i in data["one_on_one_action_items"]} == {
        "Ana's item: read the refund policy",
        "Ben's follow-up for Ana",
        "Cy's item with Ana",
    }
    # Her Slack status as Bravo knows it, and her choice to show her profile to her coaches.
    [profile] = data["slack_profile_cache"]
    assert profile["status_text"] == STATUS and profile["status_away"] is True
    assert [p["profile_to_coaches"] for p in data["preferences"]] == [True]
    # Never someone else's practice reply, nor another pair's one-on-one.
    blob = json.dumps(data, default=str)
    for secret in (CY_REPLY, BEN_ON_CY, EARLIER_ON_CY, BEN_CY_NOTES, CY_ITEM, "Ben's reply"):
        assert secret not in blob


def test_the_other_party_exports_the_same_one_on_one(deps: Deps) -> None:
    data = export_person(deps, T, CY).data
    assert {m["notes"] for m in data["one_on_one_meetings"]} == {ANA_CY_NOTES, BEN_CY_NOTES}
    assert BEN_ANA_NOTES not in json.dumps(data, default=str)
    assert ANA_REPLY not in json.dumps(data, default=str)  # she rated Cy, not the other way


def test_her_rounds_are_read_in_pages_and_the_export_is_the_same_as_the_whole(
    deps: Deps, rows: Ids
) -> None:
    with deps.db.write() as s:  # a longer history: rounds sharing a time, a page ends in a tie
        for n in range(6):
            practice_round(s, ANA, f'Ana\'s reply #{n}\n"quoted" ☎', f"r-ana-{n}")
        rating(s, rows["ana_round"], "UDAN", "Dan's note")
    with deps.db.read() as s:
        pages = list(store.person_rounds(s, team_id=T, user_id=ANA, page=2))
        [whole] = list(store.person_rounds(s, team_id=T, user_id=ANA, page=100))
    assert [len(p) for p in pages] == [2, 2, 2, 1]
    assert [r for p in pages for r in p] == whole
    assert [r["id"] for r in whole] == sorted(r["id"] for r in whole)  # one time: by id
    assert [len(r["ratings"]) for r in whole] == [3, 0, 0, 0, 0, 0, 0]
    export = export_person(deps, T, ANA)
    json_bytes, _ = whole_export(deps, ANA)
    assert export.json_bytes == json_bytes
    assert len(export.data["practice_rounds"]) == 7


def snapshot(db: Database) -> dict[str, list[tuple[object, ...]]]:
    with db.read() as s:
        return {
            "rounds": sorted(
                (r.id, r.user_id, r.reply, r.self_note) for r in s.exec(select(PracticeRound))
            ),
            "ratings": sorted(
                (r.id, r.round_id, r.rater_id, r.note, r.status)
                for r in s.exec(select(PracticeRating))
            ),
            "plans": sorted((p.user_id, p.streak) for p in s.exec(select(PracticePlan))),
            "series": sorted(
                (o.id, o.coach_id, o.coachee_id, o.active) for o in s.exec(select(OneOnOne))
            ),
            "meetings": sorted((m.id, m.topics, m.notes) for m in s.exec(select(Meeting))),
            "items": sorted((i.id, i.owner_id, i.text) for i in s.exec(select(ActionItem))),
        }


def test_erasure_removes_her_practice_and_one_on_ones_and_keeps_the_rest(
    deps: Deps, rows: Ids
) -> None:
    before = snapshot(deps.db)
    erased = erase_person(deps, T, ANA, requested_by=None, why=ids.SELF)
    assert where_found(deps.db, ANA) == []
    # Hers: 1 round; ratings on it (2), asked of her (1), hers where an unnamed one was (1).
    assert erased.removed["practice_round"] == 1 and erased.removed["practice_rating"] == 4
    assert erased.removed["practice_plan"] == 1
    assert erased.removed["one_on_one"] == 2 and erased.removed["one_on_one_meeting"] == 2
    assert erased.removed["action_item"] == 3
    after = snapshot(deps.db)
    assert [r[1] for r in after["rounds"]] == [CY, CY, BEN]
    assert [r for r in after["rounds"] if r[1] != ANA] == [
        r for r in before["rounds"] if r[1] != ANA
    ]
    with deps.db.read() as s:
        on_cy = s.exec(
            select(PracticeRating.rater_id, PracticeRating.note)
            .where(PracticeRating.round_id == rows["cy_round"])
            .order_by(col(PracticeRating.id))
        ).all()
        # Her finished rating stays with Cy, unnamed, its mention of her too.
        assert list(on_cy) == [
            (
                "erased",
                f"Ana on Cy's reply: ask what <@{CY}> can do, as someone who has left Bravo would",
            ),
            (BEN, BEN_ON_CY),
        ]
        on_other = s.exec(
            select(PracticeRating.rater_id, PracticeRating.note).where(
                PracticeRating.round_id == rows["cy_other"]
            )
        ).all()
        assert list(on_other) == [("erased", EARLIER_ON_CY)]  # one unnamed rater per round
        assert (
            s.exec(select(PracticeRating).where(PracticeRating.round_id == rows["ben"])).all() == []
        )
        scenario = s.get(PracticeScenario, (T, "refund-1"))
        assert scenario is not None and scenario.updated_by == "erased"
        assert s.get(SlackUser, (T, ANA)) is None and s.get(UserPref, (T, ANA)) is None
    assert after["plans"] == [(CY, 3)]
    assert [(c, e) for _, c, e, _ in after["series"]] == [(BEN, CY)]
    assert [m[2] for m in after["meetings"]] == [BEN_CY_NOTES]
    assert [i[2] for i in after["items"]] == [CY_ITEM]


def test_a_second_erasure_of_a_rater_keeps_the_unnamed_rating_alone(deps: Deps, rows: Ids) -> None:
    erase_person(deps, T, ANA, requested_by=None, why=ids.SELF)
    erase_person(deps, T, BEN, requested_by=None, why=ids.SELF)
    with deps.db.read() as s:
        on_cy = s.exec(
            select(PracticeRating.rater_id, PracticeRating.note).where(
                PracticeRating.round_id == rows["cy_round"]
            )
        ).all()
    assert list(on_cy) == [
        (
            "erased",
            f"Ana on Cy's reply: ask what <@{CY}> can do, as someone who has left Bravo would",
        )
    ]
    assert where_found(deps.db, BEN) == []
    assert snapshot(deps.db)["series"] == []  # Ben and Cy's one-on-one went with Ben


def test_a_person_without_practice_or_one_on_ones_changes_nothing_there(deps: Deps) -> None:
    before = snapshot(deps.db)
    data = export_person(deps, T, "UDAN").data
    for key in (
        "practice_rounds",
        "practice_ratings_you_gave",
        "practice_plan",
        "practice_scenarios_you_changed",
        "one_on_ones",
        "one_on_one_meetings",
        "one_on_one_action_items",
    ):
        assert data[key] == []
    erased = erase_person(deps, T, "UDAN", requested_by=None, why=ids.SELF)
    assert erased.removed == {} and erased.unnamed == 0
    assert snapshot(deps.db) == before


def test_the_forget_modal_says_what_goes_and_what_stays() -> None:
    modal = json.dumps(forget_modal(mode="self", user_id=ANA, metadata="m"))
    assert "practice rounds with the ratings on them" in modal
    assert "one-on-ones with you as coach or coachee" in modal
    assert "kudos, feedback and practice ratings you gave stay" in modal
