"""Practice end to end: signed requests in, what Slack was asked to show out, and who could do
and see what. A practice reply is seen by the person who wrote it and by the raters they asked;
nobody else, not even their coach unless asked, and never in a channel."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import func, select

from bot.practice import ids
from bot.sandbox.blockkit import check_view
from bot.sandbox.server import Call, FakeSlack
from bot.sandbox.signing import SlackRequester
from bot.work import WorkQueue
from bot.worker import record_for
from storage.db import Database
from storage.models import CoachPairing
from storage.models.practice import PracticePlan, PracticeRating, PracticeRound, RoundStatus
from tests.handlers.conftest import CHANNEL, SECRET, Bravo, start_bravo
from tests.handlers.test_replay import done_twice

T = "T0SANDBOX"
ANA, BEN, CY, COACH, OTHER = "UANA", "UBEN", "UCY", "UCOCO", "UDEV"
STRANGER = "UFAR"  # someone Slack here does not know
REPLY = "So sorry about the double charge <@UCY> <!channel>: your refund goes out today."
SECRET_WORDS = "double charge"  # words of the reply that must not reach anyone else
REFUSED = "couldn't find that practice round"
NOT_ASKED = "weren't asked"


@pytest.fixture
def bravo(slack: FakeSlack, db: Database) -> Iterator[Bravo]:
    slack.add_user(COACH, "coco")
    slack.add_user(OTHER, "dev")
    for bravo in start_bravo(slack, db):
        with bravo.deps.db.write() as s:
            s.add(
                CoachPairing(
                    team_id=T,
                    coach_id=COACH,
                    coachee_id=ANA,
                    status="active",
                    requested_at=bravo.clock(),
                )
            )
        yield bravo


def view_of(call: Call) -> dict[str, Any]:
    view = call.args["view"]
    return json.loads(view) if isinstance(view, str) else view


def command(bravo: Bravo, user: str, text: str) -> str:
    """``/practice text``: the reply's words."""
    replies = len(bravo.slack.calls("response_url"))
    assert bravo.send.slash_command(user, "/practice", text, channel_id=CHANNEL).status == 200
    calls = bravo.slack.wait_for("response_url", replies + 1, timeout=5)
    reply = calls[-1].args
    return reply["text"] + json.dumps(reply.get("blocks") or [])


def count(bravo: Bravo, model: Any) -> int:
    with bravo.deps.db.read() as s:
        return int(s.exec(select(func.count()).select_from(model)).one())


def latest(bravo: Bravo) -> PracticeRound:
    with bravo.deps.db.read() as s:
        row = s.exec(select(PracticeRound).order_by(PracticeRound.id.desc())).first()  # type: ignore[union-attr]
        assert row is not None
        return row


def dms_to(bravo: Bravo, user: str, words: str = "") -> list[Call]:
    return [
        c
        for c in bravo.slack.calls("chat.postMessage", ok=True)
        if c.args.get("channel") == user and words in json.dumps(c.args)
    ]


def press(bravo: Bravo, user: str, action_id: str, value: str, **kw: Any) -> tuple[Any, str]:
    """A button press: the modal it opened, or the words of the answer ("" when none)."""
    views = len(bravo.slack.calls("views.open"))
    before = len(bravo.slack.calls("response_url"))
    send = kw.pop("send", bravo.send)
    res = send.block_action(user, action_id, value, channel_id="D0DM", **kw)
    assert res.status in (200, 401), res.status
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        if len(bravo.slack.calls("views.open")) > views:
            return view_of(bravo.slack.calls("views.open")[-1]), ""
        if len(bravo.slack.calls("response_url")) > before:
            reply = bravo.slack.calls("response_url")[-1].args
            return None, reply.get("text", "") + json.dumps(reply.get("blocks") or [])
        time.sleep(0.02)
    return None, ""


def text_value(value: str) -> dict[str, Any]:
    return {ids.INPUT: {"type": "plain_text_input", "value": value}}


def assess_values(
    checks: tuple[int, ...] = (0, 2), note: str = "", raters: tuple[str, ...] = ()
) -> dict[str, Any]:
    return {
        ids.CHECKS_BLOCK: {
            ids.INPUT: {
                "type": "checkboxes",
                "selected_options": [
                    {"text": {"type": "plain_text", "text": "x"}, "value": str(n)} for n in checks
                ],
            }
        },
        ids.NOTE_BLOCK: text_value(note),
        ids.RATERS_BLOCK: {
            ids.INPUT: {"type": "multi_users_select", "selected_users": list(raters)}
        },
    }


def scenario(bravo: Bravo, skill: str = "empathy") -> PracticeRound:
    words = command(bravo, ANA, skill)
    assert "in your DMs" in words, words
    bravo.deliver()
    return latest(bravo)


