"""Lessons in the skill profile: shared (posted to a team channel, counted when posted) and
found helpful (others' clicks on them, counted when clicked), per skill and window; private
lessons, other people's, another workspace's and the author's own clicks never count."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.deps import Deps
from bot.profile import render
from bot.profile.service import Count, LessonSignals, profile_of
from storage.db import Database
from tests.bot.profile import history as h

DAY = timedelta(days=1)


def seed(deps: Deps, db: Database) -> None:
    now = deps.clock()
    ago = lambda days: now - days * DAY  # noqa: E731
    h.lesson(db, "UANA", posted=ago(2), helps=[("UBEN", ago(1)), ("UCY", ago(1))])
    # Made long ago, posted recently: shared now.
    h.lesson(db, "UANA", posted=ago(10), created=ago(400), helps=[("UBEN", ago(95))])
    # Posted in the window before; one click then, one now, and the author's own (never counts).
    h.lesson(
        db,
        "UANA",
        posted=ago(120),
        helps=[("UBEN", ago(119)), ("UCY", ago(3)), ("UANA", ago(3))],
    )
    # Posted years ago: not shared in either window, but a click today still counts.
    h.lesson(db, "UANA", posted=ago(700), helps=[("UDAN", ago(5)), ("UEVE", ago(700))])
    h.lesson(db, "UANA", posted=ago(3), skill="communication")
    h.lesson(db, "UANA", posted=ago(4), skill=None, helps=[("UBEN", ago(2))])  # no skill
    h.lesson(db, "UANA", posted=ago(4), skill="not-a-skill")
    # Never counted: private (even with clicks), never posted, someone else's, another
    # workspace's.
    h.lesson(
        db, "UANA", posted=None, created=ago(2), visibility="private", helps=[("UBEN", ago(1))]
    )
    h.lesson(db, "UANA", posted=ago(2), visibility="private", helps=[("UCY", ago(1))])
    h.lesson(db, "UBEN", posted=ago(2), helps=[("UANA", ago(1))])
    h.lesson(db, "UANA", posted=ago(2), team="T0OTHER", helps=[("UBEN", ago(1))])


def test_lessons_shared_and_found_helpful_per_skill_and_window(deps: Deps, db: Database) -> None:
    seed(deps, db)
    profile = profile_of(deps, h.TEAM, "UANA", deps.clock())
    skills = {s.skill: s for s in profile.skills}
    empathy, communication = skills["empathy"], skills["communication"]
    assert empathy.lessons == Count(recent=2, previous=1)
    assert empathy.helped == Count(recent=4, previous=2)
    assert communication.lessons == Count(1, 0) and communication.helped == Count(0, 0)
    assert profile.other_lessons == LessonSignals(lessons=Count(2, 0), helped=Count(1, 0))
    assert profile.lessons == LessonSignals(lessons=Count(5, 1), helped=Count(5, 2))
    assert empathy.direction == communication.direction  # lessons do not move a skill
    assert not skills["professionalism"].lessons.recent
    ben = profile_of(deps, h.TEAM, "UBEN", deps.clock())
    assert ben.lessons == LessonSignals(lessons=Count(1, 0), helped=Count(1, 0))


def test_the_window_edges_of_lessons(deps: Deps, db: Database) -> None:
    now = deps.clock()
    edges = [now, now - 90 * DAY, now - 90 * DAY - timedelta(seconds=1), now - 180 * DAY]
    for at in [*edges, now - 180 * DAY - timedelta(seconds=1)]:  # the last: out
        h.lesson(db, "UANA", posted=at, helps=[("UBEN", at)])
    [empathy] = [s for s in profile_of(deps, h.TEAM, "UANA", now).skills if s.skill == "empathy"]
    assert empathy.lessons == Count(recent=2, previous=2)
    assert empathy.helped == Count(recent=2, previous=2)


def test_only_private_lessons_leave_the_profile_empty(deps: Deps, db: Database) -> None:
    now = deps.clock()
    h.lesson(db, "UANA", posted=None, created=now - DAY, visibility="private")
    h.lesson(db, "UANA", posted=now - DAY, visibility="private", helps=[("UBEN", now)])
    profile = profile_of(deps, h.TEAM, "UANA", now)
    assert profile.empty
    assert "lessons shared 0" not in json.dumps(render.profile_blocks(profile))
    assert "Nothing in the last 180 days" in json.dumps(render.profile_blocks(profile))


def test_the_profile_shows_lessons_as_it_shows_feedback(deps: Deps, db: Database) -> None:
    seed(deps, db)
    profile = profile_of(deps, h.TEAM, "UANA", deps.clock())
    text = render.profile_text(profile)
    [empathy] = [line for line in text.splitlines() if line.startswith("*#empathy*")]
    assert "lessons shared 2 (before 1) · found helpful 4 (before 2)" in empathy
    [communication] = [line for line in text.splitlines() if line.startswith("*#communication*")]
    assert "lessons shared 1 (before 0)" in communication and "found helpful" not in communication
    [other] = [line for line in text.splitlines() if "Lessons on other things" in line]
    assert other.endswith("lessons shared 2 (before 0) · found helpful 1 (before 0)")
    assert "lessons shared" not in "".join(
        line for line in text.splitlines() if line.startswith("*#professionalism*")
    )
    for blocks in (render.profile_blocks(profile), render.coach_modal(profile)["blocks"]):
        assert "lessons shared 2 (before 1)" in json.dumps(blocks)
