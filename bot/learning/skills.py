"""The skills a lesson, a search or a training may name: the workspace's kudos values (as
practice and kudos read them), and the one a mistyped skill most likely meant. Each use case
raises its own error, in the words of the command typed."""

from __future__ import annotations

from difflib import get_close_matches

from bot.deps import Deps


def skills_of(deps: Deps, team_id: str) -> tuple[str, ...]:
    return deps.config(team_id).kudos.values


def nearest(word: str, skills: tuple[str, ...]) -> str | None:
    """The skill ``word`` was most likely meant to be, or None when none is close."""
    near = get_close_matches(word, list(skills), n=1, cutoff=0.6)
    return near[0] if near else None
