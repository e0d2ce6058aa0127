"""A team's week of recognition, read from the ledger for the week only (never the history).

The team is a channel's members; its kudos are those given and received among them. The
workspace's suggestions marked done that week ("you said, we did") belong to every team's week.
The week's most helpful lesson is one posted to the team channel itself that week (so it is
public: its author posted it there), counted by the "This helped me" clicks of that week.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.cadence import local_time
from bot.celebrations.service import Reached
from bot.suggestions.service import DoneSuggestion, done_between
from storage import shoutouts as store
from storage.models.kudos import MilestoneKind
from storage.shoutouts import WeekKudos, WeekLesson

BEST_MOMENTS = 5
TOP_VALUES = 3
REASON_CHARS = 300
# The one count of a week's kudos: a kudos given to several people at once is one kudos (one
# moment), in the post's summary, its chart, its values and the full list alike.
COUNTED_ONCE = "a kudos to several people counts once"


@dataclass(frozen=True)
class Moment:
    """One kudos as given (a command naming three people is one moment)."""

    giver_id: str
    recipient_ids: tuple[str, ...]
    reason: str  # safe mrkdwn, as stored
    values: tuple[str, ...]
    created_at: datetime


@dataclass(frozen=True)
class Completed:
    owner_id: str
    what: str


@dataclass(frozen=True)
class Week:
    team_id: str
    channel_id: str
    start: datetime
    end: datetime
    tz: str
    kudos: int  # kudos given: moments, a kudos to several people counting once (COUNTED_ONCE)
    recognised: tuple[str, ...]  # people recognised, most first
    givers: int
    moments: tuple[Moment, ...]  # every moment, oldest first
    best: tuple[Moment, ...]  # the ones worth quoting
    values: tuple[tuple[str, int], ...]  # most recognised first
    per_day: tuple[tuple[date, int], ...]  # the local days the week touches
    first_timers: tuple[str, ...]
    milestones: tuple[Reached, ...]
    goals: tuple[Completed, ...]
    done: tuple[DoneSuggestion, ...]  # "you said, we did": suggestions done this week
    # The lesson posted here this week that helped most people this week (at least one).
    lesson: WeekLesson | None = None

    @property
    def counted_note(self) -> str:
        """Says how kudos are counted, when a kudos this week named several people."""
        if any(len(m.recipient_ids) > 1 for m in self.moments):
            return f" ({COUNTED_ONCE})"
        return ""

    @property
    def quiet(self) -> bool:
        nothing = not self.milestones and not self.goals and not self.done and not self.lesson
        return self.kudos == 0 and nothing


def week_start(end: datetime, zone: ZoneInfo) -> datetime:
    """Seven local days before ``end`` (the same wall-clock time, across DST changes)."""
    local = end.astimezone(zone)
    return local_time(local.date() - timedelta(days=7), local.hour * 60 + local.minute, zone)


def done_days(start: datetime, end: datetime, *, so_far: bool = False) -> tuple[date, date]:
    """The (UTC) days whose done suggestions belong to the week ``start``..``end``: from the
    start's day up to, not including, the end's day. A suggestion is marked done on a UTC day,
    not at a time, so one done on the day of a post (before or after it) waits for the next
    week's: each is told exactly once. ``so_far`` (a preview) takes today's too."""
    since = start.astimezone(UTC).date()
    until = end.astimezone(UTC).date() + timedelta(days=1 if so_far else 0)
    return since, until


def build_week(
    *,
    session: Session,
    team_id: str,
    channel_id: str,
    members: list[str],
    tz: str,
    end: datetime,
    so_far: bool = False,
) -> Week:
    """The week up to ``end`` (the post's due time; ``so_far``: now, for a preview)."""
    zone = ZoneInfo(tz)
    start = week_start(end, zone)
    team = set(members)
    rows = [
        k
        for k in store.week_kudos(session, team_id, start, end)
        if k.giver_id in team and k.recipient_id in team
    ]
    moments = _moments(rows)
    received = Counter(k.recipient_id for k in rows)
    recognised = tuple(u for u, _ in sorted(received.items(), key=lambda kv: (-kv[1], kv[0])))
    values = Counter(v for m in moments for v in m.values)
    earlier = store.recognised_before(session, team_id=team_id, user_ids=recognised, before=start)
    reached = [
        Reached(m.user_id, m.kind, m.threshold)
        for m in store.milestones_between(session, team_id, start, end)
        if m.user_id in team
    ]
    goals = store.public_goals_completed(
        session, team_id=team_id, owners=sorted(team), start=start, end=end
    )
    since, until = done_days(start, end, so_far=so_far)
    first_timers = tuple(u for u in recognised if u not in earlier)
    return Week(
        team_id=team_id,
        channel_id=channel_id,
        start=start,
        end=end,
        tz=tz,
        kudos=len(moments),
        recognised=recognised,
        givers=len({k.giver_id for k in rows}),
        moments=tuple(moments),
        best=tuple(best_moments(moments)),
        values=tuple(sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))),
        per_day=_per_day(moments, start, end, zone),
        first_timers=first_timers,
        milestones=tuple(r for r in _highest(reached) if not _first_kudos_of(r, first_timers)),
        goals=tuple(Completed(g.owner_id, g.what) for g in goals),
        done=tuple(done_between(session, team_id=team_id, since=since, until=until)),
        lesson=store.most_helpful_lesson(
            session, team_id=team_id, channel_id=channel_id, start=start, end=end
        ),
    )


