"""Weekly shout-outs end to end: /bravo over signed HTTP, the shout-outs job as of given times,
and what the fake Slack was asked to post, where, and how often; the whole /bravo grammar; a
listener called alone."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import func, select

from bot.celebrations import errors as ce
from bot.celebrations import parse as cp
from bot.deps import Deps
from bot.errors import BravoError, UnknownCommandError, error_text
from bot.sandbox.server import Call, FakeSlack
from bot.shoutouts import errors as e
from bot.shoutouts import jobs
from bot.shoutouts import parse as p
from handlers.shoutouts import on_bravo, parse_bravo
from storage.db import Database
from storage.models import OutboxRow, PersonDate, ShoutoutChannel, Suggestion
from tests.handlers.bravo_flow import (
    ANA,
    BEN,
    CY,
    FRIDAY_1600_BERLIN,
    T,
    bravo_cmd,
    channel_posts,
    deliver,
    give,
    last_reply,
    replies,
    turn_on,
    weekly_posts,
)
from tests.handlers.conftest import CHANNEL, NO_BOT_CHANNEL, TEAM, Bravo, Recorder, deps_alone

# The whole /bravo grammar (celebrations' words after `celebrate`) ------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("shoutouts on", p.ShoutoutsOn(None, None, None)),  # the workspace's default day, time
        ("shoutouts on Monday 09:30 Europe/Berlin", p.ShoutoutsOn(0, 570, "Europe/Berlin")),
        ("shoutouts on fri 4pm", p.ShoutoutsOn(4, 960, None)),
        ("shoutouts on 12am utc", p.ShoutoutsOn(None, 0, "UTC")),
        ("shoutouts on wed 17h30", p.ShoutoutsOn(2, 17 * 60 + 30, None)),
        ("shoutouts off", p.ShoutoutsOff()),
        ("shoutouts preview", p.ShoutoutsPreview()),
        ("celebrate birthday 03-14", cp.SetDate("birthday", 3, 14, None)),
        ("celebrate birthday 1990-03-14", cp.SetDate("birthday", 3, 14, None)),
        ("celebrate birthday 02-29", cp.SetDate("birthday", 2, 29, None)),
        ("celebrate started 2021-06-01", cp.SetDate("started", 6, 1, 2021)),
        ("celebrate optout", cp.CelebrateOptOut(True)),
        ("celebrate milestones channel", cp.MilestonesWhere("channel")),
        ("lead <@U0ANA|ana>", p.NameLead("U0ANA")),
        ("fairness off", p.Fairness(False)),
        ("", p.BravoHelp()),
    ],
)
def test_bravo_commands_parse(text: str, expected: object) -> None:
    assert parse_bravo(text) == expected


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("shoutouts on funday", e.UnknownWeekdayError),
        ("shoutouts on 25:00", e.BadTimeError),
        ("shoutouts on 9:60", e.BadTimeError),
        ("shoutouts on 13pm", e.BadTimeError),
        ("shoutouts on Mars/Olympus", e.UnknownTimeZoneError),
        ("shoutouts on friday @@@", e.UnknownTimeZoneError),
        ("celebrate birthday 02-30", ce.BadCelebrationDateError),
        ("celebrate birthday 1990-02-29", ce.BadCelebrationDateError),
        ("celebrate started 06-01", ce.BadCelebrationDateError),
        ("lead ana", e.LeadMentionError),
        ("shoutouts sideways", UnknownCommandError),
    ],
)
def test_bad_input_names_the_problem(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        parse_bravo(text)
    try:
        parse_bravo(text)
    except BravoError as err:
        words = error_text(err)
        assert words and "Sorry, that didn't work" not in words  # a specific message each


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_a_command_or_a_friendly_error(text: str) -> None:
    words = ["shoutouts on", "celebrate birthday", "celebrate started", "lead", ""]
    for prefix in words:
        try:
            parse_bravo(f"{prefix} {text}")
        except BravoError as err:
            assert error_text(err)


# A listener called alone -----------------------------------------------------------------------


@pytest.fixture
def deps(slack: FakeSlack, sqlite_db: Database) -> Iterator[Deps]:
    yield from deps_alone(slack, sqlite_db)


def command(text: str, user: str = "UANA") -> dict[str, Any]:
    return {
        "command": "/bravo",
        "text": text,
        "team_id": TEAM,
        "user_id": user,
        "channel_id": CHANNEL,
        "trigger_id": "1.2.3",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("help", "/bravo celebrate import"),
        ("frobnicate", "Try `/bravo help`"),
        ("celebrate import", "Only a Bravo or workspace admin"),
        ("celebrate birthday 02-30", "isn't a birthday"),
    ],
)
def test_the_bravo_listener_alone_acks_and_answers(deps: Deps, text: str, expected: str) -> None:
    ack, respond = Recorder(), Recorder()
    on_bravo(ack, command(text), respond, deps.client, {"bravo_deps": deps})  # type: ignore[arg-type]
    assert ack.calls == [((), {})]
    [((reply,), _)] = respond.calls
    assert reply["response_type"] == "ephemeral" and expected in reply["text"]


# Over HTTP -------------------------------------------------------------------------------------


def test_bad_schedules_and_channels_get_clear_replies_and_save_nothing(bravo: Bravo) -> None:
    bravo.slack.add_channel("C0OLD", "old-team", members=("UBRAVO", "UANA"), is_archived=True)
    asks = [
        ("shoutouts on funday", CHANNEL, "isn't a weekday"),
        ("shoutouts on friday 25:00", CHANNEL, "isn't a time of day"),
        ("shoutouts on friday 16:00 Mars/Olympus", CHANNEL, "isn't a time zone"),
        ("shoutouts on", NO_BOT_CHANNEL, "I'm not in this channel"),
        ("shoutouts on", "C0OLD", "archived"),
        ("shoutouts on", "D0ANA", "not a DM"),
        ("shoutouts preview", CHANNEL, "doesn't have weekly shout-outs"),
        ("shoutouts off", CHANNEL, "doesn't have weekly shout-outs"),
        ("celebrate birthday 02-30", CHANNEL, "isn't a birthday"),
        ("celebrate started 2021-13-01", CHANNEL, "YYYY-MM-DD"),
        ("celebrate started 2031-01-01", CHANNEL, "in the future"),
        ("frobnicate", CHANNEL, "/bravo help"),
    ]
    for n, (text, channel, expected) in enumerate(asks, start=1):
        bravo_cmd(bravo, text, channel=channel)
        assert expected in last_reply(bravo, n), text
    with bravo.deps.db.read() as s:
        assert s.exec(select(func.count()).select_from(ShoutoutChannel)).one() == 0
        assert s.exec(select(func.count()).select_from(PersonDate)).one() == 0


def test_the_weekly_post_goes_out_once_with_its_chart(bravo: Bravo) -> None:
    assert "Fridays at 16:00 (Europe/Berlin)" in turn_on(bravo)
    monday = datetime(2026, 11, 23, 16, tzinfo=UTC)
    give(bravo, ANA, [BEN], "calmed an angry caller <!channel> &lt;!here&gt;", monday)
    give(
        bravo, BEN, [CY], "rewrote the refund macro so it reads kindly", monday, ("communication",)
    )
    give(bravo, CY, [ANA], "stayed late to help", monday + timedelta(days=1))
    give(bravo, ANA, [BEN], "after the weekly post", FRIDAY_1600_BERLIN + timedelta(minutes=5))

    early = jobs.run_shoutouts(bravo.deps, FRIDAY_1600_BERLIN - timedelta(minutes=1))
    assert early == {"not_due": 1}
    threads = [
        threading.Thread(target=jobs.run_shoutouts, args=(bravo.deps, FRIDAY_1600_BERLIN))
        for _ in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    again = jobs.run_shoutouts(bravo.deps, FRIDAY_1600_BERLIN + timedelta(minutes=10))
    assert again == {"already_sent": 1}
    deliver(bravo)

    [post] = weekly_posts(bravo)
    body = json.dumps(post.args["blocks"])
    assert "3 kudos this week" in post.args["text"]
    assert "rewrote the refund macro" in body and "stayed late" in body
    assert "after the weekly post" not in body  # the week ends at the post's time
    assert "<!channel>" not in body and "<!here>" not in body
    assert len(post.args["blocks"]) <= 50
    [upload] = bravo.slack.calls("files.completeUploadExternal", ok=True)
    assert upload.args["channel_id"] == CHANNEL
    [chart] = bravo.slack.files()
    assert chart["content"][:8] == b"\x89PNG\r\n\x1a\n"
    assert post.at < upload.at  # the picture follows its post


def test_without_files_write_the_post_still_goes_and_the_chart_alone_fails(bravo: Bravo) -> None:
    bravo.slack.set_scopes(["commands", "chat:write", "users:read", "channels:read"])
    turn_on(bravo)
    give(bravo, ANA, [BEN], "covered my shift", datetime(2026, 11, 24, 10, tzinfo=UTC))
    assert jobs.run_shoutouts(bravo.deps, FRIDAY_1600_BERLIN) == {"sent": 1}
    deliver(bravo)
    assert len(weekly_posts(bravo)) == 1
    assert bravo.slack.files() == [] or not any(f["completed"] for f in bravo.slack.files())
    with bravo.deps.db.read() as s:
        [chart] = s.exec(select(OutboxRow).where(OutboxRow.kind == "shoutout_chart")).all()
    assert chart.status == "failed" and "missing_scope" in (chart.last_error or "")


def test_a_week_missed_while_down_is_posted_once_within_grace_only(bravo: Bravo) -> None:
    turn_on(bravo)
    give(bravo, ANA, [BEN], "a kind word", datetime(2026, 11, 24, 10, tzinfo=UTC))
    back_in_time = FRIDAY_1600_BERLIN + timedelta(hours=23)
    assert jobs.run_shoutouts(bravo.deps, back_in_time) == {"sent": 1}
    assert jobs.run_shoutouts(bravo.deps, back_in_time + timedelta(minutes=1)) == {
        "already_sent": 1
    }
    next_week_too_late = FRIDAY_1600_BERLIN + timedelta(days=7, hours=25)
    assert jobs.run_shoutouts(bravo.deps, next_week_too_late) == {"missed": 1}
    deliver(bravo)
    assert len(weekly_posts(bravo)) == 1


def test_a_quiet_week_gets_a_friendly_nudge(bravo: Bravo) -> None:
    turn_on(bravo)
    jobs.run_shoutouts(bravo.deps, FRIDAY_1600_BERLIN)
    deliver(bravo)
    [post] = weekly_posts(bravo)
    assert "quiet week" in post.args["text"] and "/kudos" in post.args["text"]
    assert bravo.slack.files() == []  # nothing to draw


def test_turning_on_after_the_hour_waits_for_next_week(bravo: Bravo) -> None:
    bravo.clock.at = FRIDAY_1600_BERLIN + timedelta(minutes=5)
    turn_on(bravo)
    assert jobs.run_shoutouts(bravo.deps, bravo.clock.at) == {"not_due": 1}
    assert jobs.next_shoutout(bravo.deps, bravo.clock.at) == FRIDAY_1600_BERLIN + timedelta(days=7)


def test_only_the_owner_a_lead_or_an_admin_may_change_or_stop_it(bravo: Bravo) -> None:
    turn_on(bravo)
    bravo_cmd(bravo, "shoutouts off", user="UCY")
    assert "Only the person who turned" in last_reply(bravo, 2)
    bravo_cmd(bravo, "shoutouts off", user="UANA")
    assert "off for this channel" in last_reply(bravo, 3)
    assert jobs.run_shoutouts(bravo.deps, FRIDAY_1600_BERLIN) == {}


def test_preview_and_full_list_are_private(bravo: Bravo) -> None:
    turn_on(bravo)
    for n in range(30):
        give(bravo, [ANA, BEN, CY][n % 3], [[BEN, CY, ANA][n % 3]], f"moment {n}", bravo.clock.at)
        bravo.clock.at += timedelta(minutes=1)
    bravo_cmd(bravo, "shoutouts preview", user="UBEN")
    preview = replies(bravo, 2)[1]
    assert preview["response_type"] == "ephemeral"
    assert "Preview" in json.dumps(preview["blocks"]) and len(preview["blocks"]) <= 50
    bravo_cmd(bravo, "shoutouts list", user="UBEN")
    listing = json.dumps(replies(bravo, 3)[2]["blocks"])
    assert all(f"moment {n}" in listing for n in range(30))
    assert weekly_posts(bravo) == []


def test_the_fairness_note_reaches_only_the_lead_by_dm(bravo: Bravo) -> None:
    bravo.slack.add_channel(
        "C0SUPPORT", "support", members=("UBRAVO", "UANA", "UBEN", "UCY"), creator="UANA"
    )
    bravo_cmd(bravo, "shoutouts on friday 16:00 Europe/Berlin", user="UBEN", channel="C0SUPPORT")
    bravo_cmd(bravo, "fairness on", user="UCY", channel="C0SUPPORT")
    assert "Only this team's leads" in last_reply(bravo, 2)
    bravo_cmd(bravo, "fairness on", user="UANA", channel="C0SUPPORT")
    assert "never posted" in last_reply(bravo, 3)
    give(bravo, BEN, [ANA], "patient with a new hire", datetime(2026, 11, 24, 9, tzinfo=UTC))
    jobs.run_shoutouts(bravo.deps, FRIDAY_1600_BERLIN)
    jobs.run_shoutouts(bravo.deps, FRIDAY_1600_BERLIN + timedelta(minutes=10))
    deliver(bravo)
    notes = [
        c
        for c in bravo.slack.calls("chat.postMessage", ok=True)
        if "nobody has recognised" in json.dumps(c.args)
    ]
    assert len(notes) == 1
    [note] = notes
    assert note.args["channel"] == "UANA"  # a DM to the lead, never a channel
    text = json.dumps(note.args["blocks"])
    assert "<@UBEN>" in text and "<@UCY>" in text and "<@UANA>" not in text.split("nobody")[1]
    assert "UBRAVO" not in text
    for c in bravo.slack.calls("chat.postMessage", ok=True):
        if c.args["channel"] != "UANA":
            assert "nobody has recognised" not in json.dumps(c.args)


@pytest.mark.parametrize("text", ["help", ""])
def test_help_lists_every_bravo_command(bravo: Bravo, text: str) -> None:
    bravo_cmd(bravo, text)
    reply = last_reply(bravo, 1)
    assert "/bravo shoutouts on" in reply and "/bravo celebrate import" in reply


def test_moving_the_day_after_this_weeks_post_does_not_post_the_week_again(bravo: Bravo) -> None:
    turn_on(bravo)
    assert jobs.run_shoutouts(bravo.deps, FRIDAY_1600_BERLIN) == {"sent": 1}
    bravo.clock.at = FRIDAY_1600_BERLIN + timedelta(hours=1)
    assert "Saturdays at 10:00" in bravo_cmd(bravo, "shoutouts on saturday 10:00 Europe/Berlin")
    saturday_1000_berlin = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    assert jobs.run_shoutouts(bravo.deps, saturday_1000_berlin) == {"already_sent": 1}
    next_saturday = saturday_1000_berlin + timedelta(days=7)
    assert jobs.run_shoutouts(bravo.deps, next_saturday) == {"sent": 1}


def test_a_slack_outage_delays_the_post_and_its_chart_and_loses_neither(bravo: Bravo) -> None:
    turn_on(bravo)
    give(bravo, ANA, [BEN], "kept the queue calm", datetime(2026, 11, 24, 10, tzinfo=UTC))
    assert jobs.run_shoutouts(bravo.deps, FRIDAY_1600_BERLIN) == {"sent": 1}
    bravo.slack.fail_next("chat.postMessage", status=503, times=2)
    bravo.slack.fail_next("files.getUploadURLExternal", status=503)
    for minutes in (1, 5, 15, 60, 120, 240):  # Slack comes back; the outbox retries, backing off
        deliver(bravo, FRIDAY_1600_BERLIN + timedelta(minutes=minutes))
    assert len(weekly_posts(bravo)) == 1
    assert len([f for f in bravo.slack.files() if f["completed"]]) == 1
    failed = [c for c in bravo.slack.calls() if not c.ok]
    assert {c.method for c in failed} == {"chat.postMessage", "files.getUploadURLExternal"}


def test_an_archived_team_channel_stops_its_shout_outs_and_says_so(bravo: Bravo) -> None:
    turn_on(bravo)
    bravo.slack.archive_channel(CHANNEL)
    with bravo.deps.db.write() as s:  # the members were last read a week ago
        cfg = s.get(ShoutoutChannel, (T, CHANNEL))
        assert cfg is not None
        cfg.members_at = FRIDAY_1600_BERLIN - timedelta(days=7)
        s.add(cfg)
    assert jobs.run_shoutouts(bravo.deps, FRIDAY_1600_BERLIN) == {"stopped": 1}
    assert jobs.run_shoutouts(bravo.deps, FRIDAY_1600_BERLIN + timedelta(minutes=5)) == {}
    deliver(bravo)
    assert weekly_posts(bravo) == []
    [note] = channel_posts(bravo, "UANA", "stopped")
    assert "archived" in json.dumps(note.args["blocks"])


IDEAS = "C0IDEAS"


def suggest_and_mark_done(bravo: Bravo, idea: str, note: str, done_at: datetime) -> None:
    """Someone suggests ``idea`` with /suggest; at ``done_at`` an admin marks it done."""
    before = len(bravo.slack.calls("response_url"))
    bravo.send.slash_command("UCY", "/suggest", idea, channel_id=IDEAS)
    shown = bravo.slack.wait_for("response_url", before + 1)[-1]  # the preview: press Post
    [post] = [e for b in shown.args["blocks"] if b["type"] == "actions" for e in b["elements"]][:1]
    bravo.send.block_action("UCY", post["action_id"], post["value"], channel_id=IDEAS)
    assert "Posted anonymously" in bravo.slack.wait_for("response_url", before + 2)[-1].args["text"]
    with bravo.deps.db.read() as s:
        row = s.exec(select(Suggestion).where(Suggestion.text == idea)).one()
    bravo.clock.at = done_at
    opened = len(bravo.slack.calls("views.open"))
    bravo.send.block_action("UADMIN", "suggestion_done", str(row.id), channel_id=IDEAS)
    view = bravo.slack.wait_for("views.open", opened + 1)[-1].args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    values = {"done_note": {"input": {"type": "plain_text_input", "value": note}}}
    assert (bravo.send.view_submission("UADMIN", view, values).json() or {}) == {}


def said_and_done(post: Call) -> str:
    """The "you said, we did" section of a weekly post ("" when it has none)."""
    found = [b for b in post.args["blocks"] if "You said, we did" in json.dumps(b)]
    assert len(found) <= 1
    return found[0]["text"]["text"] if found else ""


def test_a_suggestion_done_this_week_is_in_this_weeks_post_once_and_not_the_next(
    bravo: Bravo,
) -> None:
    for uid, name in (("UADMIN", "ada"), ("UDEE", "dee"), ("UEVE", "eve")):
        bravo.slack.add_user(uid, name, is_admin=uid == "UADMIN")
    bravo.slack.add_channel(IDEAS, "ideas", members=("UBRAVO", "UADMIN"))
    turn_on(bravo)
    before = len(bravo.slack.calls("response_url"))
    bravo.send.slash_command("UADMIN", "/suggest", "setup", channel_id=IDEAS)
    assert "Done" in bravo.slack.wait_for("response_url", before + 1)[-1].args["text"]
    wednesday = datetime(2026, 11, 25, 10, tzinfo=UTC)
    suggest_and_mark_done(
        bravo, "Quiet hours on Friday afternoons", "Fridays 14-17 <quiet>", wednesday
    )
    # The preview shows it the same day.
    bravo_cmd(bravo, "shoutouts preview", user="UBEN")
    preview = json.dumps(replies(bravo, len(bravo.slack.calls("response_url")))[-1]["blocks"])
    assert "You said, we did" in preview and "Quiet hours on Friday afternoons" in preview
    # Done on the Friday of the post, after it: next week's news.
    after_post = FRIDAY_1600_BERLIN + timedelta(hours=2)
    suggest_and_mark_done(bravo, "A second monitor for the phone desk", "Ordered", after_post)

    for week in range(3):
        at = FRIDAY_1600_BERLIN + timedelta(days=7 * week)
        assert jobs.run_shoutouts(bravo.deps, at) == {"sent": 1}
        deliver(bravo, at + timedelta(hours=3))
    first, second, third = weekly_posts(bravo)
    # No kudos at all that week, yet not a "quiet week": there is news from the suggestion box.
    assert "quiet week" not in first.args["text"]
    said = said_and_done(first)
    assert said.count("Quiet hours on Friday afternoons") == 1
    assert "Fridays 14-17 &lt;quiet&gt;" in said and "second monitor" not in said
    assert "<@" not in said  # nothing names the author (there is none to name)
    assert said_and_done(second).count("A second monitor for the phone desk") == 1
    assert "Quiet hours" not in said_and_done(second)
    assert said_and_done(third) == "" and "quiet week" in third.args["text"]


def test_turning_on_or_moving_the_post_wakes_the_shoutouts_job(bravo: Bravo) -> None:
    woken: list[tuple[str, datetime | None]] = []
    bravo.deps.wake.attach(lambda name, due=None: woken.append((name, due)))
    bravo_cmd(bravo, "shoutouts on friday 25:00")
    assert woken == []  # nothing was turned on
    bravo.clock.at = FRIDAY_1600_BERLIN - timedelta(minutes=2)
    assert "first on Fri 27 Nov at 16:00" in turn_on(bravo, n=2)
    assert woken == [("shoutouts", FRIDAY_1600_BERLIN)]
    bravo_cmd(bravo, "shoutouts on friday 15:59 Europe/Berlin")
    assert woken[-1] == ("shoutouts", FRIDAY_1600_BERLIN - timedelta(minutes=1))
    # Woken now, the job finds the post due in a minute and plans its next run for then.
    assert jobs.run_shoutouts(bravo.deps, bravo.clock.at) == {"not_due": 1}
    assert jobs.next_shoutout(bravo.deps, bravo.clock.at) == woken[-1][1]


def test_a_big_teams_fairness_note_reads_people_with_one_users_list_sweep(bravo: Bravo) -> None:
    from storage.models import SlackUser

    bots = [f"UBOT{n:03d}" for n in range(5)]
    gone = [f"UGONE{n:03d}" for n in range(5)]
    people = [f"UP{n:03d}" for n in range(300)]
    for uid in bots:
        bravo.slack.add_user(uid, uid.lower(), is_bot=True)
    for uid in gone:
        bravo.slack.add_user(uid, uid.lower(), deleted=True)
    for uid in people:
        bravo.slack.add_user(uid, uid.lower())
    # Bots and departed accounts first: if they were taken for people, the note would name them.
    members = ("UBRAVO", *bots, *gone, "UANA", *people)
    bravo.slack.add_channel("C0BIG", "big-team", members=members, creator="UANA")
    bravo_cmd(bravo, "shoutouts on friday 16:00 Europe/Berlin", channel="C0BIG")
    assert "never posted" in bravo_cmd(bravo, "fairness on", channel="C0BIG")
    info_before = len(bravo.slack.calls("users.info"))
    lists_before = len(bravo.slack.calls("users.list", ok=True))  # counting the team at "on"

    assert jobs.run_shoutouts(bravo.deps, FRIDAY_1600_BERLIN) == {"sent": 1}
    assert len(bravo.slack.calls("users.info")) == info_before  # not one per member
    workspace = 6 + len(bots) + len(gone) + len(people)  # the fixture's six and these
    assert len(bravo.slack.calls("users.list", ok=True)) - lists_before == -(-workspace // 200)
    assert all(c.args.get("limit") in (200, "200") for c in bravo.slack.calls("users.list"))
    with bravo.deps.db.read() as s:
        assert s.exec(select(func.count()).select_from(SlackUser)).one() >= workspace
    deliver(bravo)
    [note] = [
        c
        for c in bravo.slack.calls("chat.postMessage", ok=True)
        if "nobody has recognised" in json.dumps(c.args)
    ]
    text = json.dumps(note.args["blocks"])
    assert note.args["channel"] == "UANA"
    assert not any(uid in text for uid in [*bots, *gone, "UBRAVO"])
    assert "<@UP000>" in text and f"and {len(people) - 40} more" in text
    # A week later the cache is stale again: one sweep again, still no users.info per member.
    assert jobs.run_shoutouts(bravo.deps, FRIDAY_1600_BERLIN + timedelta(days=7)) == {"sent": 1}
    assert len(bravo.slack.calls("users.info")) == info_before
    sweeps = len(bravo.slack.calls("users.list", ok=True)) - lists_before
    assert sweeps == 2 * -(-workspace // 200)


def test_the_weeks_most_helpful_lesson_is_in_its_post_once_and_never_a_private_one(
    bravo: Bravo,
) -> None:
    from tests.bot.profile import history as h

    turn_on(bravo)
    wednesday = datetime(2026, 11, 25, 10, tzinfo=UTC)
    ana, ben, cy = ANA.user_id, BEN.user_id, CY.user_id
    h.lesson(
        bravo.deps.db,
        ana,
        team=T,
        channel=CHANNEL,
        posted=wednesday,
        helps=[(ben, wednesday + timedelta(hours=1)), (cy, wednesday + timedelta(hours=2))],
        learned="Say what you will do next <!channel>, and when",
    )
    h.lesson(  # private: its author's own, never shown, whatever its clicks
        bravo.deps.db,
        ben,
        team=T,
        channel=CHANNEL,
        posted=wednesday,
        visibility="private",
        learned="My secret lesson",
        helps=[(ana, wednesday), (cy, wednesday), ("UDEE", wednesday)],
    )
    bravo.clock.at = wednesday + timedelta(hours=1, minutes=30)  # Ben's click, not yet Cy's
    bravo_cmd(bravo, "shoutouts preview", user="UBEN")
    preview = json.dumps(replies(bravo, len(bravo.slack.calls("response_url")))[-1]["blocks"])
    assert "Lesson of the week" in preview and "It helped 1 person" in preview
    for week in range(2):
        at = FRIDAY_1600_BERLIN + timedelta(days=7 * week)
        assert jobs.run_shoutouts(bravo.deps, at) == {"sent": 1}
        deliver(bravo, at + timedelta(hours=3))
    first, second = weekly_posts(bravo)
    body = json.dumps(first.args["blocks"])
    assert "quiet week" not in first.args["text"]  # a helpful lesson is news enough
    assert "Lesson of the week" in body and "Say what you will do next" in body
    assert f"<@{ana}>" in body and "`#empathy`" in body and "It helped 2 people" in body
    assert "<!channel>" not in body and "My secret lesson" not in body
    assert "Lesson of the week" not in json.dumps(second.args["blocks"])  # last week's
    assert "quiet week" in second.args["text"]
