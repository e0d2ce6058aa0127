"""Hostile text in forms: every limit a form shows (max_length) is enforced by Bravo too (a field
error, nothing stored), and text made only of zero-width characters is empty for every required
field. Slack enforces max_length in its own client only; a request can carry anything."""

from __future__ import annotations

import copy
from collections.abc import Iterator

import pytest

from bot.celebrations import ids as celebration_ids
from bot.feedback import ids as feedback_ids
from bot.goals import ids as goal_ids
from tests.handlers.conftest import Bravo
from tests.handlers.hostile_kit import forms, good_values, one_bravo, settle, stored, text_fields

FORMS = forms()
WITH_TEXT = sorted(name for name, view in FORMS.items() if text_fields(view))
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
# The rooms whose forms take their limits from one table (ids.LIMITS).
LIMITS = {**goal_ids.LIMITS, **feedback_ids.LIMITS, **celebration_ids.LIMITS}


@pytest.fixture(scope="module")
def bravo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bravo]:
    env = {"BRAVO_ADMINS": "UANA"}  # the date import is for admins
    yield from one_bravo(tmp_path_factory.mktemp("inputs"), env=env)


def _with(view: dict, block: str, action: str, text: str) -> dict:
    values = copy.deepcopy(good_values(view))
    values[block][action]["value"] = text
    return values


@pytest.mark.parametrize("name", WITH_TEXT)
def test_every_limit_a_form_shows_is_enforced(bravo: Bravo, name: str) -> None:
    view = FORMS[name]
    limited = [f for f in text_fields(view) if f[2]["element"].get("max_length")]
    assert limited, f"the {name} form shows no limit"
    for block, action, input_block in limited:
        limit = input_block["element"]["max_length"]
        for length in (limit + 1, 40_009):
            before = stored(bravo.deps.db)
            answer = bravo.send.view_submission(
                "UANA", view, _with(view, block, action, "a" * length)
            )
            settle(bravo)
            errors = (answer.json() or {}).get("errors") or {}
            assert block in errors, (name, block, length)
            if block in LIMITS:
                assert str(LIMITS[block]) in errors[block]
            assert stored(bravo.deps.db) == before, (name, block, length)


@pytest.mark.parametrize("name", ["goal", "note", "feedback", "customer", "import"])
def test_text_at_the_limit_is_not_refused_for_its_length(bravo: Bravo, name: str) -> None:
    view = FORMS[name]
    for block, action, input_block in text_fields(view):
        limit = input_block["element"]["max_length"]
        answer = bravo.send.view_submission("UANA", view, _with(view, block, action, "a" * limit))
        settle(bravo)
        errors = (answer.json() or {}).get("errors") or {}
        assert f"under {limit}" not in errors.get(block, ""), (name, block)


def test_the_forms_show_the_limits_bravo_enforces() -> None:
    for view in FORMS.values():
        for block, _action, input_block in text_fields(view):
            if block in LIMITS:
                assert input_block["element"]["max_length"] == LIMITS[block], block


@pytest.mark.parametrize("name", WITH_TEXT)
@pytest.mark.parametrize("blank", [ZERO_WIDTH, f"{ZERO_WIDTH} \n{ZERO_WIDTH}", "\x00\u200b"])
def test_a_required_text_of_only_zero_width_characters_is_empty(
    bravo: Bravo, name: str, blank: str
) -> None:
    view = FORMS[name]
    required = [f for f in text_fields(view) if not f[2].get("optional")]
    assert required or name == "done", f"the {name} form has no required text"
    for block, action, _input in required:
        before = stored(bravo.deps.db)
        answer = bravo.send.view_submission("UANA", view, _with(view, block, action, blank))
        settle(bravo)
        errors = (answer.json() or {}).get("errors") or {}
        assert block in errors, (name, block)
        assert stored(bravo.deps.db) == before, (name, block)
