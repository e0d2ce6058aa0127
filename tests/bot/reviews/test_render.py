"""What reviews look like: typed text never pings anyone, and every view fits Slack's limits."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.reviews import ids, render
from bot.reviews.scorecard import MAX_SKILLS
from storage.models.reviews import Review, ReviewScore

AT = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
HOSTILE = "<@UBEN> <!channel> <!subteam^S1|@support> & <https://evil.example.com|click>"


def a_review(**over: object) -> Review:
    fields: dict[str, object] = {
        "id": 7,
        "team_id": "T1",
        "agent_id": "UANA",
        "reviewer_id": "ULEA",
        "link": "https://help.example.com/t/1?a=1&b=2",
        "outcome": "resolved",
        "went_well": HOSTILE,
        "try_next": HOSTILE,
        "discuss_reason": HOSTILE,
        "request_key": "k",
        "created_at": AT,
        "updated_at": AT,
        **over,
    }
    return Review.model_validate(fields)


def scores() -> list[ReviewScore]:
    return [
        ReviewScore(
            team_id="T1",
            review_id=7,
            agent_id="UANA",
            skill=s,
            score=n,
            note=HOSTILE,
            created_at=AT,
        )
        for s, n in (("empathy", 3), ("active-listening", None))
    ]


def test_the_dm_and_the_discussion_never_repeat_a_live_mention() -> None:
    for payload in (
        render.review_dm(a_review(), scores()),
        render.discussion(a_review(), scores(), channel="G1", lead_id="UCY"),
    ):
        shown = json.dumps(payload)
        for live in ("<@UBEN>", "<!channel>", "<!subteam", "<https://evil"):
            assert live not in shown, live
        assert "&lt;@UBEN&gt;" in shown
        assert "https://help.example.com/t/1?a=1&amp;b=2" in shown
        assert len(payload["blocks"]) <= 50
        assert all(
            len(b["text"]["text"]) <= 3000 for b in payload["blocks"] if b["type"] == "section"
        )


def test_the_agents_buttons_follow_the_status() -> None:
    def buttons(review: Review) -> list[str]:
        blocks = render.review_dm(review, scores())["blocks"]
        return [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]

    assert buttons(a_review()) == [ids.ACKNOWLEDGE, ids.DISCUSS, ids.TO_GOAL]
    assert buttons(a_review(status="acknowledged")) == [ids.TO_GOAL]
    assert buttons(a_review(status="acknowledged", goal_id=3)) == []


def test_the_scorecard_modal_fits_for_the_most_skills() -> None:
    skills = [f"skill-{i}" for i in range(60)]
    view = render.scorecard_modal(
        skills=skills, agent_id="UANA", url="https://help.example.com/t/1", private_metadata="{}"
    )
    assert len(view["blocks"]) <= 100 and len(view["title"]["text"]) <= 24
    assert sum(b.get("block_id", "").startswith("sc_score:") for b in view["blocks"]) == MAX_SKILLS
