"""A button or form Bravo no longer knows is acknowledged and explained, never a 404."""

from __future__ import annotations

from bot.sandbox.server import FakeSlack
from handlers.stale import STALE, STALE_FORM, on_stale_action
from tests.handlers.conftest import CHANNEL, Bravo


def test_an_unknown_button_is_acked_and_called_out_of_date(bravo: Bravo) -> None:
    answer = bravo.send.block_action("UANA", "kudos_undo_v0", "42", channel_id=CHANNEL)
    assert answer.status == 200
    told = bravo.slack.wait_for("response_url", count=1)[-1].args
    assert told["text"] == STALE and told["replace_original"] is False


def test_a_link_button_is_acked_and_nothing_is_said(bravo: Bravo, slack: FakeSlack) -> None:
    answer = bravo.send.block_action(
        "UANA", "open_docs", None, channel_id=CHANNEL, action={"url": "https://example.com"}
    )
    assert answer.status == 200
    assert slack.calls("response_url") == []


def test_an_unknown_form_is_replaced_by_an_out_of_date_note(bravo: Bravo) -> None:
    view = {"type": "modal", "callback_id": "kudos_modal_v0", "blocks": []}
    answer = bravo.send.view_submission("UANA", view, {})
    assert answer.status == 200
    body = answer.json() or {}
    assert body["response_action"] == "update"
    assert STALE_FORM in str(body["view"]["blocks"])
    closed = bravo.send.view_closed("UANA", view)
    assert closed.status == 200


def test_the_listener_alone_acks_first() -> None:
    said: list[object] = []
    on_stale_action(
        ack=lambda *a, **k: said.append("ack"),  # type: ignore[arg-type]
        body={"actions": [{"action_id": "x"}], "response_url": "https://hooks.example/1"},
        respond=lambda payload: said.append(payload),  # type: ignore[arg-type]
    )
    assert said[0] == "ack" and STALE in str(said[1])
