"""The demo's one-on-one scene: @ben, who coaches @ana, sets a weekly one-on-one; three hours
before it the prep job sends him the prep note and asks @ana for topics; she adds one; after the
meeting he writes notes with two action items (one proposed to her as a goal, one his own
follow-up); she makes hers a goal; @cy cannot get the prep; the notes reach @ana on request.
Played on a Bravo in this process whose clock is the story's (the job runs at the meeting's hour
less three), its messages delivered as of that clock."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlmodel import select

from bot.demo.profile import _coached, _pair, story_now
from bot.demo.stage import (
    ANA,
    BEN,
    CHANNEL,
    CY,
    SECRET,
    TEAM,
    Scene,
    SimClock,
    as_message,
    bravo_on,
    button_of,
    one_line_each,
    view_of,
)
from bot.deps import Deps, make_delivery_client
from bot.goals import ids as goal_ids
from bot.oneonones import ids
from bot.oneonones.jobs import run_preps
from bot.outbox.deliverer import Deliverer
from bot.outbox.sender import SlackSender
from bot.sandbox.server import Call
from bot.sandbox.signing import SlackRequester
from bot.sandbox.transcript import blocks_to_text, render_transcript
from storage.models.oneonones import OneOnOne

TOPIC = "How do I get onto the escalations rota?"
NOTES = "Good month: calmer on escalations. Next: summarise before solving."
HERS = "Shadow @cy on two escalation calls"
HIS = "Find a de-escalation course for @ana"


class _Play:
    def __init__(self, scene: Scene, deps: Deps, clock: SimClock, slack: SlackRequester) -> None:
        self.scene, self.deps, self.clock, self.slack = scene, deps, clock, slack

    def deliver(self) -> None:
        """Send what is queued as of the story's clock (it may lie ahead of the wall clock)."""
        self.scene.settle()
        sender = SlackSender(make_delivery_client(self.deps.settings))
        deliverer = Deliverer(self.deps.db, sender, clock=self.clock)
        try:
            deliverer.drain()
        finally:
            deliverer.stop()

    def step(self, title: str, act: Callable[[], object], *, brief: bool = True) -> None:
        """Play ``act``, deliver what it queued and print what people saw; ``act`` may return
        the title a submitted modal changed to (Slack shows it without an API call)."""
        self.scene.title(title)
        became = act()
        self.deliver()
        self.scene.show(brief=brief)
        if isinstance(became, str) and became:
            self.scene.say(f'    ...and the modal changes to "{became}"')

    def coach(self, who: str, text: str) -> None:
        replied = self.scene.more("response_url")
        self.slack.slash_command(who, "/coach", text, channel_id=CHANNEL)
        self.scene.wait(replied)

    def dm(self, to: str, words: str) -> Call:
        posts = self.scene.fake.calls("chat.postMessage", ok=True)
        return [c for c in posts if c.args.get("channel") == to and words in _text(c)][-1]

    def click(self, who: str, post: Call, action_id: str) -> dict[str, Any]:
        """``who`` presses the button of ``post``: the modal it opened."""
        opened = self.scene.more("views.open")
        self.slack.block_action(
            who,
            action_id,
            button_of(post, action_id=action_id).get("value"),
            channel_id=str(post.response["channel"]),
            message=as_message(post),
        )
        self.scene.wait(opened)
        return view_of(self.scene.fake.calls("views.open", ok=True)[-1])

    def submit(self, who: str, view: dict[str, Any], values: dict[str, Any]) -> str:
        """The form sent; the title of what the modal became, or its errors."""
        reply = self.slack.view_submission(who, view, values).json() or {}
        if reply.get("response_action") == "errors":
            raise RuntimeError(f"the form was not accepted: {reply.get('errors')}")
        return str(((reply.get("view") or {}).get("title") or {}).get("text", ""))


def _text(call: Call) -> str:
    return str(call.args.get("text", "")) + str(call.args.get("blocks", ""))


def _lines(scene: Scene, post: Call) -> list[str]:
    return blocks_to_text(post.args["blocks"], scene.names, scene.channels).splitlines()


def _is_heading(line: str) -> bool:
    return line.startswith("*") and line.endswith("*") and len(line) > 2


def _section(scene: Scene, post: Call, title: str) -> list[str]:
    """A section of the prep note: the lines under its heading, to the next heading."""
    lines = _lines(scene, post)
    start = lines.index(f"*{title}*") + 1
    end = next((n for n in range(start, len(lines)) if _is_heading(lines[n])), len(lines))
    return lines[start:end]


def _field(kind: str, key: str, value: Any) -> dict[str, Any]:
    """A modal block's state: its one input element (action id "input")."""
    return {goal_ids.INPUT: {"type": kind, key: value}}


def notes_values() -> dict[str, Any]:
    """The notes modal as @ben submits it: notes, one item for @ana, one for himself."""
    values = {ids.NOTES_BLOCK: _field("plain_text_input", "value", NOTES)}
    for n, (text, owner) in enumerate(((HERS, "coachee"), (HIS, "coach"))):
        values[f"{ids.ITEM_BLOCK}{n}"] = _field("plain_text_input", "value", text)
        values[f"{ids.ITEM_OWNER_BLOCK}{n}"] = _field(
            "static_select", "selected_option", {"value": owner}
        )
    return values


