"""Slack's requests are verified before anything reads them; junk is 401 or 400, never 500."""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import Ack, App
from slack_bolt.authorization import AuthorizeResult

from bot.sandbox.signing import sign
from bot.web import SLACK_PATH, make_wsgi
from storage.db import Database

SECRET = "web-test-secret"


@pytest.fixture
def served() -> Iterator[tuple[Any, list[str]]]:
    def authorize(**_: Any) -> AuthorizeResult:  # no auth.test call: this test has no Slack
        return AuthorizeResult(enterprise_id=None, team_id="T1", bot_token="xoxb-test")

    app = App(signing_secret=SECRET, authorize=authorize)
    heard: list[str] = []

    @app.command("/kudos")
    def on_kudos(ack: Ack, command: dict[str, Any]) -> None:
        heard.append(command["text"])
        ack()

    @app.action("press")
    def on_press(ack: Ack) -> None:
        heard.append("pressed")
        ack()

    db = Database.from_url("sqlite://")
    yield make_wsgi(app, db, signing_secret=SECRET), heard
    db.dispose()


def call(wsgi: Any, body: bytes, headers: dict[str, str], content_type: str) -> tuple[int, bytes]:
    environ = {
        "REQUEST_METHOD": "POST",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": SLACK_PATH,
        "QUERY_STRING": "",
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        **{"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()},
    }
    got: list[str] = []
    out = b"".join(wsgi(environ, lambda status, _headers: got.append(status)))
    return int(got[0].split()[0]), out


def signed(body: bytes, at: int | None = None) -> dict[str, str]:
    ts = at if at is not None else int(time.time())
    return {"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": sign(SECRET, ts, body)}


FORM = "application/x-www-form-urlencoded"
COMMAND = (
    b"command=%2Fkudos&text=hello&team_id=T1&user_id=U1&channel_id=C1&trigger_id=1.2.3"
    b"&response_url=https%3A%2F%2Fhooks.slack.com%2Factions%2FT1%2F1%2Fabc"
)


def test_a_signed_command_is_served(served: tuple[Any, list[str]]) -> None:
    wsgi, heard = served
    assert call(wsgi, COMMAND, signed(COMMAND), FORM)[0] == 200
    assert heard == ["hello"]


@pytest.mark.parametrize(
    "body", [b"payload=null", b"not json at all", b"[]", b"\xff\xfe\x00junk", COMMAND]
)
def test_unsigned_junk_is_401_with_one_log_line(
    served: tuple[Any, list[str]], body: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    wsgi, heard = served
    with caplog.at_level(logging.INFO):
        assert call(wsgi, body, {}, FORM)[0] == 401
    assert heard == []
    assert [r.levelname for r in caplog.records] == ["WARNING"]
    assert not any(r.exc_info for r in caplog.records)


@pytest.mark.parametrize("timestamp", ["abc", "", "{now}.5", "-5", "１２３"])
def test_a_garbled_timestamp_is_401(served: tuple[Any, list[str]], timestamp: str) -> None:
    wsgi, heard = served
    now = int(time.time())
    headers = {
        "X-Slack-Request-Timestamp": timestamp.format(now=now),
        "X-Slack-Signature": sign(SECRET, now, COMMAND),
    }
    assert call(wsgi, COMMAND, headers, FORM)[0] == 401
    assert heard == []


def test_one_flipped_byte_or_an_old_signature_is_401(served: tuple[Any, list[str]]) -> None:
    wsgi, heard = served
    flipped = COMMAND.replace(b"hello", b"hellp")
    assert call(wsgi, flipped, signed(COMMAND), FORM)[0] == 401
    old = int(time.time()) - 600
    assert call(wsgi, COMMAND, signed(COMMAND, at=old), FORM)[0] == 401
    assert heard == []


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"payload=null", FORM),
        (b"payload=%5B%5D", FORM),  # []
        (b"payload=%22a+string%22", FORM),
        (b"payload=%7B%22type%22%3A", FORM),  # truncated JSON
        (b"\xff\xfe\x00junk", FORM),
        (b"[]", "application/json"),
        (b"null", "application/json"),
        (b'{"type": "event_callback"', "application/json"),
    ],
)
def test_a_signed_body_bravo_cannot_read_is_400_not_500(
    served: tuple[Any, list[str]],
    body: bytes,
    content_type: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    wsgi, heard = served
    with caplog.at_level(logging.INFO):
        assert call(wsgi, body, signed(body), content_type)[0] == 400
    assert heard == []
    assert not any(r.exc_info for r in caplog.records)


def test_a_signed_button_press_still_reaches_its_listener(served: tuple[Any, list[str]]) -> None:
    wsgi, heard = served
    payload = (
        '{"type":"block_actions","team":{"id":"T1"},"user":{"id":"U1"},"trigger_id":"1.2.3",'
        '"actions":[{"action_id":"press","block_id":"b","type":"button","value":"1"}]}'
    )
    from urllib.parse import quote

    body = ("payload=" + quote(payload)).encode()
    assert call(wsgi, body, signed(body), FORM)[0] == 200
    assert heard == ["pressed"]
