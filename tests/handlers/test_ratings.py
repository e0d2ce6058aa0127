"""``/bravo ratings`` over Slack: admins only (the hook's address, its secret ephemerally,
Rotate), forged clicks refused, the old secret refused after a rotation, and the ratings
waiting for an admin matched to a teammate or dismissed."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import select

from bot.ratings import ids
from bot.ratings.agents import BOOK
from bot.sandbox.server import FakeSlack
from storage.db import Database
from storage.models.feedback import CustomerFeedback
from storage.models.ratings import RatingState, UnmatchedRating
from tests.bot.ratings.kit import ADMIN, PUBLIC, Hooked, rating, start_hooked
from tests.handlers.bravo_flow import bravo_cmd
from tests.handlers.conftest import CHANNEL, SECRET, TEAM, start_bravo


@pytest.fixture
def hooked(slack: FakeSlack, sqlite_db: Database) -> Iterator[Hooked]:
    BOOK.forget()
    yield from start_hooked(slack, sqlite_db)


def reply_of(hooked: Hooked, count: int) -> dict[str, Any]:
    return hooked.bravo.slack.wait_for("response_url", count=count, timeout=5)[count - 1].args


def click(hooked: Hooked, user: str, action_id: str, value: str | None, **extra: Any) -> None:
    result = hooked.bravo.send.block_action(user, action_id, value, channel_id=CHANNEL, **extra)
    assert result.status == 200


def test_an_admin_sees_the_address_and_secret_ephemerally(hooked: Hooked) -> None:
    text = bravo_cmd(hooked.bravo, "ratings", user=ADMIN)
    assert f"{PUBLIC}/hooks/customer-feedback/{hooked.hook_id}" in text
    assert hooked.secret in text and "Rotate secret" in text and "openssl" not in text
    reply = reply_of(hooked, 1)
    assert reply["response_type"] == "ephemeral"
    posts = hooked.bravo.slack.calls("chat.postMessage")
    assert not any(hooked.secret in json.dumps(c.args) for c in posts)


def test_everyone_else_is_refused_in_bravo_words(hooked: Hooked) -> None:
    for words in ("ratings", "ratings unmatched"):
        text = bravo_cmd(hooked.bravo, words, user="UANA")
        assert "Only admins" in text and hooked.secret not in text


def test_unknown_words_get_the_usage(hooked: Hooked) -> None:
    assert "`/bravo ratings unmatched`" in bravo_cmd(hooked.bravo, "ratings frobnicate", ADMIN)


def test_rotate_takes_effect_at_once_and_a_forged_click_is_refused(hooked: Hooked) -> None:
    old = hooked.secret
    click(hooked, "UANA", ids.ROTATE, hooked.hook_id)  # not an admin: refused, nothing changes
    assert "Only admins" in reply_of(hooked, 1)["text"]
    assert hooked.post(rating("UANA", ticket=None)).status == 202
    click(hooked, ADMIN, ids.ROTATE, hooked.hook_id)
    shown = reply_of(hooked, 2)
    assert shown["replace_original"] is True and "New secret" in json.dumps(shown["blocks"])
    new = re.findall(
        r"Secret:\*\s*`([0-9a-f]{64})`", json.dumps(shown["blocks"]).replace("\\n", " ")
    )[0]
    assert new != old
    refused = hooked.post(rating("UANA", ticket=None, comment="old secret"))
    assert (refused.status, refused.body["error"]) == (401, "invalid_signature")
    hooked.secret = new
    assert hooked.post(rating("UANA", ticket=None, comment="new secret")).status == 202


def test_an_unmatched_rating_is_matched_by_an_admin_and_joins_the_log(hooked: Hooked) -> None:
    assert hooked.post(rating("who@example.com", comment="Great <!channel> work")).status == 202
    hooked.settle()
    text = bravo_cmd(hooked.bravo, "ratings unmatched", user=ADMIN)
    assert "who@example.com" in text and "&lt;!channel&gt;" in text and "<!channel>" not in text
    with hooked.deps.db.read() as s:
        row = s.exec(select(UnmatchedRating)).one()
    block = f"{ids.MATCH_BLOCK}{row.id}"
    pick = {"type": "users_select", "block_id": block, "selected_user": "UBEN"}
    click(hooked, "UANA", ids.MATCH, None, action=pick)  # forged: not an admin
    assert "Only admins" in reply_of(hooked, 2)["text"]
    click(hooked, ADMIN, ids.MATCH, None, action=pick)
    assert "Matched to <@UBEN>" in reply_of(hooked, 3)["text"]
    click(hooked, ADMIN, ids.MATCH, None, action=pick)  # twice: once only
    assert "already matched or dismissed" in reply_of(hooked, 4)["text"]
    hooked.settle()
    with hooked.deps.db.read() as s:
        fbs = s.exec(select(CustomerFeedback)).all()
        row = s.exec(select(UnmatchedRating)).one()
    assert [(f.teammate_id, f.logged_by, f.text) for f in fbs] == [
        ("UBEN", "webhook", "Great <!channel> work")
    ]
    assert (row.state, row.resolved_by, row.comment) == (RatingState.MATCHED, ADMIN, "")
    told = [
        c
        for c in hooked.bravo.slack.calls("chat.postMessage", ok=True)
        if c.args["channel"] == "UBEN"
    ]
    assert len(told) == 1 and "<!channel>" not in json.dumps(told[0].args)


def test_a_rating_dismissed_is_in_nobodys_feedback(hooked: Hooked) -> None:
    assert hooked.post(rating("UNOBODY1", comment="not ours")).status == 202
    hooked.settle()
    with hooked.deps.db.read() as s:
        row = s.exec(select(UnmatchedRating)).one()
    click(hooked, ADMIN, ids.DISMISS, str(row.id))
    assert "Dismissed" in reply_of(hooked, 1)["text"]
    with hooked.deps.db.read() as s:
        row = s.exec(select(UnmatchedRating)).one()
        assert s.exec(select(CustomerFeedback)).all() == []
    assert (row.state, row.comment) == (RatingState.DISMISSED, "")
    assert hooked.post(rating("UNOBODY1", comment="sent again")).body == {
        "ok": True,
        "duplicate": True,
    }
    assert "No customer ratings are waiting" in bravo_cmd(hooked.bravo, "ratings unmatched", ADMIN)


def test_without_an_encryption_key_or_a_public_url_the_admin_is_told(
    slack: FakeSlack, sqlite_db: Database
) -> None:
    slack.add_user(ADMIN, "ada", is_admin=True)
    for bravo in start_bravo(slack, sqlite_db):
        assert "needs `BRAVO_ENCRYPTION_KEY`" in bravo_cmd(bravo, "ratings", user=ADMIN)
    env = {"BRAVO_ENCRYPTION_KEY": "ZljuRGxqvMNw4EHYW08jCLLDNNjUGZYKphdPzYEAVxI="}
    for bravo in start_bravo(slack, sqlite_db, env=env):
        text = bravo_cmd(bravo, "ratings", user=ADMIN)
        assert "BRAVO_PUBLIC_URL" in text and "/hooks/customer-feedback/" in text
    assert SECRET and TEAM  # the workspace the edge tests share


def test_praise_reaches_the_agents_coach_who_makes_it_kudos_in_one_click(hooked: Hooked) -> None:
    """Nobody logged webhook praise, so its one click is the agent's coach's: Ben coaches Ana.
    Cy, who does not, cannot use the button; a complaint goes to no coach."""
    from storage.models import CoachPairing, Kudos
    from storage.models.coaching import PairingStatus

    with hooked.deps.db.write() as s:
        s.add(
            CoachPairing(
                team_id=TEAM,
                coach_id="UBEN",
                coachee_id="UANA",
                status=PairingStatus.ACTIVE,
                requested_at=hooked.bravo.clock(),
            )
        )
    assert hooked.post(rating("UANA", comment="Ana was kind")).status == 202
    assert hooked.post(rating("UANA", rating=1, ticket="https://h.example/2")).status == 202
    hooked.settle()
    to_ben = [
        c
        for c in hooked.bravo.slack.calls("chat.postMessage", ok=True)
        if c.args["channel"] == "UBEN"
    ]
    assert len(to_ben) == 1 and "Ana was kind" in json.dumps(to_ben[0].args["blocks"])
    message = {**to_ben[0].args, "ts": to_ben[0].response["ts"]}
    with hooked.deps.db.read() as s:
        fb_id = s.exec(select(CustomerFeedback.id).where(CustomerFeedback.kind == "praise")).one()
    for user, count, sent in (("UCY", 1, False), ("UBEN", 2, True)):
        result = hooked.bravo.send.block_action(
            user, "customer_kudos", str(fb_id), channel_id="D0BEN", message=message
        )
        assert result.status == 200
        assert ("Kudos sent to <@UANA>" in reply_of(hooked, count)["text"]) is sent
    hooked.settle()
    with hooked.deps.db.read() as s:
        given = s.exec(select(Kudos)).all()
    assert [(k.giver_id, k.recipient_id) for k in given] == [("UBEN", "UANA")]


def test_values_bravo_did_not_write_are_answered_not_crashed(
    hooked: Hooked, caplog: pytest.LogCaptureFixture
) -> None:
    """An admin's forged or stale clicks: odd values and block ids change nothing, crash nothing."""
    import logging

    from tests.handlers.hostile_kit import BUTTON_VALUES, stored, tracebacks

    before = stored(hooked.deps.db)
    with caplog.at_level(logging.INFO):
        for value in BUTTON_VALUES:
            click(hooked, ADMIN, ids.DISMISS, value)
            pick = {"type": "users_select", "block_id": f"{ids.MATCH_BLOCK}{value}"}
            click(hooked, ADMIN, ids.MATCH, None, action={**pick, "selected_user": value})
        assert hooked.deps.work.wait_idle(10)
    assert tracebacks(caplog) == []
    assert stored(hooked.deps.db) == before
