"""Finding the agent a rating is about: by Slack id (``bot.users``, cached a day) or by email
(``users.lookupByEmail``, Tier 3: each answer remembered a few minutes in this process, so a
burst of ratings for the same agents asks Slack once per address)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from datetime import datetime

from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from bot.users import Person, is_teammate, person_from_slack
from storage.models.ratings import UnmatchedRating

EMAIL_TTL = 600.0  # seconds an email's answer is remembered
NOT_FOUND = {"users_not_found", "user_not_found", "user_not_visible"}


class LookupFailed(Exception):
    """Slack could not be asked now (not: the person is unknown); try again later."""


class EmailBook:
    """Email -> person answers, remembered ``EMAIL_TTL`` seconds; bounded."""

    def __init__(self, ttl: float = EMAIL_TTL) -> None:
        self._ttl = ttl
        self._lock = threading.Lock()
        self._seen: dict[tuple[str, str], tuple[float, Person | None]] = {}

    def get(self, team_id: str, email: str) -> tuple[bool, Person | None]:
        with self._lock:
            seen = self._seen.get((team_id, email))
        if seen is None or time.monotonic() - seen[0] > self._ttl:
            return False, None
        return True, seen[1]

    def put(self, team_id: str, email: str, person: Person | None) -> None:
        with self._lock:
            if len(self._seen) > 20_000:
                self._seen.clear()
            self._seen[(team_id, email)] = (time.monotonic(), person)

    def forget(self) -> None:
        with self._lock:
            self._seen.clear()


BOOK = EmailBook()


def find_agents(
    deps: Deps, team_id: str, ratings: Iterable[UnmatchedRating], now: datetime
) -> dict[int, Person | None]:
    """Each rating's agent (a teammate: known to Slack, not a bot, not deactivated) or None,
    by rating id. By Slack id first; an unknown id with an email is tried by email. Raises
    ``LookupFailed`` when Slack cannot answer (the ratings wait for the next try)."""
    rows = list(ratings)
    ids = [r.agent_slack_id for r in rows if r.agent_slack_id]
    try:
        people = deps.directory.people(team_id=team_id, user_ids=ids, now=now) if ids else {}
    except SlackApiError as err:
        raise LookupFailed(str(err.response.get("error"))) from err
    found: dict[int, Person | None] = {}
    for row in rows:
        person = people.get(row.agent_slack_id or "")
        if (person is None or not is_teammate(person)) and row.agent_email:
            person = by_email(deps, team_id, row.agent_email)
        found[row.id or 0] = person if person is not None and is_teammate(person) else None
    return found


def by_email(deps: Deps, team_id: str, email: str) -> Person | None:
    known, person = BOOK.get(team_id, email)
    if known:
        return person
    try:
        response = deps.client_for(team_id).users_lookupByEmail(email=email)
        person = person_from_slack(response["user"])
    except SlackApiError as err:
        if err.response.get("error") not in NOT_FOUND:
            raise LookupFailed(str(err.response.get("error"))) from err
        person = None
    BOOK.put(team_id, email, person)
    return person
