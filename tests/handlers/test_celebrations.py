"""Celebrations end to end: /bravo celebrate over signed HTTP, the admins' import modal, the
celebrations job as of given times, and what the fake Slack posted; a listener called alone."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import func, select

from bot.celebrations import ids, jobs
from bot.deps import Deps
from bot.sandbox.server import Call, FakeSlack
from handlers.celebrations import on_import
from storage.db import Database
from storage.models import PersonDate
from tests.handlers.bravo_flow import (
    ANA,
    BEN,
    CY,
    T,
    bravo_cmd,
    channel_posts,
    deliver,
    give,
    last_reply,
    replies,
    turn_on,
)
from tests.handlers.conftest import CHANNEL, TEAM, Bravo, Recorder, deps_alone


def test_birthdays_and_anniversaries_are_celebrated_at_nine_weekends_on_friday(
    bravo: Bravo,
) -> None:
    turn_on(bravo)
    bravo_cmd(bravo, "celebrate birthday 1990-11-28", user="UBEN")  # a Saturday this year
    assert "no year is kept" in last_reply(bravo, 2)
    bravo_cmd(bravo, "celebrate started 2021-11-27", user="UCY")
    bravo_cmd(bravo, "celebrate birthday 11-27", user="UANA")
    bravo_cmd(bravo, "celebrate optout", user="UANA")
    replies(bravo, 5)
    friday_0900_berlin = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
    assert (
        jobs.run_celebrations(bravo.deps, friday_0900_berlin - timedelta(minutes=1))["celebrated"]
        == 0
    )
    assert jobs.run_celebrations(bravo.deps, friday_0900_berlin)["celebrated"] == 1
    assert jobs.run_celebrations(bravo.deps, friday_0900_berlin + timedelta(minutes=5)) == {
        "already_sent": 1
    }
    saturday = friday_0900_berlin + timedelta(days=1)
    assert jobs.run_celebrations(bravo.deps, saturday)["celebrated"] == 0
    deliver(bravo)
    [post] = channel_posts(bravo, words="celebrate")
    text = json.dumps(post.args["blocks"])
    assert "Happy birthday, <@UBEN>!" in text and "on Saturday" in text
    assert "<@UCY> has been with us 5 years" in text
    assert "UANA" not in text  # opted out
    assert "1990" not in text and "36" not in text  # never a birth year or an age


def test_admins_import_dates_from_csv_all_or_nothing(bravo: Bravo) -> None:
    bravo.slack.add_user("UBOSS", "boss", is_admin=True)
    bravo_cmd(bravo, "celebrate import", user="UCY")
    assert "Only a Bravo or workspace admin" in last_reply(bravo, 1)
    bravo.send.slash_command("UBOSS", "/bravo", "celebrate import", channel_id=CHANNEL)
    [opened] = bravo.slack.wait_for("views.open")
    view = opened.args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    broken = "user,kind,date\nUBEN,birthday,03-14\nUCY,bday,03-15\nnobody,started,2020-01-01\n"
    values = {"bravo_import_csv": {"csv": {"type": "plain_text_input", "value": broken}}}
    body = bravo.send.view_submission("UBOSS", view, values).json() or {}
    assert body["response_action"] == "errors"
    error = body["errors"]["bravo_import_csv"]
    assert "Row 3" in error and "Row 4" in error and "Nothing was imported" in error
    with bravo.deps.db.read() as s:
        assert s.exec(select(func.count()).select_from(PersonDate)).one() == 0
    good = "UBEN,birthday,1988-03-14\n<@UCY>,started,2020-01-01\n"
    values = {"bravo_import_csv": {"csv": {"type": "plain_text_input", "value": good}}}
    result = bravo.send.view_submission("UBOSS", view, values)
    assert result.status == 200 and not result.body.strip()
    with bravo.deps.db.read() as s:
        rows = {(r.user_id, r.kind): (r.month, r.day, r.year) for r in s.exec(select(PersonDate))}
    assert rows == {("UBEN", "birthday"): (3, 14, None), ("UCY", "started"): (1, 1, 2020)}
    deliver(bravo)
    assert channel_posts(bravo, "UBOSS", "Imported 2 dates for 2 people")


def test_a_milestone_is_announced_once_in_the_team_channel_when_asked(bravo: Bravo) -> None:
    turn_on(bravo)
    bravo_cmd(bravo, "celebrate milestones channel", user="UBEN")
    replies(bravo, 2)
    give(bravo, ANA, [BEN], "first of many", bravo.clock.at)
    give(bravo, CY, [ANA], "no channel for ana", bravo.clock.at)
    assert jobs.run_celebrations(bravo.deps, bravo.clock.at)["milestone"] == 1
    assert jobs.run_celebrations(bravo.deps, bravo.clock.at).get("milestone") is None
    deliver(bravo)
    [post] = channel_posts(bravo, words="first kudos")
    assert "<@UBEN>" in post.args["text"]


def milestone_dms(bravo: Bravo, user: str, words: str) -> list[Call]:
    return [
        c
        for c in bravo.slack.calls("chat.postMessage", ok=True)
        if c.args.get("channel") == user
        and words in c.args.get("text", "") + json.dumps(c.args.get("blocks") or [])
    ]


def choose(bravo: Bravo, user: str, where: str) -> None:
    assert "milestones will" in bravo_cmd(bravo, f"celebrate milestones {where}", user=user)


def kudos_cmd(bravo: Bravo, text: str) -> None:
    before = len(bravo.slack.calls("response_url"))
    bravo.send.slash_command("UANA", "/kudos", text, channel_id=CHANNEL)
    bravo.slack.wait_for("response_url", before + 1)


def celebrate_and_deliver(bravo: Bravo) -> None:
    """The celebrations job, polled every few minutes, then what it queued is delivered."""
    for minutes in (0, 5, 10):
        jobs.run_celebrations(bravo.deps, bravo.clock.at + timedelta(minutes=minutes))
    for minutes in (1, 2, 3):
        deliver(bravo, bravo.clock.at + timedelta(minutes=minutes))


@pytest.mark.parametrize("where", ["dm", "channel"])
def test_a_kudos_milestone_is_announced_once_by_dm_or_in_the_team_channel(
    bravo: Bravo, where: str
) -> None:
    turn_on(bravo)
    choose(bravo, "UBEN", where)
    kudos_cmd(bravo, "<@UBEN|ben> for staying late")
    celebrate_and_deliver(bravo)
    dms = milestone_dms(bravo, "UBEN", "You received your first kudos")
    posted = channel_posts(bravo, words="<@UBEN> received their first kudos")
    [kudos_post] = channel_posts(bravo, words="gave kudos to")
    in_post = "First kudos ever for <@UBEN>" in json.dumps(kudos_post.args["blocks"])
    if where == "channel":
        assert (len(dms), len(posted), in_post) == (0, 1, False)
    else:
        assert (len(dms), len(posted), in_post) == (1, 0, True)
    # Told inside the one kudos DM, when by DM: never a DM of its own.
    assert [c.args["text"] for c in milestone_dms(bravo, "UBEN", "")] == ["<@UANA> gave you kudos"]


def test_milestones_chosen_for_a_channel_come_by_dm_without_a_team_channel(bravo: Bravo) -> None:
    bravo.slack.add_user("UDEE", "dee")  # in no team channel
    turn_on(bravo)
    choose(bravo, "UDEE", "channel")
    kudos_cmd(bravo, "<@UDEE|dee> for the new macro")
    assert jobs.run_celebrations(bravo.deps, bravo.clock.at).get("milestone") is None
    celebrate_and_deliver(bravo)
    assert len(milestone_dms(bravo, "UDEE", "You received your first kudos")) == 1
    assert channel_posts(bravo, words="received their first kudos") == []


@pytest.mark.parametrize("where", ["dm", "channel"])
def test_a_checkin_streak_milestone_is_announced_once_by_dm_or_in_the_team_channel(
    bravo: Bravo, where: str
) -> None:
    from bot.cadence import Cadence
    from bot.goals import jobs as goal_jobs
    from bot.goals import service as goals
    from storage.models import CheckInPrompt, Goal

    turn_on(bravo)
    choose(bravo, "UANA", where)
    spec = goals.GoalSpec(
        "Answer every chat within 2 minutes",
        "Median first response under 2 min",
        "empathy",
        datetime(2027, 3, 1).date(),
        Cadence("weekly", weekday=0, minute=9 * 60 + 30),
        "coach",
    )
    with bravo.deps.db.write() as s:
        goal = goals.create_goal(
            s,
            team_id=T,
            owner=ANA,
            spec=spec,
            channel_id=CHANNEL,
            now=datetime(2026, 11, 23, 12, tzinfo=UTC),
        )
        goal.streak = goal.best_streak = 3  # three weeks answered: the next makes four
        s.add(goal)
    due = datetime(2026, 11, 23, 14, 31, tzinfo=UTC)  # 09:31 in New York
    assert goal_jobs.run_checkins(bravo.deps, due)["prompt"] == 1
    with bravo.deps.db.read() as s:
        [prompt] = s.exec(select(CheckInPrompt)).all()
    before = len(bravo.slack.calls("response_url"))
    bravo.send.block_action("UANA", "checkin_answer", f"{prompt.id}:on_track", channel_id="D0ANA")
    [redraw] = bravo.slack.wait_for("response_url", before + 1)[before:]
    with bravo.deps.db.read() as s:
        assert s.get(Goal, goal.id).streak == 4  # type: ignore[union-attr]
    celebrate_and_deliver(bravo)
    dms = milestone_dms(bravo, "UANA", "4 check-ins in a row")
    told = "4 check-ins in a row" in redraw.args["text"]  # the pressed prompt, redrawn
    posted = channel_posts(bravo, words="<@UANA> checked in on a goal 4 times in a row")
    assert (len(dms), told, len(posted)) == ((0, False, 1) if where == "channel" else (0, True, 0))


# A listener called alone -----------------------------------------------------------------------


@pytest.fixture
def deps(slack: FakeSlack, sqlite_db: Database) -> Iterator[Deps]:
    yield from deps_alone(slack, sqlite_db)


def submitted(csv: str, user: str) -> tuple[dict[str, Any], dict[str, Any]]:
    body = {"team": {"id": TEAM}, "user": {"id": user}}
    view = {"state": {"values": {ids.IMPORT_BLOCK: {ids.IMPORT_ACTION: {"value": csv}}}}}
    return body, view


def test_the_import_listener_alone_answers_in_the_modal(deps: Deps, slack: FakeSlack) -> None:
    slack.add_user("UBOSS", "boss", is_admin=True)
    asks = [
        ("UBEN,birthday,03-14\n", "UANA", "Only a Bravo or workspace admin"),
        ("UBEN,bday,03-14\n", "UBOSS", "Row 1: kind must be birthday or started"),
        ("", "UBOSS", "Paste at least one row."),
    ]
    for csv, user, expected in asks:
        ack = Recorder()
        on_import(ack, *submitted(csv, user), {"bravo_deps": deps})  # type: ignore[arg-type]
        [(_, answer)] = ack.calls
        assert answer["response_action"] == "errors"
        assert expected in answer["errors"][ids.IMPORT_BLOCK]
    ack = Recorder()
    on_import(ack, *submitted("UBEN,birthday,03-14\n", "UBOSS"), {"bravo_deps": deps})  # type: ignore[arg-type]
    assert ack.calls == [((), {})]
    with deps.db.read() as s:
        [row] = s.exec(select(PersonDate)).all()
    assert (row.user_id, row.kind, row.month, row.day, row.source) == (
        "UBEN",
        "birthday",
        3,
        14,
        "import",
    )
