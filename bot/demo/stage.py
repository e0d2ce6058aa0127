"""The demo's stage: the people, the sandbox, a scene that prints what people saw, the simulated
clock and Bravo's app on it. Public, so every scene and the tests use the same pieces."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from zoneinfo import ZoneInfo

from slack_bolt import App
from sqlmodel import func, select

from bot.deps import Deps, build_deps
from bot.ratings.webhook import hook_routes
from bot.sandbox.server import Call, FakeSlack
from bot.sandbox.transcript import render_transcript
from bot.settings import load_settings
from bot.web import make_wsgi
from bot.work import WorkQueue
from storage.db import Database
from storage.models.outbox import OutboxRow, OutboxStatus

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

# Builds Bravo's Bolt app for the demo's in-process Bravo: given by the composition root, so the
# demo (in bot/) never imports the Slack edge (handlers/).
MakeApp = Callable[[Deps], App]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 30) -> None:
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


# The order a step's messages are shown in, the same every run whatever order they arrived in
# (the outbox sends on several threads): what the person who acted sees first, then posts (a
# channel's before DMs, each by where and what), then uploads, edits and reactions.
SHOWN_FIRST = {"views.open": 0, "views.push": 0, "views.update": 0, "response_url": 1}
SHOWN_FIRST |= {"chat.postEphemeral": 1, "chat.postMessage": 2, "chat.scheduleMessage": 2}
SHOWN_FIRST |= {"files.completeUploadExternal": 3, "chat.update": 4, "chat.delete": 4}


class Scene:
    """Plays one step and prints what people saw because of it."""

    def __init__(self, fake: FakeSlack, make_app: MakeApp, db: Database | None = None) -> None:
        self.fake = fake
        self.make_app = make_app  # Bravo's Bolt app for given Deps (the composition root's)
        self.db = db  # the demo's database: a step settles when its outbox has nothing due
        self.work: WorkQueue | None = None  # the in-process Bravo's work queue, while it runs
        self.seen = 0
        self.names = {uid: name for uid, (name, _) in PEOPLE.items()}
        self.channels = {CHANNEL: "team-wins"}

    def step(self, title: str, act: Callable[[], Any], until: Callable[[], bool]) -> None:
        self.title(title)
        act()
        self.wait(until)
        self.settle()
        self.show()

    def settle(self, timeout: float = 10) -> None:
        """Wait until what the step set off has reached Slack: the in-process Bravo's work queue
        idle, and nothing due left in the outbox (the server's delivery thread sends it), so no
        message of this step shows under the next one."""
        deadline = time.time() + timeout
        if self.work is not None:
            self.work.wait_idle(timeout)
        while self._outbox_due() and time.time() < deadline:
            time.sleep(0.02)

    def _outbox_due(self) -> bool:
        if self.db is None:
            return False
        due = (OutboxRow.status == OutboxStatus.PENDING) & (
            OutboxRow.next_attempt_at <= datetime.now(UTC)
        )
        with self.db.read() as session:
            return session.exec(select(func.count()).select_from(OutboxRow).where(due)).one() > 0

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
        new = [(call, render_transcript([call], self.names, self.channels)) for call in calls]
        shown = sorted(new[self.seen :], key=lambda it: (SHOWN_FIRST.get(it[0].method, 5), it[1]))
        text = "\n".join(t for _, t in shown if t)
        self.seen = len(calls)
        lines = one_line_each(text.splitlines()) if brief else text.splitlines()
        for line in lines or ([empty] if empty else []):
            print("    " + line)

    def more(self, method: str, n: int = 1) -> Callable[[], bool]:
        """True once the fake has ``n`` more successful ``method`` calls than now."""
        before = len(self.fake.calls(method, ok=True))
        return lambda: len(self.fake.calls(method, ok=True)) >= before + n


def one_line_each(lines: list[str], width: int = 150) -> list[str]:
    """A transcript with each message folded onto one line (its continuation lines are the
    indented ones) and each modal shown by its title, clipped to ``width``."""
    folded: list[str] = []
    for line in lines:
        if not line.startswith(" ") or not folded:
            folded.append(line)
        elif "Bravo: " in folded[-1]:  # a message; a modal's fields are left out
            folded[-1] += " · " + line.strip()
    return [f if len(f) <= width else f[: width - 1] + "…" for f in folded]


def demo_env(fake: FakeSlack, workdir: Path) -> dict[str, str]:
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


def city(user: str) -> str:
    return PEOPLE[user][1].split("/")[-1].replace("_", " ")


def zone(user: str) -> ZoneInfo:
    return ZoneInfo(PEOPLE[user][1])


def view_of(call: Call) -> dict[str, Any]:
    view = call.args["view"]
    return json.loads(view) if isinstance(view, str) else dict(view)


def as_message(post: Call) -> dict[str, Any]:
    """A posted message as Slack sends it back with a click on one of its buttons."""
    return {
        "type": "message",
        "ts": post.response["ts"],
        "text": post.args.get("text", ""),
        "blocks": post.args.get("blocks", []),
    }


def button_of(
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


def inputs(**fields: tuple[str, str, Any]) -> dict[str, Any]:
    """view_submission state: block id -> the "input" element's (type, key, value)."""
    return {block: {"input": {"type": t, key: value}} for block, (t, key, value) in fields.items()}


def is_prompt(args: dict[str, Any]) -> bool:
    return str(args.get("text", "")).startswith("Time to check in")


def due_line(args: dict[str, Any]) -> str:
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
    request_queue_size = 128  # the default listen backlog of 5 resets bursts of connections


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def bravo_on(scene: Scene, clock: SimClock, env: dict[str, str]) -> Iterator[tuple[Deps, str]]:
    """Bravo's app (HTTP, signed requests) in this process, on the simulated clock."""
    settings = load_settings(env)
    db = Database.from_url(settings.database_url)
    deps = build_deps(settings, db, clock=clock)
    scene.work = deps.work
    app = scene.make_app(deps)
    server = make_server(
        "127.0.0.1",
        0,
        make_wsgi(app, db, signing_secret=settings.slack_signing_secret, routes=hook_routes(deps)),
        server_class=_Server,
        handler_class=_Quiet,
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
        scene.work = None
        db.dispose()


def today_utc() -> date:
    return datetime.now(UTC).date()
