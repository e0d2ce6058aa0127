"""Kudos rules in the caller's transaction, on a real database (SQLite, and PostgreSQL when
reachable)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import func, select

from bot import errors
from bot.kudos import errors as kudos_errors
from bot.kudos import rules as kudos
from bot.settings import KudosRules
from bot.users import Person
from storage.models import Kudos, KudosRevocation, KudosTally, Milestone

T = "T1"
ANA = Person("UANA", "ana", "America/New_York")
BEN = Person("UBEN", "ben", "Europe/Berlin")
CY = Person("UCY", "cy", "Asia/Tokyo")
BOT = Person("UBOT", "helper", is_bot=True)
GONE = Person("UGONE", "gone", deleted=True)
NOBODY = Person("UNOBODY", known=False)
RULES = KudosRules(daily_allowance=5)


def give(db, giver=ANA, recipients=(BEN,), now=None, rules=RULES, values=("empathy",), **kw):
    with db.write() as s:
        return kudos.give_kudos(
            session=s,
            team_id=T,
            giver=giver,
            recipients=list(recipients),
            reason="for help",
            values=values,
            channel_id="C1",
            source="command",
            rules=rules,
            now=now or datetime(2026, 11, 23, 15, tzinfo=UTC),
            **kw,
        )


def undo(db, result, giver, now):
    with db.write() as s:
        return kudos.undo_kudos(
            session=s, team_id=T, batch_id=result.batch_id, giver=giver, rules=RULES, now=now
        )


def count(db, model) -> int:
    with db.read() as s:
        return int(s.exec(select(func.count()).select_from(model)).one())


def test_give_records_one_row_per_recipient_and_reports_allowance(db) -> None:
    result = give(db, recipients=(BEN, CY))
    assert result.recipient_ids == ("UBEN", "UCY")
    assert result.remaining_today == 3
    assert count(db, Kudos) == 2


@pytest.mark.parametrize(
    ("recipients", "error"),
    [
        ((ANA,), kudos_errors.SelfKudosError),
        ((BEN, ANA), kudos_errors.SelfKudosError),
        ((BOT,), kudos_errors.BotRecipientError),
        ((GONE,), kudos_errors.InactiveRecipientError),
        ((NOBODY,), kudos_errors.UnknownUserError),
        ((), errors.NoRecipientError),
    ],
)
def test_refusals_store_nothing(db, recipients, error) -> None:
    with pytest.raises(error):
        give(db, recipients=recipients)
    assert count(db, Kudos) == 0
    assert count(db, KudosTally) == 0


def test_unknown_value_refused(db) -> None:
    with pytest.raises(kudos_errors.UnknownValueError):
        give(db, values=("bravery",))
    assert count(db, Kudos) == 0


def test_allowance_counts_in_the_givers_time_zone(db) -> None:
    # 23:30 in New York on the 23rd is 04:30 UTC on the 24th: still Ana's 23rd.
    late = datetime(2026, 11, 24, 4, 30, tzinfo=UTC)
    give(db, recipients=(BEN, CY), now=late - timedelta(hours=10))
    give(db, recipients=(BEN, CY), now=late - timedelta(hours=1))
    with pytest.raises(kudos_errors.AllowanceExceededError) as info:
        give(db, recipients=(BEN, CY), now=late)
    assert info.value.remaining == 1
    assert info.value.resets_at == datetime(2026, 11, 24, 0, 0, tzinfo=ANA.zone)
    give(db, recipients=(BEN,), now=late)  # the last one fits
    # Ana's midnight is 05:00 UTC: the allowance is fresh again.
    assert give(db, recipients=(BEN, CY), now=late + timedelta(minutes=31)).remaining_today == 3


def test_undone_kudos_give_the_allowance_back(db) -> None:
    first = give(db, recipients=(BEN, CY))
    undo(db, first, ANA, first.created_at + timedelta(minutes=1))
    assert give(db, recipients=(BEN,)).remaining_today == 4


def test_per_recipient_cap(db) -> None:
    rules = KudosRules(daily_allowance=5, per_recipient_daily_cap=2)
    give(db, rules=rules)
    give(db, rules=rules)
    with pytest.raises(kudos_errors.RecipientCapError):
        give(db, rules=rules)
    give(db, recipients=(CY,), rules=rules)


def test_undo_rules(db) -> None:
    result = give(db)
    start = result.created_at
    for who, when, why in [
        (BEN, start, "not_giver"),
        (ANA, start + timedelta(minutes=11), "expired"),
    ]:
        with pytest.raises(kudos_errors.UndoNotAllowedError) as info:
            undo(db, result, who, when)
        assert info.value.why == why
    undone = undo(db, result, ANA, start + timedelta(minutes=9))
    assert (len(undone.revoked), undone.remaining_today) == (1, 5)
    with pytest.raises(kudos_errors.UndoNotAllowedError) as info:
        undo(db, result, ANA, start + timedelta(minutes=9))
    assert info.value.why == "already_undone"
    # Append-only: the kudos row is still there, with a revocation beside it.
    assert count(db, Kudos) == 1 and count(db, KudosRevocation) == 1


def test_leaderboard_periods_values_and_opt_out(db) -> None:
    now = datetime(2026, 11, 23, 15, tzinfo=UTC)
    give(db, recipients=(BEN,), now=now - timedelta(days=20), values=("empathy",))
    give(db, recipients=(BEN,), now=now - timedelta(days=20), values=("empathy",))
    give(db, recipients=(CY,), now=now, values=("communication",))
    with db.read() as s:
        week = kudos.kudos_leaderboard(session=s, team_id=T, period="week", value=None, now=now)
        month = kudos.kudos_leaderboard(session=s, team_id=T, period="month", value=None, now=now)
        emp = kudos.kudos_leaderboard(session=s, team_id=T, period="all", value="empathy", now=now)
    assert [(r.user_id, r.count) for r in week.rows] == [("UCY", 1)]
    assert [(r.user_id, r.count) for r in month.rows] == [("UBEN", 2), ("UCY", 1)]
    assert [(r.user_id, r.count) for r in emp.rows] == [("UBEN", 2)]
    with db.write() as s:
        kudos.set_leaderboard_opt_out(session=s, team_id=T, user_id="UBEN", opt_out=True)
    with db.read() as s:
        month = kudos.kudos_leaderboard(session=s, team_id=T, period="month", value=None, now=now)
    assert [r.user_id for r in month.rows] == ["UCY"]


def test_leaderboard_is_scoped_by_team(db) -> None:
    give(db)
    with db.read() as s:
        other = kudos.kudos_leaderboard(
            session=s,
            team_id="T2",
            period="all",
            value=None,
            now=datetime(2026, 11, 23, tzinfo=UTC),
        )
    assert other.rows == ()


def test_received_milestones_are_celebrated_once(db) -> None:
    start = datetime(2026, 1, 5, 15, tzinfo=UTC)
    seen = []
    givers = [Person(f"UG{i}", tz="UTC") for i in range(12)]
    for i, giver in enumerate(givers):
        result = give(db, giver=giver, recipients=(BEN,), now=start + timedelta(minutes=i))
        seen += [
            (c.user_id, c.kind, c.threshold) for c in result.celebrations if c.kind == "received"
        ]
    assert seen == [("UBEN", "received", 1), ("UBEN", "received", 10)]
    # Undo the 10th and give it again: no second party.
    undo(db, result, givers[11], start + timedelta(minutes=12))
    again = give(db, giver=givers[0], recipients=(BEN,), now=start + timedelta(minutes=13))
    assert [c for c in again.celebrations if c.kind == "received"] == []


def test_giving_streak_counts_local_weeks_and_celebrates_four(db) -> None:
    # Cy is in Tokyo: Sunday 20:00 UTC is already Monday there, a new local week.
    sunday = datetime(2026, 11, 1, 20, tzinfo=UTC)
    weeks = []
    for n in range(5):
        result = give(db, giver=CY, recipients=(BEN,), now=sunday + timedelta(weeks=n))
        weeks.append(
            (
                result.streak_weeks,
                [c.threshold for c in result.celebrations if c.kind == "giving_streak"],
            )
        )
    assert weeks == [(1, []), (2, []), (3, []), (4, [4]), (5, [])]
    # A gap of two weeks starts over.
    assert give(db, giver=CY, recipients=(BEN,), now=sunday + timedelta(weeks=7)).streak_weeks == 1
    with db.read() as s:
        assert (
            s.exec(
                select(func.count()).select_from(Milestone).where(Milestone.kind == "giving_streak")
            ).one()
            == 1
        )


def test_same_week_kudos_do_not_extend_streak(db) -> None:
    monday = datetime(2026, 11, 23, 15, tzinfo=UTC)
    assert give(db, now=monday).streak_weeks == 1
    assert give(db, now=monday + timedelta(days=3)).streak_weeks == 1


def test_stats(db) -> None:
    now = datetime(2026, 11, 23, 15, tzinfo=UTC)
    give(db, recipients=(BEN,), now=now - timedelta(days=10), values=("empathy", "communication"))
    give(db, recipients=(BEN,), now=now, values=("empathy",))
    with db.read() as s:
        ben = kudos.kudos_stats(
            session=s, team_id=T, person=BEN, viewer_id="UANA", rules=RULES, now=now
        )
        ana = kudos.kudos_stats(
            session=s, team_id=T, person=ANA, viewer_id="UANA", rules=RULES, now=now
        )
    assert (ben.received, ben.given, ben.received_this_week) == (2, 0, 1)
    assert ben.by_value == {"empathy": 2, "communication": 1}
    assert ben.remaining_today is None  # someone else's allowance is not shown
    assert (ana.given, ana.remaining_today) == (2, 4)


def test_same_message_cannot_be_recognised_twice_by_one_giver(db) -> None:
    give(db, source_ref="C1:1.2")
    with pytest.raises(kudos_errors.DuplicateKudosError):
        give(db, source_ref="C1:1.2")
    give(db, recipients=(CY,), source_ref="C1:1.2")  # someone else for the same message is fine
    give(db, giver=CY, source_ref="C1:1.2")  # and so is another giver
    assert count(db, Kudos) == 3


def test_reaction_take_back(db) -> None:
    give(db, source_ref="C1:123.456")
    with db.write() as s:
        revoked = kudos.take_back_reaction(
            session=s,
            team_id=T,
            giver_id="UANA",
            source_ref="C1:123.456",
            now=datetime(2026, 11, 30, tzinfo=UTC),
        )
    assert len(revoked) == 1
    with db.read() as s:
        assert (
            kudos.kudos_stats(
                session=s,
                team_id=T,
                person=BEN,
                viewer_id="UBEN",
                rules=RULES,
                now=datetime(2026, 11, 30, tzinfo=UTC),
            ).received
            == 0
        )
