"""`make demo`: Bravo against the local Slack sandbox, played as signed requests, with a transcript
of what each person would see. Fully offline.

Part one, kudos: Bravo runs as its HTTP server process (``bravo run --http``).

Part two, a simulated fortnight of goals, check-ins and coaching. Two weeks cannot pass on the wall
clock, so a second Bravo (the same app on the same database) runs in this process on a simulated
clock that jumps from one due time to the next; at each, the job that fell due runs as of that
time, exactly as ``bravo jobs run NAME --at TIME`` does (and once through that very command). The
demo holds the scheduler's leader lock, so the server process runs no job on the wall clock.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from zoneinfo import ZoneInfo

from bot.cadence import local_time, parse_hhmm
from bot.demo import shoutouts as shoutouts_demo
from bot.deps import Deps, build_deps, make_delivery_client
from bot.outbox.deliverer import Deliverer
from bot.outbox.sender import SlackSender
from bot.sandbox.server import Call, FakeSlack
from bot.sandbox.signing import SlackRequester
from bot.sandbox.transcript import render_transcript
from bot.scheduling.registry import BY_NAME
from bot.scheduling.scheduler import leadership_for
from bot.settings import load_settings
from bot.web import make_wsgi
from handlers.app import build_app
from storage import coaching as pairings
from storage import goals as goal_store
from storage.db import Database
from storage.models import Goal

SECRET = "demo-signing-secret"
TEAM = "T0SANDBOX"
CHANNEL = "C0TEAM"
PEOPLE = {
    "U0ANA": ("ana", "America/New_York"),
    "U0BEN": ("ben", "Europe/Berlin"),
    "U0CY": ("cy", "Asia/Tokyo"),
    "U0DEE": ("dee", "Europe/London"),
}
ANA, BEN, CY, DEE = PEOPLE


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("Bravo exited during start-up; see the log above")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("Bravo did not become healthy in time")


class Scene:
    """Plays one step and prints what people saw because of it."""

    def __init__(self, fake: FakeSlack) -> None:
        self.fake = fake
        self.seen = 0
        self.names = {uid: name for uid, (name, _) in PEOPLE.items()}
        self.channels = {CHANNEL: "team-wins"}

    def step(self, title: str, act: Callable[[], Any], until: Callable[[], bool]) -> None:
        self.title(title)
        act()
        self.wait(until)
        time.sleep(0.3)  # let the delivery thread finish what this step queued
        self.show()

    def title(self, text: str) -> None:
        print(f"\n▶ {text}")

    def say(self, text: str) -> None:
        """What someone does within a step."""
        print(f"  {text}")

    def wait(self, until: Callable[[], bool], timeout: float = 10) -> None:
        deadline = time.time() + timeout
        while not until() and time.time() < deadline:
            time.sleep(0.02)

    def show(self, *, brief: bool = False, empty: str | None = "(nothing visible)") -> None:
        """What people saw since the last look; ``brief``: one line for each thing seen."""
        calls = self.fake.calls()
        text = render_transcript(calls[self.seen :], self.names, self.channels)
        self.seen = len(calls)
        lines = _one_line_each(text.splitlines()) if brief else text.splitlines()
        for line in lines or ([empty] if empty else []):
            print("    " + line)

    def count(self, method: str) -> Callable[[int], Callable[[], bool]]:
        def at_least(n: int) -> Callable[[], bool]:
            return lambda: len(self.fake.calls(method, ok=True)) >= n

        return at_least


def _one_line_each(lines: list[str], width: int = 150) -> list[str]:
    """A transcript with each message folded onto one line (its continuation lines are the
    indented ones) and each modal shown by its title, clipped to ``width``."""
    folded: list[str] = []
    for line in lines:
        if not line.startswith(" ") or not folded:
            folded.append(line)
        elif "Bravo: " in folded[-1]:  # a message; a modal's fields are left out
            folded[-1] += " · " + line.strip()
    return [f if len(f) <= width else f[: width - 1] + "…" for f in folded]


def _env(fake: FakeSlack, workdir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "BRAVO_ENV_FILE": os.devnull,  # the demo ignores a developer's .env
        "SLACK_BOT_TOKEN": "xoxb-sandbox",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_APP_TOKEN": "",
        "SLACK_API_URL": fake.base_url,
        "DATABASE_URL": f"sqlite:///{workdir / 'bravo.db'}",
        "LOG_LEVEL": "WARNING",
    }


def run_demo(keep: bool = False, *, fake: FakeSlack | None = None) -> int:
    """Play both parts; 0 when Slack refused nothing. ``fake``: a sandbox to play against (a test
    reads what was sent from it afterwards)."""
    workdir = Path(tempfile.mkdtemp(prefix="bravo-demo-"))
    fake = fake or FakeSlack(team_id=TEAM, bot_user_id="UBRAVO")
    fake.start()
    fake.add_user("UBRAVO", "bravo", is_bot=True)
    for uid, (name, tz) in PEOPLE.items():
        fake.add_user(uid, name, tz=tz)
    fake.add_channel(CHANNEL, "team-wins", members=("UBRAVO", *PEOPLE))
    fake.add_usergroup("S0SUPPORT", "support", ("U0BEN", "U0CY", "U0DEE"))
    port = _free_port()
    env = _env(fake, workdir)
    # The fortnight's jobs run on simulated time only: holding the leader lock keeps the server's
    # own scheduler (on the wall clock) a follower that runs nothing.
    leader = leadership_for(env["DATABASE_URL"])
    leader.acquire()
    cmd = [
        sys.executable,
        "-m",
        "bot",
        "run",
        "--http",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--threads",
        "8",
    ]
    proc = subprocess.Popen(cmd, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
        print(
            f"Bravo is running at {url}/slack/events against the Slack sandbox at "
            f"{fake.base_url} (SQLite: {workdir / 'bravo.db'})."
        )
        print(
            "The team: @ana (New York), @ben (Berlin), @cy (Tokyo), @dee (London), in #team-wins."
        )
        scene = Scene(fake)
        _play(scene, SlackRequester(url + "/slack/events", SECRET, team_id=TEAM, fake=fake))
        _fortnight(scene, env)
        from bot.demo.feedback import play_feedback

        play_feedback(scene, env)
        failed = [c for c in fake.calls() if not c.ok and c.method != "users.info"]
        print(f"\nDone: {len(fake.calls())} Slack API calls, {len(failed)} refused by Slack.")
        return 0 if not failed else 1
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        leader.release()
        fake.stop()
        if keep:
            print(f"Demo database kept at {workdir / 'bravo.db'}")
        else:
            for path in sorted(workdir.glob("*"), reverse=True):
                path.unlink()
            workdir.rmdir()


def _play(scene: Scene, slack: SlackRequester) -> None:
    responses = scene.count("response_url")
    posts = scene.count("chat.postMessage")
    views = scene.count("views.open")

    def cmd(user: str, text: str) -> Callable[[], Any]:
        return lambda: slack.slash_command(user, "/kudos", text, channel_id=CHANNEL)

    scene.step(
        "@ana types: /kudos @ben @cy for calming an angry caller #empathy",
        cmd("U0ANA", "<@U0BEN|ben> <@U0CY|cy> for calming an angry caller #empathy"),
        posts(5),
    )
    scene.step(
        "@ben tries: /kudos @ben for being awesome",
        cmd("U0BEN", "<@U0BEN|ben> for being awesome"),
        responses(2),
    )
    scene.step(
        "@ben types: /kudos @dee for <!channel> ... (a broadcast in a reason pings nobody)",
        cmd("U0BEN", "<@U0DEE|dee> for the <!channel> heads-up about the outage #communication"),
        posts(8),
    )

    def open_modal() -> None:
        slack.slash_command("U0CY", "/kudos", "", channel_id=CHANNEL)

    scene.step("@cy types /kudos with no text: the form opens", open_modal, views(1))
    view = scene.fake.calls("views.open", ok=True)[-1].args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    values = {
        "kudos_recipients": {
            "recipients": {"type": "multi_users_select", "selected_users": ["U0DEE"]}
        },
        "kudos_value": {
            "value": {"type": "static_select", "selected_option": {"value": "personalization"}}
        },
        "kudos_reason": {
            "reason": {
                "type": "plain_text_input",
                "value": "Remembered the customer's daughter's name",
            }
        },
        "kudos_channel": {
            "channel": {"type": "conversations_select", "selected_conversation": CHANNEL}
        },
    }
    scene.step(
        "@cy fills in the form and presses Send kudos",
        lambda: slack.view_submission("U0CY", view, values),
        scene.count("chat.postEphemeral")(1),
    )

    msg = scene.fake.add_message(CHANNEL, "U0BEN", "I wrote up the refund steps in the wiki")
    event = {
        "type": "reaction_added",
        "user": "U0DEE",
        "reaction": "clap",
        "item_user": "U0BEN",
        "item": {"type": "message", "channel": CHANNEL, "ts": msg["ts"]},
        "event_ts": str(time.time()),
    }
    scene.step(
        "@dee reacts :clap: to @ben's message (and Slack delivers the event twice)",
        lambda: (
            slack.event(event, event_id="Ev0DEMO1"),
            slack.event(event, event_id="Ev0DEMO1", retry_num=1, retry_reason="http_timeout"),
        ),
        posts(12),
    )
    scene.step(
        "@ben thanks the whole @support group: /kudos @support for covering the phones",
        cmd("U0BEN", "<!subteam^S0SUPPORT|@support> for covering the phones #professionalism"),
        responses(3),
    )
    scene.step(
        "@ana gives @ben kudos for the wrong thing...",
        cmd("U0ANA", "<@U0BEN|ben> for fixing the printer"),
        responses(4),
    )
    undo = scene.fake.calls("response_url", ok=True)[-1].args
    batch = next(
        e["value"] for b in undo["blocks"] if b["type"] == "actions" for e in b["elements"]
    )
    scene.step(
        "...and presses Undo within 10 minutes",
        lambda: slack.block_action("U0ANA", "kudos_undo", batch, channel_id=CHANNEL),
        scene.count("chat.update")(2),
    )
    scene.step("@ana: /kudos leaderboard", cmd("U0ANA", "leaderboard"), responses(6))
    scene.step("@ben: /kudos stats", cmd("U0BEN", "stats"), responses(7))


# Part two: a simulated fortnight -------------------------------------------------------------

GOAL_JOBS = ("checkins", "reminders", "coach_digests")
JOB_TITLES = {
    "checkins": "check-in prompts",
    "reminders": "reminders",
    "coach_digests": "coach digests",
}
# What each person does with their n-th check-in prompt (after the plan: On track).
PLANS = {ANA: ("on_track", "note", "ignore", "blocked", "on_track", "done")}


def _city(user: str) -> str:
    return PEOPLE[user][1].split("/")[-1].replace("_", " ")


def _zone(user: str) -> ZoneInfo:
    return ZoneInfo(PEOPLE[user][1])


def _view(call: Call) -> dict[str, Any]:
    view = call.args["view"]
    return json.loads(view) if isinstance(view, str) else dict(view)


def _as_message(post: Call) -> dict[str, Any]:
    """A posted message as Slack sends it back with a click on one of its buttons."""
    return {
        "type": "message",
        "ts": post.response["ts"],
        "text": post.args.get("text", ""),
        "blocks": post.args.get("blocks", []),
    }


def _button(
    post: Call, *, action_id: str | None = None, value: str | None = None
) -> dict[str, Any]:
    """The message's button with this action_id or value, as the person sees it."""
    blocks = post.args.get("blocks", [])
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    for block in blocks:
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if element.get("type") == "button" and (
                (action_id is not None and element.get("action_id") == action_id)
                or (value is not None and element.get("value") == value)
            ):
                return dict(element)
    raise LookupError(f"no button {action_id or value!r} in {post.args.get('text')!r}")


