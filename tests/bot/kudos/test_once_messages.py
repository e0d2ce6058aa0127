"""A kudos celebrates each person once: one grouped line per milestone in the channel post,
each recipient's milestone inside their one kudos DM, the giver's streak in their confirmation
(pure: results in, envelopes out)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.kudos import messages, render
from bot.kudos.ids import OutboxKind
from bot.kudos.rules import Celebration, KudosResult
from storage.models.kudos import KudosSource, MilestoneKind

RECEIVED, STREAK = MilestoneKind.RECEIVED, MilestoneKind.GIVING_STREAK
GROUP = ("UA", "UB", "UC", "UD", "UE")


def result(*celebrations: Celebration, recipients: tuple[str, ...] = GROUP) -> KudosResult:
    return KudosResult(
        team_id="T1",
        batch_id="b1",
        giver_id="UG",
        recipient_ids=recipients,
        reason="covering the phones",
        values=(),
        channel_id="C1",
        source=KudosSource.COMMAND,
        source_ref=None,
        created_at=datetime(2026, 11, 23, tzinfo=UTC),
        remaining_today=3,
        allowance=5,
        streak_weeks=4,
        celebrations=celebrations,
    )


def firsts(*users: str) -> tuple[Celebration, ...]:
    return tuple(Celebration(u, RECEIVED, 1) for u in users)


def test_a_group_kudos_posts_one_first_kudos_line_and_one_dm_each() -> None:
    out = messages.announcements(result(*firsts(*GROUP)), "C1")
    [post] = [m for m in out if m.kind == OutboxKind.POST]
    lines = json.dumps(post.payload["blocks"])
    assert lines.count("First kudos ever") == 1
    assert "First kudos ever for <@UA>, <@UB>, <@UC>, <@UD> and <@UE>!" in lines
    dms = [m for m in out if m.kind != OutboxKind.POST]
    assert sorted(m.payload["channel"] for m in dms) == sorted(GROUP)  # 5 DMs, not 10
    assert all("your first kudos" in json.dumps(m.payload["blocks"]) for m in dms)


def test_each_dm_tells_only_its_recipients_milestone() -> None:
    out = messages.announcements(result(*firsts("UA"), Celebration("UB", RECEIVED, 10)), "C1")
    dm = {m.payload["channel"]: json.dumps(m.payload["blocks"]) for m in out[1:]}
    assert "first kudos" in dm["UA"] and "10 kudos" not in dm["UA"]
    assert "10 kudos" in dm["UB"] and "first kudos" not in dm["UB"]
    assert "first kudos" not in dm["UC"] and "10 kudos" not in dm["UC"]


def test_the_givers_streak_milestone_is_in_their_confirmation_not_a_dm() -> None:
    gift = result(Celebration("UG", STREAK, 4), recipients=("UA",))
    out = messages.announcements(gift, "C1")
    assert [m.payload["channel"] for m in out] == ["C1", "UA"]
    confirmation = json.dumps(render.giver_confirmation(gift, 5)["blocks"])
    assert "4 weeks in a row" in confirmation
    # Given by reaction there is no confirmation: the streak comes by DM then, once.
    by_reaction = messages.announcements(gift, "C1", giver_confirmed=False)
    assert [m.payload["channel"] for m in by_reaction] == ["C1", "UA", "UG"]


def test_milestones_told_in_the_team_channel_are_in_neither_post_nor_dm() -> None:
    out = messages.announcements(result(*firsts("UA", "UB")), "C1", in_channel={"UA"})
    post = json.dumps(out[0].payload["blocks"])
    assert "First kudos ever for <@UB>!" in post and "<@UA>!" not in post
    dm = {m.payload["channel"]: json.dumps(m.payload["blocks"]) for m in out[1:]}
    assert "first kudos" not in dm["UA"] and "first kudos" in dm["UB"]
