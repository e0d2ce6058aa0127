"""Admin settings in Slack end to end: /bravo settings and the Home button over signed HTTP, the
modal submitted (and forged), what was written, and that the change applies at once."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import func, select

from bot.config import ReviewScope
from bot.demo.settings import view_state
from bot.sandbox.server import FakeSlack
from bot.sandbox.signing import SlackRequester
from bot.workspace import ids, service
from bot.workspace.ids import Setting
from storage.db import Database
from storage.models import Kudos, OutboxRow, SettingChange, SuggestionBox, WorkspaceConfig
from tests.bot.multi.tokens import TeamTokens
from tests.handlers.bravo_flow import bravo_cmd, last_reply
from tests.handlers.conftest import (
    CHANNEL,
    NO_BOT_CHANNEL,
    SECRET,
    TEAM,
    Bravo,
    deps_alone,
    start_bravo,
)
from tests.handlers.test_kudos import reaction, wait_rows

ADMIN = "UBOSS"


@pytest.fixture
def office(bravo: Bravo) -> Bravo:
    """Bravo with a workspace admin, a private channel Bravo was not invited to, and an
    archived one."""
    bravo.slack.add_user(ADMIN, "boss", is_admin=True)
    bravo.slack.add_channel("C0SECRET", "secret", members=("UANA",), is_private=True)
    bravo.slack.add_channel("C0BOX", "ideas", members=("UBRAVO", "UANA"))
    bravo.slack.add_channel("C0OLD", "old", members=("UBRAVO",), is_archived=True)
    return bravo


def open_settings(bravo: Bravo, user: str = ADMIN) -> dict[str, Any]:
    before = len(bravo.slack.calls("views.open"))
    result = bravo.send.slash_command(user, "/bravo", "settings", channel_id=CHANNEL)
    assert result.status == 200
    opened = bravo.slack.wait_for("views.open", count=before + 1)[before]
    view = opened.args["view"]
    return json.loads(view) if isinstance(view, str) else view


def state(view: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return view_state(view, changes)


def submit(bravo: Bravo, view: dict[str, Any], user: str = ADMIN, **changes: Any) -> dict:
    result = bravo.send.view_submission(user, view, state(view, **changes))
    assert result.status == 200, result.body
    return result.json() or {}


def counts(bravo: Bravo) -> tuple[int, int]:
    with bravo.deps.db.read() as s:
        configs = s.exec(select(func.count()).select_from(WorkspaceConfig)).one()
        changes = s.exec(select(func.count()).select_from(SettingChange)).one()
    return int(configs), int(changes)


# Who may ---------------------------------------------------------------------------------------


def test_non_admins_are_refused_by_command_button_and_forged_submission(office: Bravo) -> None:
    assert "Only your workspace's admins" in bravo_cmd(office, "settings", user="UANA")
    assert office.slack.calls("views.open") == []
    office.send.block_action("UANA", ids.OPEN_SETTINGS, "open")
    [opened] = office.slack.wait_for("views.open")
    refusal = json.dumps(opened.args["view"])
    assert "Only your workspace's admins" in refusal and ids.MODAL not in refusal
    view = open_settings(office)  # an admin's modal, sent back by someone else
    body = submit(office, view, user="UANA", **{Setting.ALLOWANCE: "50"})
    assert body["response_action"] == "errors"
    assert "Only your workspace's admins" in body["errors"][Setting.VALUES]
    assert counts(office) == (0, 0)
    assert office.deps.config(TEAM).kudos.daily_allowance == 5


def test_the_log_is_for_admins_only(office: Bravo) -> None:
    assert "read the log" in bravo_cmd(office, "settings log", user="UANA")
    assert "No setting has been changed" in bravo_cmd(office, "settings log", user=ADMIN)
    assert "I don't understand" in bravo_cmd(office, "settings everything", user=ADMIN)


def test_the_home_button_opens_the_modal_for_an_admin(office: Bravo) -> None:
    office.send.block_action(ADMIN, ids.OPEN_SETTINGS, "open")
    [opened] = office.slack.wait_for("views.open")
    assert opened.args["view"]["callback_id"] == ids.MODAL


# Bad values ------------------------------------------------------------------------------------

BAD = [
    (Setting.ALLOWANCE, "-1", "whole number"),
    (Setting.ALLOWANCE, "0", "whole number"),
    (Setting.ALLOWANCE, "five", "five"),
    (Setting.CAP, "-2", "whole number"),
    (Setting.VALUES, " , ", "at least one value"),
    (Setting.VALUES, "empathy, Team Work", "can't be a value"),
    (Setting.VALUES, "empathy, grit, #empathy", "listed twice"),
    (Setting.VALUES, ",".join(f"v{i}" for i in range(51)), "At most 50"),
    (Setting.EMOJI, "clap::skin-tone-2", "emoji"),
    (Setting.EMOJI, "<!channel>", "emoji"),
    (Setting.KUDOS_CHANNEL, NO_BOT_CHANNEL, "isn't in that channel"),
    (Setting.KUDOS_CHANNEL, "C0SECRET", "can't see that channel"),
    (Setting.KUDOS_CHANNEL, "C0OLD", "archived"),
    (Setting.KUDOS_CHANNEL, "D0ANA", "not a direct message"),
    (Setting.SUGGESTION_BOX, NO_BOT_CHANNEL, "isn't in that channel"),
    (Setting.ADMINS, ["UANA", "UROBOT"], "bot"),
    (Setting.ADMINS, ["UGONE"], "left Slack"),
    (Setting.ADMINS, ["<@UANA>"], "Pick people"),
    (Setting.SHOUTOUT_TIME, "25:99", "time of day"),
    (Setting.ERASE_DEPARTED, "0", "1 to 3650"),
    (Setting.ERASE_DEPARTED, "3651", "1 to 3650"),
    (Setting.ERASE_DEPARTED, "soon", "soon"),
]


@pytest.mark.parametrize(("setting", "typed", "words"), BAD)
def test_each_bad_value_gets_its_field_error_and_nothing_is_written(
    office: Bravo, setting: Setting, typed: Any, words: str
) -> None:
    view = open_settings(office)
    body = submit(office, view, **{Setting.EMOJI: "tada", setting: typed})  # + a good change
    assert body["response_action"] == "errors"
    assert words in body["errors"][setting], body["errors"]
    assert list(body["errors"]) == [setting]
    assert counts(office) == (0, 0)
    assert office.deps.config(TEAM).kudos.emoji == "clap"


def test_a_forged_day_is_refused(office: Bravo) -> None:
    view = open_settings(office)
    values = state(view)
    values[Setting.SHOUTOUT_DAY][ids.INPUT]["selected_option"] = {"value": "funday"}
    body = office.send.view_submission(ADMIN, view, values).json() or {}
    assert "day of the week" in body["errors"][Setting.SHOUTOUT_DAY]
    assert counts(office) == (0, 0)


# A change --------------------------------------------------------------------------------------


def test_a_valid_change_writes_the_config_one_log_row_per_setting_and_one_receipt(
    office: Bravo,
) -> None:
    view = open_settings(office)
    body = submit(
        office,
        view,
        **{
            Setting.ALLOWANCE: "2",
            Setting.VALUES: "empathy, #grit",
            Setting.KUDOS_CHANNEL: CHANNEL,
            Setting.SUGGESTION_BOX: "C0BOX",
            Setting.ADMINS: ["UANA"],
            Setting.ERASE_DEPARTED: "30",
        },
    )
    assert body == {}  # the modal closes
    with office.deps.db.read() as s:
        row = s.get(WorkspaceConfig, TEAM)
        changes = {c.key: (c.old, c.new, c.changed_by) for c in s.exec(select(SettingChange))}
        box = s.get(SuggestionBox, TEAM)
    assert row is not None and row.version == 1
    assert (row.daily_allowance, row.values_csv, row.kudos_channel) == (2, "empathy,grit", CHANNEL)
    assert (row.admins_csv, row.erase_departed_after_days) == ("UANA", 30)
    assert row.emoji is None and row.per_recipient_daily_cap is None  # unchanged: default
    assert box is not None and box.channel_id == "C0BOX"
    assert set(changes) == {
        Setting.ALLOWANCE,
        Setting.VALUES,
        Setting.KUDOS_CHANNEL,
        Setting.SUGGESTION_BOX,
        Setting.ADMINS,
        Setting.ERASE_DEPARTED,
    }
    assert changes[Setting.ALLOWANCE] == ("5", "2", ADMIN)
    assert changes[Setting.ERASE_DEPARTED] == ("off", "after 30 days", ADMIN)
    office.deliver()
    receipts = [
        c.args for c in office.slack.calls("chat.postMessage") if c.args["channel"] == ADMIN
    ]
    assert len(receipts) == 1 and "Daily allowance" in receipts[0]["text"]
    assert "<@" not in receipts[0]["text"]  # people named plainly, never pinged
    assert [c for c in office.slack.calls("chat.postMessage") if c.args["channel"] == "C0BOX"]
    # The same again: nothing changes, nothing is recorded, and the admin is told so.
    body = submit(office, open_settings(office))
    assert body["response_action"] == "update"
    assert "Nothing changed" in json.dumps(body["view"])
    assert counts(office) == (1, 6)


def kudos(bravo: Bravo, user: str, text: str) -> str:
    before = len(bravo.slack.calls("response_url"))
    bravo.send.slash_command(user, "/kudos", text, channel_id=CHANNEL)
    return last_reply(bravo, before + 1)


def test_a_change_applies_at_once_to_kudos(office: Bravo) -> None:
    """Same Deps, same process, no restart: the next /kudos reads the new settings."""
    submit(office, open_settings(office), **{Setting.ALLOWANCE: "1", Setting.VALUES: "grit"})
    assert "last of your 1 kudos" in kudos(office, "UANA", "<@UBEN|ben> for sticking with it #grit")
    assert "all 1 of today's kudos" in kudos(office, "UANA", "<@UCY|cy> for a calm call")
    refused = kudos(office, "UCY", "<@UBEN|ben> for listening #empathy")
    assert "don't know the value #empathy" in refused and "#grit" in refused
    with office.deps.db.read() as s:
        assert s.exec(select(func.count()).select_from(Kudos)).one() == 1


def test_kudos_given_with_a_value_since_removed_stay_and_nothing_breaks(office: Bravo) -> None:
    assert "Kudos sent" in kudos(office, "UANA", "<@UBEN|ben> for a patient call #empathy")
    submit(office, open_settings(office), **{Setting.VALUES: "grit, focus"})
    with office.deps.db.read() as s:
        [given] = s.exec(select(Kudos)).all()
    assert given.values == "empathy"  # as it was given
    assert "<@UBEN>  1" in kudos(office, "UCY", "leaderboard all")
    assert "don't know the value #empathy" in kudos(office, "UCY", "leaderboard #empathy")
    assert "empathy" in kudos(office, "UBEN", "stats")  # their own numbers still count it


def test_the_log_lists_changes_newest_first_without_mentions(office: Bravo) -> None:
    view = open_settings(office)
    submit(office, view, **{Setting.ALLOWANCE: "3"})
    office.clock.at = office.clock.at.replace(hour=16)
    submit(office, open_settings(office), **{Setting.ADMINS: ["UANA"]})
    text = bravo_cmd(office, "settings log", user="UANA")  # a Bravo admin now
    assert text.index("Bravo admins") < text.index("Daily allowance")
    assert "@ana" in text and "@boss" in text and "<@" not in text


def test_a_bravo_admin_chosen_in_slack_may_open_the_settings(office: Bravo) -> None:
    submit(office, open_settings(office), **{Setting.ADMINS: ["UCY"]})
    assert open_settings(office, user="UCY")["callback_id"] == ids.MODAL


def test_the_settings_modal_fits_slack(office: Bravo) -> None:
    view = open_settings(office)  # the fake Slack checks Block Kit's limits on views.open
    assert len(view["blocks"]) <= 100
    with office.deps.db.read() as s:
        assert s.exec(select(func.count()).select_from(OutboxRow)).one() == 0


def test_two_workspaces_do_not_see_each_others_settings(slack: FakeSlack, db: Database) -> None:
    """Two workspaces, each with its own token: A's admin's settings stay in A."""
    other = slack.add_workspace("T0OTHER", token="xoxb-other", bot_user_id="UBRAVOO")
    other.add_user("UANA", "ana")  # the same person in both (an Enterprise Grid member)
    other.add_user("UBEN", "ben")
    other.add_channel(CHANNEL, "kudos", members=("UBRAVOO", "UANA", "UBEN"))
    tokens = TeamTokens({TEAM: "xoxb-sandbox", "T0OTHER": "xoxb-other"})
    for bravo in start_bravo(slack, db, tokens=tokens):
        slack.add_user(ADMIN, "boss", is_admin=True)
        submit(
            bravo,
            open_settings(bravo),
            **{Setting.ALLOWANCE: "1", Setting.VALUES: "grit", Setting.ADMINS: ["UANA"]},
        )
        assert bravo.deps.config("T0OTHER").kudos.daily_allowance == 5
        send = SlackRequester(bravo.send.bot_url, SECRET, team_id="T0OTHER", fake=other)
        send.slash_command(
            "UANA", "/kudos", "<@UBEN|ben> for a calm call #empathy", channel_id=CHANNEL
        )
        reply = json.dumps(other.wait_for("response_url", count=1)[0].args)
        assert "4 of 5" in reply  # the other workspace's own rules
        send.slash_command("UANA", "/bravo", "settings log", channel_id=CHANNEL)
        reply = json.dumps(other.wait_for("response_url", count=2)[1].args)
        assert "read the log" in reply  # UANA is a Bravo admin only in A
        assert "Bravo admins" in bravo_cmd(bravo, "settings log", user="UANA")


def test_shoutouts_on_with_no_day_or_time_uses_the_workspace_default(office: Bravo) -> None:
    submit(
        office,
        open_settings(office),
        **{Setting.SHOUTOUT_DAY: "0", Setting.SHOUTOUT_TIME: "09:30"},
    )
    assert "Mondays at 09:30" in bravo_cmd(office, "shoutouts on Europe/Berlin")
    assert "Wednesdays at 09:30" in bravo_cmd(office, "shoutouts on wed Europe/Berlin")


def test_the_log_pages_newest_first(office: Bravo) -> None:
    with office.deps.db.write() as s:
        for i in range(30):
            at = office.clock.at + timedelta(minutes=i)
            s.add(
                SettingChange(
                    team_id=TEAM,
                    key="emoji",
                    old=f":old{i}:",
                    new=f":new{i}:",
                    changed_by=ADMIN,
                    changed_at=at,
                )
            )
    first = bravo_cmd(office, "settings log", user=ADMIN)
    assert ":new29:" in first and ":new5:" in first and ":new4:" not in first
    assert "Page 1 of 2" in first and "/bravo settings log 2" in first
    second = bravo_cmd(office, "settings log 2", user=ADMIN)
    assert ":new4:" in second and ":new0:" in second and ":new5:" not in second
    assert "Page 2 of 2" in bravo_cmd(office, "settings log 9", user=ADMIN)  # past the end
    assert "I don't understand" in bravo_cmd(office, "settings log two", user=ADMIN)


def test_a_change_saved_by_another_process_applies_here_at_once(office: Bravo) -> None:
    """Another process (its own Deps, the same database) saves; this one reads it next use."""
    for elsewhere in deps_alone(office.slack, office.deps.db):
        proposed = service.settings_now(elsewhere, team_id=TEAM, user_id=ADMIN)
        saved = service.save(
            elsewhere, team_id=TEAM, admin_id=ADMIN, proposed=replace(proposed, emoji="tada")
        )
        assert isinstance(saved, service.Saved) and len(saved.lines) == 1
    assert office.deps.config(TEAM).kudos.emoji == "tada"
    assert "React with :tada:" in kudos(office, "UANA", "help")
    reaction(office, "reaction_added", reaction_name="clap", event_id="Ev1")
    time.sleep(0.5)  # given time, the old emoji gives nothing
    reaction(office, "reaction_added", reaction_name="tada", event_id="Ev2")
    [row] = wait_rows(office, 1)
    assert row.source == "reaction"


def test_who_may_review_is_a_setting_with_its_log_row(office: Bravo) -> None:
    view = open_settings(office)
    assert office.deps.config(TEAM).review_scope == ReviewScope.LEADS
    assert submit(office, view, **{Setting.REVIEW_SCOPE: "1"}) == {}  # the second option
    assert office.deps.config(TEAM).review_scope == ReviewScope.ANYONE
    with office.deps.db.read() as s:
        [change] = s.exec(select(SettingChange)).all()
    assert (change.key, change.new) == (Setting.REVIEW_SCOPE, "anyone in the workspace")
    view = open_settings(office)
    values = state(view)
    values[Setting.REVIEW_SCOPE][ids.INPUT]["selected_option"] = {"value": "everybody"}
    body = office.send.view_submission(ADMIN, view, values).json() or {}
    assert "who may review" in body["errors"][Setting.REVIEW_SCOPE]
