"""Calibration use cases: open a round, score it blind, reveal it (when everyone has scored or at
the deadline), record the agreed score, and a lead's agreement over time. Each owns its
transaction and queues what it sends in it (``messages.py``).

Privacy: a round's scores are read only for the lead who opened it and the reviewers invited,
and only once it is revealed; the agent named is never shown them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.admins import is_admin
from bot.calibration import messages
from bot.calibration.errors import (
    AgentReviewsError,
    AlreadyAgreedError,
    AlreadyScoredError,
    NoSkillsError,
    NotLeadError,
    NotRevealedError,
    NotRoundLeadError,
    ReviewerPersonError,
    RoundClosedError,
    RoundNotFoundError,
)
from bot.calibration.ids import HISTORY_ROUNDS
from bot.calibration.parse import OpenRound, deadline_at
from bot.calibration.results import Agreed, Opened, Refused, RoundView, Scored
from bot.calibration.spread import Spread, medians, skills_of, spread_of
from bot.deps import Deps
from bot.reviews.scorecard import Scorecard, read_scorecard, scored_skills
from bot.users import is_teammate
from storage import calibration as store
from storage.models.reviews import (
    Calibration,
    CalibrationReviewer,
    CalibrationScore,
    CalibrationStatus,
)

Values = dict[str, Any]  # a submitted modal's state.values


# Who leads -------------------------------------------------------------------------------------


def check_lead(deps: Deps, *, team_id: str, user_id: str) -> None:
    """A lead of a team channel, or an admin (Slack is asked at the moment); else refused."""
    with deps.db.read() as session:
        if store.leads_a_team(session, team_id=team_id, user_id=user_id):
            return
    if not is_admin(deps.client_for(team_id), deps.config(team_id), user_id):
        raise NotLeadError()


# Opening a round -------------------------------------------------------------------------------


def open_round(
    deps: Deps, *, team_id: str, lead_id: str, asked: OpenRound, request_key: str
) -> Opened:
    """One transaction: the round, its reviewers and a DM to each with **Score it**. The same
    command delivered twice (``request_key``: its trigger id) opens one round."""
    key = request_key[:64]
    with deps.db.read() as session:
        if (found := _opened_before(session, team_id, key)) is not None:
            return found
    check_lead(deps, team_id=team_id, user_id=lead_id)
    skills = scored_skills(deps.config(team_id).kudos.values)
    if not skills:
        raise NoSkillsError()
    now = deps.clock()
    wanted = [lead_id, *asked.reviewer_ids, *([asked.agent_id] if asked.agent_id else [])]
    people = deps.directory.people(team_id=team_id, user_ids=wanted, now=now)
    for uid in (*asked.reviewer_ids, *([asked.agent_id] if asked.agent_id else [])):
        person = people[uid]
        if not is_teammate(person):
            why = "unknown" if not person.known else "bot" if person.is_bot else "deactivated"
            raise ReviewerPersonError(uid, why, agent=uid == asked.agent_id)
    if asked.agent_id in asked.reviewer_ids:
        raise AgentReviewsError()
    due = deadline_at(asked.when, now=now, zone=people[lead_id].zone)
    with deps.db.write() as session:
        if (found := _opened_before(session, team_id, key)) is not None:
            return found
        row, invited = store.add_round(
            session,
            Calibration(
                team_id=team_id,
                lead_id=lead_id,
                agent_id=asked.agent_id,
                link=asked.link,
                skills=",".join(skills),
                deadline_at=due,
                request_key=key,
                created_at=now,
            ),
            asked.reviewer_ids,
        )
        for invite in invited:  # each DM's row, so that scoring can edit it
            [sent] = deps.outbox.enqueue(
                session, team_id, [messages.invite(row, invite.reviewer_id)], now
            )
            invite.outbox_id = sent.id
            session.add(invite)
    deps.deliverer.kick()
    return Opened(row, asked.reviewer_ids, fresh=True)


def _opened_before(session: Session, team_id: str, key: str) -> Opened | None:
    row = store.by_request(session, team_id=team_id, request_key=key)
    if row is None or row.id is None:
        return None
    invited = store.reviewers(session, round_id=row.id)
    return Opened(row, tuple(r.reviewer_id for r in invited), fresh=False)


# Scoring ---------------------------------------------------------------------------------------


def _invitation(
    session: Session, *, team_id: str, round_id: int, reviewer_id: str, lock: bool = False
) -> tuple[Calibration, list[CalibrationReviewer], CalibrationReviewer]:
    """The open round and this reviewer's invitation to it; refused otherwise."""
    row = store.get_round(session, team_id=team_id, round_id=round_id, lock=lock)
    invited = store.reviewers(session, round_id=round_id) if row is not None else []
    mine = next((r for r in invited if r.reviewer_id == reviewer_id), None)
    if row is None or mine is None:
        raise RoundNotFoundError()
    if mine.submitted_at is not None:
        raise AlreadyScoredError()
    if row.status != CalibrationStatus.OPEN:
        raise RoundClosedError(str(row.status))
    return row, invited, mine


