"""Hostile requests against the real web app: whatever is not signed with the signing secret
(junk bodies, garbled timestamps, a byte flipped after signing, a replay from long ago) is 401
before anything reads it: one log line, no stack trace, nothing stored, nothing sent to Slack."""

from __future__ import annotations

import logging
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from bot.sandbox.signing import FORM, JSON, sign
from tests.handlers.conftest import CHANNEL, SECRET, TEAM, Bravo
from tests.handlers.hostile_kit import one_bravo, settle, stored, tracebacks


@pytest.fixture(scope="module")
def bravo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bravo]:
    yield from one_bravo(tmp_path_factory.mktemp("requests"))


def command(
    bravo: Bravo,
    text: str = "<@UBEN|ben> for calming an angry caller",
    *,
    name: str = "/kudos",
) -> bytes:
    fields = {
        "team_id": TEAM,
        "channel_id": CHANNEL,
        "user_id": "UANA",
        "command": name,
        "text": text,
        "trigger_id": bravo.send.trigger_id("UANA"),
        "response_url": bravo.send.response_url("UANA", CHANNEL),
    }
    return urlencode(fields).encode()


def post(bravo: Bravo, body: bytes, headers: dict[str, str], content_type: str = FORM) -> int:
    request = urllib.request.Request(
        bravo.url + "/slack/events",
        data=body,
        method="POST",
        headers={"Content-Type": content_type, **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as err:
        return err.code


def signed(body: bytes, at: int | None = None) -> dict[str, str]:
    ts = int(time.time()) if at is None else at
    return {"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": sign(SECRET, ts, body)}


def refused_quietly(bravo: Bravo, caplog: pytest.LogCaptureFixture, send: object) -> None:
    """``send()`` is refused with 401: one log line, no trace, nothing stored or sent."""
    before, calls = stored(bravo.deps.db), len(bravo.slack.calls())
    caplog.clear()
    with caplog.at_level(logging.INFO):
        assert send() == 401  # type: ignore[operator]
        settle(bravo)
    assert [r.levelname for r in caplog.records] == ["WARNING"]
    assert tracebacks(caplog) == []
    assert stored(bravo.deps.db) == before and len(bravo.slack.calls()) == calls


JUNK = [b"payload=null", b"not json at all", b"[]", b"\xff\xfe\x00junk", b"", b"payload=%7B"]


@pytest.mark.parametrize("body", JUNK)
@pytest.mark.parametrize("content_type", [FORM, JSON])
def test_unsigned_junk_is_401(
    bravo: Bravo, body: bytes, content_type: str, caplog: pytest.LogCaptureFixture
) -> None:
    refused_quietly(bravo, caplog, lambda: post(bravo, body, {}, content_type))


@pytest.mark.parametrize("body", JUNK)
def test_junk_with_a_forged_signature_is_401(
    bravo: Bravo, body: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    now = int(time.time())
    forged = {"X-Slack-Request-Timestamp": str(now), "X-Slack-Signature": "v0=" + "0" * 64}
    refused_quietly(bravo, caplog, lambda: post(bravo, body, forged))


@pytest.mark.parametrize("timestamp", ["abc", "", "{now}.5", "-5", "{now}e0", "0x10", "9" * 40])
def test_a_garbled_timestamp_is_401(
    bravo: Bravo, timestamp: str, caplog: pytest.LogCaptureFixture
) -> None:
    now = int(time.time())
    body = command(bravo)
    headers = {
        "X-Slack-Request-Timestamp": timestamp.format(now=now),
        "X-Slack-Signature": sign(SECRET, now, body),
    }
    refused_quietly(bravo, caplog, lambda: post(bravo, body, headers))


@pytest.mark.parametrize("position", [0, 10, -1])
def test_one_byte_flipped_after_signing_is_401(
    bravo: Bravo, position: int, caplog: pytest.LogCaptureFixture
) -> None:
    body = command(bravo)
    headers = signed(body)
    flipped = bytearray(body)
    flipped[position] ^= 0x01
    refused_quietly(bravo, caplog, lambda: post(bravo, bytes(flipped), headers))


def test_a_signature_from_ten_minutes_ago_is_401(
    bravo: Bravo, caplog: pytest.LogCaptureFixture
) -> None:
    body = command(bravo)
    old = signed(body, at=int(time.time()) - 600)
    refused_quietly(bravo, caplog, lambda: post(bravo, body, old))


def test_the_same_command_signed_is_served(bravo: Bravo) -> None:
    body = command(bravo)
    assert post(bravo, body, signed(body)) == 200
    settle(bravo)
    assert bravo.slack.wait_for("response_url", count=1)


def test_a_listener_that_fails_after_its_ack_still_answers_200(
    bravo: Bravo, caplog: pytest.LogCaptureFixture
) -> None:
    """The form cannot open (Slack says the trigger_id expired): Slack already has its ack, so
    the answer is 200, and the failure is logged once by the one error handler."""
    body = command(bravo, text="", name="/goal")
    bravo.slack.fail_next("views.open", error="expired_trigger_id")
    with caplog.at_level(logging.INFO):
        assert post(bravo, body, signed(body)) == 200
    assert len([r for r in caplog.records if r.exc_info]) == 1
