"""One-on-ones end to end: signed /coach requests in, what Slack was asked to show out, what
was saved, and who could see what."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import select

from bot.oneonones.jobs import run_preps
from bot.profile.service import set_shared_with_coaches
from bot.sandbox.server import FakeSlack
from storage.db import Database
from storage.models import (
    CoachPairing,
    CustomerFeedback,
    Feedback,
    Goal,
    Kudos,
    PracticeRound,
    ShoutoutChannel,
    ShoutoutMember,
    SlackUser,
    TeamLead,
)
from storage.models.oneonones import ActionItem, OneOnOne
from tests.handlers.conftest import CHANNEL, Bravo, start_bravo
from tests.handlers.test_goals import click, goal_values, make_goal

T = "T0SANDBOX"
COACH, ANA, CO2, ADMIN, LEAD, OTHER = "UBEN", "UANA", "UCO2", "UADA", "ULEA", "UCY"
STRANGER = "UFAR"  # of another workspace: Slack here does not know them


@pytest.fixture
def bravo(slack: FakeSlack, db: Database) -> Iterator[Bravo]:
    slack.add_user(CO2, "cora", tz="UTC")
    slack.add_user(ADMIN, "ada", is_admin=True)
    slack.add_user(LEAD, "lea")
    for bravo in start_bravo(slack, db):
        now = bravo.clock()
        with bravo.deps.db.write() as s:
            for coach in (COACH, CO2):
                s.add(
                    CoachPairing(
                        team_id=T, coach_id=coach, coachee_id=ANA, status="active", requested_at=now
                    )
                )
            s.add(  # Cy offered to coach Ana; she has not answered
                CoachPairing(team_id=T, coach_id=OTHER, coachee_id=ANA, requested_at=now)
            )
            # Lea leads Ana's team channel (she sees Ana's reviews, not her one-on-ones).
            s.add(
                ShoutoutChannel(
                    team_id=T, channel_id=CHANNEL, enabled_by=ANA, since=now, updated_at=now
                )
            )
            s.add(ShoutoutMember(team_id=T, channel_id=CHANNEL, user_id=ANA))
            s.add(
                TeamLead(team_id=T, channel_id=CHANNEL, user_id=LEAD, named_by=ADMIN, named_at=now)
            )
        yield bravo


def coach(bravo: Bravo, user: str, text: str) -> str:
    """``/coach <text>`` by ``user``: the words of the reply it got."""
    before = len(bravo.slack.calls("response_url"))
    bravo.send.slash_command(user, "/coach", text, channel_id=CHANNEL)
    reply = bravo.slack.wait_for("response_url", count=before + 1)[before]
    return json.dumps(reply.args)


def dms(bravo: Bravo, user: str) -> list[str]:
    bravo.deliver()
    return [
        json.dumps(c.args)
        for c in bravo.slack.calls("chat.postMessage")
        if c.args["channel"] == user
    ]


def series(bravo: Bravo) -> list[OneOnOne]:
    with bravo.deps.db.read() as s:
        return list(s.exec(select(OneOnOne)).all())


def test_a_coach_sets_a_biweekly_one_on_one_and_both_are_told(bravo: Bravo) -> None:
    said = coach(bravo, COACH, "1on1 <@UANA|ana> every other tuesday 14:00")
    assert "Done" in said and "every other Tuesday at 14:00 (Europe/Berlin)" in said
    [row] = series(bravo)
    # Monday 23 November 2026, 16:00 in Berlin: the next Tuesday 14:00 CET is 13:00 UTC.
    assert row.next_at == datetime(2026, 11, 24, 13, tzinfo=UTC)
    assert (row.every_weeks, row.weekday, row.minute, row.tz) == (2, 1, 840, "Europe/Berlin")
    [to_ana] = dms(bravo, ANA)
    [to_ben] = dms(bravo, COACH)
    assert "<@UBEN> set one-on-ones" in to_ana and "You set one-on-ones" in to_ben
    assert "<!date^" in to_ana  # Ana sees the time in her own zone
    assert not dms(bravo, CO2) and not dms(bravo, ADMIN)
    listing = coach(bravo, ANA, "1on1 list")
    assert "<@UBEN> (your coach)" in listing
    assert "<@UANA> (you coach)" in coach(bravo, COACH, "1on1 list")
    assert "no one-on-ones" in coach(bravo, OTHER, "1on1 list")


@pytest.mark.parametrize(
    ("user", "text", "words"),
    [
        (COACH, "1on1 <@UANA|ana> every funday 14:00", "isn't a day of the week"),
        (COACH, "1on1 <@UANA|ana> every tuesday 25:00", "isn't a time I can use"),
        (COACH, "1on1 <@UBEN|ben> every tuesday 14:00", "takes two people"),
        (COACH, "1on1 <@UROBOT|deploybot> every tuesday 14:00", "is a bot"),
        (COACH, "1on1 <@UGONE|gone> every tuesday 14:00", "has left the workspace"),
        (COACH, "1on1 <@UFAR|far> every tuesday 14:00", "isn't someone I can find"),
        (COACH, "1on1 <@UCY|cy> every tuesday 14:00", "you don't coach <@UCY>"),
        (ANA, "1on1 <@UBEN|ben> every tuesday 14:00", "you don't coach <@UBEN>"),
        (OTHER, "1on1 <@UANA|ana> every tuesday 14:00", "you don't coach <@UANA>"),  # pending
        (COACH, "1on1 <@UANA|ana> whenever", "didn't understand"),
        (COACH, "1on1 <@UANA|ana> move tuesday 14:00", "no one-on-one between you"),
        (ANA, "1on1 <@UCY|cy> cancel", "no one-on-one between you"),
    ],
)
def test_bad_input_gets_clear_words_and_saves_nothing(
    bravo: Bravo, user: str, text: str, words: str
) -> None:
    assert words in coach(bravo, user, text)
    assert series(bravo) == []
    assert not dms(bravo, ANA) and not dms(bravo, COACH)


def test_a_time_the_clocks_skip_is_refused(bravo: Bravo) -> None:
    bravo.clock.at = datetime(2027, 3, 26, 12, tzinfo=UTC)  # Berlin springs forward on the 28th
    said = coach(bravo, COACH, "1on1 <@UANA|ana> every sunday 02:30")
    assert "02:30 doesn't exist on Sunday 2027-03-28 in Europe/Berlin" in said
    assert series(bravo) == [] and not dms(bravo, ANA)
    assert "Done" in coach(bravo, COACH, "1on1 <@UANA|ana> every sunday 03:30")
    [row] = series(bravo)
    was = (row.minute, row.next_at)
    moved = coach(bravo, ANA, "1on1 <@UBEN|ben> move sunday 02:15")  # Ana moves: Ben's zone
    assert "02:15 doesn't exist on Sunday 2027-03-28 in Europe/Berlin" in moved
    [row] = series(bravo)
    assert (row.minute, row.next_at) == was
    assert not [m for m in dms(bravo, COACH) if "moved" in m]


def test_either_moves_or_cancels_and_both_are_told(bravo: Bravo) -> None:
    coach(bravo, COACH, "1on1 <@UANA|ana> every tuesday 14:00")
    said = coach(bravo, ANA, "1on1 <@UBEN|ben> move thursday 10:30")
    assert "every Thursday at 10:30 (Europe/Berlin)" in said
    [row] = series(bravo)
    assert row.next_at == datetime(2026, 11, 26, 9, 30, tzinfo=UTC) and row.every_weeks == 1
    assert any("<@UANA> moved" in m for m in dms(bravo, COACH))
    assert any("You moved" in m for m in dms(bravo, ANA))
    # Another coach of Ana cannot touch Ben's one-on-ones.
    assert "no one-on-one between you" in coach(bravo, CO2, "1on1 <@UBEN|ben> cancel")
    assert "Cancelled" in coach(bravo, COACH, "1on1 <@UANA|ana> cancel")
    [row] = series(bravo)
    assert not row.active and row.next_at is None
    assert any("<@UBEN> cancelled" in m for m in dms(bravo, ANA))
    assert "no one-on-one between you" in coach(bravo, ANA, "1on1 <@UBEN|ben> cancel")
    assert "no one-on-ones" in coach(bravo, ANA, "1on1 list")
    # Set again: the same series comes back.
    coach(bravo, COACH, "1on1 <@UANA|ana> every friday 09:00")
    [row] = series(bravo)
    assert row.active and row.weekday == 4


def test_a_replayed_command_sets_and_tells_once(bravo: Bravo) -> None:
    fields = {
        "team_id": T,
        "channel_id": CHANNEL,
        "user_id": COACH,
        "command": "/coach",
        "text": "1on1 <@UANA|ana> every tuesday 14:00",
        "response_url": bravo.send.response_url(COACH, CHANNEL),
        "trigger_id": bravo.send.trigger_id(COACH),
    }
    assert bravo.send.post_form(fields).status == 200
    bravo.slack.wait_for("response_url")
    assert bravo.send.post_form(fields).status == 200
    bravo.deps.work.shutdown(wait=True)  # the replay's work is done (or dropped) by now
    assert len(dms(bravo, ANA)) == 1 and len(series(bravo)) == 1


def test_help_for_1on1(bravo: Bravo) -> None:
    said = coach(bravo, COACH, "1on1")
    assert "every other tuesday 14:00" in said and "move" in said


# The prep note ---------------------------------------------------------------------------------

TUESDAY_1300 = datetime(2026, 11, 24, 13, tzinfo=UTC)  # Tuesday 14:00 in Berlin


def run_at(bravo: Bravo, at: datetime) -> Counter[str]:
    """The prep job at ``at``, with Bravo's clock there too (so what it queues is due)."""
    bravo.clock.at = at
    return run_preps(bravo.deps, at)


