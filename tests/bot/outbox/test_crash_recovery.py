"""A row left in doubt by a process that died mid-send (kill -9) is looked for in Slack before it
is sent again: found, it is written as sent and not posted twice; not found, it is sent once.
Channel posts, DMs, thread replies and file uploads, against the recording fake Slack."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from slack_sdk.web import WebClient
from sqlmodel import select

from bot.outbox.deliverer import Deliverer
from bot.outbox.envelope import OutMessage, SlackMethod
from bot.outbox.outbox import Outbox
from bot.outbox.recovery import Claimant, Recovery, tag
from bot.outbox.sender import SlackSender
from bot.outbox.uploads import upload_payload
from bot.sandbox.server import FakeSlack
from storage import outbox as store
from storage.models import OutboxRow

T, KUDOS, TEAM = "T0SANDBOX", "C0KUDOS", "C0TEAM"
# This very pid in an earlier run (a restarted container): dead, whatever its token was.
DEAD = f"{socket.gethostname()[:60]}:{os.getpid()}:earlier-run"
CHART = b"\x89PNG\r\n\x1a\n" + bytes(64)


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(team_id=T) as slack:
        slack.add_user("UANA", "Ana")
        slack.add_channel(KUDOS, "kudos", members=("UBRAVO", "UANA"))
        slack.add_channel(TEAM, "team", members=("UBRAVO", "UANA"))
        yield slack


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-sandbox", base_url=fake.base_url, timeout=5)


def deliverer(db: Any, client: WebClient) -> Deliverer:
    return Deliverer(db, SlackSender(client), recovery=Recovery(client), senders=1)


def left_in_doubt(db: Any, message: OutMessage, *, owner: str = DEAD) -> OutboxRow:
    """Queue ``message`` and claim it as a process called ``owner`` would have just before it
    sent it (and died): the claim is live, the row in doubt."""
    now = datetime.now(UTC) - timedelta(seconds=1)
    with db.write() as s:
        [row] = Outbox().enqueue(s, T, [message], now)
        [row] = store.claim(s, [row.id], now, now + timedelta(seconds=60), claimed_by=owner)
    assert row.in_doubt_since is not None
    return row


def post(channel: str, text: str, **extra: Any) -> OutMessage:
    return OutMessage("test", SlackMethod.POST, {"channel": channel, "text": text, **extra})


def the_row(db: Any, row_id: int) -> OutboxRow:
    with db.read() as s:
        row = store.get(s, row_id)
    assert row is not None
    return row


def posts(fake: FakeSlack, text: str) -> list[Any]:
    return [c for c in fake.calls("chat.postMessage", ok=True) if c.args.get("text") == text]


@pytest.mark.parametrize(
    "message",
    [
        post(KUDOS, "kudos to Ana"),  # a channel post
        post("UANA", "your check-in"),  # a DM, named by the person
    ],
    ids=["channel", "dm"],
)
def test_a_post_already_in_slack_is_not_sent_again(db, fake, client, message) -> None:
    row = left_in_doubt(db, message)
    sent = client.chat_postMessage(**tag(dict(message.payload), row.id or 0))  # then it died

    deliverer(db, client).drain()

    assert len(posts(fake, message.payload["text"])) == 1
    done = the_row(db, row.id or 0)
    assert (done.status, done.result_channel, done.result_ts) == (
        "sent",
        sent["channel"],
        sent["ts"],
    )
    assert done.in_doubt_since is None


@pytest.mark.parametrize(
    "message",
    [post(KUDOS, "kudos to Ana"), post("UANA", "your check-in")],
    ids=["channel", "dm"],
)
def test_a_post_not_in_slack_is_sent_once(db, fake, client, message) -> None:
    row = left_in_doubt(db, message)  # it died before the call reached Slack

    deliverer(db, client).drain()

    [call] = posts(fake, message.payload["text"])
    assert call.args["metadata"]["event_payload"]["outbox_id"] == row.id
    assert the_row(db, row.id or 0).status == "sent"


def test_a_thread_reply_is_looked_for_in_its_thread(db, fake, client) -> None:
    parent = fake.add_message(TEAM, "UANA", "our sprint")["ts"]
    in_thread = post(TEAM, "well done, team", thread_ts=parent)
    other = post(TEAM, "a second reply", thread_ts=parent)
    found = left_in_doubt(db, in_thread)
    missing = left_in_doubt(db, other)
    client.chat_postMessage(**tag(dict(in_thread.payload), found.id or 0))

    deliverer(db, client).drain()

    assert len(posts(fake, "well done, team")) == 1
    assert len(posts(fake, "a second reply")) == 1
    assert [m["text"] for m in fake.messages(TEAM) if m.get("thread_ts") == parent] == [
        "well done, team",
        "a second reply",
    ]
    assert {the_row(db, r.id or 0).status for r in (found, missing)} == {"sent"}


def chart(title: str) -> OutMessage:
    payload = upload_payload(
        channel=TEAM, filename=f"{title}.png", title=title, alt_text="chart", content=CHART
    )
    return OutMessage("test", SlackMethod.UPLOAD, payload)


def shared(fake: FakeSlack, title: str) -> int:
    return sum(
        1
        for c in fake.calls("files.completeUploadExternal", ok=True)
        for f in c.args["files"]
        if f.get("title") == title
    )


def test_an_upload_already_shared_is_not_uploaded_again(db, fake, client) -> None:
    done, undone = chart("week 48"), chart("week 49")
    row = left_in_doubt(db, done)
    left_in_doubt(db, undone)
    client.files_upload_v2(channel=TEAM, content=CHART, filename="week 48.png", title="week 48")

    deliverer(db, client).drain()

    assert (shared(fake, "week 48"), shared(fake, "week 49")) == (1, 1)
    assert the_row(db, row.id or 0).status == "sent"


def test_without_the_history_scopes_a_row_in_doubt_is_sent_again(db, fake, client) -> None:
    fake.set_scopes(["chat:write", "channels:read"])  # installed before Bravo asked for more
    row = left_in_doubt(db, post("UANA", "your check-in"))

    deliverer(db, client).drain()

    assert len(posts(fake, "your check-in")) == 1  # at least once, as before: never stuck
    assert the_row(db, row.id or 0).status == "sent"


def test_a_live_neighbours_claims_are_left_alone(db, fake, client) -> None:
    neighbour = f"{socket.gethostname()[:60]}:{os.getppid()}:alive"  # our parent: running
    row = left_in_doubt(db, post(KUDOS, "in flight elsewhere"), owner=neighbour)

    assert deliverer(db, client).recover() == 0
    assert not Claimant().is_dead(neighbour) and Claimant().is_dead(DEAD)
    assert the_row(db, row.id or 0).claimed_until is not None
    assert posts(fake, "in flight elsewhere") == []


class Watching(SlackSender):
    """Notes, at each call, what the database already says about the rows."""

    def __init__(self, client: WebClient, db: Any) -> None:
        super().__init__(client)
        self.db = db
        self.seen: list[tuple[int, bool]] = []  # (rows written as sent, this row in doubt)

    def call(self, method: str, payload: dict[str, Any], team_id: str = "") -> Any:
        with self.db.read() as s:
            sent = store.counts(s).get("sent", 0)
            rows = s.exec(select(OutboxRow)).all()
            doubt = any(
                r.in_doubt_since is not None and json.loads(r.payload)["text"] == payload["text"]
                for r in rows
            )
        self.seen.append((sent, doubt))
        return super().call(method, payload, team_id)


def test_each_answer_is_written_before_the_next_call(db, fake, client) -> None:
    texts = [f"post {n}" for n in range(25)]
    with db.write() as s:
        messages = [post(KUDOS if n % 2 else "UANA", t) for n, t in enumerate(texts)]
        Outbox().enqueue(s, T, messages, datetime.now(UTC))
    sender = Watching(client, db)
    Deliverer(
        db, sender, senders=1, channel_spacing=0.0, posts_per_minute=60_000, answers_within=0
    ).drain()

    # Before each call: every earlier answer is in the database, and this row is in doubt.
    assert sender.seen == [(n, True) for n in range(25)]
    assert len(fake.calls("chat.postMessage", ok=True)) == 25


def test_no_answer_leaves_the_row_in_doubt_for_its_retry(db, fake, client) -> None:
    fake.fail_next("chat.postMessage", status=500)
    with db.write() as s:
        [row] = Outbox().enqueue(s, T, [post(KUDOS, "maybe posted")], datetime.now(UTC))
    deliverer(db, client).deliver_due()

    kept = the_row(db, row.id or 0)
    assert (kept.status, kept.claimed_until) == ("pending", None)
    assert kept.in_doubt_since is not None  # so the retry looks in Slack first
