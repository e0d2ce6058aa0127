"""The suggestion box's Block Kit: the preview, the post's admin buttons, the forms."""

from __future__ import annotations

import json
from datetime import date

from bot.suggestions import ids
from bot.suggestions.render import editable, hide_modal, preview, suggest_modal, suggestion_post
from storage.models import Suggestion


def buttons(payload: dict) -> dict[str, dict]:
    [actions] = [b for b in payload["blocks"] if b["type"] == "actions"]
    return {e["action_id"]: e for e in actions["elements"]}


def test_the_preview_offers_post_edit_cancel_all_carrying_the_draft() -> None:
    shown = preview("more snacks <@U1>", '{"n":"x"}', None)
    assert set(buttons(shown)) == {ids.SUGGEST_POST, ids.SUGGEST_EDIT, ids.SUGGEST_CANCEL}
    assert {b["value"] for b in buttons(shown).values()} == {'{"n":"x"}'}
    assert "nothing is posted" in shown["text"]
    assert "<@U1>" not in json.dumps(shown["blocks"])
    assert "anonymity is weak" not in json.dumps(shown)
    assert "only 3 people, so anonymity is weak" in json.dumps(preview("x", "v", 3))


def test_the_post_has_admin_buttons_that_carry_only_the_suggestion_id() -> None:
    row = Suggestion(id=42, team_id="T1", text="idea", day=date(2026, 12, 3), channel_id="C1")
    found = buttons(suggestion_post(row))
    assert found[ids.SUGGEST_HIDE]["value"] == "42" and found[ids.SUGGEST_DONE]["value"] == "42"
    assert hide_modal(row, "{}")["callback_id"] == ids.HIDE_MODAL


def test_edit_prefills_the_form_with_the_draft_as_plain_text() -> None:
    view = suggest_modal(
        private_metadata="{}", people=None, initial=editable("a &amp; b &lt;c&gt;")
    )
    [field] = [b for b in view["blocks"] if b["type"] == "input"]
    assert field["element"]["initial_value"] == "a & b <c>"
