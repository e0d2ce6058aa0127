"""Hostile tests for what Bravo no longer knows: old buttons, unknown forms and shortcuts, menus
that ask Bravo for options, forms closed. Each is 200 with the out-of-date word, never a 404."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from handlers.stale import STALE, STALE_FORM, STALE_MENU
from tests.handlers.conftest import CHANNEL, Bravo
from tests.handlers.hostile_kit import forms, good_values, one_bravo, settle, stored, tracebacks

OLD_ACTIONS = ["kudos_undo_v0", "suggest_v0", "goal_menu_v1", "coach_accept_old", "x" * 255]
OLD_FORMS = ["kudos_modal_v0", "goal_modal_v0", "", "y" * 255]


@pytest.fixture(scope="module")
def bravo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bravo]:
    yield from one_bravo(tmp_path_factory.mktemp("stale"))


@pytest.mark.parametrize("action_id", OLD_ACTIONS)
def test_an_old_button_is_200_and_called_out_of_date(
    bravo: Bravo, action_id: str, caplog: pytest.LogCaptureFixture
) -> None:
    before = len(bravo.slack.calls("response_url"))
    with caplog.at_level(logging.INFO):
        answer = bravo.send.block_action("UANA", action_id, "42", channel_id=CHANNEL)
        settle(bravo)
    assert answer.status == 200
    told = bravo.slack.wait_for("response_url", count=before + 1)[-1].args
    assert told["text"] == STALE
    assert tracebacks(caplog) == []


@pytest.mark.parametrize("callback_id", OLD_FORMS)
def test_an_unknown_form_is_200_with_the_out_of_date_form(bravo: Bravo, callback_id: str) -> None:
    view = {**forms()["kudos"], "callback_id": callback_id}
    before = stored(bravo.deps.db)
    answer = bravo.send.view_submission("UANA", view, good_values(view))
    assert answer.status == 200
    body = answer.json() or {}
    assert body["response_action"] == "update" and STALE_FORM in str(body["view"])
    assert stored(bravo.deps.db) == before


@pytest.mark.parametrize("callback_id", [*OLD_FORMS, "kudos_modal", "goal_modal"])
def test_a_closed_form_known_or_not_is_200(bravo: Bravo, callback_id: str) -> None:
    view = {**forms()["kudos"], "callback_id": callback_id}
    assert bravo.send.view_closed("UANA", view).status == 200


def _suggestion(bravo: Bravo, action_id: str, in_view: bool) -> dict[str, Any]:
    payload = {
        **bravo.send._interactive("block_suggestion", "UANA"),
        "action_id": action_id,
        "block_id": "b",
        "value": "ana",
    }
    if in_view:
        payload["view"] = bravo.send._full_view({"callback_id": "kudos_modal_v0"}, {})
    else:
        payload["container"] = {"type": "message", "channel_id": CHANNEL}
    return payload


@pytest.mark.parametrize("in_view", [True, False])
@pytest.mark.parametrize("action_id", ["people_search_v0", "skill_lookup"])
def test_a_menu_asking_for_options_gets_one_out_of_date_option(
    bravo: Bravo, action_id: str, in_view: bool
) -> None:
    answer = bravo.send.post_payload(_suggestion(bravo, action_id, in_view))
    assert answer.status == 200
    options = (answer.json() or {})["options"]
    assert [o["text"]["text"] for o in options] == [STALE_MENU]
    assert len(STALE_MENU) <= 75  # an option's text limit


@pytest.mark.parametrize("kind", ["shortcut", "message_action"])
def test_an_unknown_shortcut_is_200(bravo: Bravo, kind: str) -> None:
    payload = {
        **bravo.send._interactive(kind, "UANA"),
        "callback_id": "old_shortcut",
        "trigger_id": bravo.send.trigger_id("UANA"),
    }
    if kind == "message_action":
        payload |= {
            "response_url": bravo.send.response_url("UANA", CHANNEL),
            "channel": {"id": CHANNEL},
            "message": {"ts": "1.1", "text": "hi", "user": "UBEN"},
        }
    assert bravo.send.post_payload(payload).status == 200
