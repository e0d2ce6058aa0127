"""What the lesson tests share: a team channel (weekly shout-outs on) and its members."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session

from storage.models.shoutouts import ShoutoutChannel, ShoutoutMember

TEAM_CHANNEL = "C0TEAM"
T = "T0SANDBOX"


def make_team_channel(
    session: Session, members: tuple[str, ...], channel: str = TEAM_CHANNEL, team: str = T
) -> None:
    """A channel with weekly shout-outs on, and its members (as Slack last said)."""
    at = datetime(2026, 11, 1, tzinfo=UTC)
    session.add(
        ShoutoutChannel(
            team_id=team, channel_id=channel, enabled_by=members[0], since=at, updated_at=at
        )
    )
    for user in members:
        session.add(ShoutoutMember(team_id=team, channel_id=channel, user_id=user))