def round_to_score(deps: Deps, *, team_id: str, round_id: int, reviewer_id: str) -> Calibration:
    """The round a **Score it** button opens the scorecard of, if this reviewer may score it."""
    with deps.db.read() as session:
        row, _, _ = _invitation(
            session, team_id=team_id, round_id=round_id, reviewer_id=reviewer_id
        )
    return row


def submit_scores(
    deps: Deps, *, team_id: str, round_id: int, reviewer_id: str, values: Values
) -> Refused | Scored:
    """An invited reviewer's scores, once, while the round is open (a second submission is
    refused and changes nothing). The last reviewer's scores reveal the round at once."""
    now = deps.clock()
    with deps.db.read() as session:
        row, _, _ = _invitation(
            session, team_id=team_id, round_id=round_id, reviewer_id=reviewer_id
        )
    card, errors = read_scorecard(values, skills_of(row), with_summary=False)
    if card is None:
        return Refused(errors)
    with deps.db.write() as session:
        row, invited, mine = _invitation(
            session, team_id=team_id, round_id=round_id, reviewer_id=reviewer_id, lock=True
        )
        if not store.mark_submitted(session, reviewer_row_id=mine.id or 0, now=now):
            raise AlreadyScoredError()
        store.add_scores(session, _rows(row, reviewer_id, card, now, agreed=False))
        if mine.outbox_id is not None:  # the invitation loses its button
            deps.outbox.enqueue(session, team_id, [messages.invite_scored(row, mine)], now)
        others = [r for r in invited if r.reviewer_id != reviewer_id]
        revealed = None
        if all(r.submitted_at is not None for r in others):
            revealed = _reveal(deps, session, row, now, send=True)
    deps.deliverer.kick()
    return Scored(row, revealed)


def _rows(
    row: Calibration, reviewer_id: str, card: Scorecard, now: datetime, *, agreed: bool
) -> list[CalibrationScore]:
    return [
        CalibrationScore(
            team_id=row.team_id,
            calibration_id=row.id or 0,
            reviewer_id=reviewer_id,
            skill=s.skill,
            score=s.score,
            note=s.note,
            agreed=agreed,
            created_at=now,
        )
        for s in card.scores
    ]


# The reveal ------------------------------------------------------------------------------------


def _reveal(
    deps: Deps, session: Session, row: Calibration, now: datetime, *, send: bool
) -> Spread | None:
    """Open -> revealed, once (None when another transaction revealed it first): the agreement
    is stored and, with ``send``, everyone invited and the lead get the spread by DM."""
    round_id = row.id or 0
    invited = store.reviewers(session, round_id=round_id)
    spread = spread_of(row, invited, store.scores(session, round_id=round_id, agreed=False))
    moved = store.move_status(
        session,
        round_id=round_id,
        from_status=CalibrationStatus.OPEN,
        values={
            "status": CalibrationStatus.REVEALED,
            "agreement": spread.agreement,
            "revealed_at": now,
        },
    )
    if not moved:
        return None
    row.status, row.agreement, row.revealed_at = CalibrationStatus.REVEALED, spread.agreement, now
    if send:
        deps.outbox.enqueue(session, row.team_id, messages.revealed(spread, invited), now)
    return spread


def reveal_due(deps: Deps, *, team_id: str, round_id: int, at: datetime, send: bool) -> str:
    """The deadline job's use case: reveal one round whose deadline has passed, once."""
    with deps.db.write() as session:
        row = store.get_round(session, team_id=team_id, round_id=round_id, lock=True)
        if row is None or row.status != CalibrationStatus.OPEN or row.deadline_at > at:
            return "taken"
        if _reveal(deps, session, row, at, send=send) is None:
            return "taken"
    return "revealed" if send else "revealed_unsent"


# Seeing a round --------------------------------------------------------------------------------


def _visible(
    session: Session, *, team_id: str, round_id: int, viewer_id: str
) -> tuple[Calibration, list[CalibrationReviewer]]:
    """The round, if ``viewer_id`` opened it or was invited to it: nobody else learns it exists."""
    row = store.get_round(session, team_id=team_id, round_id=round_id)
    invited = store.reviewers(session, round_id=round_id) if row is not None else []
    if row is None or (
        viewer_id != row.lead_id and all(r.reviewer_id != viewer_id for r in invited)
    ):
        raise RoundNotFoundError()
    return row, invited


