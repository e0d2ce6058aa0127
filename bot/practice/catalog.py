"""The scenarios a workspace practises with: Bravo's library, with the workspace's own added
(a stored scenario with a shipped key replaces it; a retired key hides it), for the workspace's
skills only. And which one a person gets next (``choose``): pure, so it is tested alone."""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Mapping, Sequence

from bot.deps import Deps
from bot.practice.scenarios import Scenario, ScenarioProblems, scenario_from, shipped
from storage import practice_catalog as store

log = logging.getLogger(__name__)


def skills_of(deps: Deps, team_id: str) -> tuple[str, ...]:
    """The skills a workspace practises: its kudos values."""
    return deps.config(team_id).kudos.values


def scenarios_for(deps: Deps, team_id: str) -> dict[str, Scenario]:
    """The workspace's catalog by key, for its skills. A stored scenario that no longer reads
    (an older Bravo's, or a skill since removed) is left out and logged, never shown broken."""
    skills = skills_of(deps, team_id)
    found = {k: s for k, s in shipped().items() if s.skill in skills}
    with deps.db.read() as session:
        rows = store.workspace_scenarios(session, team_id=team_id)
    for row in rows:
        if row.retired:
            found.pop(row.key, None)
            continue
        try:
            scenario = scenario_from(json.loads(row.body), row.key, skills)
        except (ValueError, ScenarioProblems) as err:
            log.warning("practice scenario %s of %s left out: %s", row.key, team_id, err)
            found.pop(row.key, None)
            continue
        found[scenario.key] = scenario
    return found


def choose(
    scenarios: Mapping[str, Scenario],
    *,
    skill: str | None,
    seen: Sequence[str],
    rng: random.Random,
) -> Scenario | None:
    """The next scenario for a person: for ``skill`` (None: any), one they have not seen, at
    random; when they have seen them all, the one they saw longest ago. ``seen``: the keys of
    the scenarios they were sent, oldest first. None when the skill has no scenario."""
    pool = [s for s in scenarios.values() if skill is None or s.skill == skill]
    if not pool:
        return None
    last_seen = {key: n for n, key in enumerate(seen)}
    fresh = sorted((s for s in pool if s.key not in last_seen), key=lambda s: s.key)
    if fresh:
        return rng.choice(fresh)
    return min(pool, key=lambda s: (last_seen[s.key], s.key))
