"""Socket Mode's side of the fake: the WebSocket endpoint ``apps.connections.open`` hands out.

Like Slack, it greets each connection with ``hello``, sends envelopes (``send_envelope``) to one
live connection and expects the app to answer each with an ack carrying its ``envelope_id``
(recorded in ``acks``). ``drop()`` cuts every connection without a close frame, as a network
failure or a Slack restart does; the app must ask ``apps.connections.open`` again and reconnect.

As Slack does, an Events API envelope not acked within ``redeliver_after`` seconds (3, Slack's
ack window) is sent again, up to ``MAX_RETRIES`` times, with ``retry_attempt`` and
``retry_reason``; one sent while no connection is live waits for the next connection (its first
try counts as failed), and one whose connection dropped before its ack is sent again as soon as
the app is back. Slash commands and interactions are never retried: with no live connection
``send_envelope`` refuses them with ``SlackError("dispatch_failed")``, the error Slack shows
the person.
``lose_next_acks(n)`` loses the next acks on the way back, so a test can see a redelivery of
an envelope the app did handle. Every envelope sent, retries included, is in ``deliveries``.
Only the WebSocket framing Socket Mode needs: text, ping/pong, close; no extensions.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import socket
import struct
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

from bot.sandbox.calls import SlackError

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455's handshake constant
TEXT, CLOSE, PING, PONG = 0x1, 0x8, 0x9, 0xA
EVENTS = "events_api"  # the only kind of envelope Slack retries
MAX_RETRIES = 3
RETRY_REASON = "timeout"


@dataclass
class _Pending:
    """An Events API envelope not acked yet: its first body, tries so far, when to try next."""

    body: dict[str, Any]
    tries: int
    due: float


class SocketModeServer:
    """A WebSocket server on 127.0.0.1 (any free port) speaking Slack's Socket Mode."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0), backlog=16)
        self._lock = threading.Condition()
        self._live: list[socket.socket] = []
        self._tickets: set[str] = set()
        self.connections = 0  # connections ever accepted (each from a fresh ticket)
        self.acks: list[dict[str, Any]] = []  # every ack received, oldest first
        self.deliveries: list[dict[str, Any]] = []  # every envelope sent, retries included
        self.given_up: list[str] = []  # envelope ids never acked after every retry
        self.redeliver_after = 3.0
        self._pending: dict[str, _Pending] = {}
        self._lose_acks = 0
        self._send_lock = threading.Lock()  # one frame at a time on a socket
        self._thread: threading.Thread | None = None
        self._retrier: threading.Thread | None = None
        self._stopped = False

    @property
    def port(self) -> int:
        return int(self._listener.getsockname()[1])

    def new_url(self) -> str:
        """A ws:// URL for one connection, as ``apps.connections.open`` returns."""
        ticket = uuid.uuid4().hex
        with self._lock:
            self._tickets.add(ticket)
        return f"ws://127.0.0.1:{self.port}/link/?ticket={ticket}&app_id=A0BRAVO"

    def start(self) -> SocketModeServer:
        if self._thread is None:
            self._thread = threading.Thread(target=self._accept, name="fake-socket", daemon=True)
            self._thread.start()
            self._retrier = threading.Thread(target=self._retry, name="fake-retry", daemon=True)
            self._retrier.start()
        return self

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            self._lock.notify_all()
        self.drop()
        self._listener.close()

    def live(self) -> int:
        with self._lock:
            return len(self._live)

    def wait_connected(self, total: int, timeout: float = 10.0) -> None:
        """Wait until ``total`` connections were accepted and one is live."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self.connections < total or not self._live:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"expected connection {total}, got {self.connections} "
                        f"({len(self._live)} live)"
                    )
                self._lock.wait(left)

    def drop(self) -> None:
        """Cut every live connection, with no close frame. Envelopes waiting for their ack are
        sent again as soon as a connection is back."""
        with self._lock:
            live, self._live = self._live, []
            now = time.monotonic()
            for pending in self._pending.values():
                pending.due = min(pending.due, now)
        for conn in live:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()

    def send_envelope(self, kind: str, payload: dict[str, Any], **extra: Any) -> str:
        """Send an envelope (``slash_commands``, ``interactive``, ``events_api``) on the newest
        live connection; returns its envelope_id. An Events API envelope is retried until acked
        (see the module's doc); anything else with no live connection is refused."""
        envelope_id = str(uuid.uuid4())
        body = {"envelope_id": envelope_id, "type": kind, "payload": payload, **extra}
        if kind == EVENTS:
            body = {"retry_attempt": 0, "retry_reason": "", **body}
        with self._lock:
            conn = self._live[-1] if self._live else None
            if conn is None and kind != EVENTS:
                raise SlackError("dispatch_failed")  # no live Socket Mode connection
            if kind == EVENTS:
                due = time.monotonic() + (self.redeliver_after if conn is not None else 0.0)
                self._pending[envelope_id] = _Pending(body, 1, due)
            if conn is not None:
                self.deliveries.append(body)
        if conn is not None:
            self._send(conn, body)
        return envelope_id

    def lose_next_acks(self, count: int = 1) -> None:
        """The next ``count`` acks are lost on the way back (the envelope counts as unacked)."""
        with self._lock:
            self._lose_acks = count

    def pending(self) -> int:
        """Events API envelopes sent and not acked yet."""
        with self._lock:
            return len(self._pending)

    def _send(self, conn: socket.socket, body: dict[str, Any]) -> None:
        with self._send_lock, contextlib.suppress(OSError):  # a dead one is seen by its reader
            conn.sendall(_frame(TEXT, json.dumps(body).encode()))

    def _retry(self) -> None:
        """Send again each Events API envelope whose ack is overdue, while a connection is live."""
        with self._lock:
            while not self._stopped:
                now = time.monotonic()
                due = [p for p in self._pending.values() if p.due <= now]
                if due and self._live:
                    self._redeliver(due, self._live[-1], now)
                    continue
                waits = [p.due - now for p in self._pending.values() if p.due > now]
                self._lock.wait(min([0.5, *waits]))

    def _redeliver(self, due: list[_Pending], conn: socket.socket, now: float) -> None:
        """Called holding the lock: each overdue envelope is sent again, or given up on."""
        for pending in due:
            envelope_id = pending.body["envelope_id"]
            if pending.tries > MAX_RETRIES:
                del self._pending[envelope_id]
                self.given_up.append(envelope_id)
                continue
            body = {**pending.body, "retry_attempt": pending.tries, "retry_reason": RETRY_REASON}
            pending.tries += 1
            pending.due = now + self.redeliver_after
            self.deliveries.append(body)
            self._send(conn, body)

    def wait_ack(self, envelope_id: str, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Wait for the ack of ``envelope_id``; returns every ack it got (one, if all is well)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [a for a in self.acks if a.get("envelope_id") == envelope_id]
                left = deadline - time.monotonic()
                if found or left <= 0:
                    return found
                self._lock.wait(left)

    def _accept(self) -> None:
        while not self._stopped:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            if not self._handshake(conn):
                conn.close()
                return
            self._send(conn, _hello())
            with self._lock:
                self.connections += 1
                self._live.append(conn)
                self._lock.notify_all()
            self._receive(conn)
        except OSError:
            pass
        finally:
            with self._lock:
                if conn in self._live:
                    self._live.remove(conn)
            conn.close()

    def _handshake(self, conn: socket.socket) -> bool:
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = conn.recv(1024)
            if not chunk:
                return False
            request += chunk
        lines = request.decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines)}
        ticket = lines[0].split("ticket=")[-1].split("&")[0].split(" ")[0]
        with self._lock:
            known = ticket in self._tickets
            self._tickets.discard(ticket)  # each URL is good for one connection
        key = headers.get("sec-websocket-key", "")
        if not known or not key:
            conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            return False
        accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
        conn.sendall(
            (
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"
            ).encode()
        )
        return True

    def _receive(self, conn: socket.socket) -> None:
        reader = conn.makefile("rb")
        while True:
            opcode, data = _read_frame(reader)
            if opcode is None or opcode == CLOSE:
                return
            if opcode == PING:
                with self._send_lock:
                    conn.sendall(_frame(PONG, data))
            elif opcode == TEXT:
                try:
                    ack = json.loads(data)
                except ValueError:
                    continue
                self._acked(ack)

    def _acked(self, ack: Any) -> None:
        with self._lock:
            if self._lose_acks > 0:
                self._lose_acks -= 1
                return
            self.acks.append(ack)
            if isinstance(ack, dict):
                self._pending.pop(str(ack.get("envelope_id")), None)
            self._lock.notify_all()


