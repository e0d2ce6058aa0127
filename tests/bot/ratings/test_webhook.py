"""The webhook over real HTTP: signatures, bodies, unknown hooks, replays and duplicates (one
after another and at once), two workspaces kept apart, and Socket Mode's side server."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterator

import pytest
from sqlmodel import func, select

from bot.ratings import ids
from bot.ratings.parse import sign
from bot.ratings.service import sealer_of
from bot.ratings.webhook import hook_routes
from bot.sandbox.server import FakeSlack
from bot.server import SideServer, only_paths
from bot.web import make_wsgi
from storage import ratings as store
from storage.db import Database
from storage.models.feedback import CustomerFeedback
from storage.models.ratings import HookReceipt, RatingState, UnmatchedRating
from tests.bot.ratings.kit import Hooked, post, rating, start_hooked


@pytest.fixture
def hooked(slack: FakeSlack, sqlite_db: Database) -> Iterator[Hooked]:
    yield from start_hooked(slack, sqlite_db)


@pytest.fixture
def hooked_any(slack: FakeSlack, db: Database) -> Iterator[Hooked]:
    """On SQLite and on PostgreSQL (where they behave differently: concurrent inserts)."""
    yield from start_hooked(slack, db)


def stored(db: Database) -> tuple[int, int, int]:
    """(ratings received, customer feedback rows, receipts)."""
    with db.read() as s:
        got = s.exec(select(func.count()).select_from(UnmatchedRating)).one()
        fb = s.exec(select(func.count()).select_from(CustomerFeedback)).one()
        receipts = s.exec(select(func.count()).select_from(HookReceipt)).one()
    return got, fb, receipts


def test_a_signed_rating_is_accepted_and_joins_the_agents_feedback(hooked_any: Hooked) -> None:
    hooked = hooked_any
    answer = hooked.post(rating("UANA"))
    assert answer.status == 202 and answer.body["ok"] is True
    hooked.settle()
    with hooked.deps.db.read() as s:
        fb = s.exec(select(CustomerFeedback)).one()
        got = s.exec(select(UnmatchedRating)).one()
    assert (fb.teammate_id, fb.kind, fb.rating, fb.logged_by) == ("UANA", "praise", 5, "webhook")
    assert (fb.origin, fb.ticket_url, fb.text) == (
        "zendesk",
        "https://help.example.com/t/1",
        "Lovely help",
    )
    assert got.state == RatingState.MATCHED and got.feedback_id == fb.id and got.comment == ""
    dms = [
        c
        for c in hooked.bravo.slack.calls("chat.postMessage", ok=True)
        if c.args["channel"] == "UANA"
    ]
    assert len(dms) == 1 and "Lovely help" in json.dumps(dms[0].args["blocks"])


REFUSALS = (
    ({"signature": "v0=" + "0" * 64}, 401, "invalid_signature"),
    ({"ts": -301}, 401, "stale_timestamp"),  # seconds from now
    ({"ts": 301}, 401, "stale_timestamp"),
    ({"signature": ""}, 401, "missing_signature"),
    ({"headers": {"X-Bravo-Timestamp": ""}}, 401, "missing_signature"),
    ({"headers": {"X-Bravo-Timestamp": "12ab"}}, 401, "bad_timestamp"),
    ({"hook_id": "nosuchhook"}, 404, "unknown_hook"),
)


def test_refused_requests_store_nothing(hooked: Hooked) -> None:
    for change, status, error in REFUSALS:
        if "ts" in change:
            change = {"ts": int(time.time()) + change["ts"]}
        answer = hooked.post(rating("UANA"), **change)
        assert (answer.status, answer.body["error"]) == (status, error), change
        assert "detail" in answer.body and "Traceback" not in json.dumps(answer.body)
    hooked.settle()
    assert stored(hooked.deps.db) == (0, 0, 0)


def test_a_stale_signature_is_refused_even_when_it_matches(hooked: Hooked) -> None:
    old = int(time.time()) - 600
    raw = json.dumps(rating("UANA")).encode()
    answer = hooked.post(raw, ts=old, signature=sign(hooked.secret, str(old), raw))
    assert (answer.status, answer.body["error"]) == (401, "stale_timestamp")


def test_a_replay_is_refused(hooked: Hooked) -> None:
    raw = json.dumps(rating("UANA", ticket=None)).encode()
    stamp = str(int(time.time()))
    signature = sign(hooked.secret, stamp, raw)
    assert hooked.post(raw, ts=int(stamp), signature=signature).status == 202
    again = hooked.post(raw, ts=int(stamp), signature=signature)
    assert (again.status, again.body["error"]) == (409, "replayed")
    hooked.settle()
    assert stored(hooked.deps.db)[:2] == (1, 1)


BAD_BODIES = (
    (b"not json", 400, "invalid_json"),
    (b"[1, 2]", 400, "invalid_json"),
    (b"\xff\xfe", 400, "invalid_json"),
    (json.dumps(rating("UANA", rating=6)).encode(), 422, "invalid_field"),
    (json.dumps(rating("UANA", rating=0)).encode(), 422, "invalid_field"),
    (json.dumps(rating("UANA", rating="meh")).encode(), 422, "invalid_field"),
    (json.dumps(rating("UANA", rating=True)).encode(), 422, "invalid_field"),
    (json.dumps(rating("UANA", ticket="javascript:alert(1)")).encode(), 422, "invalid_field"),
    (json.dumps(rating("UANA", comment="x" * 2001)).encode(), 422, "invalid_field"),
    (json.dumps({"rating": 5, "source": "zendesk"}).encode(), 422, "invalid_field"),
    (json.dumps(rating("UANA", source="")).encode(), 422, "invalid_field"),
    (json.dumps(rating("UANA", extra=1)).encode(), 422, "invalid_field"),
    (json.dumps(rating("not-an-email")).encode(), 422, "invalid_field"),
)


def test_bad_bodies_are_refused_clearly(hooked: Hooked) -> None:
    for body, status, error in BAD_BODIES:
        answer = hooked.post(body)
        assert (answer.status, answer.body["error"]) == (status, error), body[:80]
    assert stored(hooked.deps.db) == (0, 0, 0)


def test_a_body_too_large_is_refused_before_it_is_read(hooked: Hooked) -> None:
    """Content-Length says more than the limit: refused at once, though nothing was sent."""
    where = hooked.bravo.url.removeprefix("http://")
    conn = http.client.HTTPConnection(where, timeout=5)
    conn.putrequest("POST", ids.HOOK_PATH + hooked.hook_id)
    conn.putheader("Content-Length", str(ids.MAX_BODY + 1))
    conn.putheader("X-Bravo-Timestamp", str(int(time.time())))
    conn.putheader("X-Bravo-Signature", "v0=00")
    conn.endheaders()
    response = conn.getresponse()
    assert response.status == 413
    assert json.loads(response.read())["error"] == "too_large"
    conn.close()
    big = json.dumps(rating("UANA", comment="x" * ids.MAX_BODY)).encode()
    assert hooked.post(big).status == 413
    assert stored(hooked.deps.db) == (0, 0, 0)


def test_only_post_and_only_hook_paths(hooked: Hooked) -> None:
    where = hooked.bravo.url.removeprefix("http://")
    conn = http.client.HTTPConnection(where, timeout=5)
    conn.request("GET", ids.HOOK_PATH + hooked.hook_id)
    assert conn.getresponse().status == 405
    conn.close()
    conn = http.client.HTTPConnection(where, timeout=5)
    conn.request("POST", "/hooks/other/thing", body=b"{}")
    assert conn.getresponse().status == 404
    conn.close()


def test_the_same_ticket_and_source_is_stored_once(hooked: Hooked) -> None:
    first = hooked.post(rating("UANA", comment="first"))
    second = hooked.post(rating("UANA", comment="second"))
    other_source = hooked.post(rating("UANA", source="freshdesk"))
    assert (first.status, second.status, other_source.status) == (202, 200, 202)
    assert second.body == {"ok": True, "duplicate": True}
    hooked.settle()
    assert stored(hooked.deps.db)[:2] == (2, 2)


def test_duplicates_arriving_at_once_are_stored_once(hooked_any: Hooked) -> None:
    hooked = hooked_any
    tickets = [f"https://help.example.com/t/{n}" for n in range(6)]
    answers: list[int] = []
    start = threading.Barrier(24)

    def send(ticket: str, n: int) -> None:  # each its own body, so its own signature
        start.wait()
        answers.append(hooked.post(rating("UANA", ticket=ticket, comment=f"try {n}")).status)

    threads = [threading.Thread(target=send, args=(t, n)) for t in tickets for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(answers) == [200] * 18 + [202] * 6
    hooked.settle()
    assert stored(hooked.deps.db)[:2] == (6, 6)


def test_two_workspaces_hooks_never_mix(hooked: Hooked) -> None:
    """B's hook refuses what A's secret signed, and what B signs lands in B only."""
    deps = hooked.deps
    sealer = sealer_of(deps)
    assert sealer is not None
    with deps.db.write() as s:
        other = store.add_hook(
            s,
            {
                "team_id": "T0OTHER",
                "hook_id": "hook-of-b",
                "secret_sealed": sealer.seal("secret-of-b"),
                "created_by": "UBOSS",
                "created_at": deps.clock(),
            },
        )
    forged = post(hooked.bravo.url, other.hook_id, hooked.secret, rating("UANA"))
    assert (forged.status, forged.body["error"]) == (401, "invalid_signature")
    assert post(hooked.bravo.url, hooked.hook_id, "secret-of-b", rating("UANA")).status == 401
    assert post(hooked.bravo.url, other.hook_id, "secret-of-b", rating("UANA")).status == 202
    with deps.db.read() as s:
        teams = s.exec(select(UnmatchedRating.team_id)).all()
    assert teams == ["T0OTHER"]


def test_receipts_are_forgotten_after_the_window(hooked: Hooked) -> None:
    assert hooked.post(rating("UANA")).status == 202
    from bot.ratings.jobs import forget_receipts

    at = hooked.deps.clock()
    assert forget_receipts(hooked.deps, at)["forgotten"] == 0
    assert forget_receipts(hooked.deps, at + ids.RECEIPTS_KEPT * 2)["forgotten"] == 1


def test_socket_modes_side_server_serves_the_webhook_and_nothing_of_slack(hooked: Hooked) -> None:
    """What ``bravo run`` starts beside Socket Mode: /hooks/ and /healthz on --port, and no
    /slack/events (Slack's requests come through the socket there)."""
    deps = hooked.deps
    app = hooked.bravo.deps  # the same Deps; the side server has its own routes
    from handlers.app import build_app

    wsgi = make_wsgi(build_app(app, http=False), deps.db, routes=hook_routes(deps))
    side = SideServer(only_paths(wsgi, ("/hooks/", "/healthz")), host="127.0.0.1", port=0)
    side.start()
    try:
        base = f"http://127.0.0.1:{side.port}"
        assert post(base, hooked.hook_id, hooked.secret, rating("UBEN")).status == 202
        assert post(base, hooked.hook_id, "wrong", rating("UBEN", ticket=None)).status == 401
        for path, status in (("/healthz", 200), ("/slack/events", 404)):
            conn = http.client.HTTPConnection("127.0.0.1", side.port, timeout=5)
            conn.request("POST" if "slack" in path else "GET", path, body=b"{}")
            assert conn.getresponse().status == status
            conn.close()
    finally:
        side.stop()
    hooked.settle()
    with deps.db.read() as s:
        assert s.exec(select(CustomerFeedback.teammate_id)).all() == ["UBEN"]


def test_one_group_refuses_its_replays_and_stores_each_ticket_once(hooked_any: Hooked) -> None:
    """Several requests in one group commit (``service._record``): the same signature twice is
    one rating and a replay, the same ticket twice one rating and a duplicate, and a request
    signed with a secret rotated away is refused; the rest are stored."""
    from bot.ratings import service

    hooked = hooked_any

    def checked(body: dict[str, object], secret: str | None = None) -> service._Request:
        raw = json.dumps(body).encode()
        stamp = str(int(time.time()))
        return service._checked(
            hooked.deps,
            hook_id=hooked.hook_id,
            timestamp=stamp,
            signature=sign(secret or hooked.secret, stamp, raw),
            body=raw,
            now_ts=time.time(),
        )

    first = checked(rating("UANA", ticket="https://help.example.com/t/1"))
    replay = service._Request(**{**first.__dict__, "outcome": None})
    same_ticket = checked(rating("UANA", ticket="https://help.example.com/t/1", comment="again"))
    other = checked(rating("UBEN", ticket="https://help.example.com/t/2"))
    stale = checked(rating("UCY", ticket="https://help.example.com/t/3"))
    stale.sealed = "sealed with a secret since rotated away"  # the process's view was old
    stale.signature = sign("an old secret", stale.timestamp, stale.body)
    group = [first, replay, same_ticket, other, stale]
    service._record(hooked.deps, group)
    outcomes = [
        o.status if isinstance(o, service.Problem) else ("dup" if o.duplicate else "ok")  # type: ignore[union-attr]
        for o in (r.outcome for r in group)
    ]
    assert outcomes == ["ok", 409, "dup", "ok", 401]
    assert stored(hooked.deps.db) == (2, 0, 3)  # two ratings; receipts: first, same_ticket, other
