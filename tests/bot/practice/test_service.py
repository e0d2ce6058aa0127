"""Practice use cases on the real databases: a round from scenario to rating, what is refused
and leaves nothing half-saved, replays, who may see a round, the streak, the weekday plan's
times, and what a coach's digest learns (counts and skills, never the reply)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import func, select

from bot.deps import Deps
from bot.errors import error_text
from bot.practice import ids, service
from bot.practice.errors import (
    AlreadyRatedError,
    ChecksError,
    NoPlanError,
    NotAskedError,
    NoteError,
    PlanGapError,
    RaterError,
    ReplyError,
    RoundDoneError,
    RoundNotFoundError,
    UnknownSkillError,
)
from bot.sandbox.server import FakeSlack
from bot.work import Replayed
from storage.db import Database
from storage.models import OutboxRow
from storage.models.practice import PracticePlan, PracticeRating, PracticeRound, RoundStatus
from tests.handlers.conftest import deps_alone

T, OTHER_TEAM = "T0SANDBOX", "T0ELSE"
ANA, BEN, CY, COACH = "UANA", "UBEN", "UCY", "UCOCO"
REPLY = "I'm so sorry you were charged twice <@UBEN> <!channel>; the refund goes out today."


@pytest.fixture
def deps(slack: FakeSlack, db: Database) -> Iterator[Deps]:
    slack.add_user(COACH, "coco")
    yield from deps_alone(slack, db)


def outbox(deps: Deps, kind: str) -> list[OutboxRow]:
    with deps.db.read() as s:
        return list(s.exec(select(OutboxRow).where(OutboxRow.kind == kind)).all())


def count(deps: Deps, model: object) -> int:
    with deps.db.read() as s:
        return int(s.exec(select(func.count()).select_from(model)).one())  # type: ignore[arg-type]


def get(deps: Deps, round_id: int | None) -> PracticeRound:
    with deps.db.read() as s:
        row = s.get(PracticeRound, round_id)
        assert row is not None
        return row


def answered(deps: Deps, key: str = "command:1") -> PracticeRound:
    sent = service.practise(deps, team_id=T, user_id=ANA, skill="empathy", key=key)
    rid = sent.round.id or 0
    service.answer(deps, team_id=T, round_id=rid, actor_id=ANA, reply=REPLY, key=f"r:{key}")
    return get(deps, rid)


def assessed(deps: Deps, raters: tuple[str, ...] = (BEN,), key: str = "command:1") -> int:
    rid = answered(deps, key).id or 0
    service.assess(
        deps,
        team_id=T,
        round_id=rid,
        actor_id=ANA,
        checks=(0, 2),
        note="slow down",
        raters=raters,
        key=f"a:{key}",
    )
    return rid


# A round ---------------------------------------------------------------------------------------


def test_practise_sends_the_skills_scenario_by_dm_once_per_request(deps: Deps) -> None:
    sent = service.practise(deps, team_id=T, user_id=ANA, skill="empathy", key="command:1")
    with pytest.raises(Replayed):
        service.practise(deps, team_id=T, user_id=ANA, skill="empathy", key="command:1")
    assert sent.round.skill == "empathy" and sent.round.status == RoundStatus.SENT
    assert count(deps, PracticeRound) == 1
    [dm] = outbox(deps, ids.SCENARIO_DM)
    payload = json.loads(dm.payload)
    assert payload["channel"] == ANA and sent.scenario.title in json.dumps(payload)


def test_without_a_skill_a_scenario_not_seen_yet_comes_next(deps: Deps) -> None:
    keys = [
        service.practise(deps, team_id=T, user_id=ANA, skill=None, key=f"command:{n}").scenario.key
        for n in range(4)
    ]
    assert len(set(keys)) == 4


def test_an_unknown_skill_says_which_was_meant_and_sends_nothing(deps: Deps) -> None:
    with pytest.raises(UnknownSkillError) as err:
        service.practise(deps, team_id=T, user_id=ANA, skill="empaty", key="command:1")
    assert "Did you mean `empathy`" in error_text(err.value)
    with pytest.raises(UnknownSkillError) as err:
        service.practise(deps, team_id=T, user_id=ANA, skill="histroy", key="command:2")
    assert "Did you mean `history`" in error_text(err.value)
    with pytest.raises(UnknownSkillError) as err:
        service.practise(deps, team_id=T, user_id=ANA, skill="<@UBEN>" * 9000, key="command:3")
    words = error_text(err.value)
    assert "<@UBEN>" not in words and len(words) < 600
    assert count(deps, PracticeRound) == 0 and not outbox(deps, ids.SCENARIO_DM)


def test_an_empty_or_overlong_reply_is_refused_and_nothing_is_saved(deps: Deps) -> None:
    rid = service.practise(deps, team_id=T, user_id=ANA, skill=None, key="c").round.id or 0
    for reply in ("", "   \n ", "x" * 40_000, "y" * (ids.MAX_REPLY + 1)):
        with pytest.raises(ReplyError):
            service.answer(deps, team_id=T, round_id=rid, actor_id=ANA, reply=reply, key=None)
    row = get(deps, rid)
    assert row.reply is None and row.status == RoundStatus.SENT
    service.answer(deps, team_id=T, round_id=rid, actor_id=ANA, reply="z" * ids.MAX_REPLY, key=None)
    assert get(deps, rid).status == RoundStatus.ANSWERED


def test_only_the_owner_answers_or_skips_their_round(deps: Deps) -> None:
    rid = service.practise(deps, team_id=T, user_id=ANA, skill=None, key="c").round.id or 0
    for user in (BEN, COACH):
        with pytest.raises(RoundNotFoundError):
            service.answer(deps, team_id=T, round_id=rid, actor_id=user, reply=REPLY, key=None)
        with pytest.raises(RoundNotFoundError):
            service.skip(deps, team_id=T, round_id=rid, actor_id=user, key=None)
    with pytest.raises(RoundNotFoundError):
        service.answer(deps, team_id=OTHER_TEAM, round_id=rid, actor_id=ANA, reply=REPLY, key=None)
    assert get(deps, rid).status == RoundStatus.SENT
    service.skip(deps, team_id=T, round_id=rid, actor_id=ANA, key=None)
    with pytest.raises(RoundDoneError):
        service.answer(deps, team_id=T, round_id=rid, actor_id=ANA, reply=REPLY, key=None)


def test_assessing_counts_the_practice_and_asks_the_raters(deps: Deps) -> None:
    rid = assessed(deps, raters=(BEN, COACH))
    row = get(deps, rid)
    assert row.status == RoundStatus.ASSESSED and json.loads(row.self_checks or "") == [0, 2]
    asks = outbox(deps, ids.RATE_ASK_DM)
    assert sorted(json.loads(a.payload)["channel"] for a in asks) == [BEN, COACH]
    shown = json.dumps([json.loads(a.payload) for a in asks])
    assert "charged twice" in shown and "<@UBEN>" not in shown and "<!channel>" not in shown
    [result] = outbox(deps, ids.RESULT_DM)
    assert json.loads(result.payload)["channel"] == ANA
    with deps.db.read() as s:
        plan = s.get(PracticePlan, (T, ANA))
        assert plan is not None and plan.streak == 1 and not plan.active


@pytest.mark.parametrize(
    ("raters", "why"),
    [
        ((ANA,), "self"),
        (("UROBOT",), "bot"),
        (("UGONE",), "deactivated"),
        ((BEN, CY, COACH, "UX"), "many"),
    ],
)
def test_a_bad_rater_refuses_the_whole_assessment(
    deps: Deps, raters: tuple[str, ...], why: str
) -> None:
    rid = answered(deps).id or 0
    with pytest.raises(RaterError) as err:
        service.assess(
            deps,
            team_id=T,
            round_id=rid,
            actor_id=ANA,
            checks=(0,),
            note="",
            raters=raters,
            key="a",
        )
    assert err.value.why == why
    assert get(deps, rid).status == RoundStatus.ANSWERED
    assert count(deps, PracticeRating) == 0 and not outbox(deps, ids.RATE_ASK_DM)


def test_checks_not_on_the_checklist_or_a_long_note_save_nothing(deps: Deps) -> None:
    rid = answered(deps).id or 0
    with pytest.raises(ChecksError):
        service.assess(
            deps, team_id=T, round_id=rid, actor_id=ANA, checks=(7,), note="", raters=(), key="a"
        )
    with pytest.raises(NoteError) as err:
        service.assess(
            deps,
            team_id=T,
            round_id=rid,
            actor_id=ANA,
            checks=(0,),
            note="n" * 40_000,
            raters=(),
            key="b",
        )
    assert "500" in error_text(err.value)
    assert get(deps, rid).status == RoundStatus.ANSWERED and get(deps, rid).self_checks is None


def test_an_assessment_replayed_asks_each_rater_once(deps: Deps) -> None:
    rid = answered(deps).id or 0
    args = dict(team_id=T, round_id=rid, actor_id=ANA, checks=(0,), note="", raters=(BEN,))
    service.assess(deps, key="view:V1", **args)  # type: ignore[arg-type]
    with pytest.raises(Replayed):
        service.assess(deps, key="view:V1", **args)  # type: ignore[arg-type]
    with pytest.raises(RoundDoneError):
        service.assess(deps, key="view:V2", **args)  # type: ignore[arg-type]
    assert count(deps, PracticeRating) == 1 and len(outbox(deps, ids.RATE_ASK_DM)) == 1


# Ratings and who sees what ---------------------------------------------------------------------


def test_only_a_rater_who_was_asked_rates_once(deps: Deps) -> None:
    rid = assessed(deps, raters=(BEN,))
    for user, team in ((CY, T), (COACH, T), (ANA, T), (BEN, OTHER_TEAM)):
        with pytest.raises(NotAskedError):
            service.rate_form(deps, team_id=team, round_id=rid, rater_id=user)
        with pytest.raises(NotAskedError):
            service.rate(
                deps, team_id=team, round_id=rid, rater_id=user, checks=(1,), note="", key=None
            )
    with deps.db.read() as s:
        assert [r.status for r in s.exec(select(PracticeRating)).all()] == ["asked"]
    service.rate(
        deps, team_id=T, round_id=rid, rater_id=BEN, checks=(1,), note="<!here> good", key=None
    )
    with pytest.raises(AlreadyRatedError):
        service.rate(deps, team_id=T, round_id=rid, rater_id=BEN, checks=(), note="", key=None)
    [told] = outbox(deps, ids.RATED_DM)
    payload = json.loads(told.payload)
    assert payload["channel"] == ANA and "<!here>" not in json.dumps(payload)


PRIVACY = [  # (viewer, team, sees the round, ratings shown)
    (ANA, T, True, {BEN, CY}),
    (BEN, T, True, {BEN}),
    (CY, T, True, {CY}),
    (COACH, T, False, set()),  # the coach, not asked
    ("UDEV", T, False, set()),
    (ANA, OTHER_TEAM, False, set()),
]


@pytest.mark.parametrize(("viewer", "team", "sees", "ratings"), PRIVACY)
def test_who_sees_a_practice_reply(
    deps: Deps, viewer: str, team: str, sees: bool, ratings: set[str]
) -> None:
    from storage.models import CoachPairing

    with deps.db.write() as s:
        s.add(
            CoachPairing(
                team_id=T,
                coach_id=COACH,
                coachee_id=ANA,
                status="active",
                requested_at=deps.clock(),
            )
        )
    rid = assessed(deps, raters=(BEN, CY))
    if not sees:
        with pytest.raises(RoundNotFoundError):
            service.shown_round(deps, team_id=team, round_id=rid, viewer_id=viewer)
        return
    shown = service.shown_round(deps, team_id=team, round_id=rid, viewer_id=viewer)
    assert shown.round.reply == REPLY
    assert {r.rater_id for r in shown.ratings} == ratings


def test_the_coachs_digest_learns_counts_and_skills_never_the_reply(deps: Deps) -> None:
    from bot.coaching.digest import digest_for
    from bot.coaching.render import coach_digest
    from storage.models import CoachPairing

    with deps.db.write() as s:
        s.add(
            CoachPairing(
                team_id=T,
                coach_id=COACH,
                coachee_id=ANA,
                status="active",
                requested_at=deps.clock(),
            )
        )
    assessed(deps, raters=())
    assessed(deps, raters=(), key="command:2")  # another empathy round (the one scenario again)
    with deps.db.read() as s:
        week = digest_for(s, team_id=T, coach_id=COACH, now=deps.clock() + timedelta(hours=1))
    [ana] = week
    assert ana.practice == service.PracticeWeek(2, ("empathy",))
    shown = json.dumps(coach_digest(COACH, week, deps.clock().date()))
    assert "Practised 2 times this week (empathy)" in shown
    assert "charged twice" not in shown and "slow down" not in shown


# The streak and the plan -----------------------------------------------------------------------


def test_the_streak_grows_once_a_day(deps: Deps) -> None:
    clock = deps.clock
    assessed(deps, raters=(), key="c1")
    assessed(deps, raters=(), key="c2")
    clock.at += timedelta(days=1)  # type: ignore[attr-defined]
    assessed(deps, raters=(), key="c3")
    with deps.db.read() as s:
        plan = s.get(PracticePlan, (T, ANA))
        assert plan is not None and (plan.streak, plan.best_streak) == (2, 2)


def test_a_plan_runs_at_the_local_time_on_weekdays(deps: Deps) -> None:
    # The clock: Monday 23 Nov 2026, 15:00 UTC = 10:00 in New York (Ana's zone).
    plan = service.set_plan(deps, team_id=T, user_id=ANA, minute=9 * 60, skill="empathy", key=None)
    assert plan.next_at == datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
    assert (plan.tz, plan.skill, plan.active) == ("America/New_York", "empathy", True)
    with pytest.raises(UnknownSkillError):
        service.set_plan(deps, team_id=T, user_id=ANA, minute=540, skill="empaty", key=None)
    service.stop_plan(deps, team_id=T, user_id=ANA, key=None)
    with pytest.raises(NoPlanError):
        service.stop_plan(deps, team_id=T, user_id=ANA, key=None)


def test_a_time_the_clocks_skip_on_a_weekday_is_refused_with_the_day(
    deps: Deps, slack: FakeSlack
) -> None:
    slack.add_user("UEGY", "nour", tz="Africa/Cairo")  # clocks go 00:00 -> 01:00 on a Friday
    with pytest.raises(PlanGapError) as err:
        service.set_plan(deps, team_id=T, user_id="UEGY", minute=30, skill=None, key=None)
    words = error_text(err.value)
    assert "00:30" in words and "2027-04-30" in words and "daylight saving" in words
    assert count(deps, PracticePlan) == 0
    plan = service.set_plan(deps, team_id=T, user_id="UEGY", minute=90, skill=None, key=None)
    assert plan.tz == "Africa/Cairo" and plan.active


def test_gap_day_finds_only_weekday_gaps() -> None:
    start = datetime(2026, 11, 23).date()
    ny, berlin, cairo = (ZoneInfo(z) for z in ("America/New_York", "Europe/Berlin", "Africa/Cairo"))
    assert service.gap_day(9 * 60, ny, start) is None
    assert service.gap_day(2 * 60 + 30, ny, start) is None  # 14 Mar 2027: a Sunday
    assert service.gap_day(2 * 60 + 30, berlin, start) is None  # 28 Mar 2027: a Sunday
    assert service.gap_day(30, cairo, start) == datetime(2027, 4, 30).date()
    assert service.gap_day(60, cairo, start) is None  # 01:00 exists (the first after the gap)
