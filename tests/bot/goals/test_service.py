"""Goals, check-ins and what falls due, on a real database (SQLite, and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from bot.cadence import Cadence
from bot.coaching import service as coaching
from bot.goals import checkins, lifecycle, rules
from bot.goals import errors as goal_errors
from bot.goals.due import Due, process_due
from bot.settings import GoalRules
from bot.users import Person
from storage import goals as store
from storage.db import Database
from storage.models import CheckIn, CheckInPrompt, Goal, Milestone

T = "T1"
ANA = Person("UANA", "ana", "America/New_York")
BEN = Person("UBEN", "ben", "Europe/Berlin")
CY = Person("UCY", "cy", "Asia/Tokyo")
RULES = GoalRules()
MONDAY = datetime(2026, 11, 23, 12, tzinfo=UTC)  # 07:00 in New York
SKILLS = ("empathy", "communication")


def spec(**kw: object) -> rules.GoalSpec:
    values: dict[str, object] = {
        "what": "Summarise the caller's issue before solving it",
        "measure": "QA score on listening >= 4/5",
        "skill": "empathy",
        "target_date": date(2027, 2, 1),
        "cadence": Cadence("weekly", weekday=0, minute=9 * 60 + 30),
        "visibility": "coach",
    }
    values.update(kw)
    return rules.GoalSpec(**values)  # type: ignore[arg-type]


def new_goal(db: Database, owner: Person = ANA, now: datetime = MONDAY, **kw: object) -> Goal:
    with db.write() as s:
        return lifecycle.create_goal(
            s, team_id=T, owner=owner, spec=spec(**kw), channel_id="C1", now=now
        )


def due(db: Database, goal: Goal, at: datetime, owner: Person = ANA) -> Due | None:
    with db.write() as s:
        return process_due(s, team_id=T, goal_id=goal.id or 0, owner=owner, at=at, rules=RULES)


def answer(
    db: Database,
    prompt_id: int,
    status: str = "on_track",
    actor: str = "UANA",
    at: datetime = MONDAY,
) -> checkins.CheckInResult:
    with db.write() as s:
        return checkins.record_checkin(
            s, team_id=T, actor_id=actor, goal_id=None, prompt_id=prompt_id, status=status, now=at
        )


def pair(db: Database, coach: Person = BEN, coachee: Person = ANA) -> None:
    with db.write() as s:
        row = coaching.request_coaching(s, team_id=T, coach=coach, coachee=coachee, now=MONDAY)
        coaching.answer_request(
            s, team_id=T, pairing_id=row.id or 0, actor_id=coachee.user_id, accept=True, now=MONDAY
        )


def draft(**kw: object) -> rules.GoalDraft:
    values: dict[str, object] = {
        "what": "Answer every chat within 2 minutes",
        "measure": "Median first response under 2 min",
        "skill": "empathy",
        "target_date": date(2027, 1, 1),
        "cadence": "weekly",
        "weekday": 0,
        "time_text": "09:30",
        "visibility": "coach",
    }
    values.update(kw)
    return rules.GoalDraft(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"target_date": date(2026, 11, 22)}, "target"),
        ({"target_date": date(2026, 11, 23)}, "target"),
        ({"target_date": None}, "target"),
        ({"measure": "   "}, "measure"),
        ({"what": "x"}, "what"),
        ({"what": "y" * 1001}, "what"),
        ({"time_text": "25:00"}, "time"),
        ({"skill": "juggling"}, "skill"),
        ({"cadence": "hourly"}, "cadence"),
        ({"visibility": "boss"}, "visibility"),
    ],
)
def test_bad_drafts_come_back_as_field_errors(change: dict[str, object], field: str) -> None:
    result, errs = rules.check_draft(draft(**change), skills=SKILLS, today=date(2026, 11, 23))
    assert result is None
    assert errs.get(field)


def test_a_good_draft_becomes_a_goal_due_at_the_owners_local_time(db: Database) -> None:
    result, errs = rules.check_draft(draft(), skills=SKILLS, today=date(2026, 11, 23))
    assert errs == {} and result is not None
    with db.write() as s:
        goal = lifecycle.create_goal(
            s, team_id=T, owner=ANA, spec=result, channel_id="D1", now=MONDAY
        )
    # Monday 07:00 in New York: today 09:30 New York is still ahead.
    assert goal.next_due_at == datetime(2026, 11, 23, 14, 30, tzinfo=UTC)
    assert goal.channel_id is None  # set in a DM: nowhere to celebrate publicly


def test_a_prompt_is_created_once_and_the_next_one_scheduled(db: Database) -> None:
    goal = new_goal(db)
    at = datetime(2026, 11, 23, 14, 31, tzinfo=UTC)
    first = due(db, goal, at)
    assert first is not None and first.outcome == "prompt" and first.prompt is not None
    assert first.tip is not None and first.tip.skill == "empathy"
    assert first.goal.next_due_at == datetime(2026, 11, 30, 14, 30, tzinfo=UTC)
    assert due(db, goal, at) is None  # a second run (restart, second process) does nothing
    with db.read() as s:
        assert len(s.exec(select(CheckInPrompt)).all()) == 1


def test_a_long_outage_sends_one_late_prompt_within_grace_and_none_after(db: Database) -> None:
    goal = new_goal(db, cadence=Cadence("weekdays", minute=9 * 60 + 30))
    # Down from Monday 07:00 to Thursday 10:00 NY: three due times passed; grace is 12 h.
    back = datetime(2026, 11, 26, 15, tzinfo=UTC)
    result = due(db, goal, back)
    assert result is not None and result.outcome == "late"  # Monday's, 3 days late: skipped
    assert result.goal.next_due_at is not None and result.goal.next_due_at > back
    assert due(db, goal, back) is None  # not a burst of Tuesday's and Wednesday's
    # Within grace: down 09:00-14:00 NY on Friday, the prompt goes once, late.
    goal2 = new_goal(
        db,
        owner=ANA,
        now=datetime(2026, 11, 27, 13, tzinfo=UTC),
        cadence=Cadence("weekdays", minute=9 * 60 + 30),
    )
    late = due(db, goal2, datetime(2026, 11, 27, 19, tzinfo=UTC))
    assert late is not None and late.outcome == "prompt"
    with db.read() as s:
        assert len(s.exec(select(CheckInPrompt)).all()) == 1


def test_answering_counts_the_streak_once_and_a_second_click_is_refused(db: Database) -> None:
    goal = new_goal(db)
    result = due(db, goal, datetime(2026, 11, 23, 14, 31, tzinfo=UTC))
    assert result is not None and result.prompt is not None
    done = answer(db, result.prompt.id or 0, "on_track")
    assert done.counted and done.goal.streak == 1
    with pytest.raises(goal_errors.PromptClosedError) as err:
        answer(db, result.prompt.id or 0, "at_risk")
    assert err.value.status == "answered"
    with db.read() as s:
        assert len(s.exec(select(CheckIn)).all()) == 1


def test_someone_else_cannot_answer_a_prompt(db: Database) -> None:
    goal = new_goal(db)
    result = due(db, goal, datetime(2026, 11, 23, 14, 31, tzinfo=UTC))
    assert result is not None and result.prompt is not None
    with pytest.raises(goal_errors.NotYourGoalError):
        answer(db, result.prompt.id or 0, actor="UBEN")
    with pytest.raises(goal_errors.GoalNotFoundError):
        answer(db, 999_999)
    with db.read() as s:
        assert s.exec(select(CheckIn)).all() == []


def test_missing_twice_resets_the_streak_and_alerts_a_coach_it_is_shared_with(db: Database) -> None:
    pair(db)
    shared = new_goal(db, visibility="coach")
    private = new_goal(db, visibility="private", what="A private goal of mine")
    weeks = [datetime(2026, 11, 23, 14, 31, tzinfo=UTC) + timedelta(weeks=i) for i in range(4)]
    alerts: dict[int, list[tuple[str, ...]]] = {shared.id or 0: [], private.id or 0: []}
    for at in weeks:
        for goal in (shared, private):
            r = due(db, goal, at)
            assert r is not None
            alerts[goal.id or 0].append(r.alert_coaches)
            if at == weeks[0]:
                assert r.prompt is not None
                answer(db, r.prompt.id or 0)  # week 1 answered: streak 1
    # Week 2's prompt is missed when week 3's comes due, week 3's when week 4's does.
    assert alerts[shared.id or 0] == [(), (), (), ("UBEN",)]  # the second miss in a row
    assert alerts[private.id or 0] == [(), (), (), ()]  # never told about a private goal
    with db.read() as s:
        g = s.get(Goal, shared.id)
        assert g is not None and g.streak == 0 and g.best_streak == 1 and g.missed_in_row == 2
        statuses = [p.status for p in store.open_prompts(s, shared.id or 0)]
        assert statuses == ["open"]  # only the newest is still open; the others were missed


def test_paused_goals_and_people_away_get_no_prompt_and_keep_their_streak(db: Database) -> None:
    goal = new_goal(db)
    first = due(db, goal, datetime(2026, 11, 23, 14, 31, tzinfo=UTC))
    assert first is not None and first.prompt is not None
    answer(db, first.prompt.id or 0)
    with db.write() as s:
        lifecycle.pause_goal(
            s,
            team_id=T,
            goal_id=goal.id or 0,
            owner=ANA,
            until=date(2026, 12, 6),
            now=MONDAY + timedelta(days=1),
        )
        g = s.get(Goal, goal.id)
        assert g is not None and g.next_due_at == datetime(2026, 12, 7, 14, 30, tzinfo=UTC)
    # Nothing is due during the pause; the first time after it prompts and the goal is active.
    assert due(db, goal, datetime(2026, 11, 30, 14, 31, tzinfo=UTC)) is None
    back = due(db, goal, datetime(2026, 12, 7, 14, 31, tzinfo=UTC))
    assert back is not None and back.outcome == "prompt" and back.goal.status == "active"
    assert back.goal.streak == 1 and back.missed == ()
    # Away: the vacation skips the prompt and does not count the open prompt as missed.
    with db.write() as s:
        lifecycle.set_away(
            s, team_id=T, user_id="UANA", until=date(2026, 12, 20), today=date(2026, 11, 23)
        )
    away = due(db, goal, datetime(2026, 12, 14, 14, 31, tzinfo=UTC))
    assert away is not None and away.outcome == "away" and away.goal.streak == 1
    assert [p.id for p in away.skipped] == [back.prompt.id if back.prompt else None]
    # Back from vacation: prompted again, and the prompt set aside did not count as missed.
    returned = due(db, goal, datetime(2026, 12, 21, 14, 31, tzinfo=UTC))
    assert returned is not None and returned.outcome == "prompt"
    assert returned.missed == () and returned.goal.streak == 1


def test_a_recent_check_in_of_their_own_skips_the_prompt_and_counts(db: Database) -> None:
    goal = new_goal(db)
    with db.write() as s:
        checkins.record_checkin(
            s,
            team_id=T,
            actor_id="UANA",
            goal_id=goal.id,
            prompt_id=None,
            status="on_track",
            progress="halfway",
            now=datetime(2026, 11, 22, 20, tzinfo=UTC),
        )
    result = due(db, goal, datetime(2026, 11, 23, 14, 31, tzinfo=UTC))
    assert result is not None and result.outcome == "recent" and result.prompt is None
    assert result.goal.streak == 1


def test_tips_do_not_repeat_until_all_were_shown(db: Database) -> None:
    from bot.goals.tips import tips_for

    goal = new_goal(db)
    n = len(tips_for("empathy"))
    at = datetime(2026, 11, 23, 14, 31, tzinfo=UTC)
    shown = []
    for week in range(n + 1):
        r = due(db, goal, at + timedelta(weeks=week))
        assert r is not None and r.tip is not None
        shown.append(r.tip.id)
    assert len(set(shown[:n])) == n  # every tip once in the first round
    assert shown[n] != shown[n - 1]  # the new round does not start with the last one


def test_done_completes_the_goal_and_celebrates_a_streak_milestone(db: Database) -> None:
    goal = new_goal(db)
    at = datetime(2026, 11, 23, 14, 31, tzinfo=UTC)
    for week in range(4):
        r = due(db, goal, at + timedelta(weeks=week))
        assert r is not None and r.prompt is not None
        status = "done" if week == 3 else "on_track"
        result = answer(db, r.prompt.id or 0, status, at=at + timedelta(weeks=week, hours=1))
    assert result.completed is not None and result.goal.status == "completed"
    assert result.streak_milestone == 4
    with db.read() as s:
        g = s.get(Goal, goal.id)
        assert g is not None and g.next_due_at is None and g.completed_at is not None
        assert len(s.exec(select(Milestone).where(Milestone.kind == "checkin_streak")).all()) == 1
    assert due(db, goal, at + timedelta(weeks=5)) is None  # no more prompts
    with pytest.raises(goal_errors.GoalClosedError), db.write() as s:
        lifecycle.complete_goal(s, team_id=T, goal_id=goal.id or 0, actor_id="UANA", now=at)


def test_the_owner_moving_time_zone_moves_the_check_in(db: Database) -> None:
    goal = new_goal(db)  # 09:30 New York = 14:30 UTC
    tokyo = Person("UANA", "ana", "Asia/Tokyo")
    r = due(db, goal, datetime(2026, 11, 23, 14, 31, tzinfo=UTC), owner=tokyo)
    # Monday 09:30 in Tokyo (00:30 UTC) has passed by then; the goal is prompted now and the
    # next check-in is Monday 09:30 Tokyo time.
    assert r is not None
    assert r.goal.tz == "Asia/Tokyo"
    assert r.goal.next_due_at == datetime(2026, 11, 30, 0, 30, tzinfo=UTC)


def test_a_departed_owner_gets_nothing_more(db: Database) -> None:
    goal = new_goal(db)
    gone = Person("UANA", "ana", "America/New_York", deleted=True)
    r = due(db, goal, datetime(2026, 11, 23, 14, 31, tzinfo=UTC), owner=gone)
    assert r is not None and r.outcome == "left" and r.goal.next_due_at is None


def test_the_last_progress_note_belongs_to_the_last_check_in(db: Database) -> None:
    goal = new_goal(db)
    with db.write() as s:
        checkins.record_checkin(
            s,
            team_id=T,
            actor_id="UANA",
            goal_id=goal.id,
            prompt_id=None,
            status="at_risk",
            progress="3 of 5 calls",
            now=MONDAY,
        )
        after = checkins.record_checkin(
            s,
            team_id=T,
            actor_id="UANA",
            goal_id=goal.id,
            prompt_id=None,
            status="blocked",
            now=MONDAY,
        )
    assert after.goal.last_status == "blocked" and after.goal.last_progress is None


def test_an_away_slack_status_skips_the_prompt_alone_as_in_a_batch(db: Database) -> None:
    from storage import users as user_store

    goal = new_goal(db)
    first = due(db, goal, datetime(2026, 11, 23, 14, 31, tzinfo=UTC))
    assert first is not None and first.prompt is not None
    answer(db, first.prompt.id or 0)

    def status(text: str, emoji: str, away: bool, expires_at: datetime | None = None) -> None:
        with db.write() as s:
            user_store.remember_status(
                s, team_id=T, user_id="UANA", away=away, text=text, emoji=emoji,
                expires_at=expires_at, now=MONDAY,
            )  # fmt: skip

    status("Vacationing", ":palm_tree:", True, expires_at=datetime(2026, 12, 10, tzinfo=UTC))
    away = due(db, goal, datetime(2026, 11, 30, 14, 31, tzinfo=UTC))
    assert away is not None and away.outcome == "away" and away.goal.streak == 1
    assert away.goal.next_due_at == datetime(2026, 12, 7, 14, 30, tzinfo=UTC)
    still = due(db, goal, datetime(2026, 12, 7, 14, 31, tzinfo=UTC))
    assert still is not None and still.outcome == "away"
    # The status expired on the 10th: the next Monday prompts again, the streak intact.
    after = due(db, goal, datetime(2026, 12, 14, 14, 31, tzinfo=UTC))
    assert after is not None and after.outcome == "prompt"
    assert after.missed == () and after.goal.streak == 1 and after.goal.missed_in_row == 0
    assert after.prompt is not None
    answer(db, after.prompt.id or 0, at=datetime(2026, 12, 14, 15, tzinfo=UTC))
    # A working status never holds a prompt back.
    status("In a meeting", ":spiral_calendar_pad:", False)
    working = due(db, goal, datetime(2026, 12, 21, 14, 31, tzinfo=UTC))
    assert working is not None and working.outcome == "prompt"