def preps_to(bravo: Bravo, user: str) -> list[str]:
    return [m for m in dms(bravo, user) if "One-on-one prep" in m]


def seed_history(bravo: Bravo) -> None:
    """What Ana has: a goal shared with coaches and a private one, feedback shared and not,
    a customer complaint, kudos for empathy."""
    make_goal(bravo, visibility="coach", what="Shared: summarise before solving")
    make_goal(bravo, visibility="private", what="Private: stop interrupting")
    now = bravo.clock()
    with bravo.deps.db.write() as s:
        for shared, text in ((True, "Shared: calm on the escalation"), (False, "Secret: late")):
            s.add(
                Feedback(
                    team_id=T,
                    giver_id=OTHER,
                    recipient_id=ANA,
                    situation="a call",
                    behaviour=text,
                    impact="good",
                    skill="empathy",
                    shared_with_coach=shared,
                    fingerprint=text,
                    created_at=now - timedelta(days=3),
                )
            )
        s.add(
            CustomerFeedback(
                team_id=T,
                logged_by=OTHER,
                teammate_id=ANA,
                kind="complaint",
                rating=1,
                source="chat",
                text="She cut me off <!channel>",
                created_at=now - timedelta(days=2),
            )
        )
        s.add(
            Kudos(
                team_id=T,
                batch_id="b1",
                giver_id=OTHER,
                recipient_id=ANA,
                reason="kind",
                values="empathy",
                source="command",
                created_at=now - timedelta(days=1),
            )
        )


