"""A simulated fortnight: moves the clock, runs the jobs that fall due, plays what people do."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.cadence import local_time, parse_hhmm
from bot.demo.stage import (
    ANA,
    CHANNEL,
    PEOPLE,
    Scene,
    SimClock,
    as_message,
    button_of,
    city,
    due_line,
    inputs,
    is_prompt,
    view_of,
    zone,
)
from bot.deps import Deps, make_delivery_client
from bot.goals.jobs import PREPARE_AHEAD, run_checkins
from bot.outbox.deliverer import Deliverer
from bot.outbox.sender import SlackSender
from bot.sandbox.server import Call
from bot.sandbox.signing import SlackRequester
from bot.scheduling.registry import BY_NAME
from storage import coaching as pairings
from storage import goals as goal_store
from storage.models import Goal

GOAL_JOBS = ("checkins", "reminders", "coach_digests")


JOB_TITLES = {
    "checkins": "check-in prompts",
    "reminders": "reminders",
    "coach_digests": "coach digests",
}


# What each person does with their n-th check-in prompt (after the plan: On track).
PLANS = {ANA: ("on_track", "note", "ignore", "blocked", "on_track", "done")}


class Fortnight:
    """Moves the simulated clock, runs the jobs that fall due, and plays what people do."""

    def __init__(
        self,
        scene: Scene,
        slack: SlackRequester,
        deps: Deps,
        clock: SimClock,
        env: dict[str, str],
        day1: date,
    ) -> None:
        self.scene, self.slack, self.deps, self.clock, self.env = scene, slack, deps, clock, env
        self.fake = scene.fake
        self.day1 = day1
        self.prompts: Counter[str] = Counter()

    # Time ------------------------------------------------------------------------------------

    def at(self, user: str, day: int, hhmm: str) -> datetime:
        """Day ``day`` (1: the first Monday) at ``hhmm``, ``user``'s local time."""
        return local_time(self.day1 + timedelta(days=day - 1), parse_hhmm(hhmm) or 0, zone(user))

    def moment(self, at: datetime, user: str) -> str:
        local = at.astimezone(zone(user))
        day = (local.date() - self.day1).days + 1
        utc = at.astimezone(UTC)
        utc_text = f"{utc:%H:%M} UTC" if utc.date() == local.date() else f"{utc:%a %H:%M} UTC"
        when = "the Friday before" if day < 1 else f"Day {day}"
        return f"{when} · {local:%a %d %b}, {local:%H:%M} in {city(user)} ({utc_text})"

    # Steps -----------------------------------------------------------------------------------

    def deliver(self) -> None:
        """Send what is queued as of the simulated time. A fresh deliverer each moment, as each
        ``bravo jobs run`` has: pacing counts real seconds, and moments here are hours apart."""
        self.scene.settle()  # the work a request set off after its ack has queued its messages
        settings = self.deps.settings
        deliverer = Deliverer(
            self.deps.db, SlackSender(make_delivery_client(settings)), clock=self.clock
        )
        try:
            deliverer.drain()
        finally:
            deliverer.stop()

    def do(
        self,
        at: datetime,
        title: str,
        act: Callable[[], Any],
        until: Callable[[], bool] | None = None,
        *,
        brief: bool = False,
    ) -> None:
        """Someone does something at ``at``: once its effect shows, deliver and print."""
        self.clock.set(at)
        self.scene.title(title)
        act()
        if until is not None:
            self.scene.wait(until)
        self.deliver()
        self.scene.show(brief=brief)

    def more(self, method: str) -> Callable[[], bool]:
        """True once the fake has one more successful ``method`` call than now."""
        n = len(self.fake.calls(method, ok=True))
        return lambda: len(self.fake.calls(method, ok=True)) > n

    def advance(self, to: datetime) -> None:
        """Run, in time order and each as of its due time, every goal job due up to ``to``."""
        ran: set[tuple[datetime, str]] = set()
        while True:
            due = []
            for name in GOAL_JOBS:
                nxt = BY_NAME[name].next_due(self.deps, self.clock())
                if nxt is not None and name == "checkins":
                    nxt += PREPARE_AHEAD  # the story runs it at the check-in time itself
                if nxt is not None and nxt <= to:
                    due.append((max(nxt, self.clock()), name))
            if not due:
                break
            at, name = min(due)
            if (at, name) in ran:
                raise RuntimeError(f"job {name} is still due at {at.isoformat()} after running")
            ran.add((at, name))
            self.job(name, at)
        self.clock.set(to)

    def _due_people(self, name: str, at: datetime) -> list[str]:
        with self.deps.db.read() as session:
            if name == "checkins":
                goals = [session.get(Goal, gid) for _, gid in goal_store.due_goals(session, at, 50)]
                return [g.owner_id for g in goals if g is not None]
            if name == "reminders":
                return [p.user_id for p in goal_store.prompts_to_remind(session, at, 50)]
            return [coach for _, coach in pairings.active_coaches(session)]

    def job(self, name: str, at: datetime, *, cli: bool = False, note: str = "") -> None:
        """One job as of ``at`` (in process, or ``cli``: ``bravo jobs run`` in a process of its
        own), what it sent, and what people did about the prompts."""
        self.clock.set(at)
        people = self._due_people(name, at)
        who = ", ".join("@" + PEOPLE[u][0] for u in people) or "nobody"
        lead = self.moment(at, people[0]) if people else f"{at:%a %d %b, %H:%M} UTC"
        self.scene.title(f"{lead} · {JOB_TITLES[name]}: {who}{note}")
        start = len(self.fake.calls())
        if cli:
            stamp = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            print(f"    $ bravo jobs run {name} --at {stamp}")
            print("    " + self.cli("jobs", "run", name, "--at", stamp).strip())
        else:
            if name == "checkins":  # as of the check-in time: nothing queued ahead of the story
                counts = run_checkins(self.deps, at, ahead=timedelta(0))
            else:
                counts = BY_NAME[name].run(self.deps, at)
            self.deliver()
            done = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "nothing due"
            print(f"    ({name} as of {at.isoformat()}: {done})")
        brief = name == "checkins" and ANA not in people
        self.scene.show(brief=brief, empty=None)
        for post in self._prompts_since(start):
            self.react(post, brief=brief)

    def cli(self, *args: str) -> str:
        """``bravo ARGS`` in a process of its own, with the server's settings; its output."""
        done = subprocess.run(
            [sys.executable, "-m", "bot", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"bravo {' '.join(args)} failed:\n{done.stderr}")
        return done.stdout

    def _prompts_since(self, start: int) -> list[Call]:
        calls = self.fake.calls()[start:]
        return [c for c in calls if c.method == "chat.postMessage" and c.ok and is_prompt(c.args)]

    def tally(self) -> str:
        """What the jobs sent over the fortnight, and whether any prompt went out twice."""
        sent = [c.args for c in self.fake.calls("chat.postMessage", ok=True)]
        prompts = Counter((a["channel"], due_line(a)) for a in sent if is_prompt(a))
        twice = sum(1 for n in prompts.values() if n > 1)
        reminders = sum(1 for a in sent if "gentle nudge" in a.get("text", ""))
        digests = sum(1 for a in sent if "coaching digest" in a.get("text", ""))
        return (
            f"Sent over the fortnight: {sum(prompts.values())} check-in prompts for "
            f"{len(prompts)} due times ({f'{twice} twice' if twice else 'none twice'}), "
            f"{reminders} reminder, {digests} coach digests."
        )

    # What people do --------------------------------------------------------------------------

    def react(self, post: Call, *, brief: bool) -> None:
        """The owner answers a prompt the way their plan says."""
        user = str(post.args["channel"])
        self.prompts[user] += 1
        plan = PLANS.get(user, ())
        n = self.prompts[user]
        what = plan[n - 1] if n <= len(plan) else "on_track"
        # The prompt's id, from its buttons' values ("<prompt id>:<status>").
        prompt_id = str(button_of(post, action_id="checkin_answer")["value"]).split(":")[0]
        if what == "ignore":
            self.scene.say(f"(@{PEOPLE[user][0]} is on the phones all day and doesn't answer)")
        elif what == "note":
            self.add_note(user, post, button_of(post, value=prompt_id))
        else:
            button = button_of(post, value=f"{prompt_id}:{what}")
            self.press(user, post, button, self.more("response_url"), brief=brief)

    def press(
        self,
        user: str,
        post: Call,
        button: dict[str, Any],
        until: Callable[[], bool],
        *,
        brief: bool = False,
    ) -> None:
        self.scene.say(f"@{PEOPLE[user][0]} presses [{button['text']['text']}]")
        self.slack.block_action(
            user,
            button["action_id"],
            button.get("value"),
            channel_id=str(post.response["channel"]),
            message=as_message(post),
        )
        self.scene.wait(until)
        self.deliver()
        self.scene.show(brief=brief)

    def add_note(self, user: str, post: Call, button: dict[str, Any]) -> None:
        self.press(user, post, button, self.more("views.open"))
        form = view_of(self.fake.calls("views.open", ok=True)[-1])
        self.scene.say(
            f"@{PEOPLE[user][0]} picks At risk, writes down progress and a next step, "
            "and presses Save"
        )
        values = inputs(
            status=("static_select", "selected_option", {"value": "at_risk"}),
            progress=(
                "plain_text_input",
                "value",
                "Summarised first on 3 of 5 calls; I skip it when the queue is long",
            ),
            next_step=("plain_text_input", "value", "Type the summary into the ticket first"),
        )
        self.slack.view_submission(user, form, values)
        self.deliver()
        self.scene.show()

    def set_goal(self, user: str, form: dict[str, Any]) -> None:
        views = self.more("views.open")
        self.slack.slash_command(user, "/goal", "", channel_id=CHANNEL)
        self.scene.wait(views)
        self.slack.view_submission(user, view_of(self.fake.calls("views.open", ok=True)[-1]), form)
