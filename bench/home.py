"""One person's Home tab, data export and erasure, with five years of history in a 1M-kudos
workspace, on SQLite and PostgreSQL.

    .venv/bin/python -m bench.home [--kudos 1000000] [--backends sqlite,postgres] [--reps 50]
                                   [--warmup 5] [--exports 3] [--seed 1] [--quick]

For each backend it builds a throwaway database (``bench.leaderboard.fresh_database``), loads the
2,000-person workspace of ``bench.leaderboard`` over five years (its bulk loader: ledger and
rollups), then writes one person's five years through the app's own ledger writes
(``storage.kudos.add_kudos``/``revoke``, so the rollups are what the app keeps) and bulk inserts
for the rest: thousands of kudos received and given with a giving streak and milestones, goals
with weekly check-ins, feedback received, given and asked for, customer feedback, coaching
pairings, celebration dates; plus a newcomer with three kudos, and other people's goals and
feedback around them (so a query that forgets whose they are shows). Then it times, through
``bot.deps.build_deps`` against a local Slack stand-in that answers every call with an error
and counts it (every person is in the ``slack_user`` cache, so no call should be needed):

- ``bot.home.service.build_home`` for the long-history person and for the newcomer (p50, p99
  and the number of blocks: at most 100, and the time should not follow the history). The
  long-history person is a Bravo admin (``BRAVO_ADMINS``), so their home has the settings
  section too; the newcomer is not (whether that costs a Slack call shows in the report);
- ``bot.privacy.service.export_person`` for the long-history person (time, JSON and CSV bytes);
- ``bot.privacy.service.erase_person`` for them (time, rows removed), then the leaderboards
  again, the rollups against COUNTs over the ledger, and every text column of every table
  scanned for their id.

``--quick``: 50,000 kudos, SQLite only (about a minute).
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import platform
import random
import sys
import threading
import time
import uuid
from bisect import bisect
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import sqlalchemy
from sqlalchemy import String, Text, func, insert, or_, select, text
from sqlmodel import Session, SQLModel

from bench.leaderboard import (
    REASONS,
    STREAK_COLS,
    CheckFailed,
    Rollups,
    Workspace,
    analyze,
    check_against_ledger,
    check_rollup_logic,
    fmt_size,
    fresh_database,
    load,
    make_workspaces,
    percentile,
    pg_problem,
    reopen,
    time_query,
    zone,
)
from bot.deps import Deps, build_deps
from bot.kudos import rules
from bot.kudos.ids import Period
from bot.settings import DEFAULT_VALUES, load_settings
from bot.users import Person
from storage import kudos as ledger
from storage.db import Database
from storage.models import (
    CelebrationPref,
    CheckIn,
    CheckInPrompt,
    CoachPairing,
    CustomerFeedback,
    Feedback,
    FeedbackRequest,
    GivingStreak,
    Goal,
    HomeViewer,
    Kudos,
    Milestone,
    PersonDate,
    SlackUser,
    TipSeen,
    UserPref,
)
from storage.models.kudos import MilestoneKind, RevocationReason

YEARS = 5
SPAN_DAYS = 365 * YEARS + 1
HEAVY = Person("U0HEAVY001", "hedda", "Europe/Berlin")  # five years of everything
NEWBIE = Person("U0NEWBIE01", "nico", "America/New_York")  # joined this week
TARGET_MS = 50.0  # building the home view, p99
MAX_BLOCKS = 100  # Block Kit's limit for a Home tab
RECEIVED_A_DAY, GIVEN_A_DAY = 2.8, 1.6  # on a weekday; a weekend day sees 15% of it
RECEIVED_MILESTONES = (1, 10, 50, 100)  # as bot.kudos.rules
STREAK_MILESTONES = (4, 12, 26, 52)  # weeks giving (kudos) and check-ins in a row (goals)
CHECKIN_STATUS = (("on_track", 0.7), ("at_risk", 0.2), ("blocked", 0.1))
CHUNK = 2_000  # rows per executemany
GOAL_TEXT = (
    ("Answer every chat within 2 minutes", "median first reply under 2 min", "communication"),
    ("Close billing tickets on first contact", "80% first-contact resolution", "problem-solving"),
    ("Calm escalations before they reach a lead", "under 3 hand-offs a month", "empathy"),
    ("Write macros people want to reuse", "5 macros used by the team", "personalization"),
    ("Keep CSAT above 95%", "monthly CSAT from the survey", "professionalism"),
    ("Listen first on every call", "QA score on listening 4.5+", "active-listening"),
)


# --- the person's five years -------------------------------------------------------------------


@dataclass
class Life:
    """Everything the bench writes besides the workspace's ledger: per table, rows as dicts;
    the two people's kudos as ORM rows for ``add_kudos``; which of them are taken back."""

    kudos: list[Kudos] = field(default_factory=list)
    revoked: set[int] = field(default_factory=set)  # indexes into kudos
    rows: dict[type[SQLModel], list[dict[str, Any]]] = field(default_factory=dict)
    streaks: Rollups = field(default_factory=Rollups)
    next_goal: int = 1
    next_prompt: int = 1

    def add(self, model: type[SQLModel], **row: Any) -> None:
        self.rows.setdefault(model, []).append(row)

    def count(self, model: type[SQLModel], user_id: str, *columns: str) -> int:
        return sum(any(r.get(c) == user_id for c in columns) for r in self.rows.get(model, []))


