"""The calibration scene plays offline on its own: three reviewers score blind, the reveal
reaches all of them, the lead records the agreed score."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from bot.demo.calibration import play_calibration
from bot.demo.stage import BEN, CHANNEL, CY, DEE, PEOPLE, TEAM, Scene, demo_env
from bot.sandbox.server import FakeSlack
from handlers.app import build_app
from storage.db import Database
from storage.migrate import upgrade


def test_the_calibration_scene_plays(tmp_path: Path) -> None:
    fake = FakeSlack(team_id=TEAM, bot_user_id="UBRAVO").start()
    try:
        fake.add_user("UBRAVO", "bravo", is_bot=True)
        for uid, (name, tz) in PEOPLE.items():
            fake.add_user(uid, name, tz=tz)
        fake.add_channel(CHANNEL, "team-wins", members=("UBRAVO", *PEOPLE))
        env = demo_env(fake, tmp_path)
        db = Database.from_url(env["DATABASE_URL"])
        upgrade(db.engine)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            play_calibration(Scene(fake, build_app, db), env)
        db.dispose()
        printed = out.getvalue()
        reveals = [
            c.args["channel"]
            for c in fake.calls("chat.postMessage", ok=True)
            if "is revealed" in c.args["text"]
        ]
        assert sorted(reveals) == sorted([BEN, CY, DEE])  # Dee is the lead and a reviewer
        agreed = [
            c for c in fake.calls("chat.postMessage", ok=True) if "agreed score" in c.args["text"]
        ]
        assert len(agreed) == 3
        assert "Agreement in your calibration rounds" in printed and "#1 · " in printed
        assert [c for c in fake.calls() if not c.ok and c.method != "users.info"] == []
    finally:
        fake.stop()
