"""How people like their dates and milestones celebrated."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session

from storage import shoutouts as store


def milestones_in_channel(
    session: Session, *, team_id: str, user_ids: Iterable[str]
) -> frozenset[str]:
    """Of ``user_ids``, those whose milestones are announced in their team channel instead of
    by DM: they chose ``/bravo celebrate milestones channel`` and belong to a team channel (with
    none, the post would have nowhere to go, so they hear by DM as everyone else does)."""
    ids = sorted(set(user_ids))
    chosen = store.prefs(session, team_id, ids)
    return frozenset(
        u
        for u in ids
        if u in chosen
        and chosen[u].milestones == "channel"
        and store.team_channels_of(session, team_id, u)
    )
