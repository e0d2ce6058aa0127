"""One-on-ones end to end: signed /coach requests in, what Slack was asked to show out, what
was saved, and who could see what."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from bot.sandbox.server import FakeSlack
from storage.db import Database
from storage.models import CoachPairing
from storage.models.oneonones import OneOnOne
from tests.handlers.conftest import CHANNEL, Bravo, start_bravo

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
