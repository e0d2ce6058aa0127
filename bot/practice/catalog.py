"""The scenarios a workspace practises with: Bravo's library, with the workspace's own added
(a stored scenario with a shipped key replaces it; a retired key hides it), for the workspace's
skills only. And which one a person gets next (``choose``): pure, so it is tested alone.

Admins manage it (``/practice scenarios``): ``add_scenarios`` from pasted TOML (all or nothing),
``retire``/``restore`` one of Bravo's, ``remove`` their own; each use case asks Slack whether the
person is an admin and owns its transaction. Operators import a file (``import_scenarios``)."""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.admins import is_admin
from bot.deps import Deps
from bot.practice.catalog_errors import (
    CatalogKeyError,
    ScenariosAdminOnlyError,
    ScenarioTextError,
    ScenarioTextLengthError,
    TooManyScenariosError,
)
from bot.practice.scenarios import (
    KEY,
    MAX_KEY,
    Scenario,
    ScenarioProblems,
    parse_scenarios,
    scenario_from,
    shipped,
)
from storage import practice_catalog as store
from storage.models import PracticeScenario

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


# --- Managing the catalog (admins: ``/practice scenarios``; operators: the CLI) ---------------

MAX_PASTE = 3000  # characters pasted into the modal at once (its input's limit)
MAX_FILE = 200_000  # characters of a file an operator imports
MAX_ROWS = 80  # the workspace's own rows (added, replacing, retiring): the modal lists them all
CLI = "cli"  # ``updated_by`` of what an operator imported


class RowKind(StrEnum):
    OWN = "own"  # a scenario of the workspace's own
    REPLACES = "replaces"  # the workspace's version of one of Bravo's
    RETIRED = "retired"  # one of Bravo's, hidden (with or without a version of the workspace's)


@dataclass(frozen=True)
class Row:
    key: str
    skill: str
    title: str
    kind: RowKind


@dataclass(frozen=True)
class Catalog:
    """What an admin sees: the scenarios in use per skill, the workspace's own rows, and the
    shipped ones in use (which may be retired)."""

    skills: tuple[str, ...]
    counts: dict[str, int]
    rows: tuple[Row, ...]
    retirable: tuple[Scenario, ...]


@dataclass(frozen=True)
class Saved:
    added: tuple[str, ...]  # new keys
    replaced: tuple[str, ...]  # keys that were Bravo's, or the workspace's before
    catalog: Catalog  # as it is now


def check_admin(deps: Deps, *, team_id: str, user_id: str) -> None:
    """Asked of Slack at the moment (``bot.admins``): a forged or stale click changes nothing."""
    if not is_admin(deps.client_for(team_id), deps.config(team_id), user_id):
        raise ScenariosAdminOnlyError()


def catalog(deps: Deps, *, team_id: str, admin_id: str) -> Catalog:
    check_admin(deps, team_id=team_id, user_id=admin_id)
    return _catalog(deps, team_id)


def _catalog(deps: Deps, team_id: str) -> Catalog:
    skills = skills_of(deps, team_id)
    in_use = scenarios_for(deps, team_id)
    library = shipped()
    with deps.db.read() as session:
        stored = store.workspace_scenarios(session, team_id=team_id)
    rows = tuple(_row(r, library, in_use) for r in stored)
    counts = {skill: 0 for skill in skills}
    for scenario in in_use.values():
        counts[scenario.skill] = counts.get(scenario.skill, 0) + 1
    retirable = tuple(
        sorted(
            (s for s in in_use.values() if s.key in library),
            key=lambda s: (skills.index(s.skill) if s.skill in skills else 0, s.key),
        )
    )
    return Catalog(skills=skills, counts=counts, rows=rows, retirable=retirable)


def _row(
    row: PracticeScenario, library: Mapping[str, Scenario], in_use: Mapping[str, Scenario]
) -> Row:
    shipped_one = library.get(row.key)
    if row.retired:
        kind = RowKind.RETIRED
    elif shipped_one is not None:
        kind = RowKind.REPLACES
    else:
        kind = RowKind.OWN
    title = _title(row) or (shipped_one.title if shipped_one else "") or "(unreadable)"
    if kind is not RowKind.RETIRED and row.key not in in_use:
        title += " (not in use: its skill is gone, or it no longer reads)"
    return Row(key=row.key, skill=row.skill, title=title, kind=kind)


def _title(row: PracticeScenario) -> str:
    try:
        body = json.loads(row.body) if row.body else {}
    except ValueError:
        return ""
    title = body.get("title") if isinstance(body, dict) else None
    return title if isinstance(title, str) else ""


