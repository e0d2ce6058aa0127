"""The split shape as an operator runs it: `bravo run --http --queue` and two `bravo worker`
processes on one PostgreSQL (skipped without it), against the fake Slack."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.sandbox.server import FakeSlack
from bot.sandbox.signing import SlackRequester
from tests.handlers.conftest import CHANNEL, TEAM, people_and_channels
from tests.ops_run import Bravo, bravo_env, free_port

pytestmark = pytest.mark.postgres


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    slack = FakeSlack(team_id=TEAM, bot_user_id="UBRAVO")
    slack.start()
    yield people_and_channels(slack)
    slack.stop()


def test_the_web_acks_the_workers_give_and_post_each_kudos_once(
    tmp_path: Path, fake: FakeSlack, pg_url: str
) -> None:
    port = free_port()
    env = bravo_env(tmp_path, fake.base_url, DATABASE_URL=pg_url)
    web = Bravo(env, tmp_path, "--http", "--queue", "--host", "127.0.0.1", "--port", str(port))
    workers: list[Bravo] = []
    try:
        web.wait_for(f"Bravo listening on http://127.0.0.1:{port}/slack/events")
        workers = [Bravo(env, tmp_path, "--poll", "0.1", cmd="worker") for _ in range(2)]
        for worker in workers:
            worker.wait_for("taking work")
        send = SlackRequester(
            f"http://127.0.0.1:{port}/slack/events", "sandbox-secret", team_id=TEAM, fake=fake
        )
        for n in range(5):  # the daily allowance
            result = send.slash_command(
                "UANA", "/kudos", f"<@UBEN|ben> for call {n}", channel_id=CHANNEL
            )
            assert result.status == 200, result.body
        fake.wait_for("chat.postMessage", count=10, timeout=20)  # 5 channel posts, 5 DMs
        in_channel = [
            c.args for c in fake.calls("chat.postMessage") if c.args.get("channel") == CHANNEL
        ]
        given = sorted(n for n in range(5) for p in in_channel if f"call {n}" in json.dumps(p))
        assert given == list(range(5))  # each once
        leads = "this process runs the scheduled jobs"
        assert sum(leads in w.output for w in workers) == 1  # one leader among the workers
        assert leads not in web.output and "outbox" not in web.output
    finally:
        for process in [web, *workers]:
            assert process.stop() == 0, process.output
