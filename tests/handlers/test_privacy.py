"""A person's data over Slack: ``/bravo export`` (files by DM, once), ``/bravo forget me`` and
``/bravo forget @someone`` (confirmation, refusals, forged submissions), and the events."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import func, select

from bot.sandbox.server import FakeSlack
from handlers import privacy
from storage.db import Database
from storage.models import Erasure, Goal, OutboxRow, SlackUser, WorkspaceConfig
from tests.bot.privacy.seed import ANA, BEN, BEN_TO_CY, CY, CY_GOAL, T, goal, outbox, seed
from tests.db_scan import where_found
from tests.handlers.bravo_flow import bravo_cmd
from tests.handlers.conftest import CHANNEL, Bravo, Recorder, start_bravo
from tests.handlers.test_feedback import inbox

ADMIN, GONE = "UADMIN", "UGONE"


@pytest.fixture
def bravo(slack: FakeSlack, db: Database) -> Iterator[Bravo]:
    slack.add_user(ADMIN, "ada", is_admin=True)
    seed(db)
    with db.write() as s:  # someone who has left, with a goal
        s.add(goal(T, GONE, "Gone's goal"))
    yield from start_bravo(slack, db)


def opened_view(bravo: Bravo, count: int) -> dict[str, Any]:
    view = bravo.slack.wait_for("views.open", count)[-1].args["view"]
    return json.loads(view) if isinstance(view, str) else view


def submit(bravo: Bravo, user: str, view: dict[str, Any]) -> dict[str, Any]:
    return bravo.send.view_submission(user, view, {}).json() or {}


def shown(answer: dict[str, Any]) -> str:
    assert answer["response_action"] == "update"
    return json.dumps(answer["view"]["blocks"], ensure_ascii=False)


def erase_confirmed(bravo: Bravo, user: str, view: dict[str, Any]) -> str:
    """Press Erase: the modal says it is erasing at once, then that it is done."""
    before = len(bravo.slack.calls("views.update"))
    assert "Erasing" in shown(submit(bravo, user, view))
    update = bravo.slack.wait_for("views.update", before + 1)[-1]
    done = update.args["view"]
    done = json.loads(done) if isinstance(done, str) else done
    return json.dumps(done["blocks"], ensure_ascii=False)


def wait_until(check: Any, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def uploads(bravo: Bravo) -> list[dict[str, Any]]:
    return bravo.slack.files()


# /bravo export


def test_export_answers_at_once_then_sends_two_files_by_dm(bravo: Bravo) -> None:
    assert "on its way" in bravo_cmd(bravo, "export")
    wait_until(lambda: _queued(bravo) == 2)
    bravo.deliver()
    files = {f["name"]: f for f in uploads(bravo)}
    assert set(files) == {"bravo-export.json", "bravo-kudos.csv"}
    [dm] = {c for f in files.values() for c in f["channels"]}
    assert dm.startswith("D")  # Ana's DM with Bravo, not a channel
    data = json.loads(files["bravo-export.json"]["content"])
    assert data["about"]["user_id"] == ANA and data["goals"]
    text = files["bravo-export.json"]["content"].decode()
    assert CY_GOAL not in text and BEN_TO_CY not in text
    assert b"Ben thanks Ana" in files["bravo-kudos.csv"]["content"]


def _queued(bravo: Bravo) -> int:
    with bravo.deps.db.read() as s:
        return s.exec(
            select(func.count()).select_from(OutboxRow).where(OutboxRow.kind == "privacy_export")
        ).one()


def test_a_retried_export_command_sends_the_files_once(bravo: Bravo) -> None:
    command = {"team_id": T, "user_id": ANA, "trigger_id": "1.2.abc", "channel_id": CHANNEL}
    for _ in range(2):
        privacy.on_export(bravo.deps, command, (), Recorder(), bravo.deps.client)
    bravo.deps.work.shutdown(wait=True)
    bravo.deliver()
    assert len(uploads(bravo)) == 2 and _queued(bravo) == 2


def test_export_with_extra_words_is_explained(bravo: Bravo) -> None:
    assert "takes no other words" in bravo_cmd(bravo, "export <@UBEN>")
    assert _queued(bravo) == 0


# /bravo forget me


def test_forget_me_confirms_in_a_modal_then_erases_everything(bravo: Bravo) -> None:
    bravo.send.slash_command(ANA, "/bravo", "forget me", channel_id=CHANNEL)
    view = opened_view(bravo, 1)
    assert "Kept" in json.dumps(view) and "Deleted" in json.dumps(view)
    assert where_found(bravo.deps.db, ANA)  # nothing erased before the submission
    assert "Done" in erase_confirmed(bravo, ANA, view)
    assert where_found(bravo.deps.db, ANA) == []
    with bravo.deps.db.read() as s:
        [erasure] = s.exec(select(Erasure)).all()
        assert erasure.why == "self" and erasure.requested_by is None


@pytest.mark.parametrize(
    ("words", "answer"),
    [
        ("forget", "Whom should Bravo forget?"),
        ("forget mee", "doesn't know “mee”"),
        ("forget me please", "doesn't know “me please”"),
        ("forget <@UBEN> <@UCY>", "one person at a time"),
        ("forget <@UANA>", "use `/bravo forget me`"),
        ("forget <!channel> " + "x" * 40_000, "Admins: `/bravo forget @someone`"),
        ("forget <@UBEN|ben> please", "doesn't know “@ben please”"),
    ],
)
def test_forget_typos_get_a_clear_answer(bravo: Bravo, words: str, answer: str) -> None:
    assert answer in bravo_cmd(bravo, words)
    assert not bravo.slack.calls("views.open")


# /bravo forget @someone (admins, for people who left)


@pytest.mark.parametrize(
    ("user", "target", "answer"),
    [
        (CY, GONE, "Only Bravo admins"),
        (ADMIN, BEN, "still active"),
        (ADMIN, "UROBOT", "is a bot"),
        (ADMIN, "UNOBODY", "doesn't know that person"),
    ],
)
def test_forget_someone_refusals(bravo: Bravo, user: str, target: str, answer: str) -> None:
    assert answer in bravo_cmd(bravo, f"forget <@{target}>", user=user)
    assert not bravo.slack.calls("views.open")


def test_an_admin_erases_someone_who_left_after_confirming(bravo: Bravo) -> None:
    bravo_cmd_no_reply(bravo, f"forget <@{GONE}>", ADMIN)
    view = opened_view(bravo, 1)
    assert "has left the workspace" in json.dumps(view)
    assert "Done" in erase_confirmed(bravo, ADMIN, view)
    assert where_found(bravo.deps.db, GONE) == []
    with bravo.deps.db.read() as s:
        [erasure] = s.exec(select(Erasure)).all()
        assert erasure.why == "admin" and erasure.requested_by == ADMIN


def bravo_cmd_no_reply(bravo: Bravo, text: str, user: str) -> None:
    result = bravo.send.slash_command(user, "/bravo", text, channel_id=CHANNEL)
    assert result.status == 200


def test_a_forged_submission_erases_nothing(bravo: Bravo) -> None:
    bravo_cmd_no_reply(bravo, f"forget <@{GONE}>", ADMIN)
    admin_view = opened_view(bravo, 1)
    bravo.send.slash_command(ANA, "/bravo", "forget me", channel_id=CHANNEL)
    self_view = opened_view(bravo, 2)
    # Cy (no admin) replays the admin's modal, then Ana's "forget me" modal as his own.
    assert "Only Bravo admins" in shown(submit(bravo, CY, admin_view))
    assert "Only Bravo admins" in shown(submit(bravo, CY, self_view))
    garbled = {**self_view, "private_metadata": "{not json"}
    assert "Nothing was erased" in shown(submit(bravo, ANA, garbled))
    with bravo.deps.db.read() as s:
        assert s.exec(select(Erasure)).all() == []
        assert s.exec(select(Goal).where(Goal.owner_id == GONE)).all()
    assert where_found(bravo.deps.db, ANA)


def test_an_admin_cannot_erase_someone_who_came_back(bravo: Bravo) -> None:
    bravo_cmd_no_reply(bravo, f"forget <@{GONE}>", ADMIN)
    view = opened_view(bravo, 1)
    bravo.slack.add_user(GONE, "gone")  # reactivated before the admin pressed Erase
    assert "still active" in shown(submit(bravo, ADMIN, view))
    with bravo.deps.db.read() as s:
        assert s.exec(select(Goal).where(Goal.owner_id == GONE)).all()


# Events


def test_user_change_notes_a_departure(bravo: Bravo) -> None:
    bravo.send.event({"type": "user_change", "user": {"id": CY, "deleted": True}})
    wait_until(lambda: _departed(bravo, CY))
    bravo.send.event({"type": "user_change", "user": {"id": CY, "deleted": False}})
    wait_until(lambda: not _departed(bravo, CY))


def _departed(bravo: Bravo, user: str) -> bool:
    with bravo.deps.db.read() as s:
        row = s.get(SlackUser, (T, user))
        return row is not None and row.departed_at is not None


@pytest.mark.parametrize(
    ("event", "stops"),
    [
        ({"type": "app_uninstalled"}, True),
        ({"type": "tokens_revoked", "tokens": {"bot": ["UBRAVO"]}}, True),
        ({"type": "tokens_revoked", "tokens": {"oauth": [ANA]}}, False),
    ],
)
def test_uninstall_events_stop_the_workspace(
    bravo: Bravo, event: dict[str, Any], stops: bool
) -> None:
    assert bravo.send.event(event).status == 200
    with bravo.deps.db.read() as s:
        config = s.get(WorkspaceConfig, T)
        assert (config is not None and config.uninstalled_at is not None) is stops
    bravo.deliver()
    dms = [c for c in bravo.slack.calls("chat.postMessage", ok=True) if c.args["channel"] == ANA]
    assert (dms == []) is stops


def test_a_request_after_an_uninstall_means_bravo_was_installed_again(bravo: Bravo) -> None:
    bravo.send.event({"type": "app_uninstalled"})
    bravo.deliver()
    assert not bravo.slack.calls("chat.postMessage")
    bravo_cmd(bravo, "help", user=CY)  # only a reinstalled app hears from the workspace
    with bravo.deps.db.read() as s:
        config = s.get(WorkspaceConfig, T)
        assert config is not None and config.uninstalled_at is None
    queue_dm(bravo, CY, "after the reinstall")
    bravo.deliver()
    assert [c.args["text"] for c in bravo.slack.calls("chat.postMessage", ok=True)] == [
        "after the reinstall"
    ]


def queue_dm(bravo: Bravo, user: str, text: str) -> None:
    with bravo.deps.db.write() as s:
        s.add(outbox(T, user, text, bravo.clock()))


def test_feedback_from_an_erased_person_stays_with_its_recipient_unnamed(bravo: Bravo) -> None:
    before = inbox(bravo, BEN)
    assert "From <@UANA>" in before and "Ana to Ben: clear notes" in before
    bravo.send.slash_command(ANA, "/bravo", "forget me", channel_id=CHANNEL)
    erase_confirmed(bravo, ANA, opened_view(bravo, 1))
    after = inbox(bravo, BEN)
    assert "From someone who has left Bravo" in after and "Ana to Ben: clear notes" in after
    assert "UANA" not in after and "<@erased>" not in after


def test_when_the_modal_is_gone_the_done_note_comes_by_dm_and_is_not_kept(bravo: Bravo) -> None:
    bravo.send.slash_command(ANA, "/bravo", "forget me", channel_id=CHANNEL)
    view = {**opened_view(bravo, 1), "id": "VCLOSED"}  # Slack no longer knows this modal
    assert "Erasing" in shown(submit(bravo, ANA, view))
    [dm] = bravo.slack.wait_for("chat.postMessage", ok=True)
    assert dm.args["channel"] == ANA and "Bravo has erased your data" in dm.args["text"]
    assert where_found(bravo.deps.db, ANA) == []
