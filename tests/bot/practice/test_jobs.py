"""The weekday plan's job on the real databases: a scenario at the person's local time, once;
weekends and daylight-saving changes; days away (Slack status, ``/goal away``) skipped without
breaking the streak; a planned scenario left undone breaks it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from bot.deps import Deps
from bot.practice import ids, service
from bot.practice.jobs import next_practice, run_practice_plans
from bot.sandbox.server import FakeSlack
from storage import goals as goal_store
from storage import users as user_store
from storage.db import Database
from storage.models import OutboxRow
from storage.models.practice import PracticePlan, PracticeRound, RoundStatus
from tests.handlers.conftest import deps_alone

T = "T0SANDBOX"
ANA = "UANA"  # America/New_York
MONDAY_9 = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)  # Monday 30 Nov 2026, 09:00 in New York


@pytest.fixture
def deps(slack: FakeSlack, db: Database) -> Iterator[Deps]:
    yield from deps_alone(slack, db)


def plan_of(deps: Deps) -> PracticePlan:
    with deps.db.read() as s:
        row = s.get(PracticePlan, (T, ANA))
        assert row is not None
        return row


def rounds(deps: Deps) -> list[PracticeRound]:
    with deps.db.read() as s:
        return list(s.exec(select(PracticeRound).order_by(PracticeRound.id)).all())  # type: ignore[arg-type]


def scenario_dms(deps: Deps) -> int:
    with deps.db.read() as s:
        return len(s.exec(select(OutboxRow).where(OutboxRow.kind == ids.SCENARIO_DM)).all())


def planned(deps: Deps, at: datetime, minute: int = 9 * 60) -> PracticePlan:
    deps.clock.at = at  # type: ignore[attr-defined]
    return service.set_plan(deps, team_id=T, user_id=ANA, minute=minute, skill="empathy", key=None)


def do_practice(deps: Deps, row: PracticeRound, at: datetime) -> None:
    deps.clock.at = at  # type: ignore[attr-defined]
    rid = row.id or 0
    service.answer(deps, team_id=T, round_id=rid, actor_id=ANA, reply="Sorry!", key=None)
    service.assess(
        deps, team_id=T, round_id=rid, actor_id=ANA, checks=(0,), note="", raters=(), key=None
    )


def test_a_plan_sends_one_scenario_at_the_local_time_and_moves_to_the_next_weekday(
    deps: Deps,
) -> None:
    plan = planned(deps, MONDAY_9 - timedelta(hours=3))
    assert plan.next_at == MONDAY_9
    assert next_practice(deps, MONDAY_9) == MONDAY_9
    assert run_practice_plans(deps, MONDAY_9 - timedelta(minutes=1))["sent"] == 0
    assert run_practice_plans(deps, MONDAY_9)["sent"] == 1
    assert run_practice_plans(deps, MONDAY_9)["sent"] == 0  # a second run: nothing more
    [row] = rounds(deps)
    assert row.planned and row.skill == "empathy" and row.status == RoundStatus.SENT
    assert scenario_dms(deps) == 1
    assert plan_of(deps).next_at == MONDAY_9 + timedelta(days=1)


def test_the_same_slot_run_by_a_late_second_process_sends_nothing_twice(deps: Deps) -> None:
    planned(deps, MONDAY_9 - timedelta(hours=3))
    run_practice_plans(deps, MONDAY_9)
    with deps.db.write() as s:  # as if another process still saw the plan due
        row = s.get(PracticePlan, (T, ANA))
        assert row is not None
        row.next_at = MONDAY_9
        s.add(row)
    counts = run_practice_plans(deps, MONDAY_9 + timedelta(minutes=1))
    assert counts["already_sent"] == 1 and scenario_dms(deps) == 1


def test_weekends_are_skipped(deps: Deps) -> None:
    friday_9 = MONDAY_9 + timedelta(days=4)
    planned(deps, friday_9 - timedelta(hours=1))
    run_practice_plans(deps, friday_9)
    assert plan_of(deps).next_at == MONDAY_9 + timedelta(days=7)


def test_daylight_saving_keeps_the_local_time(deps: Deps) -> None:
    # New York springs forward on Sunday 14 March 2027: 09:00 is 14:00 UTC before, 13:00 after.
    friday = datetime(2027, 3, 12, 14, 0, tzinfo=UTC)
    planned(deps, friday - timedelta(hours=1))
    run_practice_plans(deps, friday)
    assert plan_of(deps).next_at == datetime(2027, 3, 15, 13, 0, tzinfo=UTC)


def test_a_planned_scenario_left_undone_breaks_the_streak(deps: Deps) -> None:
    planned(deps, MONDAY_9 - timedelta(hours=1))
    run_practice_plans(deps, MONDAY_9)
    do_practice(deps, rounds(deps)[0], MONDAY_9 + timedelta(hours=1))
    assert plan_of(deps).streak == 1
    tuesday, wednesday = MONDAY_9 + timedelta(days=1), MONDAY_9 + timedelta(days=2)
    run_practice_plans(deps, tuesday)  # not done
    assert plan_of(deps).streak == 1
    run_practice_plans(deps, wednesday)
    plan = plan_of(deps)
    assert (plan.streak, plan.best_streak) == (0, 1)
    assert [r.status for r in rounds(deps)] == ["assessed", "dropped", "sent"]


def test_practice_another_way_that_day_is_no_miss(deps: Deps) -> None:
    planned(deps, MONDAY_9 - timedelta(hours=1))
    run_practice_plans(deps, MONDAY_9)
    own = service.practise(deps, team_id=T, user_id=ANA, skill=None, key="command:x").round
    do_practice(deps, own, MONDAY_9 + timedelta(hours=2))
    run_practice_plans(deps, MONDAY_9 + timedelta(days=1))
    assert plan_of(deps).streak == 1


@pytest.mark.parametrize("how", ["status", "goal_away"])
def test_a_day_away_sends_nothing_and_keeps_the_streak(deps: Deps, how: str) -> None:
    planned(deps, MONDAY_9 - timedelta(hours=1))
    run_practice_plans(deps, MONDAY_9)
    do_practice(deps, rounds(deps)[0], MONDAY_9 + timedelta(hours=1))
    tuesday = MONDAY_9 + timedelta(days=1)
    run_practice_plans(deps, tuesday)  # sent; then Ana goes away without doing it
    with deps.db.write() as s:
        if how == "status":
            user_store.remember_status(
                s,
                team_id=T,
                user_id=ANA,
                away=True,
                text="Vacation",
                emoji=":palm_tree:",
                expires_at=tuesday + timedelta(days=2, hours=2),
                now=tuesday,
            )
        else:
            goal_store.set_away(s, team_id=T, user_id=ANA, until=date(2026, 12, 3))
    for day in (2, 3):  # Wednesday, Thursday: away
        counts = run_practice_plans(deps, MONDAY_9 + timedelta(days=day))
        assert counts["away"] == 1 and counts["sent"] == 0
    assert plan_of(deps).streak == 1
    assert [r.status for r in rounds(deps)] == ["assessed", "dropped"]
    counts = run_practice_plans(deps, MONDAY_9 + timedelta(days=4))  # Friday: back
    assert counts["sent"] == 1 and plan_of(deps).streak == 1


def test_a_stopped_plan_sends_nothing(deps: Deps) -> None:
    planned(deps, MONDAY_9 - timedelta(hours=1))
    service.stop_plan(deps, team_id=T, user_id=ANA, key=None)
    assert run_practice_plans(deps, MONDAY_9 + timedelta(days=3)) == {}
    assert not rounds(deps) and next_practice(deps, MONDAY_9) is None