def _inputs(**fields: tuple[str, str, Any]) -> dict[str, Any]:
    """view_submission state: block id -> the "input" element's (type, key, value)."""
    return {block: {"input": {"type": t, key: value}} for block, (t, key, value) in fields.items()}


def _is_prompt(args: dict[str, Any]) -> bool:
    return str(args.get("text", "")).startswith("Time to check in")


def _due_line(args: dict[str, Any]) -> str:
    """A prompt's "Due <when> your time" line."""
    blocks = args.get("blocks", [])
    for block in json.loads(blocks) if isinstance(blocks, str) else blocks:
        for element in block.get("elements", []) if block.get("type") == "context" else []:
            if str(element.get("text", "")).startswith("Due "):
                return str(element["text"])
    return ""


class SimClock:
    """Bravo's clock in the fortnight: set forward to each moment, never back."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def set(self, at: datetime) -> None:
        if at < self.at:
            raise ValueError(f"the simulated clock cannot go back from {self.at} to {at}")
        self.at = at


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def _bravo_on(clock: SimClock, env: dict[str, str]) -> Iterator[tuple[Deps, str]]:
    """Bravo's app (HTTP, signed requests) in this process, on the simulated clock."""
    settings = load_settings(env)
    db = Database.from_url(settings.database_url)
    deps = build_deps(settings, db, clock=clock)
    app = build_app(deps, http=True)
    server = make_server(
        "127.0.0.1", 0, make_wsgi(app, db), server_class=_Server, handler_class=_Quiet
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield deps, f"http://127.0.0.1:{server.server_port}/slack/events"
    finally:
        server.shutdown()
        server.server_close()
        app.listener_runner.listener_executor.shutdown(wait=True)
        deps.work.shutdown(wait=True)
        db.dispose()


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
        return local_time(self.day1 + timedelta(days=day - 1), parse_hhmm(hhmm) or 0, _zone(user))

    def moment(self, at: datetime, user: str) -> str:
        local = at.astimezone(_zone(user))
        day = (local.date() - self.day1).days + 1
        utc = at.astimezone(UTC)
        utc_text = f"{utc:%H:%M} UTC" if utc.date() == local.date() else f"{utc:%a %H:%M} UTC"
        when = "the Friday before" if day < 1 else f"Day {day}"
        return f"{when} · {local:%a %d %b}, {local:%H:%M} in {_city(user)} ({utc_text})"

    # Steps -----------------------------------------------------------------------------------

    def deliver(self) -> None:
        """Send what is queued as of the simulated time. A fresh deliverer each moment, as each
        ``bravo jobs run`` has: pacing counts real seconds, and moments here are hours apart."""
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
        return [c for c in calls if c.method == "chat.postMessage" and c.ok and _is_prompt(c.args)]

    def tally(self) -> str:
        """What the jobs sent over the fortnight, and whether any prompt went out twice."""
        sent = [c.args for c in self.fake.calls("chat.postMessage", ok=True)]
        prompts = Counter((a["channel"], _due_line(a)) for a in sent if _is_prompt(a))
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
        prompt_id = str(_button(post, action_id="checkin_answer")["value"]).split(":")[0]
        if what == "ignore":
            self.scene.say(f"(@{PEOPLE[user][0]} is on the phones all day and doesn't answer)")
        elif what == "note":
            self.add_note(user, post, _button(post, value=prompt_id))
        else:
            button = _button(post, value=f"{prompt_id}:{what}")
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
            message=_as_message(post),
        )
        self.scene.wait(until)
        self.deliver()
        self.scene.show(brief=brief)

    def add_note(self, user: str, post: Call, button: dict[str, Any]) -> None:
        self.press(user, post, button, self.more("views.open"))
        form = _view(self.fake.calls("views.open", ok=True)[-1])
        self.scene.say(
            f"@{PEOPLE[user][0]} picks At risk, writes down progress and a next step, "
            "and presses Save"
        )
        values = _inputs(
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
        self.slack.view_submission(user, _view(self.fake.calls("views.open", ok=True)[-1]), form)


def _today() -> date:
    return datetime.now(UTC).date()


def _fortnight(scene: Scene, env: dict[str, str]) -> None:
    today = _today()
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
    with _bravo_on(clock, env) as (deps, url):
        slack = SlackRequester(url, SECRET, team_id=TEAM, fake=scene.fake)
        f = Fortnight(scene, slack, deps, clock, env, day1=friday + timedelta(days=3))
        _goals_set(f)
        _week_one(f)
        _week_two(f)


def _goal_form(
    what: str, measure: str, skill: str, target: date, cadence: str, visibility: str
) -> dict[str, Any]:
    """The goal modal filled in: check-ins at 09:30, weekly ones on Mondays."""
    return _inputs(
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
        lambda: f.slack.view_submission(ANA, _view(f.fake.calls("views.open")[-1]), form),
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
        ANA, request[-1], _button(request[-1], action_id="coach_accept"), f.more("response_url")
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
    f.press(BEN, news[-1], _button(news[-1], action_id="coach_kudos"), f.more("views.open"))
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
    f.slack.view_submission(BEN, _view(f.fake.calls("views.open", ok=True)[-1]), kudos)
    f.deliver()
    f.scene.show()
    shoutouts_demo.week_two(f)  # the team's week, ending with its weekly shout-out
    end = datetime.combine(f.day1 + timedelta(days=14), datetime.min.time(), UTC)
    f.advance(end)
    f.scene.title("Sunday night: the fortnight is over")
    print("    " + f.tally())
