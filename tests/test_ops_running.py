"""A running Bravo (``python -m bot run`` against the sandbox): it says "connected" and
"listening" only when it is, stops cleanly on SIGTERM or SIGINT (exit 0, no error lines), keeps
the libraries' chatter out of the log, and comes back after its Socket Mode connection drops."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.sandbox.server import FakeSlack
from tests.ops_run import NOISE, Bravo, bravo_env, free_port


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as slack:
        yield slack


def quiet(output: str) -> None:
    """No error or warning lines, none of the noise an operator does not need."""
    for line in output.splitlines():
        assert " ERROR " not in line and " WARNING " not in line, output
        assert not any(noise in line for noise in NOISE), output


def test_stopping_is_clean_whenever_it_comes(tmp_path: Path, fake: FakeSlack) -> None:
    """During start-up, the moment the scheduler takes its jobs (all due at once), and once
    connected: exit 0 and no error line (APScheduler used to log "cannot schedule new futures
    after interpreter shutdown" in 7 of 9 stops a second after start)."""
    moments = (
        ("Bravo is @bravo", signal.SIGTERM),
        ("this process runs the scheduled jobs", signal.SIGINT),
        ("Bravo connected in Socket Mode", signal.SIGTERM),
    )
    for moment, sig in moments:
        bravo = Bravo(bravo_env(tmp_path, fake.base_url), tmp_path)
        bravo.wait_for(moment)
        assert bravo.stop(sig) == 0, bravo.output
        quiet(bravo.output)
    assert bravo.output.rstrip().endswith("Bravo stopped"), bravo.output


def test_http_mode_says_listening_once_bound_and_stops_cleanly(
    tmp_path: Path, fake: FakeSlack
) -> None:
    port = free_port()
    env = bravo_env(tmp_path, fake.base_url)
    bravo = Bravo(env, tmp_path, "--http", "--host", "127.0.0.1", "--port", str(port))
    bravo.wait_for(f"Bravo listening on http://127.0.0.1:{port}/slack/events")
    bravo.wait_for("Booting worker")
    time.sleep(0.5)
    assert bravo.stop() == 0
    quiet(bravo.output)


def help_command(fake: FakeSlack) -> dict[str, object]:
    return {
        "command": "/kudos",
        "text": "help",
        "team_id": fake.team_id,
        "team_domain": fake.team_domain,
        "user_id": "U0ANA",
        "user_name": "ana",
        "channel_id": "C0GENERAL",
        "channel_name": "general",
        "api_app_id": fake.app_id,
        "response_url": fake.new_response_url(user_id="U0ANA", channel_id="C0GENERAL"),
        "trigger_id": fake.new_trigger_id("U0ANA"),
    }


def test_socket_mode_reconnects_after_a_drop_and_handles_the_next_envelope_once(
    tmp_path: Path, fake: FakeSlack
) -> None:
    fake.add_user("U0ANA", "ana")
    bravo = Bravo(bravo_env(tmp_path, fake.base_url), tmp_path)
    try:
        fake.sockets.wait_connected(1, timeout=20)
        bravo.wait_for("Bravo connected in Socket Mode")
        fake.sockets.drop()
        fake.sockets.wait_connected(2, timeout=10)
        assert len(fake.calls("apps.connections.open", ok=True)) == 3  # preflight, 1st, 2nd
        envelope = fake.sockets.send_envelope(
            "slash_commands", help_command(fake), accepts_response_payload=True
        )
        assert len(fake.sockets.wait_ack(envelope)) == 1
        replies = fake.wait_for("response_url")
        time.sleep(0.5)  # a second handling would answer again by now
        assert len(fake.calls("response_url")) == len(replies) == 1
        assert "/kudos" in str(replies[0].args)
        assert "dropped; reconnecting" in bravo.output
        assert "BrokenPipe" not in bravo.output
    finally:
        assert bravo.stop() == 0
