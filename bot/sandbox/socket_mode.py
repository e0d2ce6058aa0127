"""Socket Mode's side of the fake: the WebSocket endpoint ``apps.connections.open`` hands out.

Like Slack, it greets each connection with ``hello``, sends envelopes (``send_envelope``) to one
live connection and expects the app to answer each with an ack carrying its ``envelope_id``
(recorded in ``acks``). ``drop()`` cuts every connection without a close frame, as a network
failure or a Slack restart does; the app must ask ``apps.connections.open`` again and reconnect.
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
from typing import Any

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455's handshake constant
TEXT, CLOSE, PING, PONG = 0x1, 0x8, 0x9, 0xA


class SocketModeServer:
    """A WebSocket server on 127.0.0.1 (any free port) speaking Slack's Socket Mode."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0), backlog=16)
        self._lock = threading.Condition()
        self._live: list[socket.socket] = []
        self._tickets: set[str] = set()
        self.connections = 0  # connections ever accepted (each from a fresh ticket)
        self.acks: list[dict[str, Any]] = []  # every ack received, oldest first
        self._thread: threading.Thread | None = None
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
        return self

    def stop(self) -> None:
        self._stopped = True
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
        """Cut every live connection, with no close frame."""
        with self._lock:
            live, self._live = self._live, []
        for conn in live:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()

    def send_envelope(self, kind: str, payload: dict[str, Any], **extra: Any) -> str:
        """Send an envelope (``slash_commands``, ``interactive``, ``events_api``) on the newest
        live connection; returns its envelope_id."""
        envelope_id = str(uuid.uuid4())
        body = {"envelope_id": envelope_id, "type": kind, "payload": payload, **extra}
        with self._lock:
            if not self._live:
                raise AssertionError("no live Socket Mode connection")
            conn = self._live[-1]
        conn.sendall(_frame(TEXT, json.dumps(body).encode()))
        return envelope_id

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
            conn.sendall(_frame(TEXT, json.dumps(_hello()).encode()))
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
                conn.sendall(_frame(PONG, data))
            elif opcode == TEXT:
                try:
                    ack = json.loads(data)
                except ValueError:
                    continue
                with self._lock:
                    self.acks.append(ack)
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
