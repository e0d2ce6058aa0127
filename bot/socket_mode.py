"""Socket Mode that comes back: slack_sdk's built-in client, watched.

The built-in client does not notice a connection the other side dropped: its reader spins on
the closed socket, and its pings fail with BrokenPipeError every interval without reconnecting
(measured against the sandbox's Socket Mode endpoint). So its own reconnecting is off and this
watch owns it: once a second it looks whether the socket was closed by the other side or has
heard no pong for ``stale_after`` seconds, and then asks ``apps.connections.open`` for a new URL
and connects again, backing off while that fails. "Connected" is logged only when it is true.

Each envelope is looked at before Bolt reads it (``bot.payload.envelope_problem``, as ``bot.web``
does over HTTP): one not shaped as Slack's (a block_actions with no actions makes Bolt itself
raise, before any middleware) is refused with one log line and acked, so Slack does not send
it again.
"""

from __future__ import annotations

import logging
import os
import select
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.payload import envelope_problem

log = logging.getLogger("bravo")
PING_INTERVAL = 5.0  # seconds between the client's pings
MAX_BACKOFF = 30.0


class SocketMode:
    def __init__(
        self,
        app: App,
        app_token: str,
        *,
        check_every: float = 1.0,
        stale_after: float = 4 * PING_INTERVAL,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.handler = _CheckingHandler(
            app,
            app_token,
            logger=logging.getLogger("slack_sdk.socket_mode"),
            auto_reconnect_enabled=False,  # this watch reconnects (see the module's doc)
            ping_interval=PING_INTERVAL,
        )
        self.client = self.handler.client
        self.check_every = check_every
        self.stale_after = stale_after
        self._mono = monotonic
        self._connected = False
        self._failures = 0
        self._retry_at = 0.0

    def run(self, stop: threading.Event) -> None:
        """Connect, and keep connected until ``stop`` is set."""
        self._connect()
        while not stop.wait(self.check_every):
            self.check()

    def check(self) -> None:
        """Reconnect if the connection is gone (and the back-off allows a try now)."""
        if self.alive():
            return
        if self._connected:
            log.warning("Socket Mode: the connection to Slack dropped; reconnecting")
            self._connected = False
        if self._mono() >= self._retry_at:
            self._connect()

    def alive(self) -> bool:
        session = self.client.current_session
        if session is None or session.sock is None:
            return False
        if _closed_by_peer(session.sock):
            return False
        heard = session.last_ping_pong_time or getattr(session, "_first_ping_time", None)
        return heard is None or time.time() - heard <= self.stale_after

    def _connect(self) -> None:
        try:
            self.client.connect_to_new_endpoint(force=True)
        except Exception as err:  # Slack unreachable or refusing: try again later
            log.warning("Socket Mode: cannot connect (%s)", _one_line(err))
        if self.alive():
            log.info("Bravo connected in Socket Mode (session %s)", self.client.session_id())
            self._connected, self._failures = True, 0
            return
        self._failures += 1
        delay = min(MAX_BACKOFF, 2.0 ** min(self._failures, 5))
        self._retry_at = self._mono() + delay
        log.warning("Socket Mode: not connected; trying again in %.0f s", delay)

    def close(self) -> None:
        """Stop taking envelopes; the ones being handled finish first."""
        self.handler.close()


class _CheckingHandler(SocketModeHandler):
    """Bolt's handler, with the envelope's shape checked before Bolt sees it."""

    def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        body = req.payload
        problem = envelope_problem(body) if isinstance(body, dict) else "a payload not an object"
        if problem is None:
            super().handle(client, req)
            return
        log.warning("refused a Socket Mode envelope not shaped as Slack's: %s", problem)
        client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))


def _closed_by_peer(sock: Any) -> bool:
    """The other side closed the TCP connection: readable, with nothing to read. Looked at on
    a duplicate of the descriptor, below TLS (an SSL socket takes no MSG_PEEK) and without
    waiting (the client's socket has a timeout)."""
    try:
        readable, _, _ = select.select([sock], [], [], 0)
        if not readable:
            return False
        with socket.socket(fileno=os.dup(sock.fileno())) as raw:
            return raw.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False  # the reader took the data first: the connection is fine
    except (OSError, ValueError):  # a socket closed under us
        return True


def _one_line(err: Exception) -> str:
    text = str(err).strip().splitlines()
    return text[0] if text else type(err).__name__