def test_the_coach_alone_gets_the_prep_note_with_what_ana_shared(bravo: Bravo) -> None:
    seed_history(bravo)
    coach(bravo, COACH, "1on1 <@UANA|ana> every tuesday 14:00")
    assert "sent you the prep note" in coach(bravo, COACH, "prep <@UANA|ana>")
    [note] = preps_to(bravo, COACH)
    assert "Shared: summarise" in note and "Private: stop" not in note
    assert "Shared: calm" in note and "Secret: late" not in note
    assert "cut me off" in note and "<!channel>" not in note
    assert "#empathy: 1" in note
    assert "Suggested talking points" in note and "customer complaint" in note
    assert "Skill profile" in note and "haven't chosen to show it" in note  # not shared
    assert "Practice done (90 days)" in note and "Practised" not in note  # none yet
    refused = {
        ANA: "takes two people",  # Ana herself: her coach's prep is not hers
        CO2: "no one-on-one between you",  # Ana's other coach: not Ben's one-on-ones
        ADMIN: "you don't coach <@UANA>",
        LEAD: "you don't coach <@UANA>",
        OTHER: "you don't coach <@UANA>",
        STRANGER: "you don't coach <@UANA>",
    }
    for user, words in refused.items():
        assert words in coach(bravo, user, "prep <@UANA|ana>")
        assert not preps_to(bravo, user)
    assert len(preps_to(bravo, COACH)) == 1


