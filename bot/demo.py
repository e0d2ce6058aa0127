"""`make demo`: Bravo in HTTP mode against the local Slack sandbox, a short scripted scenario
sent as signed requests, and a transcript of what each person would see. Fully offline."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.sandbox.server import FakeSlack
from bot.sandbox.signing import SlackRequester
from bot.sandbox.transcript import render_transcript

SECRET = "demo-signing-secret"
TEAM = "T0SANDBOX"
CHANNEL = "C0TEAM"
PEOPLE = {
    "U0ANA": ("ana", "America/New_York"),
    "U0BEN": ("ben", "Europe/Berlin"),
    "U0CY": ("cy", "Asia/Tokyo"),
    "U0DEE": ("dee", "Europe/London"),
}


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
        print(f"\n▶ {title}")
        act()
        deadline = time.time() + 10
        while not until() and time.time() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # let the delivery thread finish what this step queued
        calls = self.fake.calls()
        text = render_transcript(calls[self.seen :], self.names, self.channels)
        self.seen = len(calls)
        for line in text.splitlines() or ["(nothing visible)"]:
            print("    " + line)

    def count(self, method: str) -> Callable[[int], Callable[[], bool]]:
        def at_least(n: int) -> Callable[[], bool]:
            return lambda: len(self.fake.calls(method, ok=True)) >= n

        return at_least


def run_demo(keep: bool = False) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="bravo-demo-"))
    fake = FakeSlack(team_id=TEAM, bot_user_id="UBRAVO")
    fake.start()
    fake.add_user("UBRAVO", "bravo", is_bot=True)
    for uid, (name, tz) in PEOPLE.items():
        fake.add_user(uid, name, tz=tz)
    fake.add_channel(CHANNEL, "team-wins", members=("UBRAVO", *PEOPLE))
    fake.add_usergroup("S0SUPPORT", "support", ("U0BEN", "U0CY", "U0DEE"))
    port = _free_port()
    env = {
        **os.environ,
        "BRAVO_ENV_FILE": os.devnull,  # the demo ignores a developer's .env
        "SLACK_BOT_TOKEN": "xoxb-sandbox",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_APP_TOKEN": "",
        "SLACK_API_URL": fake.base_url,
        "DATABASE_URL": f"sqlite:///{workdir / 'bravo.db'}",
        "LOG_LEVEL": "WARNING",
    }
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
        _play(Scene(fake), SlackRequester(url + "/slack/events", SECRET, team_id=TEAM, fake=fake))
        failed = [c for c in fake.calls() if not c.ok and c.method != "users.info"]
        print(f"\nDone: {len(fake.calls())} Slack API calls, {len(failed)} refused by Slack.")
        return 0 if not failed else 1
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
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
