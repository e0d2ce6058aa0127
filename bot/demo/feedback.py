"""`make demo`, part three: feedback given, requested and answered (with a nudge), a reminder
and an expiry on simulated working days, a customer compliment turned into kudos, and an
anonymous suggestion marked done for the weekly "you said, we did".

Played like part two: a Bravo in this process on a simulated clock, jobs run as of their time.
"""

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
from bot.scheduling.registry import BY_NAME
from bot.suggestions import service as suggestions

IDEAS = "C0IDEAS"


def play_feedback(scene: Scene, env: dict[str, str]) -> None:
    print(
        "\n━━ Part three: feedback, requests, customer praise and the suggestion box ━━\n"
        "The week after the fortnight, on the same simulated clock. Feedback is private: it\n"
        "goes by DM only. @dee is a Bravo admin (BRAVO_ADMINS) for the suggestion box."
    )
    scene.fake.add_channel(IDEAS, "suggestions", members=("UBRAVO", *PEOPLE))
    scene.channels[IDEAS] = "suggestions"
    today = today_utc()
    friday = today + timedelta(days=(4 - today.weekday()) % 7 or 7)
    day1 = friday + timedelta(days=3 + 15)  # a Tuesday, after the fortnight
    clock = SimClock(datetime.combine(day1, datetime.min.time(), UTC))
    with bravo_on(scene, clock, {**env, "BRAVO_ADMINS": DEE}) as (deps, url):
        slack = SlackRequester(url, SECRET, team_id=TEAM, fake=scene.fake)
        f = Fortnight(scene, slack, deps, clock, env, day1=day1)
        _requests(f)
        _customer(f)
        _suggestions(f)


def _cmd(f: Fortnight, user: str, command: str, text: str, channel: str = CHANNEL) -> Any:
    return lambda: f.slack.slash_command(user, command, text, channel_id=channel)


def _feedback_form(situation: str, behaviour: str, impact: str, suggestion: str, **kw: str) -> Any:
    values = inputs(
        fb_situation=("plain_text_input", "value", situation),
        fb_behaviour=("plain_text_input", "value", behaviour),
        fb_impact=("plain_text_input", "value", impact),
        fb_suggestion=("plain_text_input", "value", suggestion),
        fb_skill=("static_select", "selected_option", {"value": kw.get("skill", "empathy")}),
        fb_visibility=(
            "radio_buttons",
            "selected_option",
            {"value": kw.get("visibility", "recipient")},
        ),
    )
    if "recipient" in kw:
        values |= inputs(fb_recipient=("users_select", "selected_user", kw["recipient"]))
    return values


def _latest_dm(f: Fortnight, user: str, words: str) -> Any:
    calls = f.fake.calls("chat.postMessage", ok=True)
    return [c for c in calls if c.args["channel"] == user and words in c.args.get("text", "")][-1]


def _requests(f: Fortnight) -> None:
    ask = f.at(ANA, 1, "10:00")
    f.do(
        ask,
        f"{f.moment(ask, ANA)} · @ana: /feedback request @ben @cy [about the Q3 onboarding calls]",
        _cmd(
            f, ANA, "/feedback", "request <@U0BEN|ben> <@U0CY|cy> [about the Q3 onboarding calls]"
        ),
        f.more("response_url"),
    )
    request = _latest_dm(f, BEN, "would value your feedback")
    f.clock.set(f.at(BEN, 1, "17:00"))
    f.scene.title(f"{f.moment(f.clock(), BEN)} · @ben answers")
    f.press(BEN, request, button_of(request, action_id="feedback_answer"), f.more("views.open"))
    form = view_of(f.fake.calls("views.open", ok=True)[-1])
    vague = _feedback_form("The onboarding calls", "Good job", "Nice", "")
    f.scene.say('@ben writes "Good job" and "Nice", and presses Send')
    nudge = f.slack.view_submission(BEN, form, vague).json() or {}
    blocks = nudge.get("view", {}).get("blocks", [])
    text = blocks[0]["text"]["text"] if blocks and blocks[0].get("type") == "section" else ""
    f.scene.say("Bravo nudges, and the form stays open with what he wrote:")
    for line in text.splitlines():
        f.scene.say("    " + line.replace("*", "").replace("_", ""))
    specific = _feedback_form(
        "Thursday's onboarding call with Northwind",
        "You let the customer explain their old process fully before showing ours",
        "They felt heard, and asked for the advanced training themselves",
        "Send the agenda the day before so they can bring the right people",
    )
    f.scene.say("@ben makes it specific and presses Send")
    f.slack.view_submission(BEN, nudge.get("view", form), specific)
    f.deliver()
    f.scene.show()
    answer = _latest_dm(f, ANA, "sent you feedback")
    f.clock.set(f.at(ANA, 2, "09:00"))
    f.scene.title(f"{f.moment(f.clock(), ANA)} · @ana reads it")
    f.press(ANA, answer, button_of(answer, action_id="feedback_thank"), f.more("response_url"))
    f.press(ANA, answer, button_of(answer, action_id="feedback_goal"), f.more("views.open"))
    f.scene.say("(the goal form opens with the suggestion as the plan; @ana closes it for now)")
    _given_for_the_coach_too(f)
    _reminded_read_and_closed(f)


