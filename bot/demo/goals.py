"""Part two of the demo: a fortnight of goals, check-ins and coaching on a simulated clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.demo import shoutouts as shoutouts_demo
from bot.demo.fortnight import Fortnight
from bot.demo.stage import (
    ANA,
    BEN,
    CHANNEL,
    CY,
    DEE,
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


def play_fortnight(scene: Scene, env: dict[str, str]) -> None:
    today = today_utc()
    friday = today + timedelta(days=(4 - today.weekday()) % 7 or 7)  # the next Friday
    print(
        "\n━━ Part two: a simulated fortnight of goals, check-ins and coaching ━━\n"
        "Two weeks can't pass on the wall clock, so from here on a second Bravo (the same app\n"
        "and database, in this process) runs on a simulated clock that jumps from one due time\n"
        "to the next. At each, the job that fell due runs as of that time, as\n"
        "`bravo jobs run NAME --at TIME` does; the demo holds the scheduler's leader lock, so\n"
        "the server runs no job on the wall clock. Everyone checks in at 09:30 their own time."
    )
    clock = SimClock(datetime.combine(friday, datetime.min.time(), UTC))
    with bravo_on(scene, clock, env) as (deps, url):
        slack = SlackRequester(url, SECRET, team_id=TEAM, fake=scene.fake)
        f = Fortnight(scene, slack, deps, clock, env, day1=friday + timedelta(days=3))
        _goals_set(f)
        _week_one(f)
        _week_two(f)


def _goal_form(
    what: str, measure: str, skill: str, target: date, cadence: str, visibility: str
) -> dict[str, Any]:
    """The goal modal filled in: check-ins at 09:30, weekly ones on Mondays."""
    return inputs(
        what=("plain_text_input", "value", what),
        measure=("plain_text_input", "value", measure),
        skill=("static_select", "selected_option", {"value": skill}),
        target=("datepicker", "selected_date", target.isoformat()),
        cadence=("static_select", "selected_option", {"value": cadence}),
        day=("static_select", "selected_option", {"value": "0"}),
        time=("timepicker", "selected_time", "09:30"),
        visibility=("radio_buttons", "selected_option", {"value": visibility}),
    )


def _goals_set(f: Fortnight) -> None:
    """The Friday before: everyone sets a goal; what the scheduler will do next."""
    start = f.at(ANA, -2, "10:00")
    f.do(
        start,
        f"{f.moment(start, ANA)} · @ana types /goal: the form opens",
        lambda: f.slack.slash_command(ANA, "/goal", "", channel_id=CHANNEL),
        f.more("views.open"),
    )
    target = f.day1 + timedelta(days=18)
    form = _goal_form(
        "Summarise the caller's issue before solving it",
        "QA listening score 4/5 or more",
        "active-listening",
        target,
        "weekdays",
        "public",
    )
    f.do(
        start + timedelta(minutes=3),
        "@ana fills it in (summarise the caller's issue first; every weekday at 09:30; "
        "public once done) and presses Save",
        lambda: f.slack.view_submission(ANA, view_of(f.fake.calls("views.open")[-1]), form),
    )
    others = {
        BEN: ("Ask one more question before offering a fix", "problem-solving", "coach"),
        CY: ("Use the customer's name at the start and the end", "personalization", "private"),
        DEE: ("Send a written recap after every escalation", "communication", "coach"),
    }

    def set_goals() -> None:
        for user, (what, skill, visibility) in others.items():
            f.set_goal(
                user, _goal_form(what, "QA score 4/5 or more", skill, target, "weekly", visibility)
            )

    f.do(
        start + timedelta(minutes=20),
        "@ben, @cy and @dee set goals too, with check-ins every Monday at 09:30",
        set_goals,
        brief=True,
    )
    stamp = f"{start + timedelta(hours=1):%Y-%m-%dT%H:%MZ}"
    f.scene.title("What falls due next, as `bravo jobs list` tells it")
    print(f"    $ bravo jobs list --at {stamp}")
    for line in f.cli("jobs", "list", "--at", stamp).splitlines()[:4]:
        print("    " + line.rstrip())


def _week_one(f: Fortnight) -> None:
    """09:30 comes round the world; Ben offers to coach Ana; her prompts: answered, a note, a
    miss with its reminder, a block; Ben's digest; Cy plans a break."""
    offer = f.at(BEN, 1, "14:00")
    f.advance(offer)
    f.do(
        offer,
        f"{f.moment(offer, BEN)} · @ben offers to coach @ana: /coach @ana",
        lambda: f.slack.slash_command(BEN, "/coach", "<@U0ANA|ana>", channel_id=CHANNEL),
        f.more("response_url"),
    )
    request = [c for c in f.fake.calls("chat.postMessage", ok=True) if c.args["channel"] == ANA]
    accept = offer + timedelta(minutes=20)
    f.clock.set(accept)
    f.scene.title(f"{f.moment(accept, ANA)} · @ana reads the offer")
    f.press(
        ANA, request[-1], button_of(request[-1], action_id="coach_accept"), f.more("response_url")
    )
    first = f.at(ANA, 1, "09:30")
    f.advance(first - timedelta(seconds=1))
    f.job("checkins", first, cli=True, note=" (this time from the command line)")
    f.scene.title(
        "The same run again (a retry, a restart, a second process): nothing is sent twice"
    )
    stamp = first.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    print(f"    $ bravo jobs run checkins --at {stamp}")
    print("    " + f.cli("jobs", "run", "checkins", "--at", stamp).strip())
    f.scene.show(empty=None)
    away = f.at(CY, 5, "17:00")
    f.advance(away)
    back = f.day1 + timedelta(days=8)
    f.do(
        away,
        f"{f.moment(away, CY)} · @cy is off next Monday: /goal away until {back}",
        lambda: f.slack.slash_command(CY, "/goal", f"away until {back}", channel_id=CHANNEL),
        f.more("response_url"),
    )


def _week_two(f: Fortnight) -> None:
    """Ana's goal is done and celebrated, Ben recognises it, and his second digest."""
    thanks = f.at(BEN, 8, "16:00")
    f.advance(thanks)
    news = [
        c
        for c in f.fake.calls("chat.postMessage", ok=True)
        if c.args["channel"] == BEN and "completed a goal" in c.args.get("text", "")
    ]
    f.scene.title(f"{f.moment(thanks, BEN)} · @ben reads the news")
    f.press(BEN, news[-1], button_of(news[-1], action_id="coach_kudos"), f.more("views.open"))
    kudos = {
        "kudos_recipients": {"recipients": {"type": "multi_users_select", "selected_users": [ANA]}},
        "kudos_value": {
            "value": {"type": "static_select", "selected_option": {"value": "active-listening"}}
        },
        "kudos_reason": {
            "reason": {
                "type": "plain_text_input",
                "value": "a fortnight of summing up every caller's issue before fixing it",
            }
        },
        "kudos_channel": {
            "channel": {"type": "conversations_select", "selected_conversation": CHANNEL}
        },
    }
    f.scene.say("@ben says why and presses Send kudos")
    f.slack.view_submission(BEN, view_of(f.fake.calls("views.open", ok=True)[-1]), kudos)
    f.deliver()
    f.scene.show()
    shoutouts_demo.week_two(f)  # the team's week, ending with its weekly shout-out
    end = datetime.combine(f.day1 + timedelta(days=14), datetime.min.time(), UTC)
    f.advance(end)
    f.scene.title("Sunday night: the fortnight is over")
    print("    " + f.tally())
