"""The one-on-one scene plays on its own (no earlier scene paired a coach): the prep note and the
notes reach @ben and @ana and nobody else, @ana's topic reaches @ben's prep, her action item
becomes her goal, and @cy is refused the prep."""

from __future__ import annotations

import contextlib
import io
import json

from bot.demo.oneonone import HERS, HIS, NOTES, TOPIC
from bot.demo.play import run_demo
from bot.demo.stage import ANA, BEN, CY, TEAM
from bot.sandbox.server import Call, FakeSlack
from handlers.app import build_app


def _carrying(calls: list[Call], words: str) -> set[tuple[str, str]]:
    """(method, whom) of the calls that carry ``words``: a DM's channel, else the person."""
    return {
        (c.method, str(c.args.get("channel") or c.context.get("user")))
        for c in calls
        if words in json.dumps(c.args)
    }


def test_the_one_on_one_scene_plays_on_its_own() -> None:
    fake = FakeSlack(team_id=TEAM, bot_user_id="UBRAVO")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = run_demo(build_app, fake=fake, parts=("oneonone",))
    printed = out.getvalue()
    assert code == 0, printed
    calls = [c for c in fake.calls() if c.ok and c.method != "views.open"]

    # The prep job: the note to @ben, the ask for topics to @ana, each once.
    preps = [c for c in calls if "One-on-one prep" in json.dumps(c.args)]
    assert [c.args["channel"] for c in preps] == [BEN, BEN]  # the job's, then /coach prep's
    assert "Suggested talking points · Their topics" in printed
    # @ana's topic is in @ben's second prep and in no message to anyone else.
    assert _carrying(calls, TOPIC) == {("chat.postMessage", BEN)}
    assert "'Their topics' now says:\n      • " + TOPIC in printed

    # The notes: a DM to @ana and her own /coach 1on1 notes; never @cy or anyone else.
    assert _carrying(calls, NOTES) == {("chat.postMessage", ANA), ("response_url", ANA)}
    assert "only @ana sees  Bravo: *Notes of the one-on-one between @ben and @ana" in printed
    # Her item proposed to her (and made her goal); his follow-up to him.
    assert ("chat.postMessage", ANA) in _carrying(calls, HERS)
    assert "Goal set. You and your coach @ben can see it." in printed
    assert _carrying(calls, HIS) == {("chat.postMessage", BEN), ("response_url", ANA)}

    # @cy is refused the prep, and was sent nothing of it.
    assert "only @cy sees  Bravo: Only @ana's coaches get a prep note" in printed
    assert not [c for c in calls if c.args.get("channel") == CY]