def goal_values(target: str) -> dict[str, Any]:
    """The goal modal as @ana saves it: what the item said, the rest filled in by her."""
    return {
        goal_ids.WHAT: _field("plain_text_input", "value", HERS),
        goal_ids.MEASURE: _field("plain_text_input", "value", "Two calls shadowed, a lesson noted"),
        goal_ids.SKILL: _field("static_select", "selected_option", {"value": "empathy"}),
        goal_ids.TARGET: _field("datepicker", "selected_date", target),
        goal_ids.CADENCE: _field("static_select", "selected_option", {"value": "weekly"}),
        goal_ids.DAY: _field("static_select", "selected_option", {"value": "0"}),
        goal_ids.TIME: _field("timepicker", "selected_time", "09:30"),
        goal_ids.VISIBILITY: _field("radio_buttons", "selected_option", {"value": "coach"}),
    }


def play_oneonone(scene: Scene, slack: SlackRequester, env: dict[str, str]) -> None:
    """``slack``: signed requests to Bravo's server process (for the pairing, when no earlier
    scene made one); ``env``: the demo's, for a Bravo in this process on the story's clock."""
    print(
        "\n━━ A one-on-one, prepared and noted ━━\n"
        "Only the coach and the coachee see its prep, topics and notes."
    )
    if not _coached(scene):
        _pair(scene, slack)
    clock = SimClock(story_now(scene))
    with bravo_on(scene, clock, env) as (deps, url):
        play = _Play(scene, deps, clock, SlackRequester(url, SECRET, team_id=TEAM, fake=scene.fake))
        _scenes(play)


def _scenes(play: _Play) -> None:
    scene, clock = play.scene, play.clock
    play.step(
        "@ben sets a weekly one-on-one: /coach 1on1 @ana every tuesday 14:00",
        lambda: play.coach(BEN, f"1on1 <@{ANA}|ana> every tuesday 14:00"),
    )
    with play.deps.db.read() as session:
        row = session.exec(
            select(OneOnOne).where(OneOnOne.coach_id == BEN, OneOnOne.coachee_id == ANA)
        ).one()
        meeting = row.next_at
    if meeting is None:
        raise RuntimeError("the one-on-one was not set")
    meeting = meeting.replace(tzinfo=clock().tzinfo)  # SQLite gives it back naive (UTC)
    clock.set(max(meeting - timedelta(hours=3), clock()))
    scene.title(f"{clock():%a %H:%M} UTC, three hours before: the prep job runs")
    run_preps(play.deps, clock())
    play.deliver()
    prep = play.dm(BEN, "One-on-one prep")
    headings = [line.strip("*") for line in _lines(scene, prep) if _is_heading(line)]
    scene.say("DM to @ben  Bravo: the prep note, in sections:")
    for line in textwrap.wrap(" · ".join(headings[1:]), width=96):
        scene.say("    " + line)
    ask = play.dm(ANA, "Add a topic")
    for line in one_line_each(render_transcript([ask], scene.names, scene.channels).splitlines()):
        scene.say(line)
    scene.seen = len(scene.fake.calls())
    topic = {ids.TOPIC_BLOCK: _field("plain_text_input", "value", TOPIC)}
    play.step(
        f'@ana presses [Add a topic] and adds "{TOPIC}"',
        lambda: play.submit(ANA, play.click(ANA, ask, ids.ADD_TOPIC), topic),
    )
    scene.title("@ben asks for it again: /coach prep @ana")
    play.coach(BEN, f"prep <@{ANA}|ana>")
    play.deliver()
    scene.say("DM to @ben  Bravo: the prep note's 'Their topics' now says:")
    for line in _section(scene, play.dm(BEN, "One-on-one prep"), "Their topics"):
        scene.say("    " + line)
    scene.seen = len(scene.fake.calls())
    clock.set(meeting + timedelta(hours=1))
    play.step(
        f"{clock():%a %H:%M} UTC, after the meeting: @ben presses [Add notes] on the prep note, "
        "writes notes and two action items",
        lambda: play.submit(BEN, play.click(BEN, prep, ids.ADD_NOTES), notes_values()),
    )
    proposed = play.dm(ANA, "Make it my goal")
    target = f"{clock() + timedelta(days=60):%Y-%m-%d}"
    play.step(
        "@ana presses [Make it my goal] and saves the goal it prefilled",
        lambda: play.submit(ANA, play.click(ANA, proposed, ids.MAKE_GOAL), goal_values(target)),
    )
    play.step(
        "@cy, who does not coach @ana, tries /coach prep @ana",
        lambda: play.coach(CY, f"prep <@{ANA}|ana>"),
    )
    play.step(
        "@ana reads the notes: /coach 1on1 @ben notes",
        lambda: play.coach(ANA, f"1on1 <@{BEN}|ben> notes"),
        brief=False,
    )