def poisson(rng: random.Random, mean: float) -> int:
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def local_time(day: date, person: Person, minutes: float) -> datetime:
    midnight = datetime(day.year, day.month, day.day, tzinfo=zone(person.tz))
    return (midnight + timedelta(minutes=minutes)).astimezone(UTC)


def anyone(rng: random.Random, space: Workspace, cum: Sequence[float]) -> Person:
    return space.people[bisect(cum, rng.random() * cum[-1])]


def kudos_row(
    rng: random.Random, space: Workspace, giver: str, recipient: str, when: datetime, batch: str
) -> Kudos:
    values = ",".join(dict.fromkeys(rng.sample(DEFAULT_VALUES, rng.choice((0, 1, 1, 1, 2)))))
    source = rng.choices(("command", "modal", "shortcut", "reaction"), (70, 15, 5, 10))[0]
    return Kudos(
        team_id=space.team_id,
        batch_id=batch,
        giver_id=giver,
        recipient_id=recipient,
        reason=rng.choice(REASONS),
        values="" if source == "reaction" else values,
        channel_id=rng.choice(space.channels),
        source=source,
        source_ref=None,
        created_at=when,
    )


def kudos_life(
    rng: random.Random, life: Life, space: Workspace, me: Person, days: int, now: datetime
) -> None:
    """``me`` receives and gives kudos on (nearly) every working day of ``days`` ending today,
    in their working hours, never over the daily allowance; their giving streak and their
    received and streak milestones follow, as the app would have recorded them."""
    first = now.astimezone(zone(me.tz)).date() - timedelta(days=days - 1)
    received = 0
    reached: set[tuple[str, int]] = set()
    for d in range(days):
        day = first + timedelta(days=d)
        busy = 1.0 if day.weekday() < 5 else 0.15
        events: list[tuple[datetime, str | None]] = []
        names_left = 5  # the daily allowance, in their own day
        for _ in range(poisson(rng, RECEIVED_A_DAY * busy)):
            events.append((local_time(day, me, rng.uniform(8 * 60, 19 * 60)), None))
        for _ in range(poisson(rng, GIVEN_A_DAY * busy)):
            events.append((local_time(day, me, rng.uniform(8 * 60, 19 * 60)), me.user_id))
        for when, giver in sorted(events, key=lambda e: e[0]):
            if when > now:
                continue
            batch = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            if giver is None:  # received
                other = anyone(rng, space, space.give_cum).user_id
                life.kudos.append(kudos_row(rng, space, other, me.user_id, when, batch))
                if rng.random() < 0.01:
                    life.revoked.add(len(life.kudos) - 1)
                    continue
                received += 1
                if received in RECEIVED_MILESTONES:
                    reached.add((MilestoneKind.RECEIVED, received))
                    life.add(
                        Milestone,
                        team_id=space.team_id,
                        user_id=me.user_id,
                        kind=MilestoneKind.RECEIVED,
                        threshold=received,
                        reached_at=when,
                    )
                continue
            k = min(names_left, rng.choice((1, 1, 2)))
            if k == 0:
                continue
            names = {anyone(rng, space, space.get_cum).user_id for _ in range(k)}
            names_left -= len(names)
            for other in sorted(names):
                life.kudos.append(kudos_row(rng, space, me.user_id, other, when, batch))
            life.streaks.advance_streak(space.team_id, me, when)
            weeks = life.streaks.streak[(space.team_id, me.user_id)][1]
            key = (MilestoneKind.GIVING_STREAK, weeks)
            if weeks in STREAK_MILESTONES and key not in reached:
                reached.add(key)
                life.add(
                    Milestone,
                    team_id=space.team_id,
                    user_id=me.user_id,
                    kind=MilestoneKind.GIVING_STREAK,
                    threshold=weeks,
                    reached_at=when,
                )


