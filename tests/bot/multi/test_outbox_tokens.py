"""The outbox sends each row with the token of its row's workspace; a workspace with no token
fails its rows clearly (``not_installed``) without holding up the others."""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.web import WebClient
from sqlmodel import select

from bot.clock import utcnow
from bot.outbox.clients import NOT_INSTALLED, TeamClients
from bot.outbox.deliverer import Deliverer
from bot.outbox.envelope import OutMessage, SlackMethod
from bot.outbox.outbox import Outbox
from bot.outbox.recovery import Recovery
from bot.outbox.sender import SlackSender
from bot.outbox.uploads import upload_payload
from bot.sandbox.hosted import WorkspaceHandle
from bot.sandbox.server import FakeSlack
from storage.models import OutboxRow
from tests.bot.multi.conftest import TOKEN_A, TOKEN_B, A, B
from tests.bot.multi.tokens import TeamTokens

GONE = "T0GONE"  # a workspace Bravo holds rows for but no token


def post(channel: str, text: str, notify: str | None = None) -> OutMessage:
    payload = {"channel": channel, "text": text}
    return OutMessage("test", SlackMethod.POST, payload, notify_user=notify)


def deliverer(db: Any, fake: FakeSlack, tokens: TeamTokens) -> Deliverer:
    clients = TeamClients(tokens, lambda t: WebClient(token=t, base_url=fake.base_url, timeout=5))
    return Deliverer(db, SlackSender(clients), recovery=Recovery(clients), senders=2)


def rows(db: Any) -> dict[str, tuple[str, str | None]]:
    with db.read() as s:
        return {
            json.loads(r.payload).get("text", r.kind): (r.status, r.last_error)
            for r in s.exec(select(OutboxRow)).all()
        }


def test_each_row_goes_with_its_workspace_s_token(
    db: Any, fake: FakeSlack, beta: WorkspaceHandle
) -> None:
    tokens = TeamTokens({A: TOKEN_A, B: TOKEN_B})
    chart = upload_payload(
        channel="C0B", filename="b.png", title="Beta", alt_text="chart", content=b"png"
    )
    with db.write() as s:
        Outbox().enqueue(s, A, [post("C0A", "alpha"), post("UANA", "alpha dm")], utcnow())
        Outbox().enqueue(s, B, [post("C0B", "beta"), post("UZED", "beta dm")], utcnow())
        Outbox().enqueue(s, B, [OutMessage("chart", SlackMethod.UPLOAD, chart)], utcnow())
    deliverer(db, fake, tokens).drain()
    assert [m["text"] for m in fake.messages()] == ["alpha", "alpha dm"]
    assert [m["text"] for m in beta.messages() if not m.get("files")] == ["beta", "beta dm"]
    assert [f["content"] for f in beta.files()] == [b"png"] and fake.files() == []
    assert all(c.ok for c in fake.calls()), fake.summary()  # no call went to the wrong one
    assert {st for st, _ in rows(db).values()} == {"sent"}


def test_a_workspace_without_token_fails_its_rows_and_holds_up_no_one(
    db: Any, fake: FakeSlack, beta: WorkspaceHandle
) -> None:
    tokens = TeamTokens({A: TOKEN_A, B: TOKEN_B})
    with db.write() as s:
        Outbox().enqueue(s, GONE, [post("C0X", "lost", notify="UXI")], utcnow())
        Outbox().enqueue(s, A, [post("C0A", "alpha")], utcnow())
        Outbox().enqueue(s, B, [post("C0B", "beta")], utcnow())
    deliverer(db, fake, tokens).drain()
    assert rows(db) == {
        "lost": ("failed", NOT_INSTALLED),
        "alpha": ("sent", None),
        "beta": ("sent", None),
    }  # and nobody is told by DM in a workspace nothing can be sent to
    assert {c.team_id for c in fake.calls()} == {A, B}


def test_an_uninstalled_token_stops_that_workspace_only(
    db: Any, fake: FakeSlack, beta: WorkspaceHandle
) -> None:
    """The token is gone from the store between queueing and sending (tokens_revoked)."""
    tokens = TeamTokens({A: TOKEN_A, B: TOKEN_B})
    sending = deliverer(db, fake, tokens)
    with db.write() as s:
        Outbox().enqueue(s, B, [post("C0B", "beta 1")], utcnow())
    sending.drain()
    del tokens.tokens[B]
    with db.write() as s:
        Outbox().enqueue(s, B, [post("C0B", "beta 2")], utcnow())
        Outbox().enqueue(s, A, [post("C0A", "alpha")], utcnow())
    sending.drain()
    assert [m["text"] for m in beta.messages()] == ["beta 1"]
    assert rows(db)["beta 2"] == ("failed", NOT_INSTALLED)
    assert rows(db)["alpha"] == ("sent", None)
