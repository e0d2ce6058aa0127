"""``/practice scenarios`` end to end: signed requests in, the admins' modal out, what was stored,
and who may do what (an admin, a teammate, someone of another workspace)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import select

from bot.practice import catalog, ids
from bot.sandbox.blockkit import check_view
from bot.sandbox.server import FakeSlack
from handlers import practice_scenarios
from storage.db import Database
from storage.models import PracticeScenario
from tests.handlers.conftest import CHANNEL, Bravo, start_bravo

T = "T0SANDBOX"
ADMIN, AGENT, STRANGER = "UADA", "UANA", "UFAR"  # UFAR: a user of another workspace
SHIPPED = "empathy-double-charge"


@pytest.fixture
def bravo(slack: FakeSlack, db: Database) -> Iterator[Bravo]:
    slack.add_user(ADMIN, "ada", is_admin=True)
    yield from start_bravo(slack, db)


def toml(key: str, skill: str = "empathy", title: str = "Our own") -> str:
    return (
        f'[[scenario]]\nkey = "{key}"\nskill = "{skill}"\ntitle = "{title}"\n'
        'situation = "A parcel is late and the customer needs it today."\n'
        'message = "Where is it?"\n'
        'checklist = ["Said sorry once", "Gave the date", "Offered a choice"]\n'
    )


def open_modal(bravo: Bravo, user: str = ADMIN) -> tuple[dict[str, Any] | None, str]:
    """``/practice scenarios``: the modal opened (as Slack stores it), or the reply's words."""
    views = len(bravo.slack.calls("views.open"))
    replies = len(bravo.slack.calls("response_url"))
    sent = bravo.send.slash_command(user, "/practice", "scenarios", channel_id=CHANNEL)
    assert sent.status == 200
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        opened = bravo.slack.calls("views.open")
        if len(opened) > views:
            assert opened[-1].ok, opened[-1]
            return latest(bravo), ""
        if len(bravo.slack.calls("response_url")) > replies:
            reply = bravo.slack.calls("response_url")[-1].args
            return None, reply["text"]
        time.sleep(0.02)
    raise AssertionError("no modal and no reply")


def latest(bravo: Bravo) -> dict[str, Any]:
    ours = [v for v in bravo.slack.views() if v["callback_id"].startswith(ids.SCENARIOS_MODAL)]
    return ours[-1]


def paste(view: dict[str, Any], text: str) -> dict[str, Any]:
    [block] = [b for b in view["blocks"] if b["type"] == "input"]
    return {block["block_id"]: {ids.SCENARIOS_INPUT: {"type": "plain_text_input", "value": text}}}


def submit(bravo: Bravo, view: dict[str, Any], text: str, user: str = ADMIN) -> dict[str, Any]:
    result = bravo.send.view_submission(user, view, paste(view, text))
    assert result.status == 200, result.body
    return result.json() or {}


def stored(bravo: Bravo) -> dict[str, PracticeScenario]:
    with bravo.deps.db.read() as s:
        return {r.key: r for r in s.exec(select(PracticeScenario)).all()}


def click(bravo: Bravo, action_id: str, key: str, user: str = ADMIN) -> dict[str, Any]:
    """A button or the retire menu in the modal; the modal as it was updated."""
    updates = len(bravo.slack.calls("views.update"))
    result = bravo.send.block_action(user, action_id, key, view=latest(bravo))
    assert result.status == 200
    [*_, update] = bravo.slack.wait_for("views.update", count=updates + 1)
    assert update.ok, update
    view = update.args["view"]
    return json.loads(view) if isinstance(view, str) else view


def texts(view: dict[str, Any]) -> str:
    return json.dumps(view["blocks"])


def test_an_admin_sees_the_catalog(bravo: Bravo) -> None:
    view, _ = open_modal(bravo)
    assert view is not None and check_view(view) == []
    words = texts(view)
    assert "42 scenario(s) in use" in words and "empathy: 7" in words
    assert "None yet" in words
    [input_block] = [b for b in view["blocks"] if b["type"] == "input"]
    element = input_block["element"]
    assert element["multiline"] is True and element["max_length"] == 3000
    [menu] = [b for b in view["blocks"] if b.get("block_id") == ids.SCENARIOS_RETIRE]
    options = [o["value"] for g in menu["accessory"]["option_groups"] for o in g["options"]]
    assert SHIPPED in options and len(options) == 42


def test_a_teammate_is_refused_and_no_modal_opens(bravo: Bravo) -> None:
    view, words = open_modal(bravo, AGENT)
    assert view is None and "Only Bravo's admins" in words
    assert bravo.slack.calls("views.open") == []


def test_pasting_scenarios_adds_them_and_empties_the_box(bravo: Bravo) -> None:
    view, _ = open_modal(bravo)
    assert view is not None
    answer = submit(bravo, view, toml("our-parcel") + toml(SHIPPED, title="Our take"))
    assert answer["response_action"] == "update"
    shown = answer["view"]
    assert check_view(shown) == []
    words = texts(shown)
    assert "added 1 (our-parcel)" in words and f"replaced 1 ({SHIPPED})" in words
    assert "empathy: 8" in words and "replaces Bravo's" in words
    [old_input] = [b["block_id"] for b in view["blocks"] if b["type"] == "input"]
    [new_input] = [b["block_id"] for b in shown["blocks"] if b["type"] == "input"]
    assert old_input != new_input  # a new box: Slack shows it empty
    assert set(stored(bravo)) == {"our-parcel", SHIPPED}
    assert catalog.scenarios_for(bravo.deps, T)[SHIPPED].title == "Our take"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "it is empty"),
        ("x" * 40_000, "40,000 characters"),
        ('[[scenario]]\nkey = "unclosed\n', "not valid TOML"),
        ("[scenario]\nkey = 'a'\n", "two brackets"),
    ],
)
def test_a_bad_paste_is_answered_under_the_box(bravo: Bravo, text: str, says: str) -> None:
    view, _ = open_modal(bravo)
    assert view is not None
    answer = submit(bravo, view, text)
    assert answer["response_action"] == "errors"
    [(block_id, words)] = answer["errors"].items()
    assert block_id.startswith(ids.SCENARIOS_PASTE) and says in words
    assert len(words) <= practice_scenarios.FIELD_ERROR
    assert stored(bravo) == {}