def test_the_prep_shows_the_profile_once_shared_and_practice_as_counts_only(
    bravo: Bravo,
) -> None:
    seed_history(bravo)
    now = bravo.clock()
    with bravo.deps.db.write() as s:
        s.add(
            PracticeRound(
                team_id=T,
                user_id=ANA,
                skill="empathy",
                scenario_key="empathy-double-charge",
                scenario="{}",
                reply="My secret practice reply",
                self_note="a private note to myself",
                status="assessed",
                request_key="r1",
                created_at=now - timedelta(days=2),
                answered_at=now - timedelta(days=2),
                assessed_at=now - timedelta(days=2),
            )
        )
    set_shared_with_coaches(bravo.deps, team_id=T, user_id=ANA, on=True)
    coach(bravo, COACH, "1on1 <@UANA|ana> every tuesday 14:00")
    coach(bravo, COACH, "prep <@UANA|ana>")
    [note] = preps_to(bravo, COACH)
    assert "#empathy" in note and "practice 1 (before 0)" in note  # her profile, as she shared it
    assert "Practised once (empathy)" in note
    assert "My secret practice reply" not in note and "private note" not in note


def test_the_prep_job_sends_once_and_the_coachee_adds_topics(bravo: Bravo) -> None:
    coach(bravo, COACH, "1on1 <@UANA|ana> every tuesday 14:00")
    assert run_at(bravo, TUESDAY_1300 - timedelta(hours=4)) == Counter()  # too early
    at = TUESDAY_1300 - timedelta(hours=2)
    assert run_at(bravo, at) == Counter({"prepped": 1})
    assert run_at(bravo, at + timedelta(minutes=5)) == Counter()  # once
    assert len(preps_to(bravo, COACH)) == 1
    bravo.deliver()
    [ask] = [
        c
        for c in bravo.slack.calls("chat.postMessage")
        if c.args["channel"] == ANA and "Add a topic" in json.dumps(c.args)
    ]
    meeting_id = json.dumps(ask.args["blocks"]).split('"value": "')[1].split('"')[0]
    click(bravo, CO2, ask, "oneonone_add_topic", meeting_id)  # not Cora's meeting
    assert "isn't yours" in bravo.slack.wait_for("response_url")[-1].args["text"]
    click(bravo, ANA, ask, "oneonone_add_topic", meeting_id)
    [opened] = bravo.slack.wait_for("views.open")
    view = {**opened.args["view"], "id": "V0TOPIC"}  # one modal, submitted again and again
    for text in ("Career path <@UBOSS> <!here>", "x" * 301, "   "):
        values = {"oneonone_topic": {"input": {"type": "plain_text_input", "value": text}}}
        body = bravo.send.view_submission(ANA, view, values).json() or {}
        if text.startswith("Career"):
            assert body.get("response_action") == "update"
        else:
            assert body.get("response_action") == "errors"
    again = {"oneonone_topic": {"input": {"type": "plain_text_input", "value": "Career path"}}}
    assert (bravo.send.view_submission(ANA, view, again).json() or {}) == {}  # a replay
    # Someone else submitting the same modal adds nothing.
    values = {"oneonone_topic": {"input": {"type": "plain_text_input", "value": "Cora's"}}}
    body = bravo.send.view_submission(CO2, view, values).json() or {}
    assert body.get("response_action") == "errors"
    coach(bravo, COACH, "prep <@UANA|ana>")
    latest = preps_to(bravo, COACH)[-1]
    assert "Career path" in latest and "&lt;@UBOSS&gt;" in latest and "<!here>" not in latest
    assert "Cora's" not in latest and latest.count("Career path") == 1
    # The meeting passes: the series moves on to next Tuesday, prepped again once.
    assert run_at(bravo, TUESDAY_1300 + timedelta(hours=1)) == Counter({"advanced": 1})
    [row] = series(bravo)
    assert row.next_at == TUESDAY_1300 + timedelta(days=7)
    nxt = row.next_at - timedelta(hours=1)
    assert run_at(bravo, nxt) == Counter({"prepped": 1})
    assert "Career path" not in preps_to(bravo, COACH)[-1]  # topics belong to their meeting


def test_no_prep_when_the_coachee_is_away_and_the_coach_is_told(bravo: Bravo) -> None:
    coach(bravo, COACH, "1on1 <@UANA|ana> every tuesday 14:00")
    with bravo.deps.db.write() as s:
        user = s.get(SlackUser, (T, ANA))
        assert user is not None
        user.status_away = True
        s.add(user)
    at = TUESDAY_1300 - timedelta(hours=2)
    assert run_at(bravo, at) == Counter({"away": 1})
    assert not preps_to(bravo, COACH)
    assert any("they're away" in m for m in dms(bravo, COACH))
    assert not [m for m in dms(bravo, ANA) if "Add a topic" in m]
    assert run_at(bravo, at) == Counter()  # said once


