"""``python -m bot run`` with one SLACK_BOT_TOKEN, over the Socket Mode sandbox: the token's
workspace learnt at start-up is the only one served. A command from another workspace gets the
"installed for another workspace" answer, nothing is asked of Slack for it, and the token's own
workspace is still served."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.sandbox.server import FakeSlack
from handlers.authorize import OTHER_WORKSPACE
from tests.ops_run import Bravo, bravo_env
from tests.test_ops_running import help_command


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as slack:
        slack.add_user("U0ANA", "ana")
        yield slack


def test_a_command_from_another_workspace_is_refused_and_the_own_one_served(
    tmp_path: Path, fake: FakeSlack
) -> None:
    bravo = Bravo(bravo_env(tmp_path, fake.base_url), tmp_path)
    try:
        fake.sockets.wait_connected(1, timeout=20)
        bravo.wait_for("Bravo connected in Socket Mode")
        asked = len(fake.calls("auth.test"))  # start-up's: preflight, and Bolt's own check
        other = {**help_command(fake), "team_id": "T0ELSEWHERE", "team_domain": "elsewhere"}
        sent = fake.sockets.send_envelope("slash_commands", other, accepts_response_payload=True)
        assert len(fake.sockets.wait_ack(sent)) == 1
        [refusal] = fake.wait_for("response_url")
        assert refusal.args["text"] == OTHER_WORKSPACE
        bravo.wait_for("from 'T0ELSEWHERE': Bravo here serves")
        sent = fake.sockets.send_envelope(
            "slash_commands", help_command(fake), accepts_response_payload=True
        )
        assert len(fake.sockets.wait_ack(sent)) == 1
        help_reply = fake.wait_for("response_url", count=2)[1]
        assert "/kudos" in str(help_reply.args)
        time.sleep(0.3)
        assert len(fake.calls("auth.test")) == asked  # the workspace learnt at start-up
    finally:
        assert bravo.stop() == 0, bravo.output
