"""Mistyped commands over signed HTTP: each answer names the command that was typed, with that
command's own example, a near miss gets "did you mean", and nothing is given, posted or stored.
Also ``/coach end @someone``, people who can't have stats or be a lead."""

from __future__ import annotations

import json

from sqlmodel import SQLModel, func, select

from storage.models import CoachPairing, FeedbackRequest, Kudos, OutboxRow, TeamLead
from tests.handlers.conftest import CHANNEL, Bravo


def said(bravo: Bravo, command: str, text: str, user: str = "UANA") -> str:
    """Send one command and wait for its one reply (the text and the blocks)."""
    before = len(bravo.slack.calls("response_url"))
    result = bravo.send.slash_command(user, command, text, channel_id=CHANNEL)
    assert result.status == 200, result.body
    args = bravo.slack.wait_for("response_url", count=before + 1, timeout=5)[before].args
    assert args["response_type"] == "ephemeral"
    return str(args["text"]) + json.dumps(args.get("blocks") or [])


def count(bravo: Bravo, table: type[SQLModel]) -> int:
    with bravo.deps.db.read() as s:
        return int(s.exec(select(func.count()).select_from(table)).one())


def nothing_happened(bravo: Bravo) -> None:
    bravo.deliver()
    assert bravo.slack.calls("chat.postMessage") == []
    for table in (Kudos, OutboxRow, CoachPairing, FeedbackRequest, TeamLead):
        assert count(bravo, table) == 0, table


MISTAKES = [
    ("/goal", "lsit", "I don't understand `/goal lsit`. Did you mean `/goal list`?"),
    ("/goal", "delete", "I don't understand `/goal delete`. Try `/goal help`, e.g. `/goal list`."),
    ("/coach", "cy", "I don't understand `/coach cy`. Try `/coach help`, e.g. `/coach @ana`."),
    ("/coach", "lsit", "Did you mean `/coach list`?"),
    ("/coach", "<@UCY|cy> <@UBEN|ben>", "`/coach` takes one person at a time, e.g. `/coach @ana`"),
    ("/coach", "end", "`/coach end` needs @mentions"),
    ("/coach", "end <@UCY|cy> <@UBEN|ben>", "`/coach end` takes one person at a time"),
    ("/feedback", "inbx", "I don't understand `/feedback inbx`. Did you mean `/feedback inbox`?"),
    ("/feedback", "request", "Who should I ask for feedback? `/feedback request` needs"),
    ("/feedback", "<@UCY|cy> <@UBEN|ben>", "`/feedback` takes one person at a time"),
    ("/kudos", "halp", "Did you mean `/kudos help`?"),
    ("/kudos", "stat", "Did you mean `/kudos stats`?"),
    ("/kudos", "leaderbord", "Did you mean `/kudos leaderboard`?"),
    ("/kudos", "stat <@UBEN|ben>", "Did you mean `/kudos stats`?"),
    ("/kudos", "leaderboard yesterday", "`/kudos leaderboard yesterday`"),
    ("/bravo", "shotouts on", "Did you mean `/bravo shoutouts`?"),
    ("/bravo", "fairness maybe", "`/bravo fairness maybe`. Try `/bravo help`"),
    ("/bravo", "celebrate someday", "`/bravo celebrate someday`. Try `/bravo help`"),
]


def test_each_mistake_is_answered_in_the_words_of_its_command(bravo: Bravo) -> None:
    for command, text, expected in MISTAKES:  # one Bravo for all: seconds, not minutes
        words = said(bravo, command, text)
        assert expected in words, (command, text, words)
        others = {"/kudos", "/goal", "/coach", "/feedback", "/bravo"} - {command}
        assert not any(f"`{other}" in words for other in others), words
        assert "kudos" not in words.lower() or command == "/kudos", words
        assert "<@" not in words, words  # what was typed comes back escaped, never a mention
    nothing_happened(bravo)


