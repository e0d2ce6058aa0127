"""Peer feedback's rules, in the caller's transaction: check a draft, give it, who may see it,
the inbox. Typed, Slack-free.

Feedback is private. It is visible to its giver, its recipient and, once shared (by the giver
when giving, or by the recipient later), to the recipient's active coaches. Nobody else (not
an admin either) sees it, and it is never posted in a channel or counted on a leaderboard.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlmodel import Session

from bot.blocks import clip
from bot.errors import TextTooLongError
from bot.feedback import ids
from bot.feedback.errors import (
    DuplicateFeedbackError,
    FeedbackNotFoundError,
    FeedbackNotSharedError,
    FeedbackPersonError,
    MissingFieldError,
    NoCoachError,
    NotRecipientError,
    ReadByCoachAlreadyError,
    RequestClosedError,
    SelfFeedbackError,
)
from bot.users import Person
from storage import coaching as pairings
from storage import feedback as store
from storage.models.feedback import CustomerKind, Feedback, FeedbackRequest, RequestStatus
from storage.models.goals import Goal

REQUIRED = (ids.SITUATION, ids.BEHAVIOUR, ids.IMPACT)
FIELD_NAMES = {
    ids.SITUATION: "situation",
    ids.BEHAVIOUR: "what they did",
    ids.IMPACT: "impact",
    ids.SUGGESTION: "suggestion",
}
# Words that say someone did something; vague feedback ("great job!") has none of them.
GENERIC_RE = re.compile(
    r"^\W*(great|good|nice|awesome|amazing|excellent|well done|thanks?|thank you|cool|"
    r"fine|ok(ay)?|bad|poor|not great|meh)(\s+(job|work|stuff|one|effort|call))?\W*$",
    re.I,
)
MIN_BEHAVIOUR_WORDS = 6
MIN_IMPACT_WORDS = 4


@dataclass(frozen=True)
class FeedbackDraft:
    situation: str
    behaviour: str
    impact: str
    suggestion: str
    skill: str
    share_with_coach: bool


def check_draft(draft: FeedbackDraft, *, skills: Sequence[str]) -> dict[str, str]:
    """Field errors (block id -> words) that stop a submission; empty when it may go."""
    errors: dict[str, str] = {}
    texts = {
        ids.SITUATION: draft.situation,
        ids.BEHAVIOUR: draft.behaviour,
        ids.IMPACT: draft.impact,
        ids.SUGGESTION: draft.suggestion,
    }
    for block, text in texts.items():
        if block in REQUIRED and not text.strip():
            errors[block] = f"Please fill in the {FIELD_NAMES[block]}."
        elif len(text) > ids.LIMITS[block]:
            limit = ids.LIMITS[block]
            errors[block] = f"Please keep this under {limit} characters (it has {len(text)})."
    if draft.skill not in skills:
        errors[ids.SKILL] = "Pick the skill this feedback is about."
    return errors


def vague_parts(draft: FeedbackDraft) -> list[str]:
    """Why the feedback may be too vague to act on: a nudge, never a block."""
    hints = []
    behaviour = draft.behaviour.strip()
    if GENERIC_RE.match(behaviour) or len(behaviour.split()) < MIN_BEHAVIOUR_WORDS:
        hints.append(
            "*What they did* is short: describe the behaviour you saw, e.g. "
            '_"you summarised the customer\'s problem before offering a fix"_.'
        )
    impact = draft.impact.strip()
    if GENERIC_RE.match(impact) or len(impact.split()) < MIN_IMPACT_WORDS:
        hints.append(
            '*Impact* is short: say what it changed, e.g. _"the caller calmed down and '
            'the ticket closed in one call"_.'
        )
    return hints


def check_person(giver: Person, recipient: Person, *, allow_self: bool = False) -> None:
    """Feedback (and customer feedback, ``allow_self``) is about a real, active person."""
    if recipient.user_id == giver.user_id and not allow_self:
        raise SelfFeedbackError()
    if not recipient.known:
        raise FeedbackPersonError(recipient.user_id, "unknown")
    if recipient.is_bot:
        raise FeedbackPersonError(recipient.user_id, "bot")
    if recipient.deleted:
        raise FeedbackPersonError(recipient.user_id, "deactivated")


def fingerprint(*, giver_id: str, recipient_id: str, draft: FeedbackDraft) -> str:
    parts = [giver_id, recipient_id, draft.situation, draft.behaviour, draft.impact]
    normal = "\x1f".join(" ".join(p.lower().split()) for p in [*parts, draft.suggestion])
    return hashlib.sha256(normal.encode()).hexdigest()


@dataclass(frozen=True)
class Audience:
    """Who sees a piece of feedback, and who made it so: the one rule behind every message
    that says so (the recipient's DM, the giver's receipt, the coaches' DM) and behind access.

    ``coaches`` are the recipient's active coaches. The giver always sees what they wrote; when
    the giver is one of those coaches there is nothing to share with them."""

    giver_id: str
    recipient_id: str
    coaches: tuple[str, ...]
    shared: bool
    shared_by: str | None = None  # who shared it just now (the giver, or the recipient)

    @classmethod
    def of(cls, fb: Feedback, coaches: Sequence[str], shared_by: str | None = None) -> Audience:
        return cls(fb.giver_id, fb.recipient_id, tuple(coaches), fb.shared_with_coach, shared_by)

    @property
    def written_by_coach(self) -> bool:
        return self.giver_id in self.coaches

    @property
    def other_coaches(self) -> tuple[str, ...]:
        """The recipient's coaches besides the giver: the ones sharing can reach."""
        return tuple(c for c in self.coaches if c != self.giver_id)

    @property
    def coaches_who_see(self) -> tuple[str, ...]:
        return self.other_coaches if self.shared else ()

    @property
    def can_share(self) -> bool:
        """The recipient's Share button: not once shared, nor when their coach wrote it."""
        return not self.shared and not self.written_by_coach

    def sees(self, viewer_id: str) -> bool:
        return viewer_id in {self.giver_id, self.recipient_id, *self.coaches_who_see}


@dataclass(frozen=True)
class Given:
    feedback: Feedback
    audience: Audience
    request: FeedbackRequest | None


def give_feedback(
    session: Session,
    *,
    team_id: str,
    giver: Person,
    recipient: Person,
    draft: FeedbackDraft,
    skills: Sequence[str],
    now: datetime,
    request_id: int | None = None,
) -> Given:
    """Record feedback (answering ``request_id`` when given); all or nothing."""
    check_person(giver, recipient)
    _check_fields(draft, skills)
    request = _answered_request(
        session,
        team_id=team_id,
        giver_id=giver.user_id,
        recipient_id=recipient.user_id,
        request_id=request_id,
    )
    row = store.add_feedback(
        session,
        {
            "team_id": team_id,
            "giver_id": giver.user_id,
            "recipient_id": recipient.user_id,
            "situation": draft.situation.strip(),
            "behaviour": draft.behaviour.strip(),
            "impact": draft.impact.strip(),
            "suggestion": draft.suggestion.strip(),
            "skill": draft.skill,
            "shared_with_coach": draft.share_with_coach,
            "request_id": request.id if request is not None else None,
            "fingerprint": fingerprint(
                giver_id=giver.user_id, recipient_id=recipient.user_id, draft=draft
            ),
            "created_at": now,
        },
    )
    if row is None:
        raise DuplicateFeedbackError()
    if request is not None:
        if not store.answer_request(
            session, request_id=request.id or 0, feedback_id=row.id or 0, now=now
        ):
            raise RequestClosedError(RequestStatus.ANSWERED)
        request.status, request.feedback_id = RequestStatus.ANSWERED, row.id
    coaches = pairings.coaches_of(session, team_id=team_id, coachee_id=recipient.user_id)
    shared_by = giver.user_id if draft.share_with_coach else None
    return Given(row, Audience.of(row, coaches, shared_by), request)


def _check_fields(draft: FeedbackDraft, skills: Sequence[str]) -> None:
    """The first field problem ``check_draft`` finds, as a domain error."""
    if errors := check_draft(draft, skills=skills):
        block = next(iter(errors))
        text = getattr(draft, _attr(block), "")
        if block in REQUIRED and not text.strip():
            raise MissingFieldError(block)
        if len(text) > ids.LIMITS[block]:
            raise TextTooLongError(FIELD_NAMES[block], ids.LIMITS[block], len(text))
        raise MissingFieldError(block)


def _answered_request(
    session: Session, *, team_id: str, giver_id: str, recipient_id: str, request_id: int | None
) -> FeedbackRequest | None:
    """The open request this feedback answers: ``request_id``, or else one the recipient sent
    the giver (feedback given on one's own still answers it)."""
    if request_id is None:
        waiting = store.open_requests_between(
            session, team_id=team_id, requester_id=recipient_id, giver_ids=[giver_id]
        )
        request_id = waiting[0].id if waiting else None
    if request_id is None:
        return None
    request = store.get_request(session, team_id=team_id, request_id=request_id)
    if request is None or request.giver_id != giver_id:
        raise RequestClosedError("foreign")
    if request.requester_id != recipient_id:
        raise RequestClosedError("foreign")
    if request.status != RequestStatus.OPEN:
        raise RequestClosedError(request.status)
    return request


def _attr(block: str) -> str:
    return {
        ids.SITUATION: "situation",
        ids.BEHAVIOUR: "behaviour",
        ids.IMPACT: "impact",
        ids.SUGGESTION: "suggestion",
    }.get(block, "skill")


# Who may see what -------------------------------------------------------------------------------


def can_see(feedback: Feedback, viewer_id: str, coaches: Sequence[str]) -> bool:
    return Audience.of(feedback, coaches).sees(viewer_id)


def audience_of(session: Session, fb: Feedback) -> Audience:
    return Audience.of(
        fb, pairings.coaches_of(session, team_id=fb.team_id, coachee_id=fb.recipient_id)
    )


def feedback_for(session: Session, *, team_id: str, feedback_id: int, viewer_id: str) -> Feedback:
    """The feedback if ``viewer_id`` may see it; otherwise not found (nobody learns it exists)."""
    row = store.get_feedback(session, team_id=team_id, feedback_id=feedback_id)
    if row is None:
        raise FeedbackNotFoundError()
    coaches = pairings.coaches_of(session, team_id=team_id, coachee_id=row.recipient_id)
    if not can_see(row, viewer_id, coaches):
        raise FeedbackNotFoundError()
    return row


def received_feedback(
    session: Session, *, team_id: str, feedback_id: int, actor_id: str, action: str
) -> Feedback:
    """Feedback that only its recipient may act on (thank, turn into a goal, share)."""
    row = feedback_for(session, team_id=team_id, feedback_id=feedback_id, viewer_id=actor_id)
    if row.recipient_id != actor_id:
        raise NotRecipientError(action)
    return row


def thank_giver(
    session: Session, *, team_id: str, feedback_id: int, actor_id: str, now: datetime
) -> tuple[Feedback, bool]:
    """(feedback, True the first time): the giver hears thanks once."""
    row = received_feedback(
        session, team_id=team_id, feedback_id=feedback_id, actor_id=actor_id, action="thank"
    )
    first = row.thanked_at is None
    if first:
        row.thanked_at = now
        store.save(session, row)
    return row, first


def share_with_coach(
    session: Session, *, team_id: str, feedback_id: int, actor_id: str
) -> tuple[Feedback, Audience, bool]:
    """(feedback, who sees it now, True when newly shared). Refused when the recipient has no
    coach, or when their coach wrote it (an old message's button)."""
    row = received_feedback(
        session, team_id=team_id, feedback_id=feedback_id, actor_id=actor_id, action="share"
    )
    audience = audience_of(session, row)
    if audience.written_by_coach:
        raise ReadByCoachAlreadyError(row.giver_id)
    if not audience.coaches:
        raise NoCoachError()
    if row.shared_with_coach:
        return row, audience, False
    row.shared_with_coach = True
    store.save(session, row)
    return row, Audience.of(row, audience.coaches, shared_by=actor_id), True


@dataclass(frozen=True)
class Shared:
    """After Share: the feedback, who sees it now, and the request it answered (to redraw
    the recipient's message as it was sent)."""

    feedback: Feedback
    audience: Audience
    request: FeedbackRequest | None


def shared(session: Session, fb: Feedback, audience: Audience) -> Shared:
    request = None
    if fb.request_id is not None:
        request = store.get_request(session, team_id=fb.team_id, request_id=fb.request_id)
    return Shared(fb, audience, request)


def mark_acted_on(
    session: Session, *, team_id: str, feedback_id: int, actor_id: str, now: datetime
) -> Feedback:
    row = received_feedback(
        session, team_id=team_id, feedback_id=feedback_id, actor_id=actor_id, action="acted_on"
    )
    if row.acted_on_at is None:
        row.acted_on_at = now
        store.save(session, row)
    return row


# The inbox ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SkillCount:
    total: int = 0
    last_30_days: int = 0
    last_90_days: int = 0
    acted_on: int = 0


@dataclass(frozen=True)
class CustomerStats:
    praise: int = 0
    complaints: int = 0
    average_rating: float | None = None


@dataclass(frozen=True)
class Inbox:
    owner_id: str
    viewer_id: str
    items: tuple[Feedback, ...]
    by_skill: dict[str, SkillCount]
    customer: CustomerStats
    total: int
    shared_only: bool = False
    months: dict[str, int] = field(default_factory=dict)  # "2026-11" -> count, newest first


def inbox(
    session: Session, *, team_id: str, owner_id: str, viewer_id: str, now: datetime, limit: int = 8
) -> Inbox:
    """What ``owner_id`` received, as ``viewer_id`` may see it: everything for the owner, what
    was shared with coaches for an active coach, nothing for anyone else."""
    shared_only = viewer_id != owner_id
    if shared_only and viewer_id not in pairings.coaches_of(
        session, team_id=team_id, coachee_id=owner_id
    ):
        raise FeedbackNotSharedError(owner_id)
    rows = store.received(session, team_id=team_id, recipient_id=owner_id, shared_only=shared_only)
    counts: dict[str, Counter[str]] = {}
    months: Counter[str] = Counter()
    for row in rows:
        c = counts.setdefault(row.skill, Counter())
        c["total"] += 1
        c["last_30_days"] += row.created_at >= now - timedelta(days=30)
        c["last_90_days"] += row.created_at >= now - timedelta(days=90)
        c["acted_on"] += row.acted_on_at is not None
        months[f"{row.created_at:%Y-%m}"] += 1
    by_skill = {
        skill: SkillCount(**dict(c))
        for skill, c in sorted(counts.items(), key=lambda kv: (-kv[1]["total"], kv[0]))
    }
    return Inbox(
        owner_id=owner_id,
        viewer_id=viewer_id,
        items=tuple(rows[:limit]),
        by_skill=by_skill,
        customer=customer_stats(session, team_id=team_id, teammate_id=owner_id),
        total=len(rows),
        shared_only=shared_only,
        months=dict(sorted(months.items(), reverse=True)[:6]),
    )


def customer_stats(session: Session, *, team_id: str, teammate_id: str) -> CustomerStats:
    counts = store.customer_counts(session, team_id=team_id, teammate_id=teammate_id)
    praise, praise_avg = counts.get(CustomerKind.PRAISE, (0, 0.0))
    complaints, complaint_avg = counts.get(CustomerKind.COMPLAINT, (0, 0.0))
    n = praise + complaints
    average = (praise * praise_avg + complaints * complaint_avg) / n if n else None
    return CustomerStats(praise, complaints, round(average, 1) if average is not None else None)


def goal_draft(fb: Feedback, today: date) -> Goal:
    """An unsaved goal to open the goal modal with: the feedback as an action plan."""
    plan = fb.suggestion or f"Build on this: {fb.behaviour}"
    return Goal(
        team_id=fb.team_id,
        owner_id=fb.recipient_id,
        what=clip(plan, 1000),
        measure="",
        skill=fb.skill,
        target_date=today + timedelta(days=28),
        cadence_anchor=today,
        created_at=datetime.min,
        updated_at=datetime.min,
    )