def goal_life(
    rng: random.Random,
    life: Life,
    team: str,
    me: Person,
    start: datetime,
    end: datetime,
    status: str,
    now: datetime,
    reached: set[int] | None = None,
) -> None:
    """A weekly goal (Mondays 09:30 in ``me``'s zone) from ``start``: a prompt every week until
    ``end`` or now, answered by a check-in 92% of the time, missed otherwise."""
    what, measure, skill = rng.choice(GOAL_TEXT)
    gid, life.next_goal = life.next_goal, life.next_goal + 1
    local = start.astimezone(zone(me.tz)).date()
    day = local + timedelta(days=7 - local.weekday())  # the Monday after it was set
    streak = best = missed = n = 0
    last: tuple[str, str, datetime] | None = None
    while (due := local_time(day, me, 570)) <= min(end, now):
        pid, life.next_prompt = life.next_prompt, life.next_prompt + 1
        n += 1
        if rng.random() < 0.08:
            streak, missed = 0, missed + 1
            life.add(
                CheckInPrompt,
                id=pid,
                team_id=team,
                goal_id=gid,
                user_id=me.user_id,
                due_at=due,
                status="missed",
                answered_at=None,
                created_at=due,
            )
        else:
            at = min(now, due + timedelta(minutes=rng.uniform(5, 360)))
            state = rng.choices([s for s, _ in CHECKIN_STATUS], [w for _, w in CHECKIN_STATUS])[0]
            progress = f"week {n}: {rng.randint(60, 100)}% of the way on '{measure}'"
            life.add(
                CheckInPrompt,
                id=pid,
                team_id=team,
                goal_id=gid,
                user_id=me.user_id,
                due_at=due,
                status="answered",
                answered_at=at,
                created_at=due,
            )
            life.add(
                CheckIn,
                team_id=team,
                goal_id=gid,
                user_id=me.user_id,
                status=state,
                progress=progress,
                went_well="a calmer queue than last week",
                next_step="pair with a teammate on the hard tickets",
                prompt_id=pid,
                source="prompt",
                created_at=at,
            )
            streak, missed, last = streak + 1, 0, (state, progress, at)
            best = max(best, streak)
            if reached is not None and streak in STREAK_MILESTONES and streak not in reached:
                reached.add(streak)
                life.add(
                    Milestone,
                    team_id=team,
                    user_id=me.user_id,
                    kind=MilestoneKind.CHECKIN_STREAK,
                    threshold=streak,
                    reached_at=at,
                )
        day += timedelta(days=7)
    done = status in ("completed", "archived")
    life.add(
        Goal,
        id=gid,
        team_id=team,
        owner_id=me.user_id,
        what=what,
        measure=measure,
        skill=skill,
        target_date=(end if done else now + timedelta(days=60)).date(),
        cadence="weekly",
        cadence_day=0,
        cadence_minute=570,
        cadence_anchor=local - timedelta(days=local.weekday()),
        visibility=rng.choice(("coach", "coach", "public", "private")),
        status=status,
        paused_until=(now + timedelta(days=14)).date() if status == "paused" else None,
        tz=me.tz,
        next_due_at=due if status == "active" else None,
        streak=streak,
        best_streak=best,
        missed_in_row=missed,
        last_status=last and last[0],
        last_progress=last and last[1],
        last_checkin_at=last and last[2],
        channel_id=None,
        created_at=start,
        updated_at=last[2] if last else start,
        completed_at=end if done else None,
    )


def goals_of(rng: random.Random, life: Life, team: str, me: Person, now: datetime) -> None:
    """A goal a quarter for five years (most completed, some archived), one weekly goal kept
    for all five years, two recent ones and one paused."""
    reached: set[int] = set()
    began = now - timedelta(days=SPAN_DAYS - 1)
    goal_life(rng, life, team, me, began, now, "active", now, reached)
    for q in range(4 * YEARS - 1):
        start = began + timedelta(days=91 * q)
        status = "archived" if q % 5 == 4 else "completed"
        goal_life(rng, life, team, me, start, start + timedelta(days=84), status, now, reached)
    for weeks, status in ((9, "active"), (6, "active"), (12, "paused")):
        goal_life(rng, life, team, me, now - timedelta(weeks=weeks), now, status, now, reached)
    for i, skill in enumerate(DEFAULT_VALUES):
        life.add(
            TipSeen,
            team_id=team,
            user_id=me.user_id,
            skill=skill,
            tip_id=f"tip-{i}",
            seen_at=now - timedelta(days=3 * i + 1),
        )


def feedback_row(
    rng: random.Random, life: Life, team: str, giver: str, recipient: str, when: datetime
) -> None:
    life.add(
        Feedback,
        team_id=team,
        giver_id=giver,
        recipient_id=recipient,
        situation="On Tuesday's call with the angry reseller",
        behaviour="you summarised what they had said before proposing anything",
        impact="they calmed down and agreed to the refund plan",
        suggestion="" if rng.random() < 0.5 else "send the summary in writing afterwards too",
        skill=rng.choice(DEFAULT_VALUES),
        shared_with_coach=rng.random() < 0.3,
        request_id=None,
        fingerprint=uuid.UUID(int=rng.getrandbits(128)).hex,
        thanked_at=when + timedelta(hours=2) if rng.random() < 0.4 else None,
        acted_on_at=None,
        created_at=when,
    )


def request_row(
    rng: random.Random, life: Life, team: str, asker: str, giver: str, when: datetime, now: datetime
) -> None:
    expires = when + timedelta(days=14)
    status = "open" if expires > now else rng.choice(("answered", "answered", "expired"))
    life.add(
        FeedbackRequest,
        team_id=team,
        batch_id=str(uuid.UUID(int=rng.getrandbits(128))),
        requester_id=asker,
        giver_id=giver,
        topic="how I handled the outage calls",
        status=status,
        remind_at=when + timedelta(days=3),
        reminded_at=None,
        expires_at=expires,
        answered_at=when + timedelta(days=2) if status == "answered" else None,
        feedback_id=None,
        outbox_id=None,
        created_at=when,
    )


def customer_row(
    rng: random.Random, life: Life, team: str, by: str, about: str, when: datetime, ref: str
) -> None:
    praise = rng.random() < 0.85
    life.add(
        CustomerFeedback,
        team_id=team,
        logged_by=by,
        teammate_id=about,
        kind="praise" if praise else "complaint",
        rating=rng.randint(4, 5) if praise else 2,
        source=rng.choice(("email", "chat", "phone", "survey", "review")),
        text="Fixed my invoice in five minutes and explained why it happened. Brilliant.",
        source_ref=ref,
        kudos_batch_id=None,
        created_at=when,
    )


