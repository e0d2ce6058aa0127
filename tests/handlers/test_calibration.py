"""Calibration end to end: signed requests in, what Slack was asked to show out. The access
matrix (lead, invited reviewer, uninvited teammate, the agent, an admin who is not the lead,
another workspace), blindness before the reveal (every DM and modal recorded is inspected), the
deadline reveal by the job (run twice: one reveal), the agreed score, and bad input."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import func, select

from bot.calibration import jobs, service
from bot.calibration.errors import RoundNotFoundError
from bot.calibration.parse import OpenRound
from bot.sandbox.server import Call, FakeSlack
from storage.db import Database
from storage.models import (
    Calibration,
    CalibrationScore,
    OutboxRow,
    ShoutoutChannel,
    WorkspaceConfig,
)
from tests.handlers.conftest import CHANNEL, Bravo, start_bravo

T = "T0SANDBOX"
LEAD, BEN, CY, DEE = "UANA", "UBEN", "UCY", "UDEE"
AGENT, OUTSIDER, ADMIN = "UEVE", "UDEV", "UADMIN"
LINK = "<https://help.example.com/tickets/4521>"
ROUND = f"{LINK} <@{BEN}|ben> <@{CY}|cy> <@{DEE}|dee> for <@{AGENT}|eve>"
# How a revealed spread names a score: "<@UBEN> 3". Nothing shows this before the reveal.
SCORE_SHOWN = re.compile(r"<@U[A-Z0-9]+> (\d|n/a)")


@pytest.fixture
def bravo(slack: FakeSlack, db: Database) -> Iterator[Bravo]:
    slack.add_user(DEE, "dee", tz="Europe/London")
    slack.add_user(AGENT, "eve")
    slack.add_user(OUTSIDER, "dev")
    slack.add_user(ADMIN, "ada", is_admin=True)
    for started in start_bravo(slack, db):
        now = started.clock()
        with db.write() as s:  # Ana created the team channel: she leads the team
            s.add(
                ShoutoutChannel(
                    team_id=T,
                    channel_id=CHANNEL,
                    enabled_by=LEAD,
                    creator_id=LEAD,
                    since=now,
                    updated_at=now,
                )
            )
        yield started


def skills(bravo: Bravo) -> tuple[str, ...]:
    return bravo.deps.config(T).kudos.values


def cmd(bravo: Bravo, user: str, text: str) -> str:
    """``/review calibrate <text>``: the reply's words and blocks."""
    before = len(bravo.slack.calls("response_url"))
    result = bravo.send.slash_command(user, "/review", f"calibrate {text}", channel_id=CHANNEL)
    assert result.status == 200
    reply = bravo.slack.wait_for("response_url", before + 1)[-1].args
    return str(reply.get("text", "")) + json.dumps(reply.get("blocks") or [])


def count(bravo: Bravo, model: Any) -> int:
    with bravo.deps.db.read() as s:
        return int(s.exec(select(func.count()).select_from(model)).one())


def newest_round(bravo: Bravo) -> Calibration:
    with bravo.deps.db.read() as s:
        row = s.exec(select(Calibration).order_by(Calibration.id.desc())).first()  # type: ignore[union-attr]
    assert row is not None
    return row


def open_round(bravo: Bravo, text: str = ROUND, lead: str = LEAD) -> int:
    reply = cmd(bravo, lead, text)
    assert "is open" in reply, reply
    bravo.deliver()
    return newest_round(bravo).id or 0


def view_of(call: Call) -> dict[str, Any]:
    view = call.args["view"]
    return json.loads(view) if isinstance(view, str) else view


def press(bravo: Bravo, user: str, action_id: str, round_id: int) -> dict[str, Any] | str:
    """A button: the modal it opened, or the words it answered with."""
    views = len(bravo.slack.calls("views.open"))
    replies = len(bravo.slack.calls("response_url"))
    result = bravo.send.block_action(user, action_id, str(round_id), channel_id="D0DM")
    assert result.status == 200
    _wait_either(bravo, views, replies)
    if len(bravo.slack.calls("views.open")) > views:
        return view_of(bravo.slack.calls("views.open")[-1])
    return str(bravo.slack.calls("response_url")[-1].args.get("text", ""))