def test_a_skill_the_workspace_does_not_have(bravo: Bravo) -> None:
    view, _ = open_modal(bravo)
    assert view is not None
    answer = submit(bravo, view, toml("fine") + toml("juggle", skill="juggling"))
    words = answer["errors"][next(iter(answer["errors"]))]
    assert "scenario 2 (juggle): skill 'juggling' is not one of empathy" in words
    assert stored(bravo) == {}  # not even the first


def test_many_broken_scenarios_give_a_short_error(bravo: Bravo) -> None:
    view, _ = open_modal(bravo)
    assert view is not None
    text = "".join(toml(f"k{n}", skill="nope", title="t" * 81) for n in range(12))[:3000]
    answer = submit(bravo, view, text)
    [words] = answer["errors"].values()
    assert len(words) <= practice_scenarios.FIELD_ERROR and "Nothing was saved" in words


def test_a_forged_submission_by_a_teammate_or_a_stranger_saves_nothing(bravo: Bravo) -> None:
    view, _ = open_modal(bravo)
    assert view is not None
    for who in (AGENT, STRANGER):
        answer = submit(bravo, view, toml("sneaky"), user=who)
        assert answer["response_action"] == "errors"
        assert "Only Bravo's admins" in next(iter(answer["errors"].values()))
    assert stored(bravo) == {}


def test_retire_restore_and_remove_from_the_modal(bravo: Bravo) -> None:
    view, _ = open_modal(bravo)
    assert view is not None
    shown = click(bravo, ids.SCENARIOS_RETIRE, SHIPPED)
    assert check_view(shown) == [] and "Retired" in texts(shown) and "empathy: 6" in texts(shown)
    assert stored(bravo)[SHIPPED].retired
    [row] = [b for b in shown["blocks"] if b.get("block_id") == f"row:{SHIPPED}"]
    assert row["accessory"]["action_id"] == ids.SCENARIOS_RESTORE
    shown = click(bravo, ids.SCENARIOS_RESTORE, SHIPPED)
    assert "Restored" in texts(shown) and stored(bravo) == {}
    assert SHIPPED in catalog.scenarios_for(bravo.deps, T)
    shown = click(bravo, ids.SCENARIOS_RESTORE, SHIPPED)  # a replayed click
    assert "Nothing changed" in texts(shown) and "is not retired" in texts(shown)


def test_replacing_then_going_back_to_bravos(bravo: Bravo) -> None:
    view, _ = open_modal(bravo)
    assert view is not None
    submit(bravo, view, toml(SHIPPED, title="Our take"))
    view, _ = open_modal(bravo)
    assert view is not None
    [row] = [b for b in view["blocks"] if b.get("block_id") == f"row:{SHIPPED}"]
    assert row["accessory"]["text"]["text"] == "Use Bravo's" and "confirm" in row["accessory"]
    shown = click(bravo, ids.SCENARIOS_REMOVE, SHIPPED)
    assert "Removed" in texts(shown) and stored(bravo) == {}
    assert catalog.scenarios_for(bravo.deps, T)[SHIPPED].title != "Our take"


def test_a_teammate_clicking_in_the_modal_changes_nothing(bravo: Bravo) -> None:
    view, _ = open_modal(bravo)
    assert view is not None
    shown = click(bravo, ids.SCENARIOS_RETIRE, SHIPPED, user=AGENT)
    assert "Only Bravo's admins" in texts(shown) and stored(bravo) == {}
    shown = click(bravo, ids.SCENARIOS_REMOVE, "<!channel>", user=STRANGER)
    assert "Only Bravo's admins" in texts(shown) and "<!channel>" not in texts(shown)


def mrkdwn(value: Any) -> list[str]:
    """Every mrkdwn text in blocks (plain_text shows mentions as typed: never live)."""
    if isinstance(value, dict):
        if value.get("type") == "mrkdwn":
            return [str(value.get("text"))]
        return [t for v in value.values() for t in mrkdwn(v)]
    if isinstance(value, list):
        return [t for v in value for t in mrkdwn(v)]
    return []


def test_titles_typed_by_an_admin_are_shown_without_live_mentions(bravo: Bravo) -> None:
    view, _ = open_modal(bravo)
    assert view is not None
    answer = submit(bravo, view, toml("loud", title="Hi <!channel> & <@UBEN>"))
    words = " ".join(mrkdwn(answer["view"]["blocks"]))
    assert "Hi &lt;!channel&gt; &amp; &lt;@UBEN&gt;" in words
    assert "<!" not in words and "<@" not in words


def test_help_says_what_it_does_to_anyone(bravo: Bravo) -> None:
    replies = len(bravo.slack.calls("response_url"))
    bravo.send.slash_command(AGENT, "/practice", "scenarios help", channel_id=CHANNEL)
    [*_, reply] = bravo.slack.wait_for("response_url", count=replies + 1)
    assert "paste scenarios in TOML" in reply.args["text"]
    assert bravo.slack.calls("views.open") == []
