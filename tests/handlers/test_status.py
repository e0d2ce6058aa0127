"""Away means away, end to end: signed ``user_status_changed`` and ``user_change`` events in;
check-ins, reminders and the coach's digest out; what the export holds and erasure removes."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlmodel import select

from bot.coaching import service as coaching
from bot.coaching.jobs import run_coach_digests
from bot.goals import jobs, lifecycle
from bot.privacy import ids as privacy_ids
from bot.privacy.service import erase_person, export_person
from bot.users import Person
from storage import users as user_store
from storage.models import CheckInPrompt, Goal, SlackUser
from tests.handlers.conftest import Bravo
from tests.handlers.test_goals import NY_MONDAY_0930, click, make_goal, prompts_to

T = "T0SANDBOX"
WEEK = timedelta(days=7)
VACATION = {"status_text": "Vacationing", "status_emoji": ":palm_tree:", "status_expiration": 0}
CLEARED = {"status_text": "", "status_emoji": "", "status_expiration": 0}


def wait_until(check: Callable[[], bool], timeout: float = 5.0) -> None:
    end = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.02)


def status_event(user: str, profile: dict[str, Any]) -> dict[str, Any]:
    return {"type": "user_status_changed", "user": {"id": user, "profile": profile}}


def is_away(bravo: Bravo, user: str, at: datetime | None = None) -> bool:
    with bravo.deps.db.read() as s:
        found = user_store.away_among(s, team_id=T, user_ids=[user], now=at or bravo.clock())
    return user in found


def seen(bravo: Bravo, user: str, text: str) -> bool:
    with bravo.deps.db.read() as s:
        row = s.get(SlackUser, (T, user))
        return row is not None and row.status_text == text


def know(bravo: Bravo, *users: str) -> None:
    """Bravo looks people up as it does for any command (one users.info each)."""
    bravo.deps.directory.people(team_id=T, user_ids=list(users), now=bravo.clock())


def goal_row(bravo: Bravo, goal_id: int | None) -> Goal:
    with bravo.deps.db.read() as s:
        goal = s.get(Goal, goal_id)
    assert goal is not None
    return goal


def test_a_status_change_event_is_remembered_and_answered_200(bravo: Bravo) -> None:
    know(bravo, "UANA")
    result = bravo.send.event(status_event("UANA", VACATION))
    assert result.status == 200
    wait_until(lambda: is_away(bravo, "UANA"))
    replayed = bravo.send.event(status_event("UANA", VACATION))  # Slack retries: same outcome
    assert replayed.status == 200 and is_away(bravo, "UANA")
    bravo.send.event(status_event("UANA", CLEARED))
    wait_until(lambda: not is_away(bravo, "UANA"))
    assert bravo.slack.calls("users.profile.get") == []  # told, never asked
    assert bravo.slack.calls("chat.postMessage") == []  # a status change sends nothing


def test_a_stranger_or_a_broken_event_keeps_nothing(bravo: Bravo) -> None:
    know(bravo, "UANA")
    bravo.send.event(status_event("UANA", VACATION))
    wait_until(lambda: is_away(bravo, "UANA"))
    for event in (
        status_event("USTRANGER", VACATION),  # never looked up by Bravo: not written down
        {"type": "user_status_changed", "user": {"id": "UANA", "profile": "Out sick"}},
        {"type": "user_status_changed", "user": {"id": "UANA"}},
        {"type": "user_status_changed", "user": "UANA"},  # refused before any listener
    ):
        assert bravo.send.event(event).status in (200, 400)
    bravo.send.event(status_event("UBEN", VACATION))  # Bravo never looked Ben up either
    time.sleep(0.3)
    with bravo.deps.db.read() as s:
        assert s.get(SlackUser, (T, "USTRANGER")) is None and s.get(SlackUser, (T, "UBEN")) is None
    assert seen(bravo, "UANA", "Vacationing") and is_away(bravo, "UANA")


def test_user_change_brings_the_status_too(bravo: Bravo) -> None:
    know(bravo, "UCY")
    profile = {"status_text": "Out sick", "status_emoji": ":face_with_thermometer:"}
    bravo.send.event({"type": "user_change", "user": {"id": "UCY", "profile": profile}})
    wait_until(lambda: is_away(bravo, "UCY"))
    with bravo.deps.db.read() as s:
        row = s.get(SlackUser, (T, "UCY"))
        assert row is not None and row.departed_at is None  # still here, just off sick


def test_away_by_status_skips_the_check_in_keeps_the_streak_and_back_gets_the_next(
    bravo: Bravo,
) -> None:
    know(bravo, "UANA")
    goal = make_goal(bravo)
    assert jobs.run_checkins(bravo.deps, NY_MONDAY_0930 + timedelta(minutes=1))["prompt"] == 1
    bravo.deliver()
    [post] = prompts_to(bravo, "UANA")
    with bravo.deps.db.read() as s:
        [prompt] = s.exec(select(CheckInPrompt)).all()
    click(bravo, "UANA", post, "checkin_answer", f"{prompt.id}:on_track")
    bravo.slack.wait_for("response_url")
    assert goal_row(bravo, goal.id).streak == 1
    # On vacation, told by Slack: the next Monday's check-in is skipped, as /goal away does.
    bravo.send.event(status_event("UANA", VACATION))
    wait_until(lambda: is_away(bravo, "UANA"))
    week2 = NY_MONDAY_0930 + WEEK + timedelta(minutes=1)
    assert jobs.run_checkins(bravo.deps, week2) == {"away": 1}
    bravo.clock.at = week2
    bravo.deliver()
    assert len(prompts_to(bravo, "UANA")) == 1  # no new prompt
    kept = goal_row(bravo, goal.id)
    assert kept.streak == 1 and kept.next_due_at == NY_MONDAY_0930 + 2 * WEEK
    # Back: the status cleared, the next check-in comes, and the week away missed nothing.
    bravo.send.event(status_event("UANA", CLEARED))
    wait_until(lambda: not is_away(bravo, "UANA"))
    assert jobs.run_checkins(bravo.deps, week2 + WEEK) == {"prompt": 1}
    bravo.clock.at = week2 + WEEK  # the prompt goes at its check-in time
    bravo.deliver()
    assert len(prompts_to(bravo, "UANA")) == 2
    back = goal_row(bravo, goal.id)
    assert back.streak == 1 and back.missed_in_row == 0


def test_an_unanswered_prompt_is_set_aside_not_missed_and_not_reminded(bravo: Bravo) -> None:
    know(bravo, "UANA", "UBEN")
    goal = make_goal(bravo)
    sunday = datetime(2026, 11, 22, 12, tzinfo=UTC)  # Ben's Monday 09:30 is due too
    other = make_goal(bravo, owner="UBEN", tz="Europe/Berlin", now=sunday)
    jobs.run_checkins(bravo.deps, NY_MONDAY_0930 + timedelta(minutes=1))
    bravo.send.event(status_event("UANA", {"status_text": "OOO", "status_emoji": ""}))
    wait_until(lambda: is_away(bravo, "UANA"))
    with bravo.deps.db.read() as s:
        remind_at = max(p.remind_at for p in s.exec(select(CheckInPrompt)).all() if p.remind_at)
    reminded = jobs.run_reminders(bravo.deps, remind_at)
    assert reminded["away"] == 1 and reminded["reminded"] == 1  # Ben, who is not away
    bravo.deliver()
    reminders = [
        c.args["channel"]
        for c in bravo.slack.calls("chat.postMessage")
        if "check-in" in c.args.get("text", "").lower() and "Time to check in" not in c.args["text"]
    ]
    assert "UANA" not in reminders
    # The week after: Ana's open prompt is set aside (not missed); Ben's goal goes on as usual.
    counts = jobs.run_checkins(bravo.deps, NY_MONDAY_0930 + WEEK + timedelta(minutes=1))
    assert counts["away"] == 1
    with bravo.deps.db.read() as s:
        statuses = {p.goal_id: p.status for p in s.exec(select(CheckInPrompt)).all()}
    assert statuses[goal.id or 0] == "closed"
    assert goal_row(bravo, goal.id).missed_in_row == 0
    assert goal_row(bravo, other.id).status == "active"


def test_an_expired_status_does_not_hold_the_check_in_back(bravo: Bravo) -> None:
    know(bravo, "UANA")
    make_goal(bravo)
    ends = int((NY_MONDAY_0930 - timedelta(hours=1)).timestamp())  # over before the check-in
    bravo.send.event(status_event("UANA", {**VACATION, "status_expiration": ends}))
    wait_until(lambda: seen(bravo, "UANA", "Vacationing"))
    assert jobs.run_checkins(bravo.deps, NY_MONDAY_0930 + timedelta(minutes=1)) == {"prompt": 1}


def _pair(bravo: Bravo, coach: str, coachee: str) -> None:
    with bravo.deps.db.write() as s:
        row = coaching.request_coaching(
            s, team_id=T, coach=Person(coach), coachee=Person(coachee), now=bravo.clock()
        )
        coaching.answer_request(
            s, team_id=T, pairing_id=row.id or 0, actor_id=coachee, accept=True, now=bravo.clock()
        )


def test_the_coach_digest_says_who_is_away_and_never_why(bravo: Bravo) -> None:
    bravo.slack.add_user("UDEE", "dee", tz="America/New_York")
    know(bravo, "UANA", "UBEN", "UCY", "UDEE")
    for coachee in ("UANA", "UCY", "UDEE"):
        _pair(bravo, "UBEN", coachee)
    private = {"status_text": "Out sick: migraine again", "status_emoji": ":face_with_thermometer:"}
    bravo.send.event(status_event("UANA", private))
    wait_until(lambda: is_away(bravo, "UANA"))
    with bravo.deps.db.write() as s:  # Cy set /goal away through next week
        lifecycle.set_away(
            s, team_id=T, user_id="UCY", until=date(2026, 12, 4), today=date(2026, 11, 23)
        )
    friday = datetime(2026, 11, 27, 14, 0, 30, tzinfo=UTC)  # 15:00 in Berlin, Ben's zone
    assert run_coach_digests(bravo.deps, friday)["sent"] == 1
    bravo.clock.at = friday + timedelta(minutes=1)
    bravo.deliver()
    [digest] = [
        c.args for c in bravo.slack.calls("chat.postMessage") if "digest" in c.args["text"].lower()
    ]
    assert digest["channel"] == "UBEN"
    sections = [b["text"]["text"] for b in digest["blocks"] if b["type"] == "section"]
    first_lines = {s.split("\n")[0] for s in sections}
    assert {"*<@UANA>* · away", "*<@UCY>* · away", "*<@UDEE>*"} <= first_lines
    blob = str(digest)
    for private_word in ("migraine", "Out sick", "thermometer", "Vacation"):
        assert private_word not in blob


def test_the_status_is_in_the_persons_export_and_gone_after_erasure(bravo: Bravo) -> None:
    know(bravo, "UANA")
    bravo.send.event(status_event("UANA", VACATION))
    wait_until(lambda: is_away(bravo, "UANA"))
    [cached] = export_person(bravo.deps, T, "UANA").data["slack_profile_cache"]
    assert cached["status_text"] == "Vacationing" and cached["status_emoji"] == ":palm_tree:"
    assert cached["status_away"] is True
    # Nobody else's status is in it.
    assert export_person(bravo.deps, T, "UBEN").data.get("slack_profile_cache") in ([], None)
    erase_person(bravo.deps, T, "UANA", requested_by=None, why=privacy_ids.SELF)
    with bravo.deps.db.read() as s:
        assert s.get(SlackUser, (T, "UANA")) is None
    # Erased: a later status change is not written down again (Bravo no longer knows her).
    bravo.send.event(status_event("UANA", VACATION))
    time.sleep(0.3)
    assert not is_away(bravo, "UANA")