def read_text(text: str, skills: tuple[str, ...], *, limit: int, where: str) -> list[Scenario]:
    """The scenarios of a pasted or imported text, checked against the workspace's skills;
    every problem at once as ``ScenarioTextError`` (nothing of the text is used)."""
    if not text.strip():
        raise ScenarioTextError(
            ("it is empty: paste one or more [[scenario]] tables (see the example)",)
        )
    if len(text) > limit:
        raise ScenarioTextLengthError(length=len(text), limit=limit)
    try:
        return parse_scenarios(text, where, skills)
    except ScenarioProblems as err:
        raise ScenarioTextError(tuple(err.problems)) from None


def add_scenarios(deps: Deps, *, team_id: str, admin_id: str, text: str) -> Saved:
    """An admin's pasted TOML: every scenario in it added (a key in use is replaced), or none."""
    check_admin(deps, team_id=team_id, user_id=admin_id)
    found = read_text(text, skills_of(deps, team_id), limit=MAX_PASTE, where="the text")
    return _save(deps, team_id, found, by=admin_id)


def import_scenarios(deps: Deps, *, team_id: str, text: str, where: str) -> Saved:
    """An operator's file (``bravo practice scenarios import``): as ``add_scenarios``, larger,
    with no admin to ask (whoever runs the command holds the database)."""
    found = read_text(text, skills_of(deps, team_id), limit=MAX_FILE, where=where)
    return _save(deps, team_id, found, by=CLI)


def check_text(text: str, skills: tuple[str, ...], *, where: str) -> list[Scenario]:
    """``bravo practice scenarios check``: what an import would store, stored nowhere."""
    return read_text(text, skills, limit=MAX_FILE, where=where)


def _save(deps: Deps, team_id: str, found: list[Scenario], *, by: str) -> Saved:
    library = shipped()
    now = deps.clock()
    with deps.db.write() as session:
        existing = {r.key for r in store.workspace_scenarios(session, team_id=team_id)}
        adding = [s for s in found if s.key not in existing]
        if len(existing) + len(adding) > MAX_ROWS:
            raise TooManyScenariosError(limit=MAX_ROWS, adding=len(adding))
        for scenario in found:
            store.put_scenario(
                session,
                team_id=team_id,
                key=scenario.key,
                skill=scenario.skill,
                body=json.dumps(scenario.as_dict(), ensure_ascii=False),
                retired=False,
                updated_by=by,
                now=now,
            )
    replaced = tuple(s.key for s in found if s.key in existing or s.key in library)
    added = tuple(s.key for s in found if s.key not in replaced)
    return Saved(added=added, replaced=replaced, catalog=_catalog(deps, team_id))


def _key(key: str) -> str:
    """A key from a button: one that could be a scenario's, or the error for ``action``."""
    return key.strip() if len(key) <= MAX_KEY and KEY.match(key.strip()) else ""


def retire(deps: Deps, *, team_id: str, admin_id: str, key: str) -> Catalog:
    """Hide one of Bravo's scenarios from the workspace (its own version, if any, is kept for
    ``restore``)."""
    check_admin(deps, team_id=team_id, user_id=admin_id)
    key = _key(key)
    library = shipped()
    if key not in library or key not in scenarios_for(deps, team_id):
        raise CatalogKeyError("retire", key)
    with deps.db.write() as session:
        row = store.scenario_row(session, team_id=team_id, key=key)
        if row is None and store.count_rows(session, team_id=team_id) >= MAX_ROWS:
            raise TooManyScenariosError(limit=MAX_ROWS, adding=1)
        store.put_scenario(
            session,
            team_id=team_id,
            key=key,
            skill=row.skill if row else library[key].skill,
            body=row.body if row else "",
            retired=True,
            updated_by=admin_id,
            now=deps.clock(),
        )
    return _catalog(deps, team_id)


def restore(deps: Deps, *, team_id: str, admin_id: str, key: str) -> Catalog:
    """Undo ``retire``: Bravo's scenario is back, or the workspace's version of it if it had
    one."""
    check_admin(deps, team_id=team_id, user_id=admin_id)
    key = _key(key)
    with deps.db.write() as session:
        row = store.scenario_row(session, team_id=team_id, key=key) if key else None
        if row is None or not row.retired:
            raise CatalogKeyError("restore", key)
        if not row.body:
            store.drop_scenario(session, team_id=team_id, key=key)
        else:
            row.retired = False
            row.updated_by = admin_id
            row.updated_at = deps.clock()
            session.add(row)
    return _catalog(deps, team_id)


def remove(deps: Deps, *, team_id: str, admin_id: str, key: str) -> Catalog:
    """Delete the workspace's own scenario; for its version of one of Bravo's, Bravo's is back."""
    check_admin(deps, team_id=team_id, user_id=admin_id)
    key = _key(key)
    with deps.db.write() as session:
        row = store.scenario_row(session, team_id=team_id, key=key) if key else None
        if row is None or row.retired:
            raise CatalogKeyError("remove", key)
        store.drop_scenario(session, team_id=team_id, key=key)
    return _catalog(deps, team_id)
