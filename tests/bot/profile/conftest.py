"""Profile use cases run on the real Deps against the fake Slack: the kudos room's fixtures."""

from tests.bot.kudos.conftest import TEAM, Clock, clock, deps, slack

__all__ = ["TEAM", "Clock", "clock", "deps", "slack"]
