"""The profile's blocks: figures against the person's own past, within Block Kit's limits."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.home.render import HomeData, KudosNumbers, Prefs, home_view
from bot.profile.render import coach_modal, profile_blocks, skill_line
from bot.profile.service import (
    Average,
    Count,
    CustomerSignals,
    Profile,
    Scores,
    SkillSignals,
)

NOW = datetime(2026, 11, 23, 15, tzinfo=UTC)


def profile(*skills: SkillSignals, customer: CustomerSignals | None = None) -> Profile:
    return Profile("T1", "UANA", NOW, skills, customer or CustomerSignals())


def test_a_skill_line_says_each_signal_and_the_direction() -> None:
    line = skill_line(
        SkillSignals(
            "empathy",
            kudos=Count(9, 1),
            feedback=Count(2, 0),
            reviews=Scores(Average(3, 3.67), Average(4, 2.5)),
            practice=Count(4, 1),
            practice_ratings=Count(3, 0),
        )
    )
    assert line.startswith("*#empathy* :arrow_upper_right: up")
    assert "kudos 9 (before 1)" in line and "feedback 2 (before 0)" in line
    assert "reviews 3.7/4 from 3 (before 2.5 from 4)" in line
    assert "practice 4 (before 1), 3 rated" in line
    quiet = skill_line(SkillSignals("tone"))
    assert quiet == "*#tone* :arrow_right: steady · kudos 0 (before 0)"


def test_hostile_skill_names_are_escaped_and_clipped() -> None:
    shown = json.dumps(profile_blocks(profile(SkillSignals("<!channel>" + "x" * 500, Count(1)))))
    assert "<!channel>" not in shown and "&lt;!channel&gt;" in shown
    assert "x" * 60 not in shown


def test_customers_are_one_line_for_the_person() -> None:
    customer = CustomerSignals(
        praise=Count(4, 1), complaints=Count(0, 2), rating=Scores(Average(4, 4.5), Average(3, 2.0))
    )
    text = json.dumps(profile_blocks(profile(SkillSignals("empathy"), customer=customer)))
    assert "*Customers* :arrow_upper_right: up" in text and "praise 4 (before 1)" in text


def test_an_empty_profile_says_what_will_show() -> None:
    blocks = profile_blocks(profile(SkillSignals("empathy")), who_sees="Only you see this.")
    assert "Nothing in the last 180 days yet" in json.dumps(blocks)
    assert "Only you see this." in json.dumps(blocks)


def test_many_skills_fit_a_section_and_the_modal() -> None:
    many = profile(
        *(SkillSignals(f"skill-{i:02d}-" + "y" * 30, Count(i, 40 - i)) for i in range(40))
    )
    blocks = profile_blocks(many, chart_file_id="F123")
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in blocks)
    assert "and 28 more skills" in json.dumps(blocks)
    assert {"type": "image", "slack_file": {"id": "F123"}}.items() <= blocks[1].items()
    modal = coach_modal(many)
    assert len(modal["blocks"]) <= 100 and len(modal["title"]["text"]) <= 24


def test_the_home_stays_within_its_blocks_with_a_profile_and_shared_coachees() -> None:
    from bot.home.render import Coaching

    many = profile(*(SkillSignals(f"s{i}", Count(i, 0)) for i in range(40)))
    coachees = tuple(f"UC{i:03d}" for i in range(40))
    data = HomeData(
        user_id="UANA",
        zone=ZoneInfo("UTC"),
        numbers=KudosNumbers(),
        coaching=Coaching(coachees=coachees, sharing=coachees),
        prefs=Prefs(profile_to_coaches=True),
        skills=many,
    )
    view = home_view(data, history_action="h", settings_action="s")
    assert len(view["blocks"]) <= 100
    body = json.dumps(view)
    assert "Your skills" in body and "Only I see my skill profile" in body
    assert body.count("profile_open_coachee") == 5  # a few buttons, never a ranked list
