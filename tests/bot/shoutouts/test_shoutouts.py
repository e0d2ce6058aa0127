"""Shout-outs without Slack: parsing, the week's summary, renderers within Block Kit limits,
celebration days, the chart, and the CLI (``bravo jobs run shoutouts --at``)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.celebrations.service import Reached
from bot.kudos import rules as kudos
from bot.settings import KudosRules
from bot.shoutouts import parse as p
from bot.shoutouts import render
from bot.shoutouts.chart import chart_png
from bot.shoutouts.week import Moment, Week, best_moments, build_week, week_start
from bot.suggestions.service import DoneSuggestion
from bot.users import Person
from storage.db import Database

T = "T1"
NOW = datetime(2026, 11, 27, 15, tzinfo=UTC)


# Rendering ---------------------------------------------------------------------------------------


def moment(n: int, reason: str = "helped", people: int = 1) -> Moment:
    return Moment(
        giver_id=f"UG{n % 40}",
        recipient_ids=tuple(f"UR{(n + i) % 500}" for i in range(people)),
        reason=reason,
        values=("empathy",) if n % 2 else (),
        created_at=NOW - timedelta(hours=n % 160),
    )


def week_of(moments: list[Moment], **over: object) -> Week:
    recognised = tuple(dict.fromkeys(r for m in moments for r in m.recipient_ids))
    fields: dict[str, object] = {
        "team_id": T,
        "channel_id": "C1",
        "start": NOW - timedelta(days=7),
        "end": NOW,
        "tz": "UTC",
        "kudos": len(moments),  # a kudos to several people counts once
        "recognised": recognised,
        "givers": len({m.giver_id for m in moments}),
        "moments": tuple(moments),
        "best": tuple(best_moments(moments)),
        "values": (("empathy", 3), ("communication", 1)),
        "per_day": tuple((date(2026, 11, 20) + timedelta(days=i), i) for i in range(7)),
        "first_timers": recognised[:300],
        "milestones": tuple(Reached(f"UR{i}", "received", 10) for i in range(60)),
        "goals": (),
        "done": (),
    }
    fields.update(over)
    return Week(**fields)  # type: ignore[arg-type]


def within_limits(payload: dict) -> None:
    blocks = payload["blocks"]
    assert 0 < len(blocks) <= 50
    assert payload["text"]
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150
        if block["type"] == "context":
            assert len(block["elements"]) <= 10


def done(n: int, said: str = "quiet hours", did: str = "Fridays are focus time") -> DoneSuggestion:
    return DoneSuggestion(n, said, did, date(2026, 11, 21) + timedelta(days=n % 6))


@settings(max_examples=40, deadline=None)
@given(
    count=st.integers(min_value=0, max_value=3000),
    reason=st.text(min_size=1, max_size=1200),
    people=st.integers(min_value=1, max_value=20),
    done_count=st.integers(min_value=0, max_value=200),
    said=st.text(max_size=1500),
    did=st.text(max_size=1000),
)
def test_any_week_fits_block_kit(
    count: int, reason: str, people: int, done_count: int, said: str, did: str
) -> None:
    moments = [moment(n, reason, people) for n in range(count)]
    items = tuple(done(n, said, did) for n in range(done_count))
    week = week_of(moments, done=items, kudos=sum(len(m.recipient_ids) for m in moments))
    within_limits(render.weekly_post(week))
    within_limits(render.week_list(week))
    if items:
        text = json.dumps(render.weekly_post(week)["blocks"])
        assert "You said, we did" in text


def test_you_said_we_did_fits_one_section_and_names_nobody() -> None:
    items = tuple(done(n, f"idea {n} " + "x" * 900, f"did {n} " + "y" * 900) for n in range(30))
    post = render.weekly_post(week_of([moment(1)], done=items))
    [said] = [b for b in post["blocks"] if "You said, we did" in json.dumps(b)]
    text = said["text"]["text"]
    assert len(text) <= 3000 and "idea 0 " in text and "did 0 " in text
    shown = sum(f"idea {n} " in text for n in range(30))
    assert 1 <= shown < 30 and f"…and {30 - shown} more" in text
    assert "<@" not in text  # a suggestion has no author to show
    one = render.weekly_post(week_of([moment(1)], done=(done(1, "a &lt;b&gt; <!here>", ""),)))
    body = json.dumps(one["blocks"])
    assert "a &lt;b&gt;" in body and "<!here>" not in body and "Done." in body


def test_the_post_quotes_the_best_moments_not_everything() -> None:
    moments = [moment(n, f"reason number {n}") for n in range(200)]
    moments.append(
        Moment("UG1", ("UR7",), "stayed on the phone for an hour " * 5, ("empathy",), NOW)
    )
    post = render.weekly_post(week_of(moments))
    text = json.dumps(post["blocks"])
    assert "stayed on the phone" in text
    assert (
        sum(f"reason number {n}\\n" in text or f'reason number {n}"' in text for n in range(200))
        < 6
    )
    assert "/bravo shoutouts list" in text and "196 more moments" in text


def test_best_moments_spread_over_people() -> None:
    same = [Moment("UA", ("UB",), "x" * 200, ("empathy",), NOW) for _ in range(5)]
    other = [Moment("UC", ("UD",), "short", (), NOW), Moment("UE", ("UF",), "short too", (), NOW)]
    chosen = best_moments(same + other, limit=3)
    assert {m.giver_id for m in chosen} == {"UA", "UC", "UE"}


def test_clipping_never_breaks_a_mention_or_an_entity() -> None:
    text = "thanks " + "<@U0123456789>" * 30
    for limit in range(10, 200, 7):
        clipped = render.clip_mrkdwn(text, limit)
        assert len(clipped) <= limit
        assert clipped.count("<") == clipped.count(">")
    assert render.clip_mrkdwn("fish &amp; chips " * 3, 12).endswith("…")
    assert "&am…" not in render.clip_mrkdwn("fish &amp; chips", 8)


def test_a_reason_with_a_broadcast_pings_nobody() -> None:
    week = week_of([Moment("UA", ("UB",), "hi <!channel> and <!here|here>", (), NOW)])
    text = json.dumps(render.weekly_post(week))
    assert "<!channel>" not in text and "<!here" not in text


def test_quiet_week_is_a_nudge() -> None:
    post = render.weekly_post(week_of([], kudos=0, milestones=(), values=()))
    assert len(post["blocks"]) == 1 and "/kudos" in post["text"]


def test_a_week_with_only_done_suggestions_is_not_quiet() -> None:
    week = week_of([], kudos=0, milestones=(), values=(), done=(done(1),))
    assert not week.quiet
    post = render.weekly_post(week)
    text = json.dumps(post["blocks"])
    assert "quiet week" not in post["text"] and "You said, we did" in text
    assert "quiet hours" in text and "Fridays are focus time" in text


# Chart -----------------------------------------------------------------------------------------


def test_the_chart_is_a_small_png_and_says_what_it_shows() -> None:
    week = week_of([moment(1)])
    png = chart_png(week)
    assert png is not None and png.startswith(b"\x89PNG") and len(png) < 100_000
    assert "#empathy: 3" in render.chart_alt_text(week)
    days = tuple((date(2026, 11, 20) + timedelta(days=i), i) for i in range(8))  # Fri to Fri
    per_day = week_of([moment(1)], values=(), per_day=days)
    assert chart_png(per_day) is not None
    assert "per day" in render.chart_alt_text(per_day)
    assert "Fri 20: 0" in render.chart_alt_text(per_day)
    assert "Fri 27: 7" in render.chart_alt_text(per_day)
    assert chart_png(week_of([], kudos=0)) is None


# Calendar ---------------------------------------------------------------------------------------


def test_a_week_is_seven_local_days_across_a_dst_change() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    end = datetime(2026, 10, 30, 16, tzinfo=berlin)  # DST ended on Sunday 25 October
    start = week_start(end.astimezone(UTC), berlin)
    assert start.astimezone(berlin) == datetime(2026, 10, 23, 16, tzinfo=berlin)
    assert end - start == timedelta(days=7, hours=1)


# The week from the database ----------------------------------------------------------------------


def give(db: Database, giver: str, to: list[str], at: datetime, reason: str = "helped") -> None:
    with db.write() as s:
        kudos.give_kudos(
            session=s,
            team_id=T,
            giver=Person(giver),
            recipients=[Person(u) for u in to],
            reason=reason,
            values=("empathy",),
            channel_id="C1",
            source="command",
            rules=KudosRules(daily_allowance=100),
            now=at,
        )


def test_the_week_counts_only_the_team_and_the_seven_days(db: Database) -> None:
    give(db, "UANA", ["UBEN"], NOW - timedelta(days=30), "long ago")
    give(db, "UANA", ["UBEN", "UCY"], NOW - timedelta(days=2), "for the launch")
    give(db, "UOUT", ["UBEN"], NOW - timedelta(days=1), "from outside the team")
    give(db, "UBEN", ["UANA"], NOW - timedelta(days=8), "last week")
    give(db, "UCY", ["UANA"], NOW, "at the post's time: next week")
    with db.read() as s:
        week = build_week(
            session=s,
            team_id=T,
            channel_id="C1",
            members=["UANA", "UBEN", "UCY"],
            tz="UTC",
            end=NOW,
        )
    assert week.kudos == 1 and len(week.moments) == 1  # a kudos to two people counts once
    assert week.moments[0].recipient_ids == ("UBEN", "UCY")
    assert week.first_timers == ("UCY",)  # Ben was recognised a month ago
    assert week.milestones == ()  # Cy's first kudos is told under "First kudos ever" only
    assert dict(week.values) == {"empathy": 1}


# The command line --------------------------------------------------------------------------------


def test_bravo_jobs_run_shoutouts_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.__main__ import main
    from bot.sandbox.server import FakeSlack
    from bot.shoutouts import rules
    from storage.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'bravo.db'}"
    db = Database.from_url(url)
    upgrade(db.engine)
    with db.write() as s:
        rules.turn_on(
            session=s,
            team_id="T0SANDBOX",
            channel_id="C0TEAM",
            user_id="UANA",
            request=p.ShoutoutsOn(4, 16 * 60, "Europe/Berlin"),
            tz="Europe/Berlin",
            creator_id=None,
            members=["UANA", "UBEN"],
            admin=False,
            now=datetime(2026, 11, 23, tzinfo=UTC),
        )
    db.dispose()
    with FakeSlack(team_id="T0SANDBOX") as fake:
        fake.add_user("UANA", "ana")
        fake.add_user("UBEN", "ben")
        fake.add_channel("C0TEAM", "team", members=("UBRAVO", "UANA", "UBEN"))
        monkeypatch.setenv("BRAVO_ENV_FILE", str(tmp_path / "none.env"))
        monkeypatch.setenv("DATABASE_URL", url)
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-sandbox")
        monkeypatch.setenv("SLACK_API_URL", fake.base_url)
        assert main(["jobs", "list", "--at", "2026-11-24T00:00Z"]) == 0
        assert "2026-11-27T15:00:00+00:00" in capsys.readouterr().out
        assert main(["jobs", "run", "shoutouts", "--at", "2026-11-27T15:01Z"]) == 0
        assert "sent 1" in capsys.readouterr().out
        assert main(["jobs", "run", "shoutouts", "--at", "2026-11-27T15:02Z"]) == 0
        assert "already_sent 1" in capsys.readouterr().out
        [post] = fake.calls("chat.postMessage", ok=True)
        assert post.args["channel"] == "C0TEAM" and "quiet week" in post.args["text"]
