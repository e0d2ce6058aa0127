"""The library Bravo ships: every file loads, every default skill has enough scenarios, keys are
unique, and each checklist fits a Slack checkbox."""

from __future__ import annotations

import tomllib
from collections import Counter

from bot.practice.scenarios import LIBRARY, MAX_ITEM, parse_scenarios, shipped
from bot.settings import DEFAULT_VALUES


def test_every_shipped_file_loads_on_its_own() -> None:
    files = sorted(LIBRARY.glob("*.toml"))
    assert {p.stem for p in files} == set(DEFAULT_VALUES)
    for path in files:
        found = parse_scenarios(path.read_text(encoding="utf-8"), path.name, DEFAULT_VALUES)
        assert found, path.name
        assert {s.skill for s in found} == {path.stem}, path.name  # one skill a file


def test_each_default_skill_has_at_least_six() -> None:
    per_skill = Counter(s.skill for s in shipped().values())
    for skill in DEFAULT_VALUES:
        assert per_skill[skill] >= 6, (skill, per_skill[skill])
    assert sum(per_skill.values()) >= 42


def test_keys_are_unique_across_the_library() -> None:
    keys: list[str] = []
    for path in LIBRARY.glob("*.toml"):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        keys += [table["key"] for table in data["scenario"]]
    assert len(keys) == len(set(keys)) == len(shipped())


def test_checklists_are_three_to_five_checkbox_labels() -> None:
    for scenario in shipped().values():
        assert 3 <= len(scenario.checklist) <= 5, scenario.key
        assert all(len(item) <= MAX_ITEM for item in scenario.checklist), scenario.key
        assert len(set(scenario.checklist)) == len(scenario.checklist), scenario.key


def test_scenarios_are_complete_and_distinct() -> None:
    scenarios = list(shipped().values())
    titles = [s.title for s in scenarios]
    messages = [s.message for s in scenarios]
    assert len(set(titles)) == len(titles)
    assert len(set(messages)) == len(messages)
    for s in scenarios:
        assert len(s.situation) >= 80, s.key  # the agent is told enough to answer
        assert len(s.message) >= 20, s.key
        assert "  " not in s.situation, s.key  # line continuations joined cleanly