def _wait_either(bravo: Bravo, views: int, replies: int) -> None:
    end = time.monotonic() + 5
    while time.monotonic() < end:
        if (
            len(bravo.slack.calls("views.open")) > views
            or len(bravo.slack.calls("response_url")) > replies
        ):
            return
        time.sleep(0.01)
    raise AssertionError("the button was answered with neither a modal nor words")


def card(bravo: Bravo, scores: dict[str, str]) -> dict[str, Any]:
    """A scorecard's state.values: each skill's score ("na" for not applicable; 3 if unsaid)."""
    return {
        f"sc_score:{skill}": {
            "input": {
                "type": "static_select",
                "selected_option": {"value": scores.get(skill, "3")},
            }
        }
        for skill in skills(bravo)
    }


def submit(bravo: Bravo, user: str, view: dict[str, Any], values: dict[str, Any]) -> dict:
    result = bravo.send.view_submission(user, view, values)
    assert result.status == 200
    return result.json() or {}


def score(bravo: Bravo, user: str, round_id: int, scores: dict[str, str]) -> dict:
    view = press(bravo, user, "calibration_score", round_id)
    assert isinstance(view, dict), view
    return submit(bravo, user, view, card(bravo, scores))


def shown_to(bravo: Bravo) -> list[str]:
    """Everything Slack was asked to show: every message, edit, reply and modal."""
    shown = []
    for method in ("chat.postMessage", "chat.update", "response_url", "views.open"):
        shown += [json.dumps(c.args, ensure_ascii=False) for c in bravo.slack.calls(method)]
    return shown


def dms_to(bravo: Bravo, user: str, words: str) -> list[Call]:
    return [
        c
        for c in bravo.slack.calls("chat.postMessage", ok=True)
        if c.args.get("channel") == user and words in c.args.get("text", "")
    ]


# A round, scored blind and revealed -------------------------------------------------------------


def test_a_round_is_scored_blind_and_revealed_when_everyone_has_scored(bravo: Bravo) -> None:
    round_id = open_round(bravo)
    for reviewer in (BEN, CY, DEE):
        [invite] = dms_to(bravo, reviewer, "asks you to score")
        assert "help.example.com/tickets/4521" in invite.args["text"]
    assert not dms_to(bravo, AGENT, "") and not dms_to(bravo, OUTSIDER, "")
    empathy = skills(bravo)[0]
    assert score(bravo, BEN, round_id, {empathy: "1"}) == {}
    assert score(bravo, CY, round_id, {empathy: "2"}) == {}
    bravo.deliver()
    # Blind: two of three have scored; nothing shown anywhere carries a score, and Dee's
    # scorecard comes empty (nobody's score preselected).
    view = press(bravo, DEE, "calibration_score", round_id)
    assert isinstance(view, dict) and "initial_option" not in json.dumps(view)
    assert all(not SCORE_SHOWN.search(s) and "Agreement" not in s for s in shown_to(bravo))
    assert "2 of 3 have scored" in cmd(bravo, DEE, f"show {round_id}")
    assert submit(bravo, DEE, view, card(bravo, {empathy: "4"})) == {}
    bravo.deliver()
    for person in (LEAD, BEN, CY, DEE):
        [reveal] = dms_to(bravo, person, "is revealed")
        blocks = json.dumps(reveal.args["blocks"])
        assert f"<@{BEN}> 1" in blocks and f"<@{DEE}> 4" in blocks and "1-4" in blocks
        assert ("calibration_agree" in blocks) == (person == LEAD)
    assert not dms_to(bravo, AGENT, "") and not dms_to(bravo, OUTSIDER, "")
    row = newest_round(bravo)
    n = len(skills(bravo))
    assert row.status == "revealed" and row.agreement == pytest.approx((n - 1) / n)
    # The invitations lost their button; a second submission changes nothing.
    assert "are in" in bravo.slack.messages(BEN)[0]["text"]
    assert "scored this round already" in json.dumps(submit(bravo, BEN, view, card(bravo, {})))
    assert count(bravo, CalibrationScore) == 3 * n