def reply_modal(bravo: Bravo, row: PracticeRound) -> dict[str, Any]:
    view, words = press(bravo, ANA, ids.WRITE_REPLY, str(row.id))
    assert view is not None, words
    return view


def answer(bravo: Bravo, view: dict[str, Any], reply: str = REPLY) -> dict[str, Any]:
    res = bravo.send.view_submission(ANA, view, {ids.REPLY_BLOCK: text_value(reply)})
    assert res.status == 200
    return res.json() or {}


def practised(bravo: Bravo, raters: tuple[str, ...] = (BEN,)) -> PracticeRound:
    """Ana's round: scenario, reply, self-assessment asking ``raters``."""
    row = scenario(bravo)
    view = reply_modal(bravo, row)
    got = answer(bravo, view)
    assert got["response_action"] == "update", got
    assert check_view(got["view"]) == []  # the fake checks opened views; this one is updated
    assess = {**got["view"], "id": bravo.slack.find_view_id(view)}
    res = bravo.send.view_submission(ANA, assess, assess_values(raters=raters))
    assert res.status == 200 and (res.json() or {}) == {}, res.body
    bravo.deliver()
    return latest(bravo)


def rate_values(checks: tuple[int, ...] = (1,), note: str = "") -> dict[str, Any]:
    values = assess_values(checks, note)
    values.pop(ids.RATERS_BLOCK)
    return values


def never_in_a_channel(bravo: Bravo) -> None:
    for method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
        for call in bravo.slack.calls(method):
            assert not str(call.args.get("channel")).startswith("C"), (method, call.args)


# The whole round -------------------------------------------------------------------------------


def test_a_round_from_scenario_to_rating_shows_the_reply_only_to_ana_and_ben(bravo: Bravo) -> None:
    row = practised(bravo, raters=(BEN,))
    assert row.status == RoundStatus.ASSESSED and row.reply == REPLY
    [dm] = dms_to(bravo, ANA, "Write my reply")
    assert ids.SKIP in json.dumps(dm.args)
    [done] = dms_to(bravo, ANA, "Practice done")
    assert "You ticked 2 of " in json.dumps(done.args) and "streak: 1 day" in json.dumps(done.args)
    [ask] = dms_to(bravo, BEN, "asked you to rate")
    shown = json.dumps(ask.args)
    assert SECRET_WORDS in shown and "<@UCY>" not in shown and "<!channel>" not in shown
    view, words = press(bravo, BEN, ids.RATE, str(row.id))
    assert view is not None and view["callback_id"] == ids.RATE_MODAL, words
    res = bravo.send.view_submission(BEN, view, rate_values((0, 1), "Warm <!here> tone"))
    thanks = res.json() or {}
    assert thanks["response_action"] == "update" and "rating was sent" in json.dumps(thanks)
    assert check_view(thanks["view"]) == []
    bravo.deliver()
    [rated] = dms_to(bravo, ANA, "rated your practice reply")
    assert "Warm" in json.dumps(rated.args) and "<!here>" not in json.dumps(rated.args)
    assert ": 2 of " in json.dumps(rated.args)
    # Each DM with buttons is redrawn once it is done with: no button left to press again.
    updates = {c.args["ts"]: json.dumps(c.args) for c in bravo.slack.calls("chat.update", ok=True)}
    scenario_dm, ask_dm = updates[dm.response["ts"]], updates[ask.response["ts"]]
    assert "Done: you replied" in scenario_dm and ids.WRITE_REPLY not in scenario_dm
    assert "You rated it" in ask_dm and ids.RATE not in ask_dm and SECRET_WORDS in ask_dm
    assert len(updates) == 2
    # The privacy matrix, as Slack saw it: only Ana's and Ben's DMs carry the reply.
    reply_dms = {
        c.args["channel"]
        for c in bravo.slack.calls("chat.postMessage")
        if SECRET_WORDS in json.dumps(c.args)
    }
    assert reply_dms == {BEN}  # Ana wrote it in a modal; Ben was sent it to rate
    assert not dms_to(bravo, COACH) and not dms_to(bravo, OTHER) and not dms_to(bravo, CY)
    never_in_a_channel(bravo)


ACTORS = [COACH, OTHER, CY, STRANGER]  # the coach (not asked), a teammate, a stranger


