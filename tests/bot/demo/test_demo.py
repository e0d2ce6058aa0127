"""`make demo` works offline and shows each part of the scenario."""

from __future__ import annotations

import contextlib
import io
import re
from collections import Counter
from dataclasses import dataclass

import pytest

from bot.demo.play import run_demo
from bot.demo.stage import ANA, BEN, CHANNEL, CY, DEE, TEAM
from bot.sandbox.server import Call, FakeSlack
from handlers.app import build_app


@dataclass
class Played:
    code: int
    out: str
    slack: FakeSlack

    def posts(self, words: str) -> list[Call]:
        return [c for c in self.slack.calls("chat.postMessage", ok=True) if words in c.args["text"]]


@pytest.fixture(scope="module")
def played() -> Played:
    """The demo, played once for this module's tests (it takes a few seconds)."""
    slack = FakeSlack(team_id=TEAM, bot_user_id="UBRAVO")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = run_demo(build_app, fake=slack)
    return Played(code, out.getvalue(), slack)


def due_line(call: Call) -> str:
    return next(
        e["text"]
        for b in call.args["blocks"]
        if b["type"] == "context"
        for e in b["elements"]
        if e.get("text", "").startswith("Due ")
    )


def test_demo_plays_the_whole_scenario(played: Played) -> None:
    out = played.out
    assert played.code == 0
    assert "#team-wins  Bravo: :clap: @ana gave kudos to @ben and @cy" in out
    assert "only @ben sees  Bravo: Nice try!" in out
    assert '@cy sees a modal "Give kudos"' in out
    assert "(in thread)  Bravo: :clap: @dee gave kudos to @ben" in out
    assert out.count("@dee gave kudos to @ben") == 1  # the retried event had one effect
    assert "@ben gave kudos to @cy and @dee" in out  # the @support group, minus the giver
    assert "(updated) Bravo: :leftwards_arrow_with_hook: @ana withdrew this kudos." in out
    assert ":first_place_medal: @dee  3" in out
    assert "0 refused by Slack" in out


def test_the_fortnight_shows_goals_checkins_and_coaching(played: Played) -> None:
    out = played.out.split("Part two", 1)[1]
    # The same local 09:30 goes out at four different times in UTC.
    utc = {
        re.findall(rf"Day 1 · Mon [^\n]*09:30 in {city} \(([^)]*) UTC\)", out)[0]
        for city in ("Tokyo", "Berlin", "London", "New York")
    }
    assert len(utc) == 4
    assert ":bulb: *Tip for #active-listening:*" in out  # a prompt comes with a coaching tip
    # Answers replace the prompt's buttons (with a click, or with a note).
    assert "@ana presses [On track]\n    only @ana sees  (updated) Bravo: *Summarise" in out
    assert "Checked in: :large_green_circle: On track" in out
    assert "DM to @ana  (updated) Bravo: *Summarise" in out
    assert "Checked in: :large_yellow_circle: At risk" in out
    assert "DM to @ana  Bravo: :seedling: A gentle nudge" in out
    assert ":hourglass: This check-in was missed." in out
    assert "DM to @ben  Bravo: :red_circle: @ana is blocked on *Summarise" in out
    assert "@cy is off next Monday" in out and ": away 1)" in out
    assert out.count("DM to @ben  Bravo: *Your coaching digest, week of") == 2
    assert "· missed 1" in out
    # Done! is answered once, in the pressed prompt: no completion DM besides.
    assert "@ana presses [Done!]\n    only @ana sees  (updated) Bravo: *Summarise" in out
    assert ":trophy: You completed your goal. Well done!" in out
    assert "DM to @ben  Bravo: :trophy: @ana completed a goal" in out
    assert "#team-wins  Bravo: :trophy: @ana just completed a goal" in out
    assert "#team-wins  Bravo: :clap: @ben gave kudos to @ana" in out
    assert "$ bravo jobs run checkins --at" in out and ": nothing due" in out
    assert "(none twice)" in out


def test_the_fortnight_sends_nothing_twice(played: Played) -> None:
    prompts = played.posts("Time to check in")
    per_due = Counter((c.args["channel"], due_line(c)) for c in prompts)
    assert set(per_due.values()) == {1}
    per_person = Counter(c.args["channel"] for c in prompts)
    assert per_person == {ANA: 6, BEN: 2, CY: 1, DEE: 2}  # Cy was away in week two
    assert len(played.posts("gentle nudge")) == 1
    assert len(played.posts("is blocked")) == 1
    assert [c.args["channel"] for c in played.posts("coaching digest")] == [BEN, BEN]
    done = played.posts("completed a goal")  # the coach and the channel, once each (the owner
    assert sorted(c.args["channel"] for c in done) == sorted([BEN, CHANNEL])  # hears it once)
    updates = played.slack.calls("chat.update", ok=True)
    assert len([c for c in updates if "was missed" in c.args["text"]]) == 1


