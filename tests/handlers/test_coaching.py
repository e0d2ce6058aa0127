"""Coaching end to end: signed requests and scheduled jobs in, what Slack was asked to show
out, and who could see what."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from bot.coaching.jobs import refresh_people, run_coach_digests
from bot.goals import jobs
from bot.sandbox.server import FakeSlack
from handlers.coaching import coach_answer, on_coach
from handlers.common import DEPS
from storage.db import Database
from storage.models import CheckInPrompt, Goal, SlackUser
from tests.handlers.conftest import CHANNEL, Bravo
from tests.handlers.test_goals import (
    NY_MONDAY_0930,
    Recorder,
    T,
    click,
    listener_deps,
    make_goal,
    prompts_to,
)


def test_stale_profiles_of_goal_owners_are_refreshed_in_one_sweep(bravo: Bravo) -> None:
    """A person who moved time zone gets check-ins at their new local time: refresh_people
    re-reads stale profiles; many at once in one users.list sweep, not a users.info each."""
    owners = [f"UMOVER{i:03d}" for i in range(60)]
    for user in owners:
        bravo.slack.add_user(user, user.lower(), tz="Europe/Berlin")
        make_goal(bravo, owner=user, tz="Europe/Berlin")
    first = datetime(2026, 11, 23, 12, tzinfo=UTC)
    assert refresh_people(bravo.deps, first, limit=100)["refreshed"] == 60  # cached now
    for user in owners[:3]:  # three of them move
        bravo.slack.add_user(user, user.lower(), tz="Asia/Tokyo")
    later_on = first + timedelta(days=2)  # every cached profile is over a day old
    info_before = len(bravo.slack.calls("users.info"))
    lists_before = len(bravo.slack.calls("users.list"))
    counts = refresh_people(bravo.deps, later_on, limit=100)
    assert counts["refreshed"] == 60 and not counts["failed"]
    assert len(bravo.slack.calls("users.info")) == info_before  # not one each
    assert len(bravo.slack.calls("users.list")) > lists_before
    with bravo.deps.db.read() as s:
        cached = {u.user_id: u.tz for u in s.exec(select(SlackUser)).all()}
    assert [cached[u] for u in owners[:4]] == ["Asia/Tokyo"] * 3 + ["Europe/Berlin"]
    assert refresh_people(bravo.deps, later_on, limit=100) == {}  # fresh now: nothing


def test_coaching_request_accept_and_what_each_person_can_see(bravo: Bravo) -> None:
    private = make_goal(bravo, visibility="private", what="Private: stop interrupting")
    shared = make_goal(bravo, visibility="coach", what="Shared: summarise before solving")
    bravo.send.slash_command("UBEN", "/coach", "<@UANA|ana>", channel_id=CHANNEL)
    assert "nothing is shared" in bravo.slack.wait_for("response_url")[-1].args["text"]
    # Before Ana accepts, Ben sees nothing.
    bravo.send.slash_command("UBEN", "/goal", "list <@UANA|ana>", channel_id=CHANNEL)
    assert "hasn't shared" in bravo.slack.wait_for("response_url", count=2)[-1].args["text"]
    bravo.deliver()
    [request] = [c for c in bravo.slack.calls("chat.postMessage") if c.args["channel"] == "UANA"]
    pairing_id = json.dumps(request.args["blocks"]).split('"value": "')[1].split('"')[0]
    click(bravo, "UCY", request, "coach_accept", pairing_id)  # not Cy's to accept
    assert "no longer exists" in bravo.slack.wait_for("response_url", count=3)[-1].args["text"]
    click(bravo, "UANA", request, "coach_accept", pairing_id)
    assert "You accepted" in bravo.slack.wait_for("response_url", count=4)[-1].args["text"]
    bravo.deliver()
    told = [c for c in bravo.slack.calls("chat.postMessage") if c.args["channel"] == "UBEN"]
    assert any("accepted" in c.args["text"] for c in told)

    def listing(user: str, n: int) -> str:
        bravo.send.slash_command(user, "/goal", "list <@UANA|ana>", channel_id=CHANNEL)
        return json.dumps(bravo.slack.wait_for("response_url", count=n)[-1].args)

    as_coach = listing("UBEN", 5)
    assert "Shared: summarise" in as_coach and "Private: stop" not in as_coach
    as_outsider = listing("UCY", 6)
    assert "Shared: summarise" not in as_outsider and "Private: stop" not in as_outsider
    bravo.send.slash_command("UANA", "/goal", "list", channel_id=CHANNEL)
    own = json.dumps(bravo.slack.wait_for("response_url", count=7)[-1].args)
    assert "Shared: summarise" in own and "Private: stop" in own
    assert private.id and shared.id


def test_blocked_tells_the_coach_at_once_and_the_digest_arrives_once(bravo: Bravo) -> None:
    from bot.coaching import service as coaching
    from bot.users import Person

    with bravo.deps.db.write() as s:
        row = coaching.request_coaching(
            s, team_id=T, coach=Person("UBEN"), coachee=Person("UANA"), now=bravo.clock()
        )
        coaching.answer_request(
            s, team_id=T, pairing_id=row.id or 0, actor_id="UANA", accept=True, now=bravo.clock()
        )
    bravo.deps.directory.people(
        team_id=T, user_ids=["UANA", "UBEN"], now=bravo.clock()
    )  # their time zones
    make_goal(bravo, visibility="coach", what="Shared: call back within a day")
    make_goal(bravo, visibility="private", what="Private: my own thing")
    jobs.run_checkins(bravo.deps, NY_MONDAY_0930)
    bravo.deliver()
    posts = prompts_to(bravo, "UANA")
    assert len(posts) == 2
    with bravo.deps.db.read() as s:
        prompts = {p.goal_id: p for p in s.exec(select(CheckInPrompt)).all()}
        goal_ids = {g.what: g.id for g in s.exec(select(Goal)).all()}
    for what in ("Shared: call back within a day", "Private: my own thing"):
        prompt = prompts[goal_ids[what] or 0]
        post = next(p for p in posts if what.split(":")[1].strip()[:10] in p.args["text"])
        click(bravo, "UANA", post, "checkin_answer_blocked", f"{prompt.id}:blocked")
    bravo.slack.wait_for("response_url", count=2)
    bravo.deliver()
    to_ben = [c.args for c in bravo.slack.calls("chat.postMessage") if c.args["channel"] == "UBEN"]
    alerts = [a for a in to_ben if "is blocked" in a["text"]]
    assert len(alerts) == 1 and "call back within a day" in json.dumps(alerts[0]["blocks"])
    assert "my own thing" not in json.dumps(to_ben)
    # Friday 15:00 in Berlin (Ben's zone) is 14:00 UTC.
    friday = datetime(2026, 11, 27, 14, 0, 30, tzinfo=UTC)
    assert run_coach_digests(bravo.deps, friday - timedelta(hours=1))["sent"] == 0
    assert run_coach_digests(bravo.deps, friday)["sent"] == 1
    assert run_coach_digests(bravo.deps, friday + timedelta(minutes=10))["sent"] == 0
    bravo.clock.at = friday + timedelta(minutes=10)
    bravo.deliver()
    digests = [
        c.args for c in bravo.slack.calls("chat.postMessage") if "digest" in c.args["text"].lower()
    ]
    assert len(digests) == 1 and digests[0]["channel"] == "UBEN"
    text = json.dumps(digests[0]["blocks"])
    assert "call back within a day" in text and "Blocked" in text
    assert "my own thing" not in text  # private goals never reach the coach


def test_the_digest_says_how_a_coachees_skills_move_only_when_she_shares_her_profile(
    bravo: Bravo,
) -> None:
    from bot.coaching import service as coaching
    from bot.profile.service import set_shared_with_coaches
    from bot.scheduling.registry import JOBS
    from bot.users import Person
    from storage.models import PracticeRound

    with bravo.deps.db.write() as s:
        row = coaching.request_coaching(
            s, team_id=T, coach=Person("UBEN"), coachee=Person("UANA"), now=bravo.clock()
        )
        coaching.answer_request(
            s, team_id=T, pairing_id=row.id or 0, actor_id="UANA", accept=True, now=bravo.clock()
        )
        s.add(
            PracticeRound(
                team_id=T,
                user_id="UANA",
                skill="empathy",
                scenario_key="empathy-double-charge",
                scenario="{}",
                reply="Her secret reply",
                status="assessed",
                request_key="r1",
                created_at=bravo.clock() - timedelta(days=1),
                assessed_at=bravo.clock() - timedelta(days=1),
            )
        )
    bravo.deps.directory.people(team_id=T, user_ids=["UANA", "UBEN"], now=bravo.clock())
    [job] = [j for j in JOBS if j.name == "coach_digests"]  # as the scheduler runs it
    friday = datetime(2026, 11, 27, 14, 0, 30, tzinfo=UTC)  # 15:00 in Ben's Berlin
    next_friday = friday + timedelta(days=7)
    assert job.run(bravo.deps, friday)["sent"] == 1
    set_shared_with_coaches(bravo.deps, team_id=T, user_id="UANA", on=True)
    assert job.run(bravo.deps, next_friday)["sent"] == 1
    bravo.clock.at = next_friday + timedelta(minutes=10)
    bravo.deliver()
    first, second = (
        json.dumps(c.args["blocks"])
        for c in bravo.slack.calls("chat.postMessage")
        if "digest" in c.args["text"].lower()
    )
    assert "Skills, the last 90 days" not in first  # not shared: not a word of it
    assert "Skills, the last 90 days against the 90 before: steady on every skill" in second
    assert "Her secret reply" not in first + second


def test_listeners_work_alone_without_the_app(slack: FakeSlack, db: Database) -> None:
    """/coach help and a forged Accept, each a plain function called with fakes."""
    deps = listener_deps(slack, db)
    ack, respond = Recorder(), Recorder()
    command = {"team_id": T, "user_id": "UBEN", "text": "help", "command": "/coach"}
    on_coach(ack, command, respond, {DEPS: deps})
    assert ack.calls == [((), {})]
    [((reply,), _)] = respond.calls
    assert reply["response_type"] == "ephemeral" and "/coach" in reply["text"]
    respond = Recorder()
    body = {"team": {"id": T}, "user": {"id": "UCY"}}
    coach_answer(deps, body, {"action_id": "coach_accept", "value": "404"}, respond)
    [((told,), _)] = respond.calls
    assert told["replace_original"] is False and "no longer exists" in told["text"]