def show_round(deps: Deps, *, team_id: str, round_id: int, viewer_id: str) -> RoundView:
    with deps.db.read() as session:
        row, invited = _visible(session, team_id=team_id, round_id=round_id, viewer_id=viewer_id)
        spread = None
        if row.status in {CalibrationStatus.REVEALED, CalibrationStatus.AGREED}:
            spread = _spread(session, row, invited)
    return RoundView(
        round=row,
        viewer_id=viewer_id,
        scored=tuple(r.reviewer_id for r in invited if r.submitted_at is not None),
        waiting=tuple(r.reviewer_id for r in invited if r.submitted_at is None),
        spread=spread,
    )


def _spread(session: Session, row: Calibration, invited: list[CalibrationReviewer]) -> Spread:
    round_id = row.id or 0
    return spread_of(
        row,
        invited,
        store.scores(session, round_id=round_id, agreed=False),
        store.scores(session, round_id=round_id, agreed=True),
    )


# The agreed score ------------------------------------------------------------------------------


def _lead_round(
    session: Session, *, team_id: str, round_id: int, lead_id: str, lock: bool = False
) -> tuple[Calibration, list[CalibrationReviewer]]:
    row, invited = _visible(session, team_id=team_id, round_id=round_id, viewer_id=lead_id)
    if row.lead_id != lead_id:
        raise NotRoundLeadError()
    if lock:
        row = store.get_round(session, team_id=team_id, round_id=round_id, lock=True) or row
    if row.status == CalibrationStatus.OPEN:
        raise NotRevealedError()
    if row.status != CalibrationStatus.REVEALED:
        raise AlreadyAgreedError()
    return row, invited


def agree_form(
    deps: Deps, *, team_id: str, round_id: int, lead_id: str
) -> tuple[Spread, Scorecard]:
    """The revealed round and the agreed-score form's starting point (each skill's median)."""
    with deps.db.read() as session:
        row, invited = _lead_round(session, team_id=team_id, round_id=round_id, lead_id=lead_id)
        spread = _spread(session, row, invited)
    return spread, medians(spread)


def record_agreed(
    deps: Deps, *, team_id: str, round_id: int, lead_id: str, values: Values
) -> Refused | Agreed:
    """The lead's agreed score per skill, once; everyone invited is told by DM."""
    now = deps.clock()
    with deps.db.read() as session:
        row, _ = _lead_round(session, team_id=team_id, round_id=round_id, lead_id=lead_id)
    card, errors = read_scorecard(values, skills_of(row), with_summary=False)
    if card is None:
        return Refused(errors)
    with deps.db.write() as session:
        row, invited = _lead_round(
            session, team_id=team_id, round_id=round_id, lead_id=lead_id, lock=True
        )
        moved = store.move_status(
            session,
            round_id=round_id,
            from_status=CalibrationStatus.REVEALED,
            values={"status": CalibrationStatus.AGREED, "agreed_at": now},
        )
        if not moved:
            raise AlreadyAgreedError()
        row.status, row.agreed_at = CalibrationStatus.AGREED, now
        store.add_scores(session, _rows(row, lead_id, card, now, agreed=True))
        spread = _spread(session, row, invited)
        deps.outbox.enqueue(session, team_id, messages.agreed(spread), now)
    deps.deliverer.kick()
    return Agreed(spread)


# Cancelling ------------------------------------------------------------------------------------


def cancel_round(deps: Deps, *, team_id: str, round_id: int, lead_id: str) -> Calibration:
    """The lead who opened an open round calls it off: it takes no more scores and is never
    revealed (scores already given stay unseen), and each reviewer's invitation loses its
    button and says so. Once; a round revealed or agreed is past cancelling."""
    now = deps.clock()
    with deps.db.write() as session:
        row, invited = _visible(session, team_id=team_id, round_id=round_id, viewer_id=lead_id)
        if row.lead_id != lead_id:
            raise NotRoundLeadError("cancels it")
        if row.status != CalibrationStatus.OPEN:
            raise RoundClosedError(str(row.status))
        moved = store.move_status(
            session,
            round_id=round_id,
            from_status=CalibrationStatus.OPEN,
            values={"status": CalibrationStatus.CANCELLED},
        )
        if not moved:  # revealed (or cancelled) by another transaction just now
            fresh = store.get_round(session, team_id=team_id, round_id=round_id)
            raise RoundClosedError(str(fresh.status if fresh else CalibrationStatus.CANCELLED))
        row.status = CalibrationStatus.CANCELLED
        deps.outbox.enqueue(session, team_id, messages.cancelled(row, invited), now)
    deps.deliverer.kick()
    return row


# Agreement over time ---------------------------------------------------------------------------


def history(deps: Deps, *, team_id: str, lead_id: str) -> list[Calibration]:
    """A lead's newest rounds first (at most ``HISTORY_ROUNDS``), each with its agreement."""
    check_lead(deps, team_id=team_id, user_id=lead_id)
    with deps.db.read() as session:
        return store.rounds_of_lead(session, team_id=team_id, lead_id=lead_id, limit=HISTORY_ROUNDS)
