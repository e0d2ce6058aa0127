"""`make demo`, a calibration round: a lead asks three reviewers to score the same ticket blind,
each scores on their own, the last score reveals the spread and the agreement to all of them,
and the lead records the agreed score.

Played like part three: a Bravo in this process on a simulated clock, over signed requests.
Call it as ``play_calibration(scene, env)`` with the ``Scene`` and environment ``run_demo``
builds (after the other parts, or alone)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.demo.fortnight import Fortnight
from bot.demo.stage import (
    ANA,
    BEN,
    CHANNEL,
    CY,
    DEE,
    PEOPLE,
    SECRET,
    TEAM,
    Scene,
    SimClock,
    bravo_on,
    button_of,
    inputs,
    today_utc,
    view_of,
)
from bot.sandbox.signing import SlackRequester

TICKET = "https://help.example.com/tickets/4521"
# Each reviewer's scores, skill by skill in the workspace's order (the rest: 3, "Good").
SCORES = {BEN: ["3", "4", "2", "3"], CY: ["3", "2", "3", "4"], DEE: ["4", "3", "3", "3"]}


def play_calibration(scene: Scene, env: dict[str, str]) -> None:
    print(
        "\n━━ A calibration round: three reviewers score one ticket blind ━━\n"
        "@dee (a Bravo admin, so she may run rounds) asks @ben, @cy and herself to score a\n"
        "ticket @ana handled. Nobody sees anyone's scores until all three have scored."
    )
    today = today_utc()
    day1 = today + timedelta(days=(0 - today.weekday()) % 7 or 7) + timedelta(days=28)
    clock = SimClock(datetime.combine(day1, datetime.min.time(), UTC))
    with bravo_on(scene, clock, {**env, "BRAVO_ADMINS": DEE}) as (deps, url):
        slack = SlackRequester(url, SECRET, team_id=TEAM, fake=scene.fake)
        f = Fortnight(scene, slack, deps, clock, env, day1=day1)
        skills = deps.config(TEAM).kudos.values
        _open(f)
        for n, reviewer in enumerate((BEN, CY, DEE)):
            _score(f, reviewer, skills, f.at(DEE, 1, f"1{n + 4}:00"))  # London times
        _agree(f)
        at = f.at(DEE, 2, "09:00")
        f.do(
            at,
            f"{f.moment(at, DEE)} · @dee: /review calibrate history",
            lambda: f.slack.slash_command(DEE, "/review", "calibrate history", channel_id=CHANNEL),
            f.more("response_url"),
        )


def _latest_dm(f: Fortnight, user: str, words: str) -> Any:
    calls = f.fake.calls("chat.postMessage", ok=True)
    return [c for c in calls if c.args["channel"] == user and words in c.args.get("text", "")][-1]


def _open(f: Fortnight) -> None:
    at = f.at(DEE, 1, "10:00")
    text = f"calibrate <{TICKET}> <@{BEN}|ben> <@{CY}|cy> <@{DEE}|dee> for <@{ANA}|ana> by friday"
    f.do(
        at,
        f"{f.moment(at, DEE)} · @dee: /review calibrate {TICKET} @ben @cy @dee for @ana by friday",
        lambda: f.slack.slash_command(DEE, "/review", text, channel_id=CHANNEL),
        f.more("response_url"),
    )


def _score(f: Fortnight, reviewer: str, skills: tuple[str, ...], at: datetime) -> None:
    f.clock.set(at)
    f.scene.title(f"{f.moment(at, reviewer)} · @{_name(reviewer)} scores the ticket")
    invite = _latest_dm(f, reviewer, "asks you to score")
    f.press(
        reviewer, invite, button_of(invite, action_id="calibration_score"), f.more("views.open")
    )
    form = view_of(f.fake.calls("views.open", ok=True)[-1])
    given = SCORES[reviewer] + ["3"] * len(skills)
    values = inputs(
        **{
            f"sc_score:{skill}": ("static_select", "selected_option", {"value": given[i]})
            for i, skill in enumerate(skills)
        }
    )
    f.scene.say(f"@{_name(reviewer)} picks a score for each skill and presses Submit scores")
    f.slack.view_submission(reviewer, form, values)
    f.deliver()
    f.scene.show(brief=reviewer != DEE)  # the last score: the reveal, in full


def _agree(f: Fortnight) -> None:
    at = f.at(DEE, 1, "17:00")
    f.clock.set(at)
    f.scene.title(f"{f.moment(at, DEE)} · @dee records the agreed score")
    reveal = _latest_dm(f, DEE, "is revealed")
    f.press(DEE, reveal, button_of(reveal, action_id="calibration_agree"), f.more("views.open"))
    form = view_of(f.fake.calls("views.open", ok=True)[-1])
    values = {
        block["block_id"]: {
            "input": {
                "type": "static_select",
                "selected_option": block["element"]["initial_option"],
            }
        }
        for block in form["blocks"]
        if str(block.get("block_id", "")).startswith("sc_score:")
    }
    f.scene.say("@dee keeps the medians the form starts from and presses Record")
    f.slack.view_submission(DEE, form, values)
    f.deliver()
    f.scene.show(brief=True)


def _name(user: str) -> str:
    return PEOPLE[user][0]
