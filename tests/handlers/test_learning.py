"""Lessons end to end: signed requests in, what Slack was asked to show out, and who could do and
see what. A lesson is its author's (and a saver's) until the author posts it to a team channel;
This helped me saves it for the clicker and thanks the author with a kudos; only the author
edits, posts or removes it. Typed text never pings anyone."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import func, select

from bot.learning import ids
from bot.sandbox.blockkit import check_view
from bot.sandbox.server import Call, FakeSlack
from bot.work import WorkQueue
from bot.worker import record_for
from storage.db import Database
from storage.models import Kudos
from storage.models.learning import Lesson, LessonHelp
from tests.bot.learning.lessons_kit import TEAM_CHANNEL, make_team_channel
from tests.handlers.conftest import CHANNEL, NO_BOT_CHANNEL, Bravo, start_bravo
from tests.handlers.test_replay import done_twice

T = "T0SANDBOX"
ANA, BEN, CY, DEV = "UANA", "UBEN", "UCY", "UDEV"
HOSTILE = "Ask <@U123> first <!channel> <!subteam^S1|@support>, then refund"
LIVE = ("<@U123>", "<!channel>", "<!subteam^S1")
NOT_FOUND = "couldn't find that lesson"


ADMIN = "UADMIN"


def with_team(slack: FakeSlack, db: Database, **kw: Any) -> Iterator[Bravo]:
    slack.add_user(DEV, "dev")
    slack.add_user(ADMIN, "ada", is_admin=True)
    slack.add_channel(TEAM_CHANNEL, "team-care", members=("UBRAVO", ANA, BEN))
    for bravo in start_bravo(slack, db, **kw):
        with bravo.deps.db.write() as s:
            make_team_channel(s, (ANA, BEN))
        yield bravo


@pytest.fixture
def bravo(slack: FakeSlack, db: Database) -> Iterator[Bravo]:
    yield from with_team(slack, db)


def command(bravo: Bravo, user: str, text: str) -> dict[str, Any]:
    """``/learned text``: the reply."""
    replies = len(bravo.slack.calls("response_url"))
    assert bravo.send.slash_command(user, "/learned", text, channel_id=CHANNEL).status == 200
    return bravo.slack.wait_for("response_url", replies + 1, timeout=5)[-1].args


def words(reply: dict[str, Any] | None) -> str:
    return "" if reply is None else reply.get("text", "") + json.dumps(reply.get("blocks") or [])


def view_of(call: Call) -> dict[str, Any]:
    view = call.args["view"]
    return json.loads(view) if isinstance(view, str) else view


def wait_view_or_reply(bravo: Bravo, views: int, replies: int) -> tuple[Any, str]:
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        if len(bravo.slack.calls("views.open")) > views:
            return view_of(bravo.slack.calls("views.open")[-1]), ""
        if len(bravo.slack.calls("response_url")) > replies:
            return None, words(bravo.slack.calls("response_url")[-1].args)
        time.sleep(0.02)
    return None, ""


def press(bravo: Bravo, user: str, action_id: str, value: str, **kw: Any) -> tuple[Any, str]:
    """A button press: the modal it opened, or the words of the answer."""
    views, replies = len(bravo.slack.calls("views.open")), len(bravo.slack.calls("response_url"))
    res = bravo.send.block_action(
        user, action_id, value, channel_id=kw.pop("channel", "D0DM"), **kw
    )
    assert res.status == 200, res.status
    return wait_view_or_reply(bravo, views, replies)


def lessons(bravo: Bravo) -> list[Lesson]:
    with bravo.deps.db.read() as s:
        return list(s.exec(select(Lesson).order_by(Lesson.id)).all())  # type: ignore[arg-type]


def count(bravo: Bravo, model: Any) -> int:
    with bravo.deps.db.read() as s:
        return int(s.exec(select(func.count()).select_from(model)).one())


def posts_in(bravo: Bravo, channel: str, method: str = "chat.postMessage") -> list[Call]:
    return [c for c in bravo.slack.calls(method, ok=True) if c.args.get("channel") == channel]


def text_value(value: str) -> dict[str, Any]:
    return {ids.INPUT: {"type": "plain_text_input", "value": value}}


def choice(value: str) -> dict[str, Any]:
    option = {"text": {"type": "plain_text", "text": value}, "value": value}
    return {ids.INPUT: {"type": "static_select", "selected_option": option}}


def share_and_post(bravo: Bravo, text: str = "Offer the refund first #empathy") -> Lesson:
    reply = command(bravo, ANA, text)
    assert "Saved, private to you" in words(reply), words(reply)
    row = lessons(bravo)[-1]
    _, said = press(bravo, ANA, ids.POST_LESSON, f"{row.id}:{TEAM_CHANNEL}")
    assert "Posted to <#C0TEAM>" in said, said
    bravo.deliver()
    return lessons(bravo)[-1]


def post_message(bravo: Bravo) -> dict[str, Any]:
    [post] = posts_in(bravo, TEAM_CHANNEL)
    return {"type": "message", "ts": post.response["ts"], "blocks": post.args["blocks"]}


# /learned <text> ---------------------------------------------------------------------------------


def test_a_typed_lesson_is_saved_with_post_edit_remove_and_never_pings(bravo: Bravo) -> None:
    reply = command(bravo, ANA, HOSTILE + " #empathy")
    shown = words(reply)
    assert reply["response_type"] == "ephemeral"
    assert "Saved, private to you · #empathy" in shown and "Post to #team-care" in shown
    for action in (ids.POST_LESSON, ids.EDIT_LESSON, ids.REMOVE_LESSON):
        assert action in shown
    for live in LIVE:
        assert live not in shown
    [row] = lessons(bravo)
    assert row.author_id == ANA and row.skill == "empathy"
    assert posts_in(bravo, TEAM_CHANNEL) == []  # nothing goes out until she posts it


def test_someone_with_no_team_channel_hears_how_to_get_one(bravo: Bravo) -> None:
    shown = words(command(bravo, CY, "Breathe before answering"))
    assert "/bravo shoutouts on" in shown and ids.POST_LESSON not in shown
    assert len(lessons(bravo)) == 1


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("serach refund", "Did you mean `/learned search refund`?"),
        ("mine please", "Did you mean `/learned mine`?"),
        ("Listen first #empaty", "Did you mean `#empathy`?"),
        ("#empathy", "Say what you learned"),
        ("z" * 40_000, "40,000 characters"),
    ],
)
def test_typos_and_pastes_get_words_and_save_nothing(bravo: Bravo, text: str, said: str) -> None:
    shown = words(command(bravo, ANA, text))
    assert said in shown and "Nothing was saved" in shown, shown
    assert lessons(bravo) == []


def test_share_forces_a_lesson(bravo: Bravo) -> None:
    assert "Saved" in words(command(bravo, ANA, "share serach refund"))
    assert [r.learned for r in lessons(bravo)] == ["serach refund"]


# The form ---------------------------------------------------------------------------------------


def open_form(bravo: Bravo, user: str = ANA) -> dict[str, Any]:
    views = len(bravo.slack.calls("views.open"))
    assert bravo.send.slash_command(user, "/learned", "", channel_id=CHANNEL).status == 200
    view = view_of(bravo.slack.wait_for("views.open", views + 1, timeout=5)[-1])
    assert view["callback_id"] == ids.LESSON_MODAL and check_view(view) == []
    return view


def test_the_form_shows_errors_on_their_field_and_saves_nothing(bravo: Bravo) -> None:
    view = open_form(bravo)
    shown = json.dumps(view)
    assert "#empathy" in shown and "post it to #team-care" in shown
    cases = [
        (
            {
                ids.LEARNED_BLOCK: text_value("Slow down"),
                ids.LINK_BLOCK: text_value("javascript:x"),
            },
            ids.LINK_BLOCK,
        ),
        ({ids.LEARNED_BLOCK: text_value("q" * 40_000)}, ids.LEARNED_BLOCK),
        ({ids.LEARNED_BLOCK: text_value("   ")}, ids.LEARNED_BLOCK),
        (
            {ids.LEARNED_BLOCK: text_value("ok"), ids.STORY_BLOCK: text_value("s" * 5000)},
            ids.STORY_BLOCK,
        ),
        ({ids.LEARNED_BLOCK: text_value("ok"), ids.SKILL_BLOCK: choice("forged")}, ids.SKILL_BLOCK),
        ({ids.LEARNED_BLOCK: text_value("ok"), ids.POST_BLOCK: choice(CHANNEL)}, ids.POST_BLOCK),
    ]
    for values, block in cases:
        got = bravo.send.view_submission(ANA, view, values).json() or {}
        assert got.get("response_action") == "errors" and block in got["errors"], (block, got)
    assert lessons(bravo) == []


def test_the_form_saves_and_posts_to_the_team_channel(bravo: Bravo) -> None:
    view = open_form(bravo)
    values = {
        ids.STORY_BLOCK: text_value("A caller was double charged <!here>"),
        ids.LEARNED_BLOCK: text_value(HOSTILE),
        ids.SKILL_BLOCK: choice("empathy"),
        ids.LINK_BLOCK: text_value("https://kb.example/refunds"),
        ids.POST_BLOCK: choice(TEAM_CHANNEL),
    }
    got = bravo.send.view_submission(ANA, view, values).json() or {}
    assert got["response_action"] == "update" and "Posted to <#C0TEAM>" in json.dumps(got)
    bravo.deliver()
    [post] = posts_in(bravo, TEAM_CHANNEL)
    shown = json.dumps(post.args)
    assert ids.HELPED in shown and "kb.example/refunds" in shown and "<@UANA>" in shown
    for live in (*LIVE, "<!here>"):
        assert live not in shown


# Posting and This helped me ---------------------------------------------------------------------


def test_only_the_author_posts(bravo: Bravo) -> None:
    command(bravo, ANA, "Offer the refund first")
    [row] = lessons(bravo)
    for user in (BEN, DEV):
        _, said = press(bravo, user, ids.POST_LESSON, f"{row.id}:{TEAM_CHANNEL}")
        assert NOT_FOUND in said
    bravo.deliver()
    assert posts_in(bravo, TEAM_CHANNEL) == []


def test_this_helped_me_thanks_the_author_once_and_redraws_the_count(bravo: Bravo) -> None:
    row = share_and_post(bravo)
    message = post_message(bravo)
    _, said = press(bravo, BEN, ids.HELPED, str(row.id), channel=TEAM_CHANNEL, message=message)
    assert "Saved to `/learned mine`" in said and "<@UANA> got a kudos" in said, said
    bravo.deliver()
    [k] = kudos_rows(bravo)
    assert (k.giver_id, k.recipient_id, k.source) == (BEN, ANA, "lesson")
    redrawn = posts_in(bravo, TEAM_CHANNEL, "chat.update")
    assert redrawn and "Helped 1 person" in json.dumps(redrawn[-1].args)
    _, again = press(bravo, BEN, ids.HELPED, str(row.id), channel=TEAM_CHANNEL, message=message)
    assert "already saved" in again
    _, own = press(bravo, ANA, ids.HELPED, str(row.id), channel=TEAM_CHANNEL, message=message)
    assert "your own lesson" in own
    assert len(kudos_rows(bravo)) == 1 and count(bravo, LessonHelp) == 1


def kudos_rows(bravo: Bravo) -> list[Kudos]:
    with bravo.deps.db.read() as s:
        return list(s.exec(select(Kudos)).all())


# Edit, remove, mine -----------------------------------------------------------------------------


def test_edit_opens_for_the_author_only(bravo: Bravo) -> None:
    command(bravo, ANA, "Offer the refund first #empathy")
    [row] = lessons(bravo)
    view, said = press(bravo, BEN, ids.EDIT_LESSON, str(row.id))
    assert view is None and NOT_FOUND in said
    view, _ = press(bravo, ANA, ids.EDIT_LESSON, str(row.id))
    assert view is not None and "Offer the refund first" in json.dumps(view)
    assert check_view(view) == []
    values = {ids.LEARNED_BLOCK: text_value("Offer the refund first, always")}
    got = bravo.send.view_submission(ANA, view, values).json() or {}
    assert got["response_action"] == "update"
    assert lessons(bravo)[0].learned == "Offer the refund first, always"


def test_a_forged_edit_form_changes_nobody_elses_lesson(bravo: Bravo) -> None:
    command(bravo, ANA, "Offer the refund first")
    [row] = lessons(bravo)
    view = {**open_form(bravo, BEN), "private_metadata": f"edit:{row.id}"}
    got = bravo.send.view_submission(BEN, view, {ids.LEARNED_BLOCK: text_value("Hijacked")})
    answer = got.json() or {}
    assert answer["response_action"] == "errors"
    assert NOT_FOUND in answer["errors"][ids.LEARNED_BLOCK]
    assert [r.learned for r in lessons(bravo)] == ["Offer the refund first"]


def test_removing_a_lesson_others_saved_asks_first_then_strikes_the_post(bravo: Bravo) -> None:
    row = share_and_post(bravo)
    message = post_message(bravo)
    press(bravo, BEN, ids.HELPED, str(row.id), channel=TEAM_CHANNEL, message=message)
    _, said = press(bravo, DEV, ids.REMOVE_LESSON, str(row.id))
    assert NOT_FOUND in said and len(lessons(bravo)) == 1
    view, _ = press(bravo, ANA, ids.REMOVE_LESSON, str(row.id))
    assert view is not None and "1 person saved this lesson" in json.dumps(view)
    got = bravo.send.view_submission(ANA, view, {}).json() or {}
    assert got["response_action"] == "update" and "Removed" in json.dumps(got)
    assert lessons(bravo) == [] and count(bravo, LessonHelp) == 0
    bravo.deliver()
    struck = posts_in(bravo, TEAM_CHANNEL, "chat.update")
    assert "removed by its author" in json.dumps(struck[-1].args)
    assert ids.HELPED not in json.dumps(struck[-1].args)


def test_mine_shows_each_persons_own(bravo: Bravo) -> None:
    row = share_and_post(bravo)
    press(bravo, BEN, ids.HELPED, str(row.id), channel=TEAM_CHANNEL, message=post_message(bravo))
    command(bravo, ANA, "A private one")
    ana = words(command(bravo, ANA, "mine"))
    assert "A private one" in ana and "Offer the refund first" in ana
    assert "yours, private" in ana and "posted in <#C0TEAM>, helped 1" in ana
    ben = words(command(bravo, BEN, "mine"))
    assert "Offer the refund first" in ben and "helped you" in ben and "A private one" not in ben
    assert "no lessons yet" in words(command(bravo, CY, "mine"))


def test_an_admin_sees_and_changes_nobodys_private_lesson(bravo: Bravo) -> None:
    command(bravo, ANA, "Secret sauce: apologise once, then fix")
    [row] = lessons(bravo)
    for action, value in (
        (ids.POST_LESSON, f"{row.id}:{TEAM_CHANNEL}"),
        (ids.EDIT_LESSON, str(row.id)),
        (ids.REMOVE_LESSON, str(row.id)),
        (ids.HELPED, str(row.id)),
    ):
        view, said = press(bravo, ADMIN, action, value)
        assert view is None and NOT_FOUND in said, (action, said)
    assert "Secret sauce" not in words(command(bravo, ADMIN, "mine"))
    assert [r.learned for r in lessons(bravo)] == ["Secret sauce: apologise once, then fix"]
    assert lessons(bravo)[0].visibility == "private" and count(bravo, LessonHelp) == 0


# Save as a lesson -------------------------------------------------------------------------------


def shortcut(bravo: Bravo, user: str, channel: str, message: dict[str, Any]) -> tuple[Any, str]:
    views, replies = len(bravo.slack.calls("views.open")), len(bravo.slack.calls("response_url"))
    res = bravo.send.message_shortcut(user, ids.SAVE_SHORTCUT, channel_id=channel, message=message)
    assert res.status == 200
    return wait_view_or_reply(bravo, views, replies)


ANAS = {"type": "message", "user": ANA, "ts": "1700000000.000100", "text": HOSTILE}


def test_save_as_a_lesson_credits_the_author_who_is_told(bravo: Bravo) -> None:
    view, said = shortcut(bravo, BEN, CHANNEL, ANAS)
    assert view is not None, said
    assert check_view(view) == [] and "credited to <@UANA>" in json.dumps(view)
    for live in LIVE:
        assert live not in json.dumps(view)
    values = {ids.LEARNED_BLOCK: text_value("Ask first, then refund")}
    got = bravo.send.view_submission(BEN, view, values).json() or {}
    assert got["response_action"] == "update" and "its author (who was told)" in json.dumps(got)
    [row] = lessons(bravo)
    assert (row.author_id, row.added_by, row.origin) == (ANA, BEN, "shortcut")
    bravo.deliver()
    [dm] = posts_in(bravo, ANA)
    assert "<@UBEN> saved your message" in json.dumps(dm.args)
    # Removed by its author: the DM loses its buttons.
    row_id = lessons(bravo)[0].id
    copy = {**ANAS, "ts": "1700000000.000200"}
    view2, _ = shortcut(bravo, CY, CHANNEL, copy)
    got = bravo.send.view_submission(CY, view2, values).json() or {}
    assert "its author (who was told)" in json.dumps(got)
    bravo.deliver()
    second = lessons(bravo)[-1]
    confirm, _ = press(bravo, ANA, ids.REMOVE_LESSON, str(second.id))
    assert confirm is not None and "1 person saved this lesson" in json.dumps(confirm)
    bravo.send.view_submission(ANA, confirm, {})
    bravo.deliver()
    struck = [
        c
        for c in bravo.slack.calls("chat.update", ok=True)
        if c.args["channel"] == dm.response["channel"]
    ]
    assert struck and "it was removed" in json.dumps(struck[-1].args)
    assert ids.REMOVE_LESSON not in json.dumps(struck[-1].args)
    assert [r.id for r in lessons(bravo)] == [row_id]
    view2, _ = shortcut(bravo, CY, CHANNEL, ANAS)
    got = bravo.send.view_submission(CY, view2, values).json() or {}
    assert "saved for you now too" in json.dumps(got) and len(lessons(bravo)) == 1


@pytest.mark.parametrize(
    ("channel", "message", "said"),
    [
        (CHANNEL, {"type": "message", "bot_id": "B1", "ts": "1.2", "text": "Deployed"}, "a bot"),
        (CHANNEL, {"type": "message", "user": ANA, "ts": "1.3", "text": ""}, "no text"),
        (NO_BOT_CHANNEL, {**ANAS, "ts": "1.4"}, "isn't part of"),
        (CHANNEL, {**ANAS, "ts": "1.5", "team": "T0ELSE"}, "another workspace"),
    ],
)
def test_save_as_a_lesson_refuses_with_words(
    bravo: Bravo, channel: str, message: dict[str, Any], said: str
) -> None:
    view, shown = shortcut(bravo, BEN, channel, message)
    assert view is None and said in shown and "Nothing was saved" in shown, shown
    assert lessons(bravo) == []


# Queue mode: replayed requests do nothing twice -------------------------------------------------


@pytest.fixture
def web(slack: FakeSlack, db: Database) -> Iterator[Bravo]:
    yield from with_team(slack, db, work=WorkQueue(record=record_for(db)))


def test_a_lesson_and_a_thanks_replayed_happen_once(web: Bravo) -> None:
    web.send.slash_command(ANA, "/learned", "Offer the refund first #empathy", channel_id=CHANNEL)
    done_twice(web)
    [row] = lessons(web)
    web.send.block_action(ANA, ids.POST_LESSON, f"{row.id}:{TEAM_CHANNEL}", channel_id="D0DM")
    done_twice(web)
    [post] = posts_in(web, TEAM_CHANNEL)
    message = {"type": "message", "ts": post.response["ts"], "blocks": post.args["blocks"]}
    web.send.block_action(BEN, ids.HELPED, str(row.id), channel_id=TEAM_CHANNEL, message=message)
    done_twice(web)
    assert len(kudos_rows(web)) == 1 and lessons(web)[0].helped_count == 1
    assert sum("got a kudos" in json.dumps(c.args) for c in web.slack.calls("response_url")) == 1
    command_text = "A second one, private"
    web.send.slash_command(ANA, "/learned", command_text, channel_id=CHANNEL)
    done_twice(web)
    second = lessons(web)[-1]
    assert second.learned == command_text
    web.send.block_action(ANA, ids.REMOVE_LESSON, str(second.id), channel_id="D0DM")
    done_twice(web)
    assert [r.id for r in lessons(web)] == [row.id]
    removed = [c for c in web.slack.calls("response_url") if "Removed." in json.dumps(c.args)]
    assert len(removed) == 1
    assert not any(NOT_FOUND in json.dumps(c.args) for c in web.slack.calls("response_url"))