def test_the_lead_records_the_agreed_score_and_everyone_invited_is_told(bravo: Bravo) -> None:
    round_id = open_round(bravo, f"{LINK} <@{BEN}|ben> <@{CY}|cy>")
    empathy = skills(bravo)[0]
    assert "aren't revealed yet" in str(press(bravo, LEAD, "calibration_agree", round_id))
    score(bravo, BEN, round_id, {empathy: "2"})
    score(bravo, CY, round_id, {empathy: "4"})
    bravo.deliver()
    assert "Only the lead" in str(press(bravo, BEN, "calibration_agree", round_id))
    form = press(bravo, LEAD, "calibration_agree", round_id)
    assert isinstance(form, dict)
    first = next(b for b in form["blocks"] if b.get("block_id") == f"sc_score:{empathy}")
    assert first["element"]["initial_option"]["value"] == "3"  # the median of 2 and 4
    assert submit(bravo, LEAD, form, card(bravo, {empathy: "3"})) == {}
    bravo.deliver()
    for person in (LEAD, BEN, CY):
        assert len(dms_to(bravo, person, "recorded the agreed score")) == 1
    assert not dms_to(bravo, AGENT, "recorded")
    assert "recorded already" in json.dumps(submit(bravo, LEAD, form, card(bravo, {})))
    assert "recorded already" in str(press(bravo, LEAD, "calibration_agree", round_id))
    assert newest_round(bravo).status == "agreed"
    assert "agreed: *3/4" in cmd(bravo, BEN, f"show {round_id}")


def test_the_deadline_reveals_once_and_names_who_did_not_score(bravo: Bravo) -> None:
    round_id = open_round(bravo, f"{ROUND} in 2 days")
    score(bravo, BEN, round_id, {})
    score(bravo, CY, round_id, {})
    due = newest_round(bravo).deadline_at
    assert due == bravo.clock() + timedelta(days=2)
    assert jobs.next_reveal(bravo.deps, bravo.clock()) == due
    assert jobs.run_reveals(bravo.deps, due - timedelta(minutes=1)) == {}
    bravo.clock.at = due + timedelta(minutes=1)
    assert jobs.run_reveals(bravo.deps, bravo.clock()) == {"revealed": 1}
    assert jobs.run_reveals(bravo.deps, bravo.clock()) == {}  # run twice: one reveal
    bravo.deliver()
    for person in (LEAD, BEN, CY, DEE):
        [reveal] = dms_to(bravo, person, "is revealed")
        assert f"Did not score by the deadline: <@{DEE}>" in json.dumps(reveal.args["blocks"])
    assert "takes no more scores" in bravo.slack.messages(DEE)[0]["text"]  # button gone
    assert "closed" in str(press(bravo, DEE, "calibration_score", round_id))
    assert jobs.next_reveal(bravo.deps, bravo.clock()) is None


def test_the_lead_cancels_an_open_round_and_nothing_is_scored_or_revealed_after(
    bravo: Bravo,
) -> None:
    round_id = open_round(bravo, f"{ROUND} in 2 days")
    empathy = skills(bravo)[0]
    score(bravo, BEN, round_id, {empathy: "1"})
    bravo.deliver()
    assert "Only the lead who opened this round cancels it" in cmd(bravo, BEN, f"cancel {round_id}")
    for user in (AGENT, ADMIN):  # not invited: not told the round exists
        assert "can't find" in cmd(bravo, user, f"cancel {round_id}")
    assert newest_round(bravo).status == "open"
    assert "is cancelled" in cmd(bravo, LEAD, f"cancel #{round_id}")
    assert newest_round(bravo).status == "cancelled"
    bravo.deliver()
    for reviewer in (BEN, CY, DEE):  # each invitation says so, without its button
        assert "was cancelled" in bravo.slack.messages(reviewer)[0]["text"]
    assert "cancelled by the lead" in str(press(bravo, CY, "calibration_score", round_id))
    assert "cancelled" in cmd(bravo, LEAD, f"cancel {round_id}")  # twice: said, not redone
    bravo.clock.at = bravo.clock() + timedelta(days=3)
    assert jobs.run_reveals(bravo.deps, bravo.clock()) == {}  # never revealed
    bravo.deliver()
    assert not any(SCORE_SHOWN.search(s) for s in shown_to(bravo))
    assert "cancelled" in cmd(bravo, LEAD, "history")
    assert "can't find" in cmd(bravo, LEAD, "cancel 999")


