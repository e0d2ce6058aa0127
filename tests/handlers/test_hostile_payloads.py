"""Hostile payloads: signed, so Slack's, but not shaped as Bravo wrote them. Every form spoiled
one field at a time, private_metadata Bravo did not write, button values that are not Bravo's,
envelopes missing what Slack always sends. Each gets a clean answer (a form error, 200, or 400
for what is not Slack's shape), one log line and no stack trace, and nothing is stored."""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt.request import BoltRequest

from bot.goals import ids as goal_ids
from bot.payload import UnreadableError, an_id, meta
from handlers.app import build_app
from storage.db import Database
from tests.handlers.conftest import CHANNEL, Bravo
from tests.handlers.hostile_kit import (
    BUTTON_VALUES,
    HUGE_ID,
    NOT_AN_OBJECT,
    ODD_METADATA,
    ODD_VALUES,
    WRONG_TYPES,
    forms,
    good_values,
    one_bravo,
    settle,
    spoiled,
    stored,
    tracebacks,
)

FORMS = forms()


@pytest.fixture(scope="module")
def bravo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bravo]:
    """One Bravo for the module, on SQLite: how a payload is read does not depend on the
    database."""
    yield from one_bravo(tmp_path_factory.mktemp("hostile"))


@pytest.fixture
def db(bravo: Bravo) -> Database:
    return bravo.deps.db


