"""The week's most helpful lesson in the weekly shout-out: posted to the team channel that week,
counted by that week's "This helped me" clicks, shown mention-safe, and left out when none."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from bot.shoutouts import render
from bot.shoutouts.week import Week, build_week
from storage.db import Database
from storage.models.learning import Lesson, LessonHelp
from storage.shoutouts import WeekLesson
from tests.bot.shoutouts.test_shoutouts import moment, week_of, within_limits

T = "T1"
NOW = datetime(2026, 11, 27, 15, tzinfo=UTC)
DAY = timedelta(days=1)
TEAM = ["UANA", "UBEN", "UCY"]


def lesson(
    db: Database,
    learned: str,
    *,
    posted: datetime | None,
    helps: list[tuple[str, datetime]] = (),  # type: ignore[assignment]
    channel: str = "C1",
    team: str = T,
    author: str = "UANA",
    visibility: str = "team",
    skill: str | None = "empathy",
) -> int:
    with db.write() as s:
        row = Lesson(
            team_id=team,
            author_id=author,
            added_by=author,
            learned=learned,
            skill=skill,
            origin="command",
            visibility=visibility,
            posted_channel=channel if posted else None,
            posted_at=posted,
            helped_count=len(helps),
            created_at=(posted or NOW) - timedelta(minutes=5),
            updated_at=posted or NOW,
        )
        s.add(row)
        s.flush()
        assert row.id is not None
        for user, at in helps:
            s.add(LessonHelp(lesson_id=row.id, user_id=user, team_id=team, created_at=at))
        return row.id


def week(db: Database, *, team: str = T, channel: str = "C1", end: datetime = NOW) -> Week:
    with db.read() as s:
        return build_week(
            session=s, team_id=team, channel_id=channel, members=TEAM, tz="UTC", end=end
        )


def clicks(n: int, at: datetime) -> list[tuple[str, datetime]]:
    return [(f"UH{i}", at + timedelta(minutes=i)) for i in range(n)]


def test_the_most_helpful_lesson_of_the_week_and_the_channel(db: Database) -> None:
    best = lesson(db, "Name the feeling first", posted=NOW - 3 * DAY, helps=clicks(3, NOW - DAY))
    lesson(db, "Two helps", posted=NOW - 4 * DAY, helps=clicks(2, NOW - DAY))
    lesson(db, "Elsewhere", posted=NOW - 3 * DAY, helps=clicks(9, NOW - DAY), channel="C2")
    lesson(db, "Other workspace", posted=NOW - 3 * DAY, helps=clicks(9, NOW - DAY), team="T2")
    # Private: its clicks (however they came) never make it public.
    lesson(db, "Private", posted=NOW - 3 * DAY, helps=clicks(9, NOW - DAY), visibility="private")
    # Posted last week: this week's clicks do not bring it back.
    lesson(db, "Last week's", posted=NOW - 8 * DAY, helps=clicks(9, NOW - DAY))
    # Posted this week, but helped people only after the post's time.
    lesson(db, "Late", posted=NOW - 2 * DAY, helps=clicks(9, NOW + timedelta(minutes=1)))
    # Posted at the post's time: next week's.
    lesson(db, "Next week's", posted=NOW, helps=clicks(9, NOW + timedelta(minutes=1)))
    found = week(db).lesson
    assert found is not None
    assert (found.id, found.learned, found.helped) == (best, "Name the feeling first", 3)
    assert found.author_id == "UANA" and found.skill == "empathy"
    assert week(db, team="T2").lesson is not None  # the other workspace has its own
    assert week(db, channel="C2").lesson is not None and week(db, channel="C2").lesson.helped == 9


def test_only_this_weeks_clicks_count_and_never_the_authors_own(db: Database) -> None:
    # Posted as the week began: ten clicks before the week (impossible in life, but the count
    # must be of the week's clicks, not the all-time helped_count).
    old = clicks(10, NOW - 8 * DAY)
    lesson(db, "Many before", posted=NOW - 7 * DAY, helps=[*old, ("UX", NOW - DAY)])
    lesson(db, "Self-helped", posted=NOW - 5 * DAY, helps=[("UBEN", NOW - DAY), ("UCY", NOW)])
    lesson(db, "Two this week", posted=NOW - 6 * DAY, helps=clicks(2, NOW - 2 * DAY))
    found = week(db).lesson
    assert found is not None and found.learned == "Two this week" and found.helped == 2
    with db.write() as s:  # the author's own click does not count
        s.add(LessonHelp(lesson_id=found.id, user_id="UANA", team_id=T, created_at=NOW - DAY))
    assert week(db).lesson == found


def test_a_tie_goes_to_the_earliest_posted(db: Database) -> None:
    lesson(db, "Later", posted=NOW - 2 * DAY, helps=clicks(2, NOW - DAY))
    first = lesson(db, "Earlier", posted=NOW - 5 * DAY, helps=clicks(2, NOW - DAY))
    lesson(db, "Earliest, unhelpful", posted=NOW - 6 * DAY)
    found = week(db).lesson
    assert found is not None and found.id == first


def test_no_helpful_lesson_no_section(db: Database) -> None:
    lesson(db, "Nobody clicked", posted=NOW - 2 * DAY)
    lesson(db, "Clicked last week", posted=NOW - 9 * DAY, helps=clicks(4, NOW - 8 * DAY))
    found = week(db)
    assert found.lesson is None
    text = json.dumps(render.weekly_post(week_of([moment(1)])))
    assert "Lesson of the week" not in text
    assert found.quiet  # nothing else happened either: the nudge, not an empty post


def test_a_helpful_lesson_alone_makes_the_week_worth_a_post(db: Database) -> None:
    lesson(db, "Only this", posted=NOW - 2 * DAY, helps=clicks(1, NOW - DAY))
    found = week(db)
    assert not found.quiet and found.kudos == 0
    post = render.weekly_post(found)
    text = json.dumps(post)
    assert "Lesson of the week" in text and "It helped 1 person this week" in text


def shown(learned: str, skill: str | None = "empathy", author: str = "UANA") -> str:
    best = WeekLesson(1, author, learned, skill, NOW - DAY, 4)
    post = render.weekly_post(week_of([moment(1)], lesson=best))
    within_limits(post)
    [block] = [b for b in post["blocks"] if "Lesson of the week" in json.dumps(b)]
    return str(block["text"]["text"])


def test_the_lesson_is_shown_mention_safe_trimmed_with_author_skill_and_count() -> None:
    text = shown("Ask <!channel> and <@UBOSS> what <#C9> said " + "word " * 10_000)
    assert "<!channel>" not in text and "<@UBOSS>" not in text  # nobody is pinged
    assert "<@UANA>" in text and "`#empathy`" in text and "It helped 4 people" in text
    assert len(text) < 700 and "…" in text
    assert "<#C9>" in text  # a channel link stays a link
    assert "`#" not in shown("no skill", skill=None)
    assert "<@" not in shown("erased author", author="erased")
    assert "<script>" not in shown("<script>")  # no markup gets through
    assert "*Lesson" in shown("")  # an empty text still renders a valid section