def _hello() -> dict[str, Any]:
    return {
        "type": "hello",
        "num_connections": 1,
        "debug_info": {"host": "sandbox", "approximate_connection_time": 3600},
        "connection_info": {"app_id": "A0BRAVO"},
    }


def _frame(opcode: int, data: bytes) -> bytes:
    """A server frame: final, unmasked."""
    head = bytes([0x80 | opcode])
    if len(data) < 126:
        return head + bytes([len(data)]) + data
    if len(data) < 1 << 16:
        return head + bytes([126]) + struct.pack("!H", len(data)) + data
    return head + bytes([127]) + struct.pack("!Q", len(data)) + data


def _read_frame(reader: Any) -> tuple[int | None, bytes]:
    """One client frame (masked, as clients must); (None, b"") at the end of the stream."""
    head = reader.read(2)
    if len(head) < 2:
        return None, b""
    opcode, length = head[0] & 0x0F, head[1] & 0x7F
    if length == 126:
        length = struct.unpack("!H", reader.read(2))[0]
    elif length == 127:
        length = struct.unpack("!Q", reader.read(8))[0]
    mask = reader.read(4) if head[1] & 0x80 else b"\0\0\0\0"
    data = reader.read(length)
    return opcode, bytes(b ^ mask[i % 4] for i, b in enumerate(data))
