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

import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bot.demo.calibration import play_calibration
from bot.demo.feedback import play_feedback
from bot.demo.goals import play_fortnight
from bot.demo.home import play_home
from bot.demo.kudos import play_kudos
from bot.demo.lessons import play_lessons
from bot.demo.oneonone import play_oneonone
from bot.demo.practice import play_practice
from bot.demo.privacy import play_privacy
from bot.demo.profile import play_profile
from bot.demo.ratings import play_ratings
from bot.demo.reviews import play_reviews
from bot.demo.settings import play_settings
from bot.demo.stage import (
    CHANNEL,
    PEOPLE,
    SECRET,
    TEAM,
    MakeApp,
    Scene,
    demo_env,
    free_port,
    today_utc,
    wait_healthy,
)
from bot.sandbox.server import FakeSlack
from bot.sandbox.signing import SlackRequester
from bot.scheduling.scheduler import leadership_for
from storage.db import Database

PARTS = (
    "kudos",
    "fortnight",
    "feedback",
    "ratings",
    "settings",
    "reviews",
    "calibration",
    "practice",
    "profile",
    "oneonone",
    "lessons",
    "home",
    "privacy",
)


def run_demo(
    make_app: MakeApp,
    keep: bool = False,
    *,
    fake: FakeSlack | None = None,
    parts: tuple[str, ...] = PARTS,
) -> int:
    """Play the parts (all of them unless ``parts`` says); 0 when Slack refused nothing. ``fake``:
    a sandbox to play against (a test reads what was sent from it afterwards)."""
    workdir = Path(tempfile.mkdtemp(prefix="bravo-demo-"))
    # Message timestamps from today's midnight (UTC): the same in every run of the day.
    midnight = int(datetime.combine(today_utc(), datetime.min.time(), UTC).timestamp())
    fake = _seat_the_team(fake or FakeSlack(team_id=TEAM, bot_user_id="UBRAVO", ts_start=midnight))
    port = free_port()
    env = demo_env(fake, workdir)
    # The fortnight's jobs run on simulated time only: holding the leader lock keeps the server's
    # own scheduler (on the wall clock) a follower that runs nothing.
    leader = leadership_for(env["DATABASE_URL"])
    leader.acquire()
    command = [sys.executable, "-m", "bot", "run", "--http", "--host", "127.0.0.1"]
    proc = subprocess.Popen([*command, "--port", str(port), "--threads", "8"], env=env)
    url = f"http://127.0.0.1:{port}"
    db: Database | None = None
    try:
        wait_healthy(url, proc)
        print(
            f"Bravo is running at {url}/slack/events against the Slack sandbox at "
            f"{fake.base_url} (SQLite: {workdir / 'bravo.db'})."
        )
        print(
            "The team: @ana (New York), @ben (Berlin), @cy (Tokyo), @dee (London), in #team-wins."
        )
        db = Database.from_url(env["DATABASE_URL"])  # a step settles on its outbox
        scene = Scene(fake, make_app, db)
        _play(scene, parts, url, env)
        failed = [c for c in fake.calls() if not c.ok and c.method != "users.info"]
        print(f"\nDone: {len(fake.calls())} Slack API calls, {len(failed)} refused by Slack.")
        return 0 if not failed else 1
    finally:
        if db is not None:
            db.dispose()
        _stop(proc)
        leader.release()
        fake.stop()
        _clean_up(workdir, keep)


def _play(scene: Scene, parts: tuple[str, ...], url: str, env: dict[str, str]) -> None:
    """The scenes asked for, in the story's order: the home and the export come last, as they
    show what the others left behind."""

    def requester() -> SlackRequester:
        return SlackRequester(url + "/slack/events", SECRET, team_id=TEAM, fake=scene.fake)

    scenes: dict[str, Callable[[], None]] = {
        "kudos": lambda: play_kudos(scene, requester()),
        "fortnight": lambda: play_fortnight(scene, env),
        "feedback": lambda: play_feedback(scene, env),
        "ratings": lambda: play_ratings(scene, env),
        "settings": lambda: play_settings(scene, requester()),
        "reviews": lambda: play_reviews(scene, requester()),
        "calibration": lambda: play_calibration(scene, env),
        "practice": lambda: play_practice(scene, requester()),
        "profile": lambda: play_profile(scene, requester(), env),
        "oneonone": lambda: play_oneonone(scene, requester(), env),
        "lessons": lambda: play_lessons(scene, requester()),
        "home": lambda: play_home(scene, url),
        "privacy": lambda: play_privacy(scene, url),  # the last scene: /bravo export
    }
    for part in PARTS:
        if part in parts:
            scenes[part]()


def _seat_the_team(fake: FakeSlack) -> FakeSlack:
    fake.start()
    fake.add_user("UBRAVO", "bravo", is_bot=True)
    for uid, (name, tz) in PEOPLE.items():
        fake.add_user(uid, name, tz=tz)
    fake.add_channel(CHANNEL, "team-wins", members=("UBRAVO", *PEOPLE))
    fake.add_usergroup("S0SUPPORT", "support", ("U0BEN", "U0CY", "U0DEE"))
    return fake


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def _clean_up(workdir: Path, keep: bool) -> None:
    if keep:
        print(f"Demo database kept at {workdir / 'bravo.db'}")
        return
    for path in sorted(workdir.glob("*"), reverse=True):
        path.unlink()
    workdir.rmdir()