def test_nobody_but_ana_opens_or_skips_her_round(bravo: Bravo) -> None:
    row = scenario(bravo)
    for user in [*ACTORS, BEN]:
        view, words = press(bravo, user, ids.WRITE_REPLY, str(row.id))
        assert view is None and REFUSED in words, (user, words)
        _, words = press(bravo, user, ids.SKIP, str(row.id))
        assert REFUSED in words, (user, words)
    assert latest(bravo).status == RoundStatus.SENT
    for value in ("999999", "abc", "-1", "9" * 40):
        view, words = press(bravo, ANA, ids.WRITE_REPLY, value)
        assert view is None and words, value
    _, words = press(bravo, ANA, ids.SKIP, str(row.id))
    assert "Skipped" in words and latest(bravo).status == RoundStatus.DROPPED
    bravo.deliver()
    [redrawn] = bravo.slack.calls("chat.update", ok=True)  # the scenario DM, its buttons gone
    assert "Skipped" in json.dumps(redrawn.args) and ids.WRITE_REPLY not in json.dumps(redrawn.args)


def test_a_forged_reply_submission_by_someone_else_saves_nothing(bravo: Bravo) -> None:
    row = scenario(bravo)
    view = reply_modal(bravo, row)
    res = bravo.send.view_submission(COACH, view, {ids.REPLY_BLOCK: text_value(REPLY)})
    body = res.json() or {}
    assert body["response_action"] == "errors" and REFUSED in json.dumps(body["errors"])
    assert latest(bravo).reply is None


def test_an_empty_or_40000_character_reply_is_refused_on_its_field(bravo: Bravo) -> None:
    row = scenario(bravo)
    view = reply_modal(bravo, row)
    field = next(b for b in view["blocks"] if b.get("block_id") == ids.REPLY_BLOCK)
    assert field["element"]["max_length"] == ids.MAX_REPLY
    for reply, words in (("", "can't be empty"), ("x" * 40_000, "40,000 characters")):
        body = answer(bravo, view, reply)
        assert body["response_action"] == "errors", body
        assert words in body["errors"][ids.REPLY_BLOCK]
    assert latest(bravo).reply is None and latest(bravo).status == RoundStatus.SENT


def test_the_same_assessment_twice_asks_ben_once(bravo: Bravo) -> None:
    row = scenario(bravo)
    view = reply_modal(bravo, row)
    got = answer(bravo, view)
    assess = {**got["view"], "id": bravo.slack.find_view_id(view)}
    for _ in range(2):
        res = bravo.send.view_submission(ANA, assess, assess_values(raters=(BEN,)))
        assert (res.json() or {}) == {}
    bravo.deliver()
    assert count(bravo, PracticeRating) == 1
    assert len(dms_to(bravo, BEN, "asked you to rate")) == 1
    assert len(dms_to(bravo, ANA, "Practice done")) == 1
    assert latest(bravo).id == row.id


def test_asking_a_bot_or_oneself_to_rate_is_refused_and_nothing_is_half_saved(
    bravo: Bravo,
) -> None:
    row = scenario(bravo)
    view = reply_modal(bravo, row)
    got = answer(bravo, view)
    assess = {**got["view"], "id": bravo.slack.find_view_id(view)}
    for raters, words in (((ANA,), "someone else"), (("UROBOT",), "is a bot")):
        res = bravo.send.view_submission(ANA, assess, assess_values(raters=raters))
        body = res.json() or {}
        assert words in body["errors"][ids.RATERS_BLOCK], body
    assert latest(bravo).status == RoundStatus.ANSWERED and count(bravo, PracticeRating) == 0


# Ratings: only the people asked ---------------------------------------------------------------


def test_a_rating_by_someone_not_asked_gets_a_clear_message_and_saves_nothing(
    bravo: Bravo, slack: FakeSlack
) -> None:
    row = practised(bravo, raters=(BEN,))
    ben_modal, _ = press(bravo, BEN, ids.RATE, str(row.id))
    assert ben_modal is not None
    for user in [*ACTORS, ANA]:
        view, words = press(bravo, user, ids.RATE, str(row.id))
        assert view is None and NOT_ASKED in words, (user, words)
        res = bravo.send.view_submission(user, ben_modal, rate_values())
        body = res.json() or {}
        assert NOT_ASKED in json.dumps(body.get("errors")), (user, body)
        _, words = press(bravo, user, ids.DECLINE, str(row.id))
        assert NOT_ASKED in words, user
    other_team = SlackRequester(bravo.url + "/slack/events", SECRET, team_id="T0ELSE", fake=slack)
    view, _ = press(bravo, BEN, ids.RATE, str(row.id), send=other_team)
    assert view is None
    with bravo.deps.db.read() as s:
        assert [r.status for r in s.exec(select(PracticeRating)).all()] == ["asked"]
    assert not dms_to(bravo, ANA, "rated your practice reply")
    # Nobody but Ana and Ben was ever shown the reply.
    shown_to = {
        c.args["channel"]
        for c in bravo.slack.calls("chat.postMessage")
        if SECRET_WORDS in json.dumps(c.args)
    }
    assert shown_to == {BEN}
    opened = [c for c in bravo.slack.calls("views.open") if SECRET_WORDS in json.dumps(c.args)]
    assert len(opened) == 1  # Ben's rating modal, once


