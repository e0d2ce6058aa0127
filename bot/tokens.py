"""Whose token a call to Slack uses: every call is made with the bot token of the workspace it
is for. ``OneToken`` is the self-hosting shape (``SLACK_BOT_TOKEN``, one workspace); an OAuth
install keeps a token per workspace (issue 13: the installation store)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class Tokens(Protocol):
    def bot_token(self, team_id: str) -> str | None:
        """The workspace's bot token now, or None when Bravo is not installed there."""
        ...


@dataclass(frozen=True)
class OneToken:
    """One workspace, one token from the environment (``SLACK_BOT_TOKEN``)."""

    token: str | None

    def bot_token(self, team_id: str) -> str | None:
        return self.token
