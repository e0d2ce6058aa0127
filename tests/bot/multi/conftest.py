"""Two workspaces in one fake Slack, and the tokens Bravo holds for them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.sandbox.hosted import WorkspaceHandle
from bot.sandbox.server import FakeSlack

A, B = "T0ALPHA", "T0BETA"
TOKEN_A, TOKEN_B = "xoxb-alpha", "xoxb-beta"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(team_id=A, token=TOKEN_A) as slack:
        slack.add_user("UANA", "ana")
        slack.add_channel("C0A", "kudos", members=("UBRAVO", "UANA"))
        yield slack


@pytest.fixture
def beta(fake: FakeSlack) -> WorkspaceHandle:
    ws = fake.add_workspace(B, token=TOKEN_B, bot_user_id="UBRAVOB", team_name="Beta")
    ws.add_user("UZED", "zed")
    ws.add_channel("C0B", "kudos", members=("UBRAVOB", "UZED"))
    return ws
