"""``bot.tokens.Tokens`` with a token per workspace, as an installation store gives them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class TeamTokens:
    tokens: dict[str, str] = field(default_factory=dict)

    def bot_token(self, team_id: str) -> str | None:
        return self.tokens.get(team_id)