def test_a_reveal_skips_sending_where_bravo_was_uninstalled(bravo: Bravo) -> None:
    open_round(bravo, f"{ROUND} in 1 day")
    with bravo.deps.db.write() as s:
        config = s.get(WorkspaceConfig, T) or WorkspaceConfig(team_id=T, updated_at=bravo.clock())
        config.uninstalled_at = bravo.clock()
        s.add(config)
    at = bravo.clock() + timedelta(days=2)
    assert jobs.run_reveals(bravo.deps, at) == {"revealed_unsent": 1}
    assert jobs.run_reveals(bravo.deps, at) == {}
    assert newest_round(bravo).status == "revealed"
    with bravo.deps.db.read() as s:
        kinds = s.exec(select(OutboxRow.kind)).all()
    assert "calibration_reveal" not in kinds


# Who may do what --------------------------------------------------------------------------------


NOT_FOUND = "can't find that calibration round"


def test_the_access_matrix(bravo: Bravo) -> None:
    # Open: the lead and an admin may; a reviewer, a teammate and the agent may not.
    for user in (BEN, OUTSIDER, AGENT):
        assert "Only team leads and admins" in cmd(bravo, user, ROUND)
    assert count(bravo, Calibration) == 0
    assert "is open" in cmd(bravo, ADMIN, f"{LINK} <@{BEN}|ben> <@{CY}|cy>")
    round_id = open_round(bravo)
    empathy = skills(bravo)[0]
    # Score: only an invited reviewer.
    for user in (LEAD, OUTSIDER, AGENT, ADMIN):
        assert NOT_FOUND in str(press(bravo, user, "calibration_score", round_id))
    score(bravo, BEN, round_id, {empathy: "1"})
    # Before the reveal: the lead and reviewers see who has scored, never a score; nobody
    # else learns the round exists.
    for user in (LEAD, BEN, CY):
        seen = cmd(bravo, user, f"show {round_id}")
        assert "1 of 3 have scored" in seen and not SCORE_SHOWN.search(seen)
    for user in (OUTSIDER, AGENT, ADMIN):
        assert NOT_FOUND in cmd(bravo, user, f"show {round_id}")
    score(bravo, CY, round_id, {empathy: "2"})
    score(bravo, DEE, round_id, {empathy: "2"})
    bravo.deliver()
    # After the reveal: the spread for the lead and the reviewers only.
    for user in (LEAD, BEN, CY, DEE):
        assert f"<@{BEN}> 1" in cmd(bravo, user, f"show {round_id}")
    for user in (OUTSIDER, AGENT, ADMIN):
        assert NOT_FOUND in cmd(bravo, user, f"show {round_id}")
    # The agreed score: the lead only.
    for user in (OUTSIDER, AGENT, ADMIN):
        assert NOT_FOUND in str(press(bravo, user, "calibration_agree", round_id))
    assert "Only the lead" in str(press(bravo, CY, "calibration_agree", round_id))
    # History: a lead's own rounds; an admin who leads none has none; others are refused.
    mine = cmd(bravo, LEAD, "history")
    assert f"#{round_id}" in mine and "agreement 100%" in mine
    assert f"#{round_id}" not in cmd(bravo, ADMIN, "history")
    for user in (BEN, OUTSIDER, AGENT):
        assert "Only team leads and admins" in cmd(bravo, user, "agreement")
    # Another workspace: the same round id is nobody's there.
    for use in (
        lambda: service.show_round(bravo.deps, team_id="T0OTHER", round_id=round_id, viewer_id=BEN),
        lambda: service.round_to_score(
            bravo.deps, team_id="T0OTHER", round_id=round_id, reviewer_id=BEN
        ),
        lambda: service.agree_form(bravo.deps, team_id="T0OTHER", round_id=round_id, lead_id=LEAD),
    ):
        with pytest.raises(RoundNotFoundError):
            use()
    # Nothing of it ever reached the agent, the outsider or a channel.
    for user in (AGENT, OUTSIDER):
        assert not dms_to(bravo, user, "")
    assert not [c for c in bravo.slack.calls("chat.postMessage") if c.args["channel"][0] == "C"]


def test_history_shows_agreement_over_time_newest_first(bravo: Bravo) -> None:
    empathy, listening = skills(bravo)[:2]
    for low in ("1", "3"):
        round_id = open_round(bravo, f"{LINK} <@{BEN}|ben> <@{CY}|cy>")
        score(bravo, BEN, round_id, {empathy: low, listening: low})
        score(bravo, CY, round_id, {})
        bravo.clock.at += timedelta(days=1)
    seen = cmd(bravo, LEAD, "history")
    n = len(skills(bravo))
    first, second = f"agreement {round((n - 2) / n * 100)}%", "agreement 100%"
    assert seen.index(second) < seen.index(first)  # newest first
    assert "improving" in seen