@pytest.mark.parametrize("name", sorted(FORMS))
def test_a_spoiled_form_field_is_a_form_error_and_nothing_is_stored(
    bravo: Bravo, db: Database, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    view, before = FORMS[name], stored(db)
    inputs = set(good_values(view))
    with caplog.at_level(logging.INFO):
        for what, values in spoiled(view, WRONG_TYPES):
            answer = bravo.send.view_submission("UANA", view, values)
            assert answer.status == 200, (what, answer.status)
            body = answer.json() or {}
            assert body.get("response_action") == "errors", what
            assert set(body["errors"]) <= inputs, what
    assert tracebacks(caplog) == []
    assert stored(db) == before


@pytest.mark.parametrize("name", sorted(FORMS))
def test_odd_but_well_typed_form_values_are_answered_without_a_crash(
    bravo: Bravo, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    view = FORMS[name]
    with caplog.at_level(logging.INFO):
        for what, values in spoiled(view, ODD_VALUES):
            answer = bravo.send.view_submission("UANA", view, values)
            assert answer.status == 200, (what, answer.status)
        settle(bravo)
    assert tracebacks(caplog) == []


@pytest.mark.parametrize("name", sorted(FORMS))
def test_private_metadata_bravo_did_not_write_is_a_form_error(
    bravo: Bravo, db: Database, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    view, before = FORMS[name], stored(db)
    with caplog.at_level(logging.INFO):
        for junk in NOT_AN_OBJECT:
            spoilt = {**view, "private_metadata": junk}
            answer = bravo.send.view_submission("UANA", spoilt, good_values(view))
            assert answer.status == 200, (junk, answer.status)
            if name != "import":  # the only form that carries no private_metadata
                assert (answer.json() or {}).get("response_action") == "errors", junk
    assert tracebacks(caplog) == []
    assert stored(db) == before


@pytest.mark.parametrize("name", sorted(FORMS))
def test_private_metadata_with_odd_ids_is_answered_without_a_crash(
    bravo: Bravo, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    view = FORMS[name]
    with caplog.at_level(logging.INFO):
        for odd in ODD_METADATA:
            spoilt = {**view, "private_metadata": odd}
            answer = bravo.send.view_submission("UANA", spoilt, good_values(view))
            assert answer.status == 200, (odd, answer.status)
        settle(bravo)
    assert tracebacks(caplog) == []


def test_a_spoiled_field_is_named_under_that_field(bravo: Bravo) -> None:
    view = FORMS["goal"]
    values = good_values(view)
    values[goal_ids.WHAT][goal_ids.INPUT]["value"] = 5
    body = bravo.send.view_submission("UANA", view, values).json() or {}
    assert body["response_action"] == "errors"
    assert list(body["errors"]) == [goal_ids.WHAT]
    assert "couldn't read" in body["errors"][goal_ids.WHAT]


ACTIONS = [
    "checkin_answer_on_track",
    "checkin_note",
    "coach_kudos",
    "kudos_undo",
    "coach_accept",
    "coach_decline",
    "coach_end",
    "feedback_answer",
    "feedback_goal",
    "feedback_thank",
    "customer_kudos",
    "suggest_anyway",
    "suggestion_done",
    "workspace_open_settings",
]


@pytest.mark.parametrize("action_id", ACTIONS)
def test_a_button_value_bravo_did_not_write_is_answered_not_crashed(
    bravo: Bravo, db: Database, action_id: str, caplog: pytest.LogCaptureFixture
) -> None:
    before = stored(db)
    with caplog.at_level(logging.INFO):
        for value in BUTTON_VALUES:
            answer = bravo.send.block_action("UANA", action_id, value, channel_id=CHANNEL)
            assert answer.status == 200, (value, answer.status)
        settle(bravo)  # the work each press handed on, done
    assert tracebacks(caplog) == []
    assert stored(db) == before


def _interactive(bravo: Bravo, kind: str) -> dict[str, Any]:
    send = bravo.send
    return {
        **send._interactive(kind, "UANA"),
        "trigger_id": send.trigger_id("UANA"),
        "response_url": send.response_url("UANA", CHANNEL),
        "channel": {"id": CHANNEL},
    }


ENVELOPES: dict[str, Any] = {
    "no team": lambda p: p.pop("team"),
    "no user": lambda p: p.pop("user"),
    "team null": lambda p: p.update(team=None),
    "user a number": lambda p: p.update(user=5),
    "user without id": lambda p: p["user"].pop("id"),
    "channel a number": lambda p: p.update(channel=5),
    "no trigger_id": lambda p: p.pop("trigger_id"),
    "actions a number": lambda p: p.update(actions=5),
    "no actions": lambda p: p.update(actions=[]),
    "action_id a number": lambda p: p["actions"][0].update(action_id=5),
    "no action_id": lambda p: p["actions"][0].pop("action_id"),
    "no type": lambda p: p.pop("type"),
}


@pytest.mark.parametrize("spoil", sorted(ENVELOPES))
def test_an_action_envelope_not_shaped_as_slacks_is_400(
    bravo: Bravo, db: Database, spoil: str, caplog: pytest.LogCaptureFixture
) -> None:
    payload = _interactive(bravo, "block_actions")
    payload["actions"] = [{"action_id": "kudos_undo", "block_id": "b", "value": "1"}]
    ENVELOPES[spoil](payload)
    with caplog.at_level(logging.INFO):
        assert bravo.send.post_payload(payload).status == 400
    assert tracebacks(caplog) == []
    assert len(caplog.records) == 1


VIEW_ENVELOPES: dict[str, Any] = {
    "view a list": lambda p: p.update(view=[]),
    "view without state": lambda p: p["view"].pop("state"),
    "callback_id a number": lambda p: p["view"].update(callback_id=5),
    "no team": lambda p: p.pop("team"),
}


@pytest.mark.parametrize("spoil", sorted(VIEW_ENVELOPES))
def test_a_view_envelope_not_shaped_as_slacks_is_400(
    bravo: Bravo, db: Database, spoil: str, caplog: pytest.LogCaptureFixture
) -> None:
    view = FORMS["kudos"]
    payload = _interactive(bravo, "view_submission")
    payload["view"] = bravo.send._full_view(view, good_values(view))
    VIEW_ENVELOPES[spoil](payload)
    with caplog.at_level(logging.INFO):
        assert bravo.send.post_payload(payload).status == 400
    assert tracebacks(caplog) == []


@pytest.mark.parametrize("missing", ["user_id", "team_id", "trigger_id", "response_url"])
def test_a_command_without_what_slack_always_sends_is_400(
    bravo: Bravo, missing: str, caplog: pytest.LogCaptureFixture
) -> None:
    fields = {
        "team_id": "T0SANDBOX",
        "channel_id": CHANNEL,
        "user_id": "UANA",
        "command": "/kudos",
        "text": "",
        "trigger_id": bravo.send.trigger_id("UANA"),
        "response_url": bravo.send.response_url("UANA", CHANNEL),
    }
    del fields[missing]
    with caplog.at_level(logging.INFO):
        assert bravo.send.post_form(fields).status == 400
    assert tracebacks(caplog) == []


@pytest.mark.parametrize(
    "spoil",
    [
        {"item": 5},
        {"user": 5},
        {"reaction": ["clap"]},
        {"item": {"type": "message", "channel": CHANNEL, "ts": 5}},
    ],
)
def test_an_event_not_shaped_as_slacks_is_400(
    bravo: Bravo, db: Database, spoil: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    event = {
        "type": "reaction_added",
        "user": "UANA",
        "reaction": "clap",
        "item": {"type": "message", "channel": CHANNEL, "ts": "1.1"},
        "item_user": "UBEN",
        **spoil,
    }
    before = stored(db)
    with caplog.at_level(logging.INFO):
        assert bravo.send.event(event).status == 400
    assert tracebacks(caplog) == []
    assert stored(db) == before


def test_a_shortcut_on_a_message_that_is_not_one_is_400(bravo: Bravo) -> None:
    payload = {
        **_interactive(bravo, "message_action"),
        "callback_id": "give_kudos",
        "message_ts": "1.1",
        "message": {"ts": "1.1", "text": 5, "user": "UBEN"},
    }
    assert bravo.send.post_payload(payload).status == 400
    payload["message"] = 5
    assert bravo.send.post_payload(payload).status == 400


@pytest.mark.parametrize("value", [HUGE_ID, int(HUGE_ID), "7", "", 0, -1, True, 1.5, 2**63])
def test_an_id_beyond_64_bits_or_not_an_id_is_unreadable(value: object) -> None:
    with pytest.raises(UnreadableError):
        an_id(value)


def test_an_id_bravo_wrote_is_read() -> None:
    assert an_id(42) == 42 and an_id(2**63 - 1) == 2**63 - 1 and an_id(None) is None


@pytest.mark.parametrize("junk", ["[]", "null", "5", '"x"', "{", "not json"])
def test_private_metadata_that_is_not_an_object_is_unreadable(junk: str) -> None:
    with pytest.raises(UnreadableError):
        meta({"private_metadata": junk})
    assert meta({"private_metadata": json.dumps({"goal": 1})}) == {"goal": 1}


def test_kit_spoils_every_field_of_every_form() -> None:
    for view in FORMS.values():
        spoilt = {what.split(".")[0].split("=")[0] for what, _ in spoiled(view, WRONG_TYPES)}
        assert spoilt == set(good_values(view))
        assert copy.deepcopy(view) == view


@pytest.mark.parametrize("spoil", ["no team", "user without id", "action_id a number", "no type"])
def test_in_socket_mode_the_middleware_refuses_what_is_not_slacks_shape(
    bravo: Bravo, spoil: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Socket Mode has no web layer: the app's own middleware refuses the envelope."""
    app = build_app(bravo.deps, http=False)
    payload = _interactive(bravo, "block_actions")
    payload["actions"] = [{"action_id": "kudos_undo", "block_id": "b", "value": "1"}]
    ENVELOPES[spoil](payload)
    with caplog.at_level(logging.INFO):
        answer = app.dispatch(BoltRequest(body=payload, mode="socket_mode"))
    assert answer.status == 400
    assert tracebacks(caplog) == []


def test_in_socket_mode_a_spoiled_form_field_is_a_form_error(bravo: Bravo) -> None:
    app = build_app(bravo.deps, http=False)
    view = FORMS["goal"]
    values = good_values(view)
    values[goal_ids.WHAT][goal_ids.INPUT]["value"] = 5
    payload = _interactive(bravo, "view_submission")
    payload["view"] = bravo.send._full_view(view, values)
    answer = app.dispatch(BoltRequest(body=payload, mode="socket_mode"))
    assert answer.status == 200
    assert list(json.loads(answer.body)["errors"]) == [goal_ids.WHAT]
