"""The weekly shout-out says each thing once: one count of kudos (a kudos to several people
counts once) in the summary and the full list, nobody named twice, long reasons trimmed at a
word boundary."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from bot.shoutouts import render
from bot.shoutouts.week import COUNTED_ONCE, build_week
from storage.db import Database
from tests.bot.shoutouts.test_shoutouts import give as give_at

T = "T1"
NOW = datetime(2026, 11, 27, 15, tzinfo=UTC)
TEAM = ["UANA", "UBEN", "UCY", "UDEE"]
LONG = ("Stayed on the bridge call until the outage was over and then wrote it all up " * 13)[:990]


def give(db: Database, giver: str, to: list[str], days_ago: float, reason: str) -> None:
    give_at(db, giver, to, NOW - timedelta(days=days_ago), reason)


def week(db: Database):  # type: ignore[no-untyped-def]
    with db.read() as s:
        return build_week(session=s, team_id=T, channel_id="C1", members=TEAM, tz="UTC", end=NOW)


def test_the_summary_and_the_full_list_give_one_count(sqlite_db: Database) -> None:
    give(sqlite_db, "UANA", ["UBEN", "UCY", "UDEE"], 3, "for covering the phones")
    give(sqlite_db, "UBEN", ["UANA"], 2, "for the macro")
    w = week(sqlite_db)
    post = render.weekly_post(w)["text"]
    listing = json.dumps(render.week_list(w)["blocks"])
    assert f"2 kudos this week ({COUNTED_ONCE})" in post
    assert "All 2 kudos, " in listing and COUNTED_ONCE in listing
    assert dict(w.values) == {"empathy": 2} and sum(n for _, n in w.per_day) == 2


def test_first_timers_are_named_once(sqlite_db: Database) -> None:
    give(sqlite_db, "UANA", ["UBEN"], 30, "long ago")
    give(sqlite_db, "UANA", ["UBEN", "UCY"], 2, "for the launch")
    blocks = render.weekly_post(week(sqlite_db))["blocks"]
    texts = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    facts = "\n".join(t for t in texts if "*Recognised" in t or "*First kudos" in t)
    assert "Milestones" not in json.dumps(blocks)  # Cy's first kudos is not listed again
    assert facts.count("<@UCY>") == 1 and facts.count("<@UBEN>") == 1
    assert "First kudos ever:* <@UCY>" in facts and "Recognised:* <@UBEN>" in facts


def test_a_long_reason_is_trimmed_at_a_word_with_an_ellipsis(sqlite_db: Database) -> None:
    give(sqlite_db, "UANA", ["UBEN"], 2, LONG)
    blocks = render.weekly_post(week(sqlite_db))["blocks"]
    texts = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    [quoted] = [line for t in texts for line in t.splitlines() if line.startswith(">")]
    assert len(quoted) <= 2 + 300 and quoted.endswith("…")
    words = quoted.removeprefix("> ").removesuffix("…").split()
    assert words and all(w in LONG.split() for w in words)  # no word cut in half