# A second delivery, and bad input ---------------------------------------------------------------


def test_a_command_delivered_twice_over_http_opens_one_round(bravo: Bravo) -> None:
    fields = {
        "team_id": T,
        "channel_id": CHANNEL,
        "user_id": LEAD,
        "command": "/review",
        "text": f"calibrate {LINK} <@{BEN}|ben> <@{CY}|cy>",
        "response_url": bravo.send.response_url(LEAD, CHANNEL),
        "trigger_id": "1234.5678.deadbeef",
    }
    for n in (1, 2):
        assert bravo.send.post_form(fields).status == 200
        reply = bravo.slack.wait_for("response_url", n)[-1].args["text"]
        assert "round #1 is open" in reply
    bravo.deliver()
    assert count(bravo, Calibration) == 1
    assert len(dms_to(bravo, BEN, "asks you to score")) == 1


def test_the_same_command_delivered_twice_opens_one_round(bravo: Bravo) -> None:
    asked = OpenRound("https://help.example.com/t/1", (BEN, CY))
    one = service.open_round(bravo.deps, team_id=T, lead_id=LEAD, asked=asked, request_key="1.2.x")
    two = service.open_round(bravo.deps, team_id=T, lead_id=LEAD, asked=asked, request_key="1.2.x")
    assert one.fresh and not two.fresh and one.round.id == two.round.id
    assert count(bravo, Calibration) == 1
    with bravo.deps.db.read() as s:
        assert (
            len(s.exec(select(OutboxRow).where(OutboxRow.kind == "calibration_invite")).all()) == 2
        )


BAD_INPUT = [
    (f"<@{BEN}|ben> <@{CY}|cy> <@{DEE}|dee>", "link to the conversation comes first"),
    (f"<@{BEN}|ben> {LINK}", "you named 1"),
    (LINK, "you named 0"),
    (f"{LINK} <@{BEN}|ben>", "you named 1"),
    (f"{LINK} " + " ".join(f"<@U{i:04d}|p{i}>" for i in range(11)), "you named 11"),
    (f"{LINK} <@{BEN}|ben> <@UROBOT|deploybot>", "is a bot"),
    (f"{LINK} <@{BEN}|ben> <@UGONE|gone>", "has left the workspace"),
    (f"{LINK} <@{BEN}|ben> <@{CY}|cy> by someday", "as a deadline"),
    (f"{LINK} <@{BEN}|ben> <@{CY}|cy> by 2020-01-01", "already past"),
    (f"{LINK} <@{BEN}|ben> <@{CY}|cy> for <@{BEN}|ben>", "can't score it"),
    (f"{LINK} <@{BEN}|ben> <@{CY}|cy> for <@UROBOT|deploybot>", "whose conversation it is"),
    ("x" * 40_000, "40000 characters"),
    (f"<mailto:boss@example.com> <@{BEN}|ben> <@{CY}|cy>", "isn't a web link"),
    (f"{LINK} <@{BEN}|ben> <@{CY}|cy> <!channel>", "I don't understand"),
]


def test_bad_input_is_refused_with_nothing_stored(bravo: Bravo) -> None:
    for text, words in BAD_INPUT:
        reply = cmd(bravo, LEAD, text)
        assert words in reply, (text[:80], reply[:300])
        assert "<!channel>" not in reply  # what was typed is never echoed live
    assert count(bravo, Calibration) == 0 and count(bravo, OutboxRow) == 0


def test_a_forged_scorecard_is_refused_under_its_field(bravo: Bravo) -> None:
    round_id = open_round(bravo, f"{LINK} <@{BEN}|ben> <@{CY}|cy>")
    view = press(bravo, BEN, "calibration_score", round_id)
    assert isinstance(view, dict)
    values = card(bravo, {skills(bravo)[0]: "9"})
    answer = submit(bravo, BEN, view, values)
    assert answer["response_action"] == "errors"
    assert f"sc_score:{skills(bravo)[0]}" in answer["errors"]
    # Someone else submitting Ben's form (a forged view) is nobody invited.
    assert NOT_FOUND in json.dumps(submit(bravo, OUTSIDER, view, card(bravo, {})))
    assert count(bravo, CalibrationScore) == 0
