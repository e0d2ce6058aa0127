"""Who people are: names, time zones, bots and deactivated accounts, from Slack's users.info.

Looked up before a request opens its writing transaction (never call Slack while holding a
database lock) and cached in ``slack_user`` for a day. Where many people at once are not in the
cache (a big team's fairness note), one sweep of ``users.list`` (Tier 2, 200 people a call)
refreshes the whole workspace's cache instead of a ``users.info`` (Tier 4) for each.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk.errors import SlackApiError
from slack_sdk.web import WebClient

from bot.errors import UnknownUserGroupError
from bot.outbox.clients import ClientFor, one_client
from bot.status import Status, status_fields, status_from_profile
from storage import users as user_store
from storage.db import Database
from storage.models import SlackUser

log = logging.getLogger(__name__)
CACHE_TTL = timedelta(hours=24)
SLACKBOT = "USLACKBOT"
USERS_PAGE = 200  # what Slack recommends for users.list
SWEEP_AT = 50  # people to look up at once: more, and users.list (Tier 2) beats users.info each


@dataclass(frozen=True)
class Person:
    user_id: str
    name: str = ""
    tz: str = "UTC"
    is_bot: bool = False
    deleted: bool = False
    known: bool = True
    # The Slack status in the profile Slack just returned (None: not read from Slack now), kept
    # with the rest, so knowing who is away costs no call of its own.
    status: Status | None = field(default=None, compare=False)

    @property
    def zone(self) -> ZoneInfo:
        return zone_or_utc(self.tz)


def is_teammate(person: Person) -> bool:
    """Whether someone counts as a member of a team: a known person, not a bot (Bravo itself
    and Slackbot are bots) and not deactivated."""
    return person.known and not person.is_bot and not person.deleted


def zone_or_utc(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def person_from_cache(row: SlackUser) -> Person:
    return Person(row.user_id, row.name, row.tz, row.is_bot, row.deleted)


def person_from_slack(user: dict[str, Any]) -> Person:
    profile = user.get("profile") or {}
    name = profile.get("display_name") or user.get("real_name") or user.get("name") or ""
    return Person(
        user_id=user["id"],
        name=name,
        tz=user.get("tz") or "UTC",
        is_bot=bool(user.get("is_bot")) or user["id"] == SLACKBOT or bool(user.get("is_app_user")),
        deleted=bool(user.get("deleted")),
        status=_status_in(profile),
    )


def _status_in(profile: object) -> Status | None:
    """The status in a profile Slack returned; None when it says nothing of one."""
    if not isinstance(profile, dict) or not ({"status_text", "status_emoji"} & profile.keys()):
        return None
    return status_from_profile(profile)


def workspace_people(client: WebClient) -> Iterator[list[Person]]:
    """Everyone in the workspace (bots and deactivated accounts included), a page at a time:
    ``users.list`` following ``response_metadata.next_cursor``."""
    for page in client.users_list(limit=USERS_PAGE):
        yield [person_from_slack(u) for u in page.get("members") or []]


class UserDirectory:
    """People as Slack says they are, asked of each workspace with its own token (``clients``:
    the client of each workspace, ``bot.outbox.clients.TeamClients``; or one client for all)."""

    def __init__(self, db: Database, clients: WebClient | ClientFor) -> None:
        self._db = db
        self._client_for = one_client(clients) if isinstance(clients, WebClient) else clients

    def people(
        self,
        *,
        team_id: str,
        user_ids: Iterable[str],
        now: datetime,
        sweep_at: int | None = None,
    ) -> dict[str, Person]:
        """Each of ``user_ids``, from the cache or Slack. With ``sweep_at``: when that many or
        more are not in the cache or are stale, the whole workspace is read first (``sweep``),
        and only those it did not list are looked up one by one."""
        ids = list(dict.fromkeys(user_ids))
        with self._db.read() as session:
            cached = user_store.cached_people(session, team_id=team_id, user_ids=ids)
        found: dict[str, Person] = {}
        stale: dict[str, Person] = {}
        for uid, row in cached.items():
            person = person_from_cache(row)
            (found if row.fetched_at > now - CACHE_TTL else stale)[uid] = person
        wanted = [uid for uid in ids if uid not in found]
        if sweep_at is not None and len(wanted) >= sweep_at:
            found.update(self.sweep(team_id=team_id, wanted=set(wanted), now=now))
        fresh: list[Person] = []
        for uid in ids:
            if uid in found:
                continue
            try:
                person = self._fetch(team_id, uid)
            except SlackApiError:
                if uid not in stale:
                    raise
                # Slack is having trouble; what we knew yesterday beats refusing the kudos.
                log.warning("users.info failed for %s; using the cached profile", uid)
                found[uid] = stale[uid]
                continue
            found[uid] = person
            if person.known:
                fresh.append(person)
        if fresh:
            self._remember(team_id, fresh, now)
        return found

    def sweep(self, *, team_id: str, wanted: set[str], now: datetime) -> dict[str, Person]:
        """Refresh the cache with everyone ``users.list`` lists (each page saved before the next
        is asked for); returns those of ``wanted`` it found. If Slack fails part way, what was
        read is kept and the caller looks the rest up one by one."""
        found: dict[str, Person] = {}
        try:
            for page in workspace_people(self._client_for(team_id)):
                self._remember(team_id, page, now)
                found.update((p.user_id, p) for p in page if p.user_id in wanted)
        except SlackApiError as err:
            log.warning("users.list failed part way: %s", err.response.get("error"))
        return found

    def _remember(self, team_id: str, people: list[Person], now: datetime) -> None:
        # In one order everywhere: two transactions upserting the same people in different orders
        # deadlock on PostgreSQL (seen with two concurrent /kudos to the same group).
        with self._db.write() as session:
            for p in sorted(people, key=lambda p: p.user_id):
                user_store.remember_person(
                    session,
                    team_id=team_id,
                    user_id=p.user_id,
                    name=p.name,
                    tz=p.tz,
                    is_bot=p.is_bot,
                    deleted=p.deleted,
                    now=now,
                    status=status_fields(p.status) if p.status is not None else None,
                )

    def teammates(
        self, *, team_id: str, user_ids: list[str], now: datetime, sweep_at: int = SWEEP_AT
    ) -> list[str]:
        """Those of ``user_ids`` who are teammates (``is_teammate``), in order, from the cache
        and Slack (one users.list sweep when many are missing or stale); if Slack is
        unreachable, everyone the cache does not know to be a bot or deactivated."""
        try:
            found = self.people(team_id=team_id, user_ids=user_ids, now=now, sweep_at=sweep_at)
            return [u for u in user_ids if u in found and is_teammate(found[u])]
        except Exception as err:  # Slack trouble: leave out only those we know are not people
            log.warning("could not look up the members of a team: %s", err)
        with self._db.read() as session:
            cached = user_store.cached_people(session, team_id=team_id, user_ids=user_ids)
        return [u for u in user_ids if u not in cached or is_teammate(person_from_cache(cached[u]))]

    def person(self, *, team_id: str, user_id: str, now: datetime) -> Person:
        return self.people(team_id=team_id, user_ids=[user_id], now=now)[user_id]

    def _fetch(self, team_id: str, user_id: str) -> Person:
        try:
            response = self._client_for(team_id).users_info(user=user_id)
        except SlackApiError as err:
            if err.response.get("error") in {"user_not_found", "user_not_visible"}:
                return Person(user_id, known=False)
            raise
        return person_from_slack(response["user"])

    def group_members(self, group_ids: Iterable[str], *, team_id: str) -> list[str]:
        """The members of the workspace's user groups (each once, in order)."""
        members: list[str] = []
        missing: list[str] = []
        client = self._client_for(team_id)
        for gid in group_ids:
            try:
                response = client.usergroups_users_list(usergroup=gid)
            except SlackApiError as err:
                if err.response.get("error") in {"no_such_subteam", "subteam_not_found"}:
                    missing.append(gid)
                    continue
                raise
            users: list[str] = list(response.get("users") or [])
            members.extend(u for u in users if u not in members)
        if missing:
            raise UnknownUserGroupError(tuple(missing))
        return members


def local_day_bounds(now: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The start and end (as aware datetimes) of the local calendar day containing ``now``.

    Computed through the calendar date, so days of 23 or 25 hours (DST changes) are right."""
    local = now.astimezone(zone)
    start = datetime(local.year, local.month, local.day, tzinfo=zone)
    next_day = (start + timedelta(days=1)).date()
    end = datetime(next_day.year, next_day.month, next_day.day, tzinfo=zone)
    return start, end
