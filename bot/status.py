"""Away means away: whether a person's Slack status says they are not working (vacation, sick,
out of office), so prompts that would ask something of them (check-ins, practice, one-on-one
preps) hold back, as ``/goal away`` does, without breaking a streak.

Bravo keeps the status it is told (``user_status_changed`` events, and the profile that comes
with every ``users.info`` it already makes) on ``slack_user``; deciding who is away among many
people is one query (``storage.users.away_among``), never a Slack call per person per prompt.
A status with an expiry is away until then; one without, until it changes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

# Slack's own suggestions for time off, and the emoji people use for it.
AWAY_EMOJI = frozenset(
    {
        ":palm_tree:",
        ":desert_island:",
        ":beach_with_umbrella:",
        ":airplane:",
        ":airplane_departure:",
        ":face_with_thermometer:",
        ":thermometer:",
        ":mask:",
        ":sneezing_face:",
        ":nauseated_face:",
        ":hospital:",
        ":baby_bottle:",
        ":no_entry:",
        ":zzz:",
    }
)
# Words that say the person is off, as whole words or phrases, in any case.
AWAY_WORDS = re.compile(
    r"\b(vacation|vacationing|holiday|holidays|out of (the )?office|ooo|pto|sick|off sick|"
    r"out sick|annual leave|on leave|parental leave|maternity leave|paternity leave|"
    r"day off|off today|off until|away until|time off|sabbatical|congé|urlaub|vacaciones)\b",
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