def test_stats_of_someone_slack_does_not_know_or_of_a_bot_are_refused(bravo: Bravo) -> None:
    nobody = said(bravo, "/kudos", "stats <@UNOBODY|nobody>")
    assert "couldn't find <@UNOBODY>" in nobody and "Received:" not in nobody  # no zero card
    robot = said(bravo, "/kudos", "stats <@UROBOT|deploybot>")
    assert "<@UROBOT> is a bot" in robot and "Received:" not in robot
    assert "<@UBEN>'s kudos" in said(bravo, "/kudos", "stats <@UBEN|ben>")


def test_a_bot_someone_who_left_or_nobody_cannot_be_a_team_lead(bravo: Bravo) -> None:
    bravo.slack.add_user("UBOSS", "boss", is_admin=True)
    for who, why in [
        ("<@UROBOT|deploybot>", "<@UROBOT> is a bot"),
        ("<@UGONE|gone>", "<@UGONE> has left the workspace"),
        ("<@UNOBODY|nobody>", "<@UNOBODY> isn't someone I can find"),
    ]:
        words = said(bravo, "/bravo", f"lead {who}", user="UBOSS")
        assert why in words and "can't be a team lead" in words
    nothing_happened(bravo)
    assert "<@UBEN>" in said(bravo, "/bravo", "lead <@UBEN|ben>", user="UBOSS")
    assert count(bravo, TeamLead) == 1


def offer_accepted(bravo: Bravo, coach: str, coachee: str) -> None:
    from bot.coaching import service as coaching
    from bot.users import Person

    with bravo.deps.db.write() as s:
        row = coaching.request_coaching(
            s, team_id="T0SANDBOX", coach=Person(coach), coachee=Person(coachee), now=bravo.clock()
        )
        coaching.answer_request(
            s,
            team_id="T0SANDBOX",
            pairing_id=row.id or 0,
            actor_id=coachee,
            accept=True,
            now=bravo.clock(),
        )


def live(bravo: Bravo) -> list[tuple[str, str, str]]:
    with bravo.deps.db.read() as s:
        rows = s.exec(select(CoachPairing).order_by(CoachPairing.id)).all()  # type: ignore[arg-type]
        return [(r.coach_id, r.coachee_id, r.status) for r in rows]


def test_coach_end_ends_the_coaching_from_either_side_and_tells_the_other_once(
    bravo: Bravo,
) -> None:
    offer_accepted(bravo, coach="UBEN", coachee="UCY")
    # The coachee ends it: the coach is told once.
    words = said(bravo, "/coach", "end <@UBEN|ben>", user="UCY")
    assert "You ended the coaching between <@UBEN> (coach) and <@UCY>" in words
    assert live(bravo) == [("UBEN", "UCY", "ended")]
    bravo.deliver()
    to_ben = [c.args for c in bravo.slack.calls("chat.postMessage") if c.args["channel"] == "UBEN"]
    assert len(to_ben) == 1 and "<@UCY> ended the coaching" in to_ben[0]["text"]
    # Nothing left to end: said so, and nobody is told again.
    words = said(bravo, "/coach", "end <@UBEN|ben>", user="UCY")
    assert "no coaching between you and <@UBEN>" in words and "`/coach list`" in words
    # The coach's side works too.
    offer_accepted(bravo, coach="UANA", coachee="UBEN")
    assert "(coach) and <@UBEN>" in said(bravo, "/coach", "end <@UBEN|ben>", user="UANA")
    bravo.deliver()
    posts = bravo.slack.calls("chat.postMessage")
    assert [c.args["channel"] for c in posts] == ["UBEN", "UBEN"]
    assert "<@UANA> ended the coaching" in posts[1].args["text"]


def test_coach_end_with_nobody_between_them_changes_nothing(bravo: Bravo) -> None:
    offer_accepted(bravo, coach="UBEN", coachee="UCY")
    words = said(bravo, "/coach", "end <@UBEN|ben>", user="UANA")
    assert "no coaching between you and <@UBEN>" in words
    assert live(bravo) == [("UBEN", "UCY", "active")]
    bravo.deliver()
    assert bravo.slack.calls("chat.postMessage") == []
