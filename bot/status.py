"""Away means away: whether a person's Slack status says they are not working (vacation, sick,
out of office), so prompts that would ask something of them (check-ins, practice, one-on-one
preps) hold back, as ``/goal away`` does, without breaking a streak.

Bravo keeps the status it is told (``user_status_changed`` events, and the profile that comes
with every ``users.info`` it already makes) on ``slack_user``; deciding who is away among many
people is one query (``storage.users.away_among``), never a Slack call per person per prompt.
A status with an expiry is away until then; one without, until it changes. A status never seen
counts as not away: Bravo does not call ``users.profile.get`` (or anything else) to find out
before a prompt. Only the statuses of people Bravo already knows are kept (``status_changed``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from storage import users as user_store
from storage.db import Database

USER_STATUS_CHANGED = "user_status_changed"  # the event Slack sends when someone's status changes

# Slack's own suggestions for time off ("Vacationing" :palm_tree:, "Out sick"
# :face_with_thermometer:), and the emoji people use for it. Left out on purpose, because people
# who are working use them too: :no_entry: (focus time, do not disturb), :airplane: (travel for
# work), :zzz: (tired), :spiral_calendar_pad: (in a meeting), :bus: (commuting). When in doubt a
# status does not count: a missed away costs one prompt the person may ignore, a wrong one holds
# back a working person's check-in.
AWAY_EMOJI = frozenset(
    {
        ":palm_tree:",
        ":desert_island:",
        ":beach_with_umbrella:",
        ":face_with_thermometer:",
        ":thermometer:",
        ":mask:",
        ":sneezing_face:",
        ":nauseated_face:",
        ":hospital:",
        ":baby_bottle:",
        ":ooo:",
        ":out_of_office:",
    }
)
# Words that say the person is off, as whole words or phrases, in any case. "sick" counts only
# when it is not "sick of" ("sick of this bug" is a working person's mood).
AWAY_WORDS = re.compile(
    r"\b(vacation|vacationing|holiday|holidays|out of (the )?office|ooo|pto|sick(?!\s+of\b)|"
    r"annual leave|on leave|parental leave|maternity leave|paternity leave|sick leave|"
    r"day off|off today|off until|away until|time off|sabbatical|"
    r"congés?|en vacances|malade|urlaub|krank|ferien|vacaciones|de baja|enfermo|enferma)\b",
    re.IGNORECASE,
)
MAX_STATUS = 100  # characters kept of a status's text or emoji


@dataclass(frozen=True)
class Status:
    text: str
    emoji: str
    expires_at: datetime | None  # None: no expiry set

    @property
    def away(self) -> bool:
        return looks_away(self.text, self.emoji)


def looks_away(text: str, emoji: str) -> bool:
    """Whether a status says its person is off work: an away emoji, or words that say so."""
    if emoji.strip().lower() in AWAY_EMOJI:
        return True
    return bool(AWAY_WORDS.search(text or ""))


def status_from_profile(profile: dict[str, Any]) -> Status:
    """The status in a Slack profile (``users.info``'s ``user.profile``, ``users.profile.get``'s
    ``profile`` or a ``user_status_changed`` event's ``user.profile``)."""
    text = str(profile.get("status_text") or "")[:MAX_STATUS]
    emoji = str(profile.get("status_emoji") or "")[:MAX_STATUS]
    expires: datetime | None = None
    raw = profile.get("status_expiration")
    if isinstance(raw, int | float) and not isinstance(raw, bool) and raw > 0:
        try:
            expires = datetime.fromtimestamp(raw, UTC)
        except (OverflowError, OSError, ValueError):
            expires = None
    return Status(text=text, emoji=emoji, expires_at=expires)


def away_at(status_away: bool, expires_at: datetime | None, now: datetime) -> bool:
    """Whether a stored status still says away at ``now``."""
    return status_away and (expires_at is None or expires_at > now)


def status_fields(status: Status) -> dict[str, Any]:
    """What ``storage.users.remember_status`` (and ``remember_person``) take of a status."""
    return {
        "away": status.away,
        "text": status.text,
        "emoji": status.emoji,
        "expires_at": status.expires_at,
    }


def _slack_id(value: object) -> str | None:
    """A team or user id as Slack sends one (text, short), or None."""
    if isinstance(value, str) and 0 < len(value) <= 32 and value.isalnum():
        return value
    return None


def status_changed(db: Database, *, team_id: object, user: object, now: datetime) -> bool:
    """A status Slack told Bravo about (``user_status_changed``, or the profile in a
    ``user_change``): remembered in one short transaction, for a person Bravo already knows.

    People Bravo has never looked up are not written down: Slack sends every member's status
    changes, and keeping the statuses of people who never used Bravo (or who asked to be
    forgotten) would be holding personal data for nothing; their first ``users.info`` brings
    their status with it. Whether anything was remembered."""
    team = _slack_id(team_id)
    if team is None or not isinstance(user, dict):
        return False
    user_id, profile = _slack_id(user.get("id")), user.get("profile")
    if user_id is None or not isinstance(profile, dict):
        return False
    status = status_from_profile(profile)
    with db.write() as session:
        if user_id not in user_store.cached_people(session, team_id=team, user_ids=[user_id]):
            return False
        user_store.remember_status(
            session, team_id=team, user_id=user_id, now=now, **status_fields(status)
        )
    return True
