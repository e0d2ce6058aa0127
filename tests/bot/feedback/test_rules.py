"""Feedback, requests and customer feedback: the rules, on a real database (SQLite and
PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.errors import TextTooLongError
from bot.feedback import customer, requests
from bot.feedback import rules as feedback
from bot.feedback.errors import (
    AlreadyAskedError,
    BadRatingError,
    DuplicateFeedbackError,
    FeedbackNotFoundError,
    FeedbackNotSharedError,
    FeedbackPersonError,
    MissingFieldError,
    NotPraiseError,
    NotRecipientError,
    RequestClosedError,
    SelfFeedbackError,
)
from bot.settings import DEFAULT_VALUES
from bot.users import Person
from storage.db import Database
from storage.models import CoachPairing

T = "T1"
ANA, BEN, CY = Person("UANA", tz="America/New_York"), Person("UBEN"), Person("UCY")
GOOD = feedback.FeedbackDraft(
    situation="Tuesday's escalation call",
    behaviour="You restated the customer's goal before walking through the fix",
    impact="They stopped interrupting and agreed to the plan",
    suggestion="",
    skill="empathy",
    share_with_coach=False,
)


# Rules -----------------------------------------------------------------------------------------


def test_vague_feedback_is_nudged_and_specific_feedback_is_not() -> None:
    assert feedback.vague_parts(GOOD) == []
    vague = feedback.vague_parts(
        feedback.FeedbackDraft("x", "Great job!", "good", "", "empathy", False)
    )
    assert len(vague) == 2 and "behaviour" in vague[0] and "Impact" in vague[1]
    short = feedback.FeedbackDraft("x", "you were nice", GOOD.impact, "", "empathy", False)
    assert len(feedback.vague_parts(short)) == 1


def test_draft_errors_name_each_field() -> None:
    bad = feedback.FeedbackDraft(" ", "", "x" * 1001, "y" * 1001, "nope", False)
    errors = feedback.check_draft(bad, skills=DEFAULT_VALUES)
    assert set(errors) == {"fb_situation", "fb_behaviour", "fb_impact", "fb_suggestion", "fb_skill"}
    assert feedback.check_draft(GOOD, skills=DEFAULT_VALUES) == {}


def test_working_days_skip_the_weekend_in_the_persons_zone() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    friday = datetime(2026, 11, 27, 10, tzinfo=tokyo)
    assert requests.add_working_days(friday, 2, tokyo) == datetime(2026, 12, 1, 10, tzinfo=tokyo)
    saturday = datetime(2026, 11, 28, 10, tzinfo=tokyo)
    assert requests.add_working_days(saturday, 2, tokyo).date() == date(2026, 12, 1)
    # Friday 20:00 UTC is Saturday 05:00 in Tokyo: Tuesday there, moved to 09:00.
    late = datetime(2026, 11, 27, 20, tzinfo=UTC)
    assert requests.add_working_days(late, 2, tokyo) == datetime(2026, 12, 1, 9, tzinfo=tokyo)
    # Thursday 18:00: after hours, so first thing on the next working day after two (Tuesday).
    evening = datetime(2026, 11, 26, 18, tzinfo=tokyo)
    assert requests.add_working_days(evening, 2, tokyo) == datetime(2026, 12, 1, 9, tzinfo=tokyo)


# Rules on a database ---------------------------------------------------------------------------


def _give(db: Database, now: datetime, draft: feedback.FeedbackDraft = GOOD, **kw: object):  # type: ignore[no-untyped-def]
    with db.write() as s:
        return feedback.give_feedback(
            s,
            team_id=T,
            giver=kw.get("giver", ANA),  # type: ignore[arg-type]
            recipient=kw.get("recipient", BEN),  # type: ignore[arg-type]
            draft=draft,
            skills=DEFAULT_VALUES,
            now=now,
            request_id=kw.get("request_id"),  # type: ignore[arg-type]
        )


def test_give_refuses_people_and_fields_it_cannot_take(db: Database, now: datetime) -> None:
    with pytest.raises(SelfFeedbackError):
        _give(db, now, recipient=ANA)
    with pytest.raises(FeedbackPersonError):
        _give(db, now, recipient=Person("UBOT", is_bot=True))
    with pytest.raises(FeedbackPersonError):
        _give(db, now, recipient=Person("UX", known=False))
    with pytest.raises(MissingFieldError):
        _give(db, now, draft=feedback.FeedbackDraft("", "b", "c", "", "empathy", False))
    with pytest.raises(TextTooLongError):
        _give(db, now, draft=feedback.FeedbackDraft("a" * 1001, "b", "c", "", "empathy", False))
    first = _give(db, now)
    with pytest.raises(DuplicateFeedbackError):  # the same text again, whitespace aside
        _give(
            db, now, draft=feedback.FeedbackDraft(**{**GOOD.__dict__, "impact": GOOD.impact + " "})
        )
    with db.read() as s:
        assert (
            feedback.inbox(s, team_id=T, owner_id=BEN.user_id, viewer_id="UBEN", now=now).total == 1
        )
    assert first.audience.coaches_who_see == ()


def test_who_may_see_feedback(db: Database, now: datetime) -> None:
    fb = _give(db, now).feedback
    with db.write() as s:
        s.add(
            CoachPairing(
                team_id=T, coach_id="UCY", coachee_id="UBEN", status="active", requested_at=now
            )
        )
        s.add(
            CoachPairing(
                team_id=T, coach_id="UDEE", coachee_id="UBEN", status="ended", requested_at=now
            )
        )
    with db.read() as s:
        for viewer in ("UANA", "UBEN"):
            assert feedback.feedback_for(s, team_id=T, feedback_id=fb.id, viewer_id=viewer)
        for viewer in ("UCY", "UDEE", "UADMIN", "UOUT"):
            with pytest.raises(FeedbackNotFoundError):
                feedback.feedback_for(s, team_id=T, feedback_id=fb.id, viewer_id=viewer)
        with pytest.raises(FeedbackNotFoundError):  # another workspace
            feedback.feedback_for(s, team_id="T2", feedback_id=fb.id, viewer_id="UBEN")
        with pytest.raises(NotRecipientError):
            feedback.received_feedback(
                s, team_id=T, feedback_id=fb.id, actor_id="UANA", action="thank"
            )
        assert feedback.inbox(s, team_id=T, owner_id="UBEN", viewer_id="UCY", now=now).total == 0
        with pytest.raises(FeedbackNotSharedError):  # an ended pairing is no coach
            feedback.inbox(s, team_id=T, owner_id="UBEN", viewer_id="UDEE", now=now)
    with db.write() as s:
        _, audience, fresh = feedback.share_with_coach(
            s, team_id=T, feedback_id=fb.id, actor_id="UBEN"
        )
        assert audience.coaches_who_see == ("UCY",) and fresh
    with db.read() as s:
        assert feedback.feedback_for(s, team_id=T, feedback_id=fb.id, viewer_id="UCY")
        with pytest.raises(FeedbackNotFoundError):
            feedback.feedback_for(s, team_id=T, feedback_id=fb.id, viewer_id="UDEE")
        assert feedback.inbox(s, team_id=T, owner_id="UBEN", viewer_id="UCY", now=now).total == 1


def test_the_inbox_counts_by_skill_over_time(db: Database, now: datetime) -> None:
    for days, skill in ((1, "empathy"), (40, "empathy"), (200, "communication")):
        draft = feedback.FeedbackDraft(**{**GOOD.__dict__, "skill": skill, "situation": f"d{days}"})
        _give(db, now - timedelta(days=days), draft=draft)
    with db.write() as s:
        box = feedback.inbox(s, team_id=T, owner_id="UBEN", viewer_id="UBEN", now=now)
        feedback.mark_acted_on(s, team_id=T, feedback_id=box.items[0].id, actor_id="UBEN", now=now)
    with db.read() as s:
        box = feedback.inbox(s, team_id=T, owner_id="UBEN", viewer_id="UBEN", now=now)
    assert list(box.by_skill) == ["empathy", "communication"]
    assert box.by_skill["empathy"] == feedback.SkillCount(2, 1, 2, 1)
    assert box.by_skill["communication"] == feedback.SkillCount(1, 0, 0, 0)
    assert [f.situation for f in box.items] == ["d1", "d40", "d200"]  # newest first


def test_requests_answer_once_and_refuse_doubles(db: Database, now: datetime) -> None:
    with db.write() as s:
        asked = requests.request_feedback(
            s, team_id=T, requester=BEN, asked=[ANA, CY], topic="", now=now
        )
    ana_req = next(r for r in asked.requests if r.giver_id == "UANA")
    assert ana_req.expires_at == now + timedelta(days=7)
    assert ana_req.remind_at == datetime(2026, 11, 25, 15, 0, tzinfo=UTC)  # Mon -> Wed, NY
    with pytest.raises(AlreadyAskedError), db.write() as s:
        requests.request_feedback(s, team_id=T, requester=BEN, asked=[CY], topic="", now=now)
    with pytest.raises(RequestClosedError):  # Cy cannot answer Ana's request
        _give(db, now, giver=CY, request_id=ana_req.id)
    with pytest.raises(RequestClosedError):  # nor may it go to someone else than the asker
        _give(db, now, recipient=CY, request_id=ana_req.id)
    given = _give(db, now, request_id=ana_req.id)
    assert given.request is not None and given.request.status == "answered"
    other = feedback.FeedbackDraft(**{**GOOD.__dict__, "situation": "another call"})
    with pytest.raises(RequestClosedError):
        _give(db, now, draft=other, request_id=ana_req.id)
    with db.read() as s:
        assert feedback.inbox(s, team_id=T, owner_id="UBEN", viewer_id="UBEN", now=now).total == 1


def test_customer_feedback_rules(db: Database, now: datetime) -> None:
    draft = customer.CustomerDraft("UBEN", "complaint", 2, "phone", "Kept me on hold", "C1:1.0")
    with pytest.raises(BadRatingError), db.write() as s:
        customer.log_customer_feedback(
            s,
            team_id=T,
            logger=ANA,
            teammate=BEN,
            draft=customer.CustomerDraft(**{**draft.__dict__, "rating": 0}),
            now=now,
        )
    with db.write() as s:
        row = customer.log_customer_feedback(
            s, team_id=T, logger=ANA, teammate=BEN, draft=draft, now=now
        )
    with pytest.raises(NotPraiseError), db.read() as s:
        customer.praise_to_recognise(s, team_id=T, row_id=row.id, actor_id="UANA")
    with pytest.raises(FeedbackNotFoundError), db.read() as s:
        customer.praise_to_recognise(s, team_id=T, row_id=row.id, actor_id="UBEN")
    with db.read() as s:
        stats = feedback.customer_stats(s, team_id=T, teammate_id="UBEN")
    assert stats == feedback.CustomerStats(praise=0, complaints=1, average_rating=2.0)


def test_feedback_given_unasked_answers_an_open_request(db: Database, now: datetime) -> None:
    with db.write() as s:
        requests.request_feedback(s, team_id=T, requester=BEN, asked=[ANA], topic="", now=now)
    given = _give(db, now)  # Ana gives Ben feedback with /feedback @ben, not the button
    assert given.request is not None and given.request.status == "answered"
    assert given.request.feedback_id == given.feedback.id