def social_life(
    rng: random.Random, life: Life, space: Workspace, me: str, now: datetime, days: int
) -> None:
    """Feedback received (about one a week) and given, requests both ways (some still open),
    customer feedback about them and logged by them, coaches, coachees and invitations."""
    team = space.team_id
    some = lambda: rng.choice(space.people).user_id  # noqa: E731
    ago = lambda: now - timedelta(minutes=rng.uniform(10, days * 1440))  # noqa: E731
    for _ in range(days // 7):
        feedback_row(rng, life, team, some(), me, ago())
    for _ in range(days // 12):
        feedback_row(rng, life, team, me, some(), ago())
    for _ in range(days // 15):
        request_row(rng, life, team, me, some(), ago(), now)
        request_row(rng, life, team, some(), me, ago(), now)
    for n in range(4):  # still open: asked of them this week, and by them
        request_row(rng, life, team, some(), me, now - timedelta(days=n + 1), now)
        request_row(rng, life, team, me, some(), now - timedelta(days=n + 2), now)
    for n in range(days // 12):
        customer_row(rng, life, team, some(), me, ago(), f"CCUST:{n}.{rng.getrandbits(32)}")
    for n in range(days // 45):
        customer_row(rng, life, team, me, some(), ago(), f"CMINE:{n}.{rng.getrandbits(32)}")
    others = rng.sample([p.user_id for p in space.people], 9)
    for n, (coach, coachee, status) in enumerate(
        [(me, others[i], "active") for i in range(3)]
        + [(me, others[3], "pending"), (me, others[4], "ended"), (others[5], me, "active")]
        + [(others[6], me, "ended"), (others[7], me, "declined"), (others[8], me, "pending")]
    ):
        asked = now - timedelta(days=30 * (n + 1) + rng.randint(0, 300))
        life.add(
            CoachPairing,
            team_id=team,
            coach_id=coach,
            coachee_id=coachee,
            status=status,
            requested_at=asked,
            responded_at=None if status == "pending" else asked + timedelta(days=1),
            ended_by=coach if status == "ended" else None,
        )


def profile_of(life: Life, team: str, me: Person, now: datetime, started: date) -> None:
    """The person as Slack and Bravo know them: cached profile, dates, preferences, the Home
    tab opened before."""
    life.add(
        SlackUser,
        team_id=team,
        user_id=me.user_id,
        name=me.name,
        tz=me.tz,
        is_bot=False,
        deleted=False,
        departed_at=None,
        fetched_at=now,
    )
    life.add(
        PersonDate,
        team_id=team,
        user_id=me.user_id,
        kind="birthday",
        month=7,
        day=14,
        year=None,
        source="self",
        updated_at=now - timedelta(days=400),
    )
    life.add(
        PersonDate,
        team_id=team,
        user_id=me.user_id,
        kind="started",
        month=started.month,
        day=started.day,
        year=started.year,
        source="import",
        updated_at=now,
    )
    life.add(CelebrationPref, team_id=team, user_id=me.user_id, opt_out=False, milestones="channel")
    life.add(UserPref, team_id=team, user_id=me.user_id, leaderboard_opt_out=False, away_until=None)
    life.add(
        HomeViewer,
        team_id=team,
        user_id=me.user_id,
        opened_at=now - timedelta(days=1),
        dirty_at=None,
        published_at=None,
        published_hash="",
    )


def others_life(
    rng: random.Random, life: Life, space: Workspace, now: datetime, share: float
) -> None:
    """Other people's private things (goals and check-ins, feedback between two others,
    requests, customer feedback, pairings, birthdays): what the person must not see or take
    with them, in tables big enough that a query missing its person shows."""
    people = [p for p in space.people if p.user_id != HEAVY.user_id]
    some = lambda: rng.choice(people).user_id  # noqa: E731
    ago = lambda: now - timedelta(minutes=rng.uniform(10, 730 * 1440))  # noqa: E731
    team = space.team_id
    for p in people[: max(20, int(1_000 * share))]:
        goal_life(rng, life, team, p, now - timedelta(weeks=26), now, "active", now)
        start = now - timedelta(weeks=60)
        goal_life(rng, life, team, p, start, start + timedelta(weeks=12), "completed", now)
    for _ in range(max(200, int(20_000 * share))):
        feedback_row(rng, life, team, some(), some(), ago())
    for _ in range(max(50, int(5_000 * share))):
        request_row(rng, life, team, some(), some(), ago(), now)
    for n in range(max(50, int(5_000 * share))):
        customer_row(rng, life, team, some(), some(), ago(), f"COTHER:{n}")
    for p in people[: max(10, int(300 * share))]:
        coachee = some()
        if coachee != p.user_id:
            life.add(
                CoachPairing,
                team_id=team,
                coach_id=p.user_id,
                coachee_id=coachee,
                status="active",
                requested_at=ago(),
                responded_at=now,
                ended_by=None,
            )
    for n, p in enumerate(people):
        life.add(
            PersonDate,
            team_id=team,
            user_id=p.user_id,
            kind="birthday",
            month=n % 12 + 1,
            day=n % 28 + 1,
            year=None,
            source="import",
            updated_at=now,
        )


def make_life(spaces: Sequence[Workspace], now: datetime, seed: int, share: float) -> Life:
    rng = random.Random(f"{seed}:home")
    space = spaces[0]
    team = space.team_id
    life = Life()
    kudos_life(rng, life, space, HEAVY, SPAN_DAYS, now)
    goals_of(rng, life, team, HEAVY, now)
    social_life(rng, life, space, HEAVY.user_id, now, SPAN_DAYS)
    profile_of(life, team, HEAVY, now, (now - timedelta(days=SPAN_DAYS + 30)).date())
    for n, when in enumerate((now - timedelta(days=3), now - timedelta(hours=20))):
        giver = space.people[n].user_id
        life.kudos.append(kudos_row(rng, space, giver, NEWBIE.user_id, when, f"newbie-{n}"))
    given = now - timedelta(hours=2)
    life.kudos.append(kudos_row(rng, space, NEWBIE.user_id, space.people[9].user_id, given, "nb"))
    life.streaks.advance_streak(team, NEWBIE, given)
    life.add(
        SlackUser,
        team_id=team,
        user_id=NEWBIE.user_id,
        name=NEWBIE.name,
        tz=NEWBIE.tz,
        is_bot=False,
        deleted=False,
        departed_at=None,
        fetched_at=now,
    )
    others_life(rng, life, space, now, share)
    return life


# --- writing it --------------------------------------------------------------------------------


def write_life(db: Database, life: Life) -> None:
    """One transaction: the tables in bulk (executemany), then the two people's kudos through
    ``storage.kudos.add_kudos`` a month at a time and ``revoke`` (the app's own rollup writes),
    and their giving streaks."""
    with db.write() as session:
        for model, rows in life.rows.items():
            table: Any = model.__table__  # type: ignore[attr-defined]
            for i in range(0, len(rows), CHUNK):
                session.execute(insert(table), rows[i : i + CHUNK])
        months: dict[tuple[int, int], list[Kudos]] = {}
        for row in life.kudos:
            months.setdefault((row.created_at.year, row.created_at.month), []).append(row)
        for rows in months.values():
            ledger.add_kudos(session, rows)
        for i in sorted(life.revoked):
            row = life.kudos[i]
            later = row.created_at + timedelta(minutes=2)
            ledger.revoke(session, [row], by=row.giver_id, why=RevocationReason.UNDO, now=later)
        streaks = [dict(zip(STREAK_COLS, r, strict=True)) for r in life.streaks.streak_rows()]
        session.execute(insert(GivingStreak.__table__), streaks)  # type: ignore[arg-type]
        if db.dialect == "postgresql":  # goals and prompts had their ids given
            for name in ("goal", "checkin_prompt"):
                sequence = f"pg_get_serial_sequence('{name}', 'id')"
                session.execute(text(f"SELECT setval({sequence}, max(id)) FROM {name}"))


# --- Slack, which must not be called -----------------------------------------------------------


class SlackStandIn:
    """A local Web API that answers every call ``{"ok": false}`` at once and records it: the
    bench's people are all in the ``slack_user`` cache, so a call is a finding, not a need."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        calls = self.calls

        class Answer(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                calls[self.path.rsplit("/", 1)[-1].split("?")[0]] += 1
                body = b'{"ok": false, "error": "bench_has_no_slack"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def taken(self) -> dict[str, int]:
        """The calls since the last look (and forget them)."""
        seen = dict(self.calls)
        self.calls.clear()
        return seen

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class LogCount(logging.Handler):
    """Counts what Bravo logs at WARNING and above, by logger and message, instead of printing
    each (a warning per home build would drown the figures); the report lists them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        self.seen[f"{record.levelname} {record.name}: {record.getMessage()}"[:160]] += 1

    def taken(self) -> dict[str, int]:
        seen = dict(self.seen)
        self.seen.clear()
        return seen


LOGGED = LogCount()


def make_deps(db: Database, slack: SlackStandIn) -> Deps:
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": "xoxb-bench-home",
            "SLACK_API_URL": slack.url,
            "DATABASE_URL": db.engine.url.render_as_string(hide_password=False),
            "BRAVO_ADMINS": HEAVY.user_id,  # their home has the admin section too
            "LOG_LEVEL": "WARNING",
        }
    )
    return build_deps(settings, db)


# --- measuring ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class UseCases:
    build_home: Callable[..., dict[str, Any]]
    export_person: Callable[..., Any]
    erase_person: Callable[..., Any]


def use_cases() -> UseCases:
    """What is measured: issue 12's use cases in ``bot/home`` and ``bot/privacy``."""
    from bot.home.service import build_home
    from bot.privacy.service import erase_person, export_person

    return UseCases(build_home, export_person, erase_person)


@dataclass
class Result:
    backend: str
    kudos: int = 0
    load_s: float = 0.0
    life_s: float = 0.0
    db_mib: float = 0.0
    history: dict[str, int] = field(default_factory=dict)
    home: dict[str, list[float]] = field(default_factory=dict)
    blocks: dict[str, int] = field(default_factory=dict)
    view_bytes: dict[str, int] = field(default_factory=dict)
    first: dict[str, float] = field(default_factory=dict)  # the first build of each, cold
    export_ms: list[float] = field(default_factory=list)
    export_bytes: tuple[int, int] = (0, 0)
    export_newbie: tuple[float, int, int] = (0.0, 0, 0)
    erase_ms: float = 0.0
    removed: dict[str, int] = field(default_factory=dict)
    naming_after: dict[str, int] = field(default_factory=dict)
    boards: dict[str, list[float]] = field(default_factory=dict)
    board_ok: str = ""
    checks: list[str] = field(default_factory=list)
    slack_calls: dict[str, dict[str, int]] = field(default_factory=dict)
    counterparts: list[str] = field(default_factory=list)  # who they gave to and got from most
    logged: dict[str, int] = field(default_factory=dict)  # warnings and errors logged, by text


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return (time.perf_counter() - t0) * 1000, out


def time_home(
    uc: UseCases, deps: Deps, team: str, who: str, reps: int, warmup: int
) -> tuple[float, list[float], dict[str, Any]]:
    """The first build (cold: the first for this person, and for the first person the first of
    the run), then ``reps`` timed builds after ``warmup`` untimed ones; and the last view."""
    first, view = timed(lambda: uc.build_home(deps, team, who))
    for _ in range(warmup):
        view = uc.build_home(deps, team, who)
    samples = []
    for _ in range(reps):
        ms, view = timed(lambda: uc.build_home(deps, team, who))
        samples.append(ms)
    return first, samples, view


def naming(db: Database, user_id: str) -> dict[str, int]:
    """Rows of every table with ``user_id`` in a column: equal to it in a short text column,
    or inside a long one (a mention in a reason). What the erasure test scans, timed apart."""
    found: dict[str, int] = {}
    with db.read() as session:
        for table in SQLModel.metadata.sorted_tables:
            tests = []
            for column in table.columns:
                if isinstance(column.type, Text):
                    tests.append(column.like(f"%{user_id}%"))
                elif isinstance(column.type, String):
                    tests.append(column == user_id)
            if tests:
                n = session.execute(select(func.count()).select_from(table).where(or_(*tests)))
                if count := int(n.scalar_one()):
                    found[table.name] = count
    return found


def boards(db: Database, team: str, now: datetime, reps: int) -> tuple[dict[str, list[float]], str]:
    """The weekly and all-time leaderboards, timed; and whether the erased person is on one."""
    out: dict[str, list[float]] = {}
    seen = False
    for label, period in (("weekly", Period.WEEK), ("all time", Period.ALL)):

        def call(s: Session, period: Period = period) -> Any:
            return rules.kudos_leaderboard(
                session=s, team_id=team, period=period, value=None, now=now
            )

        out[label] = time_query(db, call, reps, 3)
        with db.read() as session:
            board = call(session)
        seen = seen or any(r.user_id == HEAVY.user_id for r in board.rows)
        if not board.rows:
            return out, f"the {label} board is EMPTY"
    return out, "the erased person is ON a board" if seen else "both boards answer, without them"


def measure(
    uc: UseCases,
    db: Database,
    res: Result,
    now: datetime,
    args: argparse.Namespace,
    spaces: Sequence[Workspace],
    say: Callable[[str], None],
) -> None:
    team = spaces[0].team_id
    slack = SlackStandIn()
    try:
        deps = make_deps(db, slack)
        for label, person in (("5-year person", HEAVY), ("newcomer", NEWBIE)):
            first, samples, view = time_home(uc, deps, team, person.user_id, args.reps, args.warmup)
            res.first[label] = first
            res.home[label] = samples
            res.blocks[label] = len(view.get("blocks") or [])
            res.view_bytes[label] = len(json.dumps(view))
            say(
                f"home, {label}: p50 {percentile(samples, 0.5):.2f} ms, p99 "
                f"{percentile(samples, 0.99):.2f} ms, {res.blocks[label]} blocks"
            )
        res.slack_calls["home"] = slack.taken()
        for _ in range(args.exports):
            ms, export = timed(lambda: uc.export_person(deps, team, HEAVY.user_id))
            res.export_ms.append(ms)
        res.export_bytes = (len(export.json_bytes), len(export.csv_bytes))
        ms, small = timed(lambda: uc.export_person(deps, team, NEWBIE.user_id))
        res.export_newbie = (ms, len(small.json_bytes), len(small.csv_bytes))
        say(
            f"export: {min(res.export_ms):.0f} ms, JSON {res.export_bytes[0]:,} B, "
            f"CSV {res.export_bytes[1]:,} B"
        )
        res.slack_calls["export"] = slack.taken()
        res.checks.append(
            "before erasure: "
            + check_against_ledger(db, now, spaces, [(team, HEAVY.user_id), (team, NEWBIE.user_id)])
        )
        res.erase_ms, erased = timed(
            lambda: uc.erase_person(deps, team, HEAVY.user_id, requested_by=None, why="self")
        )
        res.removed = dict(erased.removed)
        res.slack_calls["erase"] = slack.taken()
        say(f"erase: {res.erase_ms:.0f} ms, {sum(res.removed.values()):,} rows removed")
        res.boards, res.board_ok = boards(db, team, now, 20)
        say(f"after erasure: {res.board_ok}")
        try:  # the people who gave them kudos and got kudos from them, above all
            extra = [(team, u) for u in (HEAVY.user_id, *res.counterparts)]
            res.checks.append("after erasure: " + check_against_ledger(db, now, spaces, extra))
        except CheckFailed as err:  # a finding about the erasure, not about the bench
            res.checks.append(
                f"after erasure: MISMATCH, the rollups disagree with the ledger: {err}"
            )
        t0 = time.perf_counter()
        res.naming_after = naming(db, HEAVY.user_id)
        res.checks.append(f"scan of every table for their id: {time.perf_counter() - t0:.1f} s")
    finally:
        slack.close()


def run_backend(
    uc: UseCases,
    backend: str,
    now: datetime,
    args: argparse.Namespace,
    spaces: Sequence[Workspace],
    life_of: Callable[[], Life],
) -> Result:
    res = Result(backend)

    def say(msg: str) -> None:
        print(f"[{backend}] {msg}", flush=True)

    life = life_of()
    res.history = history_counts(life)
    for side in ("giver_id", "recipient_id"):
        most = Counter(
            getattr(k, side) for k in life.kudos if HEAVY.user_id in (k.giver_id, k.recipient_id)
        )
        res.counterparts += [u for u, _ in most.most_common(6) if u != HEAVY.user_id]
    with fresh_database(backend) as (loading_db, db_bytes):
        size = max(1_000, args.kudos - len(life.kudos))
        loaded = load(loading_db, size, now, args.seed, spaces, SPAN_DAYS)
        res.load_s = loaded.seconds
        say(f"workspace: {loaded.kudos:,} kudos over {YEARS} years in {loaded.seconds:.1f} s")
        t0 = time.perf_counter()
        write_life(loading_db, life)
        res.life_s = time.perf_counter() - t0
        res.kudos = loaded.kudos + len(life.kudos)
        say(
            f"the person and the rest: {sum(len(r) for r in life.rows.values()):,} rows and "
            f"{len(life.kudos):,} kudos in {res.life_s:.1f} s"
        )
        db = reopen(loading_db)
        try:
            say(f"ANALYZE and flush in {analyze(db):.1f} s; database {db_bytes() / 2**20:,.0f} MiB")
            res.db_mib = db_bytes() / 2**20
            LOGGED.taken()
            measure(uc, db, res, now, args, spaces, say)
            res.logged = LOGGED.taken()
        finally:
            db.dispose()
    return res


def history_counts(life: Life) -> dict[str, int]:
    me = HEAVY.user_id
    mine = [k for k in life.kudos if me in (k.giver_id, k.recipient_id)]
    return {
        "kudos received": sum(k.recipient_id == me for k in mine),
        "kudos given": sum(k.giver_id == me for k in mine),
        "goals": life.count(Goal, me, "owner_id"),
        "check-ins": life.count(CheckIn, me, "user_id"),
        "check-in prompts": life.count(CheckInPrompt, me, "user_id"),
        "feedback received": life.count(Feedback, me, "recipient_id"),
        "feedback given": life.count(Feedback, me, "giver_id"),
        "requests (either side)": life.count(FeedbackRequest, me, "requester_id", "giver_id"),
        "customer feedback (either side)": life.count(
            CustomerFeedback, me, "teammate_id", "logged_by"
        ),
        "coaching pairings": life.count(CoachPairing, me, "coach_id", "coachee_id"),
        "milestones": life.count(Milestone, me, "user_id"),
        "celebration dates": life.count(PersonDate, me, "user_id"),
    }


# --- the report --------------------------------------------------------------------------------


def p50_p99(samples: Sequence[float]) -> str:
    return f"{percentile(samples, 0.5):.2f} / {percentile(samples, 0.99):.2f}"


def table_rows(r: Result) -> list[tuple[str, str]]:
    heavy, newbie = r.home["5-year person"], r.home["newcomer"]
    p99 = percentile(heavy, 0.99)
    return [
        ("kudos in the database", f"{r.kudos:,}"),
        ("load: workspace / the rest", f"{r.load_s:.0f} s / {r.life_s:.0f} s"),
        ("database size", f"{r.db_mib:,.0f} MiB"),
        (f"home, 5-year person: p50 / p99 ms ({len(heavy)})", p50_p99(heavy)),
        (f"home, newcomer: p50 / p99 ms ({len(newbie)})", p50_p99(newbie)),
        ("home p50, 5-year / newcomer", f"x{percentile(heavy, 0.5) / percentile(newbie, 0.5):.2f}"),
        (
            f"blocks, 5-year / newcomer (max {MAX_BLOCKS})",
            f"{r.blocks['5-year person']} / {r.blocks['newcomer']}"
            + ("" if max(r.blocks.values()) <= MAX_BLOCKS else " OVER"),
        ),
        (
            "home, first build (cold): 5-year / newcomer",
            " / ".join(f"{ms:.2f}" for ms in r.first.values()),
        ),
        ("view JSON, 5-year / newcomer", " / ".join(f"{b:,} B" for b in r.view_bytes.values())),
        (f"target: home under {TARGET_MS:.0f} ms (p99)", "met" if p99 < TARGET_MS else "MISSED"),
        (f"export, 5-year: ms (best of {len(r.export_ms)})", f"{min(r.export_ms):,.0f}"),
        ("export, 5-year: JSON / CSV", f"{r.export_bytes[0]:,} B / {r.export_bytes[1]:,} B"),
        (
            "export, newcomer: ms, JSON / CSV",
            f"{r.export_newbie[0]:,.0f}, {r.export_newbie[1]:,} B / {r.export_newbie[2]:,} B",
        ),
        ("erase, 5-year: ms", f"{r.erase_ms:,.0f}"),
        ("erase: rows removed", f"{sum(r.removed.values()):,}"),
        ("leaderboard after: weekly p50 / p99 ms", p50_p99(r.boards["weekly"])),
        ("leaderboard after: all-time p50 / p99 ms", p50_p99(r.boards["all time"])),
        ("rows still naming them after", f"{sum(r.naming_after.values()):,}"),
        (
            "Slack calls: home / export / erase",
            " / ".join(str(sum(r.slack_calls[p].values())) for p in ("home", "export", "erase")),
        ),
    ]


def report(results: dict[str, Result | str]) -> None:
    done = [r for r in results.values() if isinstance(r, Result)]
    if done:
        print("\n=== bench.home: the person's five years ===")
        for what, n in done[0].history.items():
            print(f"  {what:<34}{n:>8,}")
        print(
            f"\n=== bench.home: figures (ms are wall time, {len(done[0].home['newcomer'])} "
            "home builds each) ==="
        )
        rows = [table_rows(r) for r in done]
        print(f"  {'':<46}" + "".join(f"{r.backend:>30}" for r in done))
        for i, (label, _) in enumerate(rows[0]):
            print(f"  {label:<46}" + "".join(f"{row[i][1]:>30}" for row in rows))
    for backend, r in results.items():
        if isinstance(r, str):
            print(f"\n=== {backend}: {r} ===")
            continue
        print(f"\n--- {backend}: rows removed by erase_person ---")
        for name, n in sorted(r.removed.items()):
            print(f"  {name:<30}{n:>10,}")
        if r.naming_after:
            print(f"--- {backend}: rows still naming them after the erasure (by table) ---")
            for name, n in sorted(r.naming_after.items()):
                print(f"  {name:<30}{n:>10,}")
        calls = [
            (f"{phase}: {name}", n)
            for phase, seen in r.slack_calls.items()
            for name, n in seen.items()
        ]
        if calls:
            print(f"--- {backend}: Slack calls attempted (each answered with an error) ---")
            for name, n in calls:
                print(f"  {name:<30}{n:>10,}")
        if r.logged:
            print(f"--- {backend}: logged while measuring (count, first 160 characters) ---")
            for line, n in sorted(r.logged.items(), key=lambda item: -item[1]):
                print(f"  {n:>6} x {line}")
        print(f"--- {backend}: checks ---")
        print(f"  {r.board_ok}")
        for line in r.checks:
            print(f"  {line}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.home", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--kudos", type=int, default=1_000_000, help="kudos in the database")
    parser.add_argument("--backends", default="sqlite,postgres", help="sqlite and/or postgres")
    parser.add_argument("--reps", type=int, default=50, help="timed home builds per person")
    parser.add_argument("--warmup", type=int, default=5, help="untimed builds before those")
    parser.add_argument("--exports", type=int, default=3, help="timed exports")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="50,000 kudos, SQLite only")
    args = parser.parse_args(argv)
    if args.quick:
        args.kudos, args.backends = 50_000, "sqlite"
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if unknown := [b for b in backends if b not in ("sqlite", "postgres")]:
        parser.error(f"unknown backend(s): {', '.join(unknown)}")
    try:
        uc = use_cases()
    except ImportError as err:
        print(f"bench.home measures issue 12's use cases, not found here: {err}", file=sys.stderr)
        return 1
    logging.getLogger().addHandler(LOGGED)
    logging.getLogger().setLevel(logging.WARNING)
    now = datetime.now(UTC).replace(microsecond=0)
    spaces = make_workspaces(args.seed)
    share = max(0.05, args.kudos / 1_000_000)
    print(
        f"bench.home: Python {platform.python_version()}, SQLAlchemy {sqlalchemy.__version__}, "
        f"SQLite {__import__('sqlite3').sqlite_version}, {os.cpu_count()} CPUs; "
        f"now={now:%Y-%m-%d %H:%M}Z; {fmt_size(args.kudos)} kudos over {YEARS} years, "
        f"{len(spaces[0].people):,} + {len(spaces[1].people)} people; seed {args.seed}",
        flush=True,
    )
    try:
        print("check: " + check_rollup_logic(now, args.seed, spaces), flush=True)
    except CheckFailed as err:
        print(f"self-check FAILED, aborting: {err}", file=sys.stderr)
        return 1
    results: dict[str, Result | str] = {}
    try:
        for backend in backends:
            if backend == "postgres" and (problem := pg_problem()):
                results[backend] = f"skipped: {problem}"
                print(f"[{backend}] skipped: {problem}", flush=True)
                continue
            results[backend] = run_backend(
                uc, backend, now, args, spaces, lambda: make_life(spaces, now, args.seed, share)
            )
    except CheckFailed as err:
        print(f"self-check FAILED, aborting: {err}", file=sys.stderr)
        return 1
    report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