def test_part_three_shows_feedback_customer_praise_and_the_suggestion_box(played: Played) -> None:
    out = played.out.split("Part three", 1)[1]
    assert "DM to @ben  Bravo: :raised_hand: @ana would value your feedback about the Q3" in out
    assert "Could this be more specific?" in out  # the nudge
    assert "@ben sent you feedback in answer to your request about the Q3 onboarding" in out
    assert "DM to @ben  Bravo: :pray: @ana thanked you" in out
    assert '@ana sees a modal "Set a goal"' in out  # turned into a goal
    assert "DM to @ben  Bravo: :speech_balloon: @dee sent feedback to @ana and shared it" in out
    assert "(feedback_requests as of" in out and ": reminded 1)" in out
    assert len(played.posts("A gentle reminder: @ana asked")) == 0  # the text uses ids
    assert len(played.posts("A gentle reminder: <@U0ANA> asked")) == 1  # sent once
    assert "closed after a week without an answer" in out
    assert "Bravo: :star2: A customer praised you (email" in out
    assert "#team-wins  Bravo: :clap: @dee gave kudos to @cy" in out
    assert "anonymity is weak" in out
    assert "#suggestions  Bravo: *:bulb: New anonymous suggestion*" in out
    assert "#suggestions (in thread)  Bravo: :white_check_mark: Done: Fridays" in out
    assert "You said: Quiet hours on Friday afternoons" in out
    feedback_dms = [c for c in played.posts("sent you feedback")]
    assert feedback_dms and all(c.args["channel"].startswith("U") for c in feedback_dms)
    anonymous = played.posts("New anonymous suggestion")
    assert [c.args["channel"] for c in anonymous] == ["C0IDEAS"]


def test_the_fortnight_ends_with_the_teams_weekly_shout_out(played: Played) -> None:
    out = played.out
    assert "@dee makes #team-wins a team channel: /bravo shoutouts on" in out
    assert "#team-wins  Bravo: :birthday: Happy birthday, @dee! (on Saturday)" in out
    [post] = played.posts("This week in the team")
    assert post.args["channel"] == CHANNEL
    body = str(post.args["blocks"])
    assert "untangling the billing outage" in body and "turning a furious caller" in body
    assert "(shoutouts as of" in out and "already_sent 1" in out  # the rerun posted nothing
    [chart] = [f for f in played.slack.files() if f["completed"] and f["name"].endswith(".png")]
    assert chart["channels"] == [CHANNEL] and chart["content"].startswith(b"\x89PNG")
    shout = out.index("This week in the team")
    assert out.index("Sunday night: the fortnight is over") > shout
    assert "check-in prompt" not in out[shout:].split("Sunday night")[0]  # nothing after it


def test_the_demo_ends_with_an_export_by_dm(played: Played) -> None:
    assert played.out.rstrip().splitlines()[-1].startswith("Done:")
    assert played.out.index("@ana types: /bravo export") > played.out.index("anonymous")
    files = {f["name"]: f for f in played.slack.files() if f["completed"]}
    export, kudos = files["bravo-export.json"], files["bravo-kudos.csv"]
    assert export["channels"] == kudos["channels"] and export["channels"][0].startswith("D")
    assert b'"user_id": "U0ANA"' in export["content"] and b"direction" in kudos["content"]


SKILLS = ("empathy", "active-listening")


def test_practice_and_the_skill_profile_come_before_the_home(played: Played) -> None:
    out = played.out
    practice, profile = out.index("━━ Practice:"), out.index("━━ The skill profile ━━")
    assert out.index("@dee reviews one of @ana's tickets") < practice < profile
    assert profile < out.index("━━ Your home in Slack ━━")
    assert "DM to @cy  Bravo: :memo: @ana practised a customer reply" in out
    assert "only @dee sees  Bravo: Only the people who were asked to rate" in out
    assert "DM to @ana  Bravo: :memo: @cy rated your practice reply to *" in out
    shown = out[profile:]
    assert "@ben offers to coach" not in shown  # the fortnight paired them already
    # The profile gathers what every earlier scene left, the simulated weeks' too: @dee's
    # review, feedback, @ben's kudos in the fortnight, and the practice round.
    assert "Bravo's clock: " in shown
    line = {skill: next(s for s in shown.splitlines() if f"*#{skill}*" in s) for skill in SKILLS}
    assert "reviews 4.0/4 from 1" in line["empathy"] and "feedback 1" in line["empathy"]
    assert "practice 1 (before 0), 1 rated" in line["empathy"]
    assert "kudos 1 (before 0)" in line["active-listening"]
    assert "*Customers*" in shown and "praise 1" in shown  # the help desk's ratings
    assert "Your coaches see this too, as you chose." in shown
    assert '@ben sees a modal "Skill profile"' in shown
    assert '@cy sees a modal "Bravo"' in shown and "only they, and their coaches" in shown