def _given_for_the_coach_too(f: Fortnight) -> None:
    given = f.at(DEE, 2, "15:00")
    f.do(
        given,
        f"{f.moment(given, DEE)} · @dee: /feedback @ana (shared with her coach, @ben)",
        _cmd(f, DEE, "/feedback", "<@U0ANA|ana>"),
        f.more("views.open"),
        brief=True,
    )
    form = view_of(f.fake.calls("views.open", ok=True)[-1])
    f.do(
        given + timedelta(minutes=4),
        "@dee fills it in and presses Send",
        lambda: f.slack.view_submission(
            DEE,
            form,
            _feedback_form(
                "Monday's outage bridge",
                "You posted a plain-language status for customers every 30 minutes",
                "Support had something to send, and tickets about the outage halved",
                "",
                skill="communication",
                visibility="coach",
                recipient=ANA,
            ),
        ),
    )


def _reminded_read_and_closed(f: Fortnight) -> None:
    remind = BY_NAME["feedback_requests"].next_due(f.deps, f.clock())
    assert remind is not None
    _job(f, remind, "two working days on, @cy's reminder (run twice, sent once)", CY)
    _job(f, remind, "", CY)
    inbox = f.at(ANA, 4, "12:00")
    f.do(
        inbox,
        f"{f.moment(inbox, ANA)} · @ana: /feedback inbox",
        _cmd(f, ANA, "/feedback", "inbox"),
        f.more("response_url"),
    )
    _job(f, f.at(ANA, 8, "10:00"), "a week on: @cy's request closes")


def _job(f: Fortnight, at: datetime, title: str, user: str = ANA) -> None:
    f.clock.set(at)
    if title:
        f.scene.title(f"{f.moment(at, user)} · feedback_requests: {title}")
    counts = BY_NAME["feedback_requests"].run(f.deps, at)
    f.deliver()
    done = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "nothing due"
    print(f"    (feedback_requests as of {at.isoformat()}: {done})")
    f.scene.show(empty=None)


def _customer(f: Fortnight) -> None:
    at = f.at(DEE, 8, "16:00")
    f.clock.set(at)
    email = f.fake.add_message(
        CHANNEL,
        DEE,
        "Fwd from a customer: Cy sorted out our billing mess in one call and explained every "
        "step. Best support we've had!",
    )
    f.scene.title(f"{f.moment(at, DEE)} · @dee: Log customer feedback, on a pasted email")
    views = f.more("views.open")
    f.slack.message_shortcut(DEE, "log_customer_feedback", channel_id=CHANNEL, message=email)
    f.scene.wait(views)
    f.scene.show(brief=True)
    form = view_of(f.fake.calls("views.open", ok=True)[-1])
    text = next(b for b in form["blocks"] if b["block_id"] == "cf_text")["element"]
    values = inputs(
        cf_teammate=("users_select", "selected_user", CY),
        cf_kind=("radio_buttons", "selected_option", {"value": "praise"}),
        cf_rating=("static_select", "selected_option", {"value": "5"}),
        cf_source=("static_select", "selected_option", {"value": "email"}),
        cf_text=("plain_text_input", "value", text.get("initial_value", "")),
    )
    f.do(
        at + timedelta(minutes=2),
        "@dee picks @cy, praise, 5 stars, by email, and presses Save",
        lambda: f.slack.view_submission(DEE, form, values),
    )
    logged = _latest_dm(f, DEE, "Logged customer praise")
    f.press(
        DEE,
        logged,
        button_of(logged, action_id="customer_kudos"),
        f.more("response_url"),
    )


def _suggestions(f: Fortnight) -> None:
    at = f.at(DEE, 8, "16:30")
    f.do(
        at,
        f"{f.moment(at, DEE)} · @dee (admin), in #suggestions: /suggest setup",
        _cmd(f, DEE, "/suggest", "setup", IDEAS),
        f.more("response_url"),
    )
    idea = "Quiet hours on Friday afternoons, so we can finish tickets without pings"
    f.do(
        at + timedelta(hours=1),
        f"@cy, anywhere: /suggest {idea}",
        _cmd(f, CY, "/suggest", idea),
        f.more("response_url"),
    )
    warning = f.fake.calls("response_url", ok=True)[-1]
    button = next(b for b in warning.args["blocks"] if b["type"] == "actions")["elements"][0]
    f.scene.say("@cy presses [Post anonymously]")
    f.clock.set(at + timedelta(hours=1, minutes=1))
    f.slack.block_action(CY, button["action_id"], button["value"], channel_id=CHANNEL)
    f.scene.wait(f.more("response_url"))
    f.deliver()
    f.scene.show()
    post = _latest_dm(f, IDEAS, "New anonymous suggestion")
    done_at = f.at(DEE, 9, "16:00")
    f.clock.set(done_at)
    f.scene.title(f"{f.moment(done_at, DEE)} · @dee marks it done")
    f.press(DEE, post, button_of(post, action_id="suggestion_done"), f.more("views.open"))
    form = view_of(f.fake.calls("views.open", ok=True)[-1])
    note = "Fridays 14:00-17:00 are now focus time; the on-call rota covers urgent pings"
    f.scene.say(f'@dee writes "{note}" and presses Mark done')
    f.slack.view_submission(DEE, form, inputs(done_note=("plain_text_input", "value", note)))
    f.deliver()
    f.scene.show()
    day = done_at.date()
    with f.deps.db.read() as session:
        done = suggestions.done_between(
            session, team_id=TEAM, since=day - timedelta(days=6), until=day + timedelta(days=1)
        )
    f.scene.title('"You said, we did", as the weekly shout-out will read it (done_between)')
    for item in done:
        print(f"    You said: {item.suggestion}\n    We did: {item.what_we_did}")