def test_the_coach_sees_the_reply_only_when_asked(bravo: Bravo) -> None:
    row = practised(bravo, raters=(COACH,))
    [ask] = dms_to(bravo, COACH, "asked you to rate")
    assert SECRET_WORDS in json.dumps(ask.args)
    _, words = press(bravo, COACH, ids.DECLINE, str(row.id))
    assert "won't ask again" in words
    view, words = press(bravo, COACH, ids.RATE, str(row.id))
    assert view is None and "pass on rating" in words
    bravo.deliver()
    redrawn = [
        c for c in bravo.slack.calls("chat.update", ok=True) if c.args["ts"] == ask.response["ts"]
    ]
    assert len(redrawn) == 1 and "You passed" in json.dumps(redrawn[0].args)
    assert ids.RATE not in json.dumps(redrawn[0].args)


def test_a_rating_twice_is_refused_the_second_time(bravo: Bravo) -> None:
    row = practised(bravo, raters=(BEN,))
    view, _ = press(bravo, BEN, ids.RATE, str(row.id))
    assert view is not None
    assert "rating was sent" in json.dumps(
        bravo.send.view_submission(BEN, view, rate_values()).json()
    )
    body = bravo.send.view_submission(BEN, {**view, "id": "V0OTHER"}, rate_values()).json() or {}
    assert "already rated" in json.dumps(body.get("errors"))
    bravo.deliver()
    assert len(dms_to(bravo, ANA, "rated your practice reply")) == 1


# The command's other words ---------------------------------------------------------------------


BAD = [
    ("empaty", "Did you mean `empathy`"),
    ("histroy", "Did you mean `history`"),
    ("<@UBEN|ben>", "no skill called"),
    ("x" * 40_000, "no skill called"),
    ("every weekday 25:00", "isn't a time of day"),
    ("every weekday", "Say at what time"),
    ("every weekday nine", "isn't a time of day"),
    ("every month 09:00", "every weekday"),
    ("every weekday 09:00 empaty", "Did you mean `empathy`"),
    ("scenarios add", "can manage practice scenarios"),
]


def test_bad_input_gets_a_clear_answer_in_practice_words_and_changes_nothing(
    bravo: Bravo,
) -> None:
    for text, words in BAD:
        reply = command(bravo, ANA, text)
        assert words in reply, (text[:60], reply[:300])
        assert "<@UBEN>" not in reply and len(reply) < 3000
    assert count(bravo, PracticeRound) == 0 and count(bravo, PracticePlan) == 0


def test_help_plan_stop_and_history(bravo: Bravo) -> None:
    assert "/practice every weekday" in command(bravo, ANA, "help")
    words = command(bravo, ANA, "every weekday 09:00 empathy")
    assert "every weekday at 09:00" in words and "America/New_York" in words
    with bravo.deps.db.read() as s:
        plan = s.get(PracticePlan, (T, ANA))
        assert plan is not None and plan.active and plan.minute == 540
    assert "Stopped" in command(bravo, ANA, "stop")
    assert "no daily practice to stop" in command(bravo, ANA, "stop")
    assert "No practice yet" in command(bravo, ANA, "history")
    practised(bravo, raters=())
    mine = command(bravo, ANA, "history")
    assert "empathy" in mine and "done" in mine and "ticked 2" in mine
    assert SECRET_WORDS not in mine
    assert "No practice yet" in command(bravo, BEN, "history")  # Ben never sees Ana's


# Queue mode: a request replayed after its work was done does nothing more ----------------------


@pytest.fixture
def web(slack: FakeSlack, db: Database) -> Iterator[Bravo]:
    yield from start_bravo(slack, db, work=WorkQueue(record=record_for(db)))


def test_a_practice_command_and_a_skip_replayed_happen_once(web: Bravo) -> None:
    web.send.slash_command(ANA, "/practice", "empathy", channel_id=CHANNEL)
    done_twice(web)
    assert count(web, PracticeRound) == 1
    [dm] = dms_to(web, ANA, "Write my reply")
    assert sum("in your DMs" in json.dumps(c.args) for c in web.slack.calls("response_url")) == 1
    message = {"type": "message", "ts": dm.response.get("ts"), "blocks": dm.args["blocks"]}
    row = latest(web)
    web.send.block_action(ANA, ids.SKIP, str(row.id), channel_id="D0DM", message=message)
    done_twice(web)
    assert latest(web).status == RoundStatus.DROPPED
    assert sum("Skipped" in json.dumps(c.args) for c in web.slack.calls("response_url")) == 1
