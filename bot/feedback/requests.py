"""Asking peers for feedback: requests, their reminder after two working days and their expiry
after a week. Slack-free."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.cadence import WORKDAY_END, WORKDAY_START, local_time
from bot.feedback.errors import AlreadyAskedError, RequestClosedError, TooManyAskedError
from bot.feedback.parse import MAX_ASKED
from bot.feedback.rules import check_person
from bot.users import Person
from storage import feedback as store
from storage.models.feedback import FeedbackRequest, RequestStatus

REMIND_AFTER_WORKING_DAYS = 2
EXPIRES_AFTER = timedelta(days=7)


def add_working_days(start: datetime, days: int, zone: ZoneInfo) -> datetime:
    """``days`` working days (Monday-Friday in ``zone``) after ``start``, at the same local time
    moved into working hours (09:00-17:00): nobody is reminded in the middle of their night."""
    local = start.astimezone(zone)
    day, left = local.date(), days
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    minute = local.hour * 60 + local.minute
    if minute >= WORKDAY_END:  # after hours: first thing the next working day
        day += timedelta(days=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
    if not WORKDAY_START <= minute < WORKDAY_END:
        return local_time(day, WORKDAY_START, zone).astimezone(start.tzinfo)
    moment = datetime.combine(day, local.time().replace(tzinfo=None), zone)
    return moment.astimezone(start.tzinfo)


@dataclass(frozen=True)
class Asked:
    batch_id: str
    requests: tuple[FeedbackRequest, ...]


def request_feedback(
    session: Session,
    *,
    team_id: str,
    requester: Person,
    asked: Sequence[Person],
    topic: str,
    now: datetime,
) -> Asked:
    """One request per person asked; refuses the whole request if any one is invalid."""
    if len(asked) > MAX_ASKED:
        raise TooManyAskedError(MAX_ASKED, len(asked))
    for person in asked:
        check_person(requester, person)
    waiting = store.open_requests_between(
        session,
        team_id=team_id,
        requester_id=requester.user_id,
        giver_ids=[p.user_id for p in asked],
    )
    if waiting:
        raise AlreadyAskedError(tuple(sorted({r.giver_id for r in waiting})))
    batch = str(uuid.uuid4())
    rows = tuple(
        store.add_request(
            session,
            FeedbackRequest(
                team_id=team_id,
                batch_id=batch,
                requester_id=requester.user_id,
                giver_id=p.user_id,
                topic=topic,
                remind_at=add_working_days(now, REMIND_AFTER_WORKING_DAYS, p.zone),
                expires_at=now + EXPIRES_AFTER,
                created_at=now,
            ),
        )
        for p in asked
    )
    return Asked(batch, rows)


def open_request_for(
    session: Session, *, team_id: str, request_id: int, giver_id: str, now: datetime
) -> FeedbackRequest:
    """The request a "Give feedback" button answers, if it was sent to ``giver_id`` and is
    still open."""
    row = store.get_request(session, team_id=team_id, request_id=request_id)
    if row is None or row.giver_id != giver_id:
        raise RequestClosedError("foreign")
    if row.status == RequestStatus.OPEN and row.expires_at <= now:
        raise RequestClosedError(RequestStatus.EXPIRED)
    if row.status != RequestStatus.OPEN:
        raise RequestClosedError(row.status)
    return row