def test_ending_the_coaching_ends_the_one_on_ones(bravo: Bravo) -> None:
    coach(bravo, COACH, "1on1 <@UANA|ana> every tuesday 14:00")
    coach(bravo, ANA, "end <@UBEN|ben>")
    assert run_at(bravo, TUESDAY_1300 - timedelta(hours=2)) == Counter({"ended": 1})
    assert not preps_to(bravo, COACH)
    assert "you don't coach <@UANA>" in coach(bravo, COACH, "prep <@UANA|ana>")


# After the meeting: notes and action items -----------------------------------------------------


def button_value(call: Any, action_id: str) -> str:
    for block in call.args["blocks"]:
        for el in block.get("elements") or []:
            if el.get("action_id") == action_id:
                return str(el["value"])
    raise AssertionError(f"no {action_id} button")


def posts_to(bravo: Bravo, user: str, words: str) -> list[Any]:
    bravo.deliver()
    return [
        c
        for c in bravo.slack.calls("chat.postMessage")
        if c.args["channel"] == user and words in json.dumps(c.args)
    ]


def notes_values(notes: str, *items: tuple[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {
        "oneonone_notes": {"input": {"type": "plain_text_input", "value": notes}}
    }
    for n, (text, owner) in enumerate(items):
        values[f"oneonone_item_{n}"] = {"input": {"type": "plain_text_input", "value": text}}
        values[f"oneonone_owner_{n}"] = {
            "input": {"type": "static_select", "selected_option": {"value": owner}}
        }
    return values


def last_reply(bravo: Bravo) -> str:
    return json.dumps(bravo.slack.wait_for("response_url")[-1].args)


def test_notes_and_action_items_are_the_two_of_theirs(bravo: Bravo) -> None:
    coach(bravo, COACH, "1on1 <@UANA|ana> every tuesday 14:00")
    coach(bravo, COACH, "prep <@UANA|ana>")
    [prep] = posts_to(bravo, COACH, "One-on-one prep")
    meeting_id = button_value(prep, "oneonone_add_notes")
    for user in (ANA, CO2, ADMIN):  # only the coach writes notes
        before = len(bravo.slack.calls("response_url"))
        click(bravo, user, prep, "oneonone_add_notes", meeting_id)
        bravo.slack.wait_for("response_url", count=before + 1)
        assert "isn't yours" in last_reply(bravo)
    assert not bravo.slack.calls("views.open")
    click(bravo, COACH, prep, "oneonone_add_notes", meeting_id)
    [opened] = bravo.slack.wait_for("views.open")
    view = {**opened.args["view"], "id": "V0NOTES"}
    bad = bravo.send.view_submission(COACH, view, notes_values("", ("y" * 301, "coach")))
    assert (bad.json() or {}).get("response_action") == "errors"
    empty = bravo.send.view_submission(COACH, view, notes_values("  "))
    assert (empty.json() or {}).get("response_action") == "errors"
    good = notes_values(
        "Talked about <!channel> escalations",
        ("Shadow Cy on two calls", "coachee"),
        ("Find a course on de-escalation", "coach"),
    )
    assert (bravo.send.view_submission(COACH, view, good).json() or {})[
        "response_action"
    ] == "update"
    assert (bravo.send.view_submission(COACH, view, good).json() or {}) == {}  # replayed
    # Ana gets the notes and the item proposed as a goal; nobody else hears of it.
    [notes_dm] = posts_to(bravo, ANA, "wrote notes")
    assert "escalations" in json.dumps(notes_dm.args) and "<!channel>" not in json.dumps(
        notes_dm.args
    )
    [proposed] = posts_to(bravo, ANA, "Make it my goal")
    [follow_up] = posts_to(bravo, COACH, "Find a course")
    for user in (CO2, ADMIN, LEAD, OTHER):
        assert not posts_to(bravo, user, "escalations") and not posts_to(bravo, user, "Shadow")
    # Who sees the notes: the two of them only.
    assert "escalations" in coach(bravo, COACH, "1on1 <@UANA|ana> notes")
    assert "escalations" in coach(bravo, ANA, "1on1 <@UBEN|ben> notes")
    for user in (CO2, ADMIN, LEAD, OTHER, STRANGER):
        said = coach(bravo, user, "1on1 <@UANA|ana> notes")
        assert "escalations" not in said and "no one-on-one between you" in said
    # The wrong people pressing the items' buttons change nothing.
    item_id = button_value(proposed, "oneonone_no_thanks")
    before = len(bravo.slack.calls("response_url"))
    click(bravo, COACH, proposed, "oneonone_no_thanks", item_id)
    bravo.slack.wait_for("response_url", count=before + 1)
    assert "isn't yours" in last_reply(bravo)
    done_id = button_value(follow_up, "oneonone_item_done")
    before = len(bravo.slack.calls("response_url"))
    click(bravo, ANA, follow_up, "oneonone_item_done", done_id)
    bravo.slack.wait_for("response_url", count=before + 1)
    assert "isn't yours" in last_reply(bravo)
    # Open items carry into the next prep.
    coach(bravo, COACH, "prep <@UANA|ana>")
    latest = json.dumps(posts_to(bravo, COACH, "One-on-one prep")[-1].args)
    assert "Find a course" in latest and "Shadow Cy" in latest and "Follow up on" in latest
    # Ana makes hers a goal, from the goal modal prefilled with the item.
    opened_before = len(bravo.slack.calls("views.open"))
    click(bravo, ANA, proposed, "oneonone_make_goal", item_id)
    goal_view = bravo.slack.wait_for("views.open", count=opened_before + 1)[-1].args["view"]
    assert "Shadow Cy on two calls" in json.dumps(goal_view)
    saved = bravo.send.view_submission(ANA, goal_view, goal_values(what="Shadow Cy on two calls"))
    assert (saved.json() or {}) == {}
    with bravo.deps.db.read() as s:
        [goal] = s.exec(select(Goal).where(Goal.owner_id == ANA)).all()
        item = s.get(ActionItem, int(item_id))
        assert item is not None and item.state == "done" and item.goal_id == goal.id
    # A second press says it was answered; Ben marks his done; nothing is left open.
    before = len(bravo.slack.calls("response_url"))
    click(bravo, ANA, proposed, "oneonone_no_thanks", item_id)
    bravo.slack.wait_for("response_url", count=before + 1)
    assert "already answered" in last_reply(bravo)
    before = len(bravo.slack.calls("response_url"))
    click(bravo, COACH, follow_up, "oneonone_item_done", done_id)
    bravo.slack.wait_for("response_url", count=before + 1)
    assert "Done" in last_reply(bravo)
    assert "None open" in coach(bravo, ANA, "1on1 <@UBEN|ben> notes")


def test_no_thanks_declines_and_the_coach_keeps_no_goal_for_her(bravo: Bravo) -> None:
    coach(bravo, COACH, "1on1 <@UANA|ana> every tuesday 14:00")
    coach(bravo, COACH, "prep <@UANA|ana>")
    [prep] = posts_to(bravo, COACH, "One-on-one prep")
    click(bravo, COACH, prep, "oneonone_add_notes", button_value(prep, "oneonone_add_notes"))
    [opened] = bravo.slack.wait_for("views.open")
    bravo.send.view_submission(
        COACH, opened.args["view"], notes_values("", ("Read the guide", "coachee"))
    )
    [proposed] = posts_to(bravo, ANA, "Make it my goal")
    before = len(bravo.slack.calls("response_url"))
    click(bravo, ANA, proposed, "oneonone_no_thanks", button_value(proposed, "oneonone_no_thanks"))
    bravo.slack.wait_for("response_url", count=before + 1)
    assert "You said no thanks" in last_reply(bravo)
    with bravo.deps.db.read() as s:
        assert s.exec(select(Goal)).all() == []
        assert [i.state for i in s.exec(select(ActionItem)).all()] == ["declined"]
    assert "None open" in coach(bravo, COACH, "1on1 <@UANA|ana> notes")


def test_another_coach_of_hers_sees_only_their_own_one_on_ones(bravo: Bravo) -> None:
    """Ana has two coaches, each with a one-on-one: topics, preps and notes of one are never
    in the other's."""
    coach(bravo, COACH, "1on1 <@UANA|ana> every tuesday 14:00")
    coach(bravo, CO2, "1on1 <@UANA|ana> every tuesday 14:00")
    at = TUESDAY_1300 - timedelta(hours=2)
    assert run_at(bravo, at) == Counter({"prepped": 2})
    asks = posts_to(bravo, ANA, "Add a topic")
    ben_ask = next(c for c in asks if "<@UBEN>" in json.dumps(c.args))
    click(bravo, ANA, ben_ask, "oneonone_add_topic", button_value(ben_ask, "oneonone_add_topic"))
    [opened] = bravo.slack.wait_for("views.open")
    values = {"oneonone_topic": {"input": {"type": "plain_text_input", "value": "Only for Ben"}}}
    bravo.send.view_submission(ANA, opened.args["view"], values)
    coach(bravo, COACH, "prep <@UANA|ana>")
    coach(bravo, CO2, "prep <@UANA|ana>")
    assert "Only for Ben" in json.dumps(posts_to(bravo, COACH, "One-on-one prep")[-1].args)
    assert not posts_to(bravo, CO2, "Only for Ben")
    assert "<@UBEN>" not in coach(bravo, CO2, "1on1 list")


def test_goal_away_until_the_meeting_day_skips_the_prep(bravo: Bravo) -> None:
    coach(bravo, COACH, "1on1 <@UANA|ana> every tuesday 14:00")
    coach(bravo, ANA, "help")  # Ana is known to Bravo
    bravo.send.slash_command(ANA, "/goal", "away until 2026-11-24", channel_id=CHANNEL)
    bravo.slack.wait_for("response_url", count=3)
    assert run_at(bravo, TUESDAY_1300 - timedelta(hours=2)) == Counter({"away": 1})
    assert not preps_to(bravo, COACH)
    # Back by the next meeting: its prep goes out.
    assert run_at(bravo, TUESDAY_1300 + timedelta(minutes=1)) == Counter({"advanced": 1})
    assert run_at(bravo, TUESDAY_1300 + timedelta(days=7, hours=-2)) == Counter({"prepped": 1})
    assert len(preps_to(bravo, COACH)) == 1


def test_the_prep_counts_lessons_shared_and_found_helpful_never_private_ones(
    bravo: Bravo,
) -> None:
    """Posted lessons are public: counted without the coachee's opt-in; private ones never."""
    from tests.bot.profile import history as h

    now, db = bravo.clock(), bravo.deps.db
    day = timedelta(days=1)
    secret = "My private lesson about the boss"
    h.lesson(db, ANA, team=T, posted=now - 3 * day, helps=[(OTHER, now - day), (LEAD, now - day)])
    h.lesson(db, ANA, team=T, posted=now - 200 * day, helps=[(OTHER, now - 2 * day)])  # old one
    h.lesson(db, ANA, team=T, posted=now - 120 * day)  # shared before the 90 days
    h.lesson(db, ANA, team=T, posted=None, created=now - day, visibility="private", learned=secret)
    h.lesson(db, ANA, team=T, posted=now - day, visibility="private", helps=[(OTHER, now)])
    h.lesson(db, OTHER, team=T, posted=now - day, helps=[(ANA, now)])  # someone else's
    h.lesson(db, ANA, team="T0ELSEWHERE", posted=now - day, helps=[(OTHER, now)])
    coach(bravo, COACH, "1on1 <@UANA|ana> every tuesday 14:00")
    coach(bravo, COACH, "prep <@UANA|ana>")
    [note] = preps_to(bravo, COACH)
    assert "1 lesson shared in team channels; teammates found their lessons helpful 3 times" in note
    assert "Not shared: it is theirs" in note  # her profile stays hers; the counts are public
    assert secret not in note and "Name the feeling first" not in note  # counts, never texts
    assert "Training they recorded" not in note  # not shared with coaches
    set_shared_with_coaches(bravo.deps, team_id=T, user_id=ANA, on=True)
    seen: list[str] = []

    def read(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", read)
    try:
        coach(bravo, COACH, "prep <@UANA|ana>")
        shared = preps_to(bravo, COACH)[-1]
    finally:
        event.remove(db.engine, "before_cursor_execute", read)
    assert len([s for s in seen if "FROM lesson l" in s]) == 1  # the profile's read, once
    assert "lessons shared 1 (before 1)" in shared and "found helpful 3 (before 0)" in shared
    assert "1 lesson shared in team channels; teammates found" in shared


def test_the_prep_says_when_no_lesson_was_shared(bravo: Bravo) -> None:
    coach(bravo, COACH, "1on1 <@UANA|ana> every tuesday 14:00")
    coach(bravo, COACH, "prep <@UANA|ana>")
    [note] = preps_to(bravo, COACH)
    assert "Lessons shared (90 days)" in note and "None shared." in note
