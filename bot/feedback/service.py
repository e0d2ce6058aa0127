"""Feedback use cases: each resolves the people, owns its transaction, applies the rules
(``rules.py``, ``requests.py``, ``customer.py``), queues what the result sends
(``messages.py``) and returns what happened.

Feedback is private: everything it sends goes by DM (see ``rules`` for who may see what).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.deps import Deps
from bot.errors import BravoError, error_text
from bot.events import once
from bot.feedback import customer, ids, messages, render, requests, rules
from bot.feedback.errors import (
    NoFeedbackRecipientError,
    PraiseAlreadyKudosError,
    SelfFeedbackError,
)
from bot.feedback.parse import FeedbackForm
from bot.feedback.rules import Given, Inbox
from bot.kudos.errors import DuplicateKudosError
from bot.kudos.service import Gift, KudosSource, give
from bot.outbox.envelope import OutMessage
from bot.work import Replayed
from storage.models.feedback import CustomerFeedback, Feedback, FeedbackRequest
from storage.models.goals import Goal


def _enqueue(deps: Deps, session: Session, team_id: str, out: Sequence[OutMessage]) -> None:
    if out:
        deps.outbox.enqueue(session, team_id, out, deps.clock())


# Giving feedback -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Refused:
    """Not sent: words for each field (block id) to show under it."""

    errors: dict[str, str]


@dataclass(frozen=True)
class Nudged:
    """Not sent yet: the feedback may be too vague to act on; the form shows why."""

    recipient_id: str
    request: FeedbackRequest | None
    nudges: tuple[str, ...]


def send_feedback(deps: Deps, form: FeedbackForm) -> Refused | Nudged | Given:
    """Check the form, nudge once if it is vague, then record the feedback and queue its DMs
    in one transaction. Raises the domain error when the rules refuse it at the last step."""
    now = deps.clock()
    skills = deps.config(form.team_id).kudos.values  # the workspace's values, as of now
    checked = _check_form(deps, form, skills, now)
    if isinstance(checked, Refused):
        return checked
    recipient_id, request = checked
    if not form.nudged and (nudges := rules.vague_parts(form.draft)):
        return Nudged(recipient_id, request, tuple(nudges))
    people = deps.directory.people(
        team_id=form.team_id, user_ids=[form.giver_id, recipient_id], now=now
    )
    with deps.db.write() as session:
        given = rules.give_feedback(
            session,
            team_id=form.team_id,
            giver=people[form.giver_id],
            recipient=people[recipient_id],
            draft=form.draft,
            skills=skills,
            now=now,
            request_id=form.request_id,
        )
        _enqueue(deps, session, form.team_id, messages.given(given))
    deps.deliverer.kick()
    return given


def _check_form(
    deps: Deps, form: FeedbackForm, skills: tuple[str, ...], now: datetime
) -> Refused | tuple[str, FeedbackRequest | None]:
    """Every field's problem at once; else whom it is for and the request it answers."""
    errors = rules.check_draft(form.draft, skills=skills)
    recipient_id, request = form.recipient_id, None
    try:
        if form.request_id is not None:
            request = request_to_answer(
                deps,
                team_id=form.team_id,
                request_id=form.request_id,
                giver_id=form.giver_id,
                now=now,
            )
            recipient_id = request.requester_id
        elif not recipient_id:
            errors[ids.RECIPIENT] = error_text(NoFeedbackRecipientError())
        elif recipient_id == form.giver_id:
            errors[ids.RECIPIENT] = error_text(SelfFeedbackError())
    except BravoError as err:
        errors[ids.SITUATION] = error_text(err)
    return Refused(errors) if errors else (recipient_id, request)


def check_recipient(*, giver_id: str, recipient_id: str | None) -> None:
    """``/feedback @someone``: never oneself."""
    if recipient_id == giver_id:
        raise SelfFeedbackError()


def request_to_answer(
    deps: Deps, *, team_id: str, request_id: int, giver_id: str, now: datetime | None = None
) -> FeedbackRequest:
    """The open request a "Give feedback" button (or a form) answers, if it was sent to
    ``giver_id``."""
    with deps.db.read() as session:
        return requests.open_request_for(
            session,
            team_id=team_id,
            request_id=request_id,
            giver_id=giver_id,
            now=now or deps.clock(),
        )


# Asking for feedback, and the inbox ------------------------------------------------------------


def ask(
    deps: Deps,
    *,
    team_id: str,
    requester_id: str,
    user_ids: Sequence[str],
    topic: str,
    key: str | None = None,
) -> requests.Asked:
    """One request DM to each person asked; all or nothing."""
    now = deps.clock()
    people = deps.directory.people(team_id=team_id, user_ids=[requester_id, *user_ids], now=now)
    with deps.db.write() as session:
        once(session=session, team_id=team_id, key=key, now=deps.clock())
        asked = requests.request_feedback(
            session,
            team_id=team_id,
            requester=people[requester_id],
            asked=[people[u] for u in user_ids],
            topic=topic,
            now=now,
        )
        for row in asked.requests:  # each DM's row, so that answering can edit it
            [sent] = deps.outbox.enqueue(session, team_id, [messages.request_dm(row)], deps.clock())
            row.outbox_id = sent.id
            session.add(row)
    deps.deliverer.kick()
    return asked


