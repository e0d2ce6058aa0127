"""Reading scenarios from TOML: a broken text is refused as a whole, with every problem named by
the scenario it is in."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.practice.scenarios import (
    MAX_MESSAGE,
    MAX_TITLE,
    ScenarioProblems,
    parse_scenarios,
    scenario_from,
)

SKILLS = ("empathy", "communication")


def table(**fields: object) -> str:
    """One [[scenario]] table: a good one, with ``fields`` changed (None: left out)."""
    good: dict[str, object] = {
        "key": "late-refund",
        "skill": "empathy",
        "title": "A refund that is late",
        "situation": "The refund left on Monday and takes five days.",
        "message": "Where is my money?",
        "checklist": ["Named the worry", "Gave the date", "Said what to do if it is late"],
    }
    good.update(fields)
    lines = ["[[scenario]]"]
    for name, value in good.items():
        if value is not None:
            lines.append(f"{name} = {json.dumps(value)}")
    return "\n".join(lines) + "\n"


def problems(text: str, skills: tuple[str, ...] | None = SKILLS) -> list[str]:
    with pytest.raises(ScenarioProblems) as raised:
        parse_scenarios(text, "pasted.toml", skills)
    assert raised.value.where == "pasted.toml"
    return raised.value.problems


def test_a_good_text_reads() -> None:
    found = parse_scenarios(table() + table(key="second", skill="communication"), "x", SKILLS)
    assert [s.key for s in found] == ["late-refund", "second"]
    assert found[0].checklist == (
        "Named the worry",
        "Gave the date",
        "Said what to do if it is late",
    )
    assert found[0].as_dict()["checklist"] == list(found[0].checklist)


def test_missing_fields_are_named() -> None:
    [problem] = problems(table(message=None, checklist=None))
    assert problem == "scenario 1 (late-refund): missing message, checklist"


def test_unknown_fields_are_named() -> None:
    [problem] = problems(table(mood="grumpy"))
    assert "scenario 1 (late-refund)" in problem and "unknown field(s) mood" in problem


def test_wrong_types() -> None:
    [problem] = problems(table(title=7, checklist="Named the worry"))
    assert "title must be some text" in problem
    assert "checklist must be a list of short texts" in problem
    [problem] = problems(table(checklist=["fine", 3]))
    assert "checklist must be a list" in problem


def test_over_long_texts_say_how_long() -> None:
    [problem] = problems(table(title="t" * (MAX_TITLE + 1), message="m" * (MAX_MESSAGE + 5)))
    assert f"title is {MAX_TITLE + 1} characters (at most {MAX_TITLE})" in problem
    assert f"message is {MAX_MESSAGE + 5} characters" in problem
    [problem] = problems(table(checklist=["ok", "fine", "x" * 76]))
    assert "checklist item 3 is 76 characters (at most 75)" in problem


def test_checklist_size_and_repeats() -> None:
    assert "checklist has 1 items" in problems(table(checklist=["only"]))[0]
    assert "checklist has 7 items" in problems(table(checklist=[f"i{n}" for n in range(7)]))[0]
    assert "checklist repeats an item" in problems(table(checklist=["a", "a", "b"]))[0]


def test_a_bad_key_is_refused_and_not_echoed_as_a_name() -> None:
    [problem] = problems(table(key="Late Refund!"))
    assert problem.startswith("scenario 1: ")  # a key that is no key does not name the scenario
    assert "may hold only lowercase letters, digits and dashes" in problem
    [problem] = problems(table(key="<!channel>"))
    assert problem.startswith("scenario 1: ")


def test_an_unknown_skill_lists_the_workspace_skills() -> None:
    [problem] = problems(table(skill="juggling"))
    assert "skill 'juggling' is not one of empathy, communication" in problem
    assert parse_scenarios(table(skill="juggling"), "x", None)  # no skills given: any skill


def test_duplicate_keys() -> None:
    [problem] = problems(table() + table(title="Another"))
    assert problem == "key(s) used twice: late-refund"


def test_invalid_toml_says_where() -> None:
    [problem] = problems('[[scenario]]\nkey = "unclosed\n')
    assert problem.startswith("not valid TOML (") and "line 2" in problem


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n", 'title = "x"\n'])
def test_an_empty_text_has_no_scenarios(text: str) -> None:
    assert any("no [[scenario]] tables" in p for p in problems(text))


def test_single_brackets_are_explained() -> None:
    text = table().replace("[[scenario]]", "[scenario]")
    assert problems(text) == ["write each scenario as [[scenario]] (two brackets)"]


def test_stray_top_level_keys_are_refused() -> None:
    assert "only [[scenario]] tables belong in it, not note" in problems('note = "hi"\n' + table())


def test_every_broken_scenario_is_named_and_nothing_is_used() -> None:
    text = table(key="one") + table(key="two", skill="juggling") + table(key="three", title="")
    found = problems(text)
    assert found == [
        "scenario 2 (two): skill 'juggling' is not one of empathy, communication",
        "scenario 3 (three): title must be some text",
    ]


def test_scenario_from_a_stored_body() -> None:
    with pytest.raises(ScenarioProblems) as raised:
        scenario_from(["not", "a", "table"], "stored x")
    assert raised.value.problems == ["a scenario must be a table of fields"]
    assert str(raised.value) == "stored x: a scenario must be a table of fields"


def test_texts_are_trimmed() -> None:
    [found] = parse_scenarios(table(title="  A refund  ", key=" late-refund "), "x", SKILLS)
    assert found.title == "A refund" and found.key == "late-refund"


@given(st.text(max_size=400))
def test_any_text_reads_or_is_refused_clearly(text: str) -> None:
    try:
        found = parse_scenarios(text, "x", SKILLS)
    except ScenarioProblems as err:
        assert err.problems and all(isinstance(p, str) and p for p in err.problems)
    else:
        assert all(s.skill in SKILLS for s in found)


def test_a_title_is_one_line() -> None:
    assert "title must be one line" in problems(table(title="Two\nlines"))[0]
