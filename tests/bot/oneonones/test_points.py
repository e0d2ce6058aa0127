"""The rules that pick three talking points (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.oneonones.points import Facts, GoalFact, talking_points

AT = datetime(2026, 11, 20, tzinfo=UTC)


def test_nothing_to_say_gives_no_points() -> None:
    assert talking_points(Facts()) == []


def test_the_rules_in_order_and_three_at_most() -> None:
    facts = Facts(
        goals=(GoalFact("Summarise first", 0, "on_track"), GoalFact("Reply in 2 min", 2, None)),
        complaints=(AT,),
        discussing=1,
        kudos_recent=(("empathy", 1),),
        kudos_before=(("empathy", 6),),
        open_items=("Shadow a senior on calls",),
    )
    points = talking_points(facts)
    assert len(points) == 3
    assert points[0].startswith("Missed 2 check-ins on “Reply in 2 min”")
    assert "a customer complaint" in points[1]
    assert "asked to discuss" in points[2]


def test_later_rules_fill_in_when_earlier_ones_say_nothing() -> None:
    facts = Facts(
        goals=(GoalFact("Reply in 2 min", 0, "blocked"),),
        kudos_recent=(("empathy", 1), ("clarity", 4)),
        kudos_before=(("empathy", 6),),
        open_items=("Shadow a senior",),
    )
    points = talking_points(facts)
    assert "was last blocked" in points[0]
    assert "#empathy fell from 6 to 1" in points[1]
    assert "“Shadow a senior”" in points[2]


def test_a_steady_skill_is_not_trending_down_and_celebrations_come_last() -> None:
    facts = Facts(kudos_recent=(("empathy", 4),), kudos_before=(("empathy", 6),))
    assert talking_points(facts) == ["Celebrate: 4 kudos for #empathy lately. What made it work?"]


def test_typed_text_is_quoted_without_live_mentions_and_short() -> None:
    facts = Facts(open_items=("<!channel> ping <@UBOSS> " + "x" * 500,))
    [point] = talking_points(facts)
    assert "<!channel>" not in point and "<@UBOSS>" not in point and len(point) < 200
