"""Customer scenarios: what they are, and reading them from TOML with clear errors.

Bravo ships a library (``bot/practice/library/*.toml``, one file per skill); a workspace adds to
it or replaces shipped scenarios (same ``key``) through ``/practice scenarios``. Every scenario
is checked the same way on load, shipped or not: a broken one is named with what is wrong with
it, and none of its file is used.

A file holds ``[[scenario]]`` tables::

    [[scenario]]
    key = "empathy-double-charge"        # lowercase letters, digits and dashes; unique
    skill = "empathy"
    title = "Charged twice for one order"
    situation = "What the agent knows before answering."
    message = "What the customer wrote."
    checklist = ["Named the feeling", "Did not argue with it", "Said what happens next"]
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

LIBRARY = Path(__file__).parent / "library"
KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_KEY = 64
MAX_TITLE = 80
MAX_SITUATION = 1500
MAX_MESSAGE = 2000
MAX_ITEM = 75  # characters in one checklist item: a checkbox option's text is at most 75 in Slack
CHECKLIST = (2, 6)  # items in a checklist: at least, at most
FIELDS = ("key", "skill", "title", "situation", "message", "checklist")


@dataclass(frozen=True)
class Scenario:
    key: str
    skill: str
    title: str
    situation: str  # what the agent knows before answering
    message: str  # what the customer wrote
    checklist: tuple[str, ...]  # the behaviours a good reply shows

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "skill": self.skill,
            "title": self.title,
            "situation": self.situation,
            "message": self.message,
            "checklist": list(self.checklist),
        }


class ScenarioProblems(ValueError):
    """What is wrong with a scenario file, one line per problem, each naming where."""

    def __init__(self, where: str, problems: list[str]) -> None:
        self.where = where
        self.problems = problems
        super().__init__(f"{where}: " + "; ".join(problems))


def scenario_from(data: Any, where: str, skills: tuple[str, ...] | None = None) -> Scenario:
    """One scenario from a parsed table (or stored JSON); ``skills``: the skills it may be for
    (None: any). Raises ``ScenarioProblems`` listing everything wrong with it."""
    if not isinstance(data, dict):
        raise ScenarioProblems(where, ["a scenario must be a table of fields"])
    problems: list[str] = []
    missing = [f for f in FIELDS if f not in data]
    if missing:
        problems.append("missing " + ", ".join(missing))
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        problems.append("unknown field(s) " + ", ".join(unknown))
    texts: dict[str, str] = {}
    for name, limit in (
        ("key", MAX_KEY),
        ("skill", MAX_KEY),
        ("title", MAX_TITLE),
        ("situation", MAX_SITUATION),
        ("message", MAX_MESSAGE),
    ):
        if name not in data:
            continue
        value = data[name]
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{name} must be some text")
        elif len(value) > limit:
            problems.append(f"{name} is {len(value)} characters (at most {limit})")
        else:
            texts[name] = value.strip()
    if "title" in texts and "\n" in texts["title"]:
        problems.append("title must be one line")
    if "key" in texts and not KEY.match(texts["key"]):
        problems.append(f"key {texts['key']!r} may hold only lowercase letters, digits and dashes")
    if "skill" in texts and skills is not None and texts["skill"] not in skills:
        problems.append(f"skill {texts['skill']!r} is not one of {', '.join(skills)}")
    items: list[str] = []
    if "checklist" in data:
        items = _checklist(data["checklist"], problems)
    if problems:
        raise ScenarioProblems(where, problems)
    return Scenario(
        key=texts["key"],
        skill=texts["skill"],
        title=texts["title"],
        situation=texts["situation"],
        message=texts["message"],
        checklist=tuple(items),
    )


def _checklist(raw: Any, problems: list[str]) -> list[str]:
    """The checklist's items, trimmed; what is wrong with it goes to ``problems``."""
    if not isinstance(raw, list) or not all(isinstance(i, str) and i.strip() for i in raw):
        problems.append("checklist must be a list of short texts")
        return []
    items = [i.strip() for i in raw]
    low, high = CHECKLIST
    if not low <= len(items) <= high:
        problems.append(f"checklist has {len(items)} items (from {low} to {high})")
    for n, item in enumerate(items, start=1):
        if len(item) > MAX_ITEM:
            problems.append(f"checklist item {n} is {len(item)} characters (at most {MAX_ITEM})")
    if len(set(items)) != len(items):
        problems.append("checklist repeats an item")
    return items


def parse_scenarios(text: str, where: str, skills: tuple[str, ...] | None = None) -> list[Scenario]:
    """Every scenario of a TOML text, or ``ScenarioProblems`` naming each broken one (by its
    position and key) and what is wrong with it; nothing of a broken file is used."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioProblems(where, [f"not valid TOML ({err})"]) from None
    tables = data.get("scenario")
    if isinstance(tables, dict):
        raise ScenarioProblems(where, ["write each scenario as [[scenario]] (two brackets)"])
    if not isinstance(tables, list) or not tables:
        raise ScenarioProblems(where, ["no [[scenario]] tables in it"])
    found: list[Scenario] = []
    problems: list[str] = []
    others = sorted(set(data) - {"scenario"})
    if others:
        problems.append(
            "only [[scenario]] tables belong in it, not " + ", ".join(n[:40] for n in others[:5])
        )
    for n, table in enumerate(tables, start=1):
        key = table.get("key") if isinstance(table, dict) else None
        key = key.strip() if isinstance(key, str) else ""
        named = len(key) <= MAX_KEY and KEY.match(key)
        name = f"scenario {n}" + (f" ({key})" if named else "")
        try:
            found.append(scenario_from(table, name, skills))
        except ScenarioProblems as err:
            problems.append(f"{name}: " + "; ".join(err.problems))
    keys = [s.key for s in found]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        problems.append("key(s) used twice: " + ", ".join(twice))
    if problems:
        raise ScenarioProblems(where, problems)
    return found


@cache
def shipped() -> dict[str, Scenario]:
    """The library Bravo ships, by key (read once; a broken file fails loudly at start-up)."""
    found: dict[str, Scenario] = {}
    for path in sorted(LIBRARY.glob("*.toml")):
        for scenario in parse_scenarios(path.read_text(encoding="utf-8"), path.name):
            if scenario.key in found:
                raise ScenarioProblems(path.name, [f"key {scenario.key!r} is in another file"])
            found[scenario.key] = scenario
    return found
