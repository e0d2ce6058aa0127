"""The one rule (``bot.text``): nothing Bravo repeats from people carries a live user mention,
user-group mention or broadcast, whichever renderer repeats it. Stored texts are rendered as they
might have been stored before the rule (live mentions in them), so the renderers prove they
apply it themselves."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.feedback import render as feedback_render
from bot.feedback.rules import Audience
from bot.goals import render as goals_render
from bot.kudos import render as kudos_render
from bot.kudos.rules import KudosResult
from bot.shoutouts import render as shoutouts_render
from bot.shoutouts.week import Moment
from bot.suggestions import render as suggestions_render
from bot.suggestions.service import DoneSuggestion
from bot.text import said
from storage.models import CheckIn, CustomerFeedback, Feedback, FeedbackRequest, Goal, Suggestion
from tests.bot.shoutouts.test_shoutouts import week_of

HOSTILE = "<!channel> <@U123> <!subteam^S1|@team> <!here|here> <!everyone> <@U9|ana>"
AT = datetime(2026, 11, 23, 14, 30, tzinfo=UTC)


def assert_nothing_live(payload: Any) -> None:
    text = json.dumps(payload)
    for live in ("<!channel", "<!here", "<!everyone", "<!subteam", "<@U123", "<@U9"):
        assert live not in text, (live, text)


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("<@U1|ana> and <@U2>", "@ana and @someone"),
        ("<!channel> <!here|here> <!everyone>", "@channel @here @everyone"),
        ("<!subteam^S1|@team> <!subteam^S2>", "@team @team"),
        ("see <#C1|general> and <https://x.io|docs>", "see <#C1> and <https://x.io|docs>"),
        ("a &lt;b&gt; &amp; c", "a &lt;b&gt; &amp; c"),
        ("<!date^1392734382^{date}|Feb 18>", "Feb 18"),
    ],
)
def test_said(text: str, safe: str) -> None:
    assert said(text) == safe


def test_a_known_name_is_used_for_a_bare_mention() -> None:
    assert said("thanks <@U2>", {"U2": "ben"}) == "thanks @ben"


@given(st.text(max_size=200))
def test_said_is_idempotent_and_leaves_no_live_mention(text: str) -> None:
    once = said(text)
    assert said(once) == once
    assert "<@" not in once and "<!" not in once


def kudos(reason: str) -> KudosResult:
    source: Any = "command"
    return KudosResult("T1", "b1", "UA", ("UB",), reason, (), "C1", source, None, AT, 2, 5, 0, ())


def test_kudos_reasons() -> None:
    assert_nothing_live(kudos_render.kudos_post(kudos(HOSTILE)))
    assert_nothing_live(kudos_render.recipient_dm(kudos(HOSTILE), "UB"))


def test_shout_out_quotes_and_you_said_we_did() -> None:
    done = DoneSuggestion(1, HOSTILE, HOSTILE, date(2026, 11, 20))
    week = week_of([Moment("UA", ("UB",), HOSTILE, (), AT)], done=(done,))
    assert_nothing_live(shoutouts_render.weekly_post(week))
    assert_nothing_live(shoutouts_render.week_list(week))


def test_feedback_bodies_topics_and_customer_feedback() -> None:
    fb = Feedback(
        id=1, team_id="T1", giver_id="UA", recipient_id="UB", situation=HOSTILE,
        behaviour=HOSTILE, impact=HOSTILE, suggestion=HOSTILE, skill="empathy", fingerprint="f",
        created_at=AT,
    )  # fmt: skip
    request = FeedbackRequest(
        id=2, team_id="T1", batch_id="b", requester_id="UB", giver_id="UA", topic=HOSTILE,
        expires_at=AT,
    )  # fmt: skip
    customer = CustomerFeedback(
        id=3, team_id="T1", logged_by="UA", teammate_id="UB", kind="praise", rating=5,
        source="email", text=HOSTILE, created_at=AT,
    )  # fmt: skip
    audience = Audience.of(fb, coaches=["UC"], shared_by="UA")
    assert_nothing_live(feedback_render.feedback_dm(fb, audience, request))
    assert_nothing_live(feedback_render.giver_sent(fb, audience))
    assert_nothing_live(feedback_render.request_dm(request))
    assert_nothing_live(feedback_render.request_reminder(request))
    assert_nothing_live(feedback_render.requests_sent(["UB"], HOSTILE))
    assert_nothing_live(feedback_render.customer_dm(customer))
    assert_nothing_live(feedback_render.praise_reason(customer))


def test_goals_and_check_in_notes() -> None:
    goal = Goal(
        id=7, team_id="T1", owner_id="UA", what=HOSTILE, measure=HOSTILE, skill="empathy",
        target_date=date(2027, 1, 1), cadence_anchor=date(2026, 11, 23), visibility="coach",
        status="active", channel_id="C1", created_at=AT, updated_at=AT,
    )  # fmt: skip
    note = CheckIn(team_id="T1", goal_id=7, user_id="UA", status="blocked", progress=HOSTILE)
    assert_nothing_live(goals_render.blocked_alert(goal, note, "UC"))
    assert_nothing_live(goals_render.goal_summary(goal, goals_render.ZoneInfo("UTC")))


def test_suggestions_and_what_was_done() -> None:
    row = Suggestion(
        id=1, team_id="T1", text=HOSTILE, day=date(2026, 11, 23), channel_id="C1",
        done_note=HOSTILE,
    )  # fmt: skip
    assert_nothing_live(suggestions_render.suggestion_post(row))
    assert_nothing_live(suggestions_render.suggestion_done_edit(row))
    assert_nothing_live(suggestions_render.suggestion_done_reply(row, "C1", "1.2"))