def _per_day(
    moments: list[Moment], start: datetime, end: datetime, zone: ZoneInfo
) -> tuple[tuple[date, int], ...]:
    """Kudos per local day the week touches: 8 calendar days, the first and last partly."""
    days = Counter(m.created_at.astimezone(zone).date() for m in moments)
    first_day = start.astimezone(zone).date()
    last_day = (end - timedelta(microseconds=1)).astimezone(zone).date()
    span = range((last_day - first_day).days + 1)
    return tuple((first_day + timedelta(days=i), days[first_day + timedelta(days=i)]) for i in span)


def _moments(rows: list[WeekKudos]) -> list[Moment]:
    batches: dict[str, list[WeekKudos]] = {}
    for row in rows:
        batches.setdefault(row.batch_id, []).append(row)
    moments = [
        Moment(
            giver_id=group[0].giver_id,
            recipient_ids=tuple(dict.fromkeys(k.recipient_id for k in group)),
            reason=group[0].reason,
            values=tuple(v for v in group[0].values.split(",") if v),
            created_at=group[0].created_at,
        )
        for group in batches.values()
    ]
    return sorted(moments, key=lambda m: (m.created_at, m.giver_id))


def _score(m: Moment) -> int:
    """Reasons that say what someone did read best: longer (to a point), tagged with values."""
    return min(len(m.reason), 240) + 40 * len(m.values) + 15 * (len(m.recipient_ids) - 1)


def best_moments(moments: list[Moment], limit: int = BEST_MOMENTS) -> list[Moment]:
    """The best-told moments, spread over as many people as possible (one per recipient and
    giver first), in the order they happened."""
    ranked = sorted(moments, key=lambda m: (-_score(m), m.created_at))
    chosen: list[Moment] = []
    seen: set[str] = set()
    for m in ranked:
        people = {m.giver_id, *m.recipient_ids}
        if len(chosen) < limit and not people & seen:
            chosen.append(m)
            seen |= people
    for m in ranked:
        if len(chosen) < limit and m not in chosen:
            chosen.append(m)
    return sorted(chosen, key=lambda m: m.created_at)


def _first_kudos_of(r: Reached, first_timers: tuple[str, ...]) -> bool:
    """A first-kudos milestone of someone the post already names under "First kudos ever"."""
    return r.kind == MilestoneKind.RECEIVED and r.threshold == 1 and r.user_id in first_timers


def _highest(reached: list[Reached]) -> list[Reached]:
    """One line per person and kind: the highest milestone of the week."""
    top: dict[tuple[str, str], Reached] = {}
    for r in reached:
        key = (r.user_id, r.kind)
        if key not in top or r.threshold > top[key].threshold:
            top[key] = r
    return list(top.values())


def unrecognised(
    *, session: Session, team_id: str, members: list[str], now: datetime, weeks: int = 4
) -> list[str]:
    """Members nobody recognised in the last ``weeks`` weeks (UTC days, from the tally)."""
    since = (now - timedelta(weeks=weeks)).date()
    recognised = store.recognised_since(session, team_id, since)
    return [u for u in members if u not in recognised]