def inbox(deps: Deps, *, team_id: str, owner_id: str, viewer_id: str) -> Inbox:
    with deps.db.read() as session:
        return rules.inbox(
            session, team_id=team_id, owner_id=owner_id, viewer_id=viewer_id, now=deps.clock()
        )


# The recipient's buttons -----------------------------------------------------------------------


def thank(
    deps: Deps, *, team_id: str, feedback_id: int, actor_id: str, key: str | None = None
) -> Feedback:
    """The recipient thanks the giver, who hears it once."""
    now = deps.clock()
    with deps.db.write() as session:
        once(session=session, team_id=team_id, key=key, now=deps.clock())
        fb, first = rules.thank_giver(
            session, team_id=team_id, feedback_id=feedback_id, actor_id=actor_id, now=now
        )
        if first:
            _enqueue(deps, session, team_id, [messages.thanks(fb)])
    deps.deliverer.kick()
    return fb


def share(
    deps: Deps, *, team_id: str, feedback_id: int, actor_id: str, key: str | None = None
) -> rules.Shared:
    """The recipient shares it with their coaches, who hear it once; returns who sees it now."""
    with deps.db.write() as session:
        once(session=session, team_id=team_id, key=key, now=deps.clock())
        fb, audience, fresh = rules.share_with_coach(
            session, team_id=team_id, feedback_id=feedback_id, actor_id=actor_id
        )
        if fresh:
            _enqueue(deps, session, team_id, messages.coach_notes(fb, audience))
        result = rules.shared(session, fb, audience)
    deps.deliverer.kick()
    return result


def mark_acted_on(
    deps: Deps, *, team_id: str, feedback_id: int, actor_id: str, key: str | None = None
) -> Feedback:
    now = deps.clock()
    with deps.db.write() as session:
        once(session=session, team_id=team_id, key=key, now=deps.clock())
        fb = rules.mark_acted_on(
            session, team_id=team_id, feedback_id=feedback_id, actor_id=actor_id, now=now
        )
    deps.deliverer.kick()
    return fb


def goal_from(deps: Deps, *, team_id: str, feedback_id: int, actor_id: str) -> Goal:
    """An unsaved goal for the recipient to start from ("Turn this into a goal")."""
    with deps.db.read() as session:
        fb = rules.received_feedback(
            session, team_id=team_id, feedback_id=feedback_id, actor_id=actor_id, action="goal"
        )
    return rules.goal_draft(fb, deps.clock().date())


# Customer feedback -----------------------------------------------------------------------------


def log_customer(
    deps: Deps, *, team_id: str, logger_id: str, draft: customer.CustomerDraft
) -> CustomerFeedback:
    """Log what a customer said about a teammate; they hear it by DM."""
    now = deps.clock()
    people = deps.directory.people(
        team_id=team_id, user_ids=[logger_id, draft.teammate_id], now=now
    )
    with deps.db.write() as session:
        row = customer.log_customer_feedback(
            session,
            team_id=team_id,
            logger=people[logger_id],
            teammate=people[draft.teammate_id],
            draft=draft,
            now=now,
        )
        _enqueue(deps, session, team_id, messages.customer_logged(row))
    deps.deliverer.kick()
    return row


def praise_to_kudos(
    deps: Deps, *, team_id: str, actor_id: str, row_id: int, key: str | None = None
) -> CustomerFeedback:
    """Its logger turns customer praise into kudos, through the kudos service and its rules
    (which record ``key``: the same press replayed does nothing, ``Replayed``)."""
    with deps.db.read() as session:
        row = customer.praise_to_recognise(
            session, team_id=team_id, row_id=row_id, actor_id=actor_id
        )
    gift = Gift(
        team_id=team_id,
        giver_id=actor_id,
        user_ids=(row.teammate_id,),
        reason=render.praise_reason(row),
        values=(),
        # logged from a message: posted where it was said; by webhook: nowhere in particular
        channel_id=None if row.origin else (row.source_ref or "").split(":")[0] or None,
        source=KudosSource.CUSTOMER,
        source_ref=f"customer:{row_id}",
        event_id=key,
    )
    try:
        result = give(deps, gift)
    except DuplicateKudosError as err:
        raise PraiseAlreadyKudosError() from err
    if result is None:
        raise Replayed(key)
    with deps.db.write() as session:
        customer.link_kudos(session, team_id=team_id, row_id=row_id, batch_id=result.batch_id)
    return row
