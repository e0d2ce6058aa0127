"""The practice and skill profile scenes play on their own (no earlier scene paired a coach):
@ana's reply reaches @cy and nobody else, @cy's rating reaches @ana, her profile counts the
round, her coach opens it once she shares it, and nobody else can."""

from __future__ import annotations

import contextlib
import io
import json

from bot.demo.play import run_demo
from bot.demo.practice import RATER_NOTE, REPLY
from bot.demo.stage import ANA, CY, TEAM
from bot.sandbox.server import FakeSlack
from handlers.app import build_app

# A stretch of the reply the transcript shows unwrapped and the payloads carry as typed.
SAID = "you're right to be upset"


def test_practice_and_profile_scenes_play_on_their_own() -> None:
    fake = FakeSlack(team_id=TEAM, bot_user_id="UBRAVO")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = run_demo(build_app, fake=fake, parts=("practice", "profile"))
    printed = out.getvalue()
    assert code == 0, printed
    assert SAID in REPLY

    # The reply went to @ana (her summary) and to @cy (asked to rate): in DMs, and nowhere else.
    calls = [c for c in fake.calls() if c.ok]
    carrying = {(c.method, c.args.get("channel")) for c in calls if SAID in json.dumps(c.args)}
    posted = {where for method, where in carrying if method == "chat.postMessage"}
    assert posted == {CY}  # the summary to @ana shows her ticks, not the reply again
    assert not any(m == "response_url" for m, _ in carrying)  # nobody's ephemeral answer has it
    # ...and @cy's DM redrawn once she rated (its buttons gone): still only DMs, no channel.
    assert all(m in ("chat.postMessage", "views.open", "chat.update") for m, _ in carrying)
    assert not any(str(where).startswith("C") for _, where in carrying)
    # @dee's forged click was refused, and opened nothing.
    assert "only @dee sees  Bravo: Only the people who were asked to rate" in printed
    assert "@dee sees a modal" not in printed

    rated = [
        c
        for c in fake.calls("chat.postMessage", ok=True)
        if "rated your practice reply" in c.args.get("text", "") + json.dumps(c.args["blocks"])
    ]
    assert [c.args["channel"] for c in rated] == [ANA]
    assert RATER_NOTE[:30] in json.dumps(rated[0].args["blocks"])
    assert "DM to @ana  Bravo: :memo: @cy rated your practice reply to *" in printed

    # The profile: practice counted, shared on the toggle, the coach's modal, @cy refused.
    assert "@ben offers to coach @ana" in printed  # no earlier scene paired them
    assert (
        "*#empathy* :arrow_right: steady · kudos 0 (before 0) · practice 1 (before 0), 1 rated"
        in printed
    )
    assert "Only you see this." in printed and "Your coaches see this too" in printed
    assert "@ana shares their skill profile [Skill profile]" in printed
    opened = {
        json.dumps(c.args["view"]): c.context.get("user")
        for c in fake.calls("views.open", ok=True)
        if "skill profile" in json.dumps(c.args["view"])
    }
    [(coach, _)] = [(v, u) for v, u in opened.items() if "shared with their coaches" in v]
    assert "practice 1 (before 0), 1 rated" in coach
    [(refused, _)] = [(v, u) for v, u in opened.items() if "shared with their coaches" not in v]
    assert "#empathy" not in refused and "practice 1" not in refused
    assert '@ben sees a modal "Skill profile"' in printed and '@cy sees a modal "Bravo"' in printed
