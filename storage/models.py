"""Bravo's tables. Every row carries the Slack team (workspace) id it belongs to.

The kudos ledger is append-only: a kudos is never updated or deleted; taking one back appends a
``KudosRevocation``. ``KudosTally`` (per day) and ``KudosTotal`` (all time) are rollups kept in the
same transaction as the ledger, so leaderboards read a handful of rows instead of the history.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UtcDateTime

# 64-bit ids on PostgreSQL; SQLite only auto-increments a plain INTEGER PRIMARY KEY.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def _utc_column(nullable: bool = False, index: bool = False) -> Column:
    return Column(UtcDateTime(), nullable=nullable, index=index)


class SlackUser(SQLModel, table=True):
    """Cached ``users.info``: name, time zone and whether the account can receive kudos."""

    __tablename__ = "slack_user"
    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    name: str = Field(default="", max_length=255)
    tz: str = Field(default="UTC", max_length=64)
    is_bot: bool = False
    deleted: bool = False
    fetched_at: datetime = Field(sa_column=_utc_column())


class Kudos(SQLModel, table=True):
    """One giver recognising one recipient. A command naming three people writes three rows that
    share a ``batch_id``. ``reason`` is stored as mrkdwn that is already safe to post."""

    __tablename__ = "kudos"
    __table_args__ = (
        Index("ix_kudos_team_created", "team_id", "created_at"),
        Index("ix_kudos_team_giver_created", "team_id", "giver_id", "created_at"),
        Index("ix_kudos_team_recipient_created", "team_id", "recipient_id", "created_at"),
        Index("ix_kudos_team_batch", "team_id", "batch_id"),
        Index("ix_kudos_team_source", "team_id", "source_ref"),
    )
    id: int | None = Field(
        default=None, sa_column=Column(BigId, primary_key=True, autoincrement=True)
    )
    team_id: str = Field(max_length=32)
    batch_id: str = Field(max_length=36)
    giver_id: str = Field(max_length=32)
    recipient_id: str = Field(max_length=32)
    reason: str = Field(sa_column=Column(Text, nullable=False))
    values: str = Field(default="", max_length=512)
    channel_id: str | None = Field(default=None, max_length=32)
    source: str = Field(max_length=16)
    source_ref: str | None = Field(default=None, max_length=128)
    created_at: datetime = Field(sa_column=_utc_column())


class KudosRevocation(SQLModel, table=True):
    """A kudos taken back (undo within the window, or the reaction was removed)."""

    __tablename__ = "kudos_revocation"
    kudos_id: int = Field(sa_column=Column(BigId, primary_key=True, autoincrement=False))
    team_id: str = Field(max_length=32)
    revoked_by: str = Field(max_length=32)
    why: str = Field(max_length=32)
    revoked_at: datetime = Field(sa_column=_utc_column())


class KudosTally(SQLModel, table=True):
    """Kudos received per UTC day, person and value (``value == ""`` counts every kudos once).

    The key leads with the person (their own recent counts are one range read); the board index
    covers ``received`` so a leaderboard is read from the index alone."""

    __tablename__ = "kudos_tally"
    __table_args__ = (
        Index("ix_kudos_tally_board", "team_id", "value", "day", "user_id", "received"),
    )
    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    value: str = Field(primary_key=True, max_length=64)
    day: date = Field(primary_key=True)
    received: int = 0


class KudosTotal(SQLModel, table=True):
    """All-time kudos per person and value; ``given`` is kept on the ``value == ""`` row."""

    __tablename__ = "kudos_total"
    __table_args__ = (Index("ix_kudos_total_board", "team_id", "value", "received"),)
    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    value: str = Field(primary_key=True, max_length=64)
    received: int = 0
    given: int = 0


class GivingStreak(SQLModel, table=True):
    """Weeks in a row (in the giver's time zone) with at least one kudos given."""

    __tablename__ = "giving_streak"
    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    last_week: date
    current: int = 0
    best: int = 0


class Milestone(SQLModel, table=True):
    """A milestone reached; the unique key makes each one celebrated exactly once."""

    __tablename__ = "milestone"
    __table_args__ = (UniqueConstraint("team_id", "user_id", "kind", "threshold"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    user_id: str = Field(max_length=32)
    kind: str = Field(max_length=32)
    threshold: int
    reached_at: datetime = Field(sa_column=_utc_column())


class UserPref(SQLModel, table=True):
    __tablename__ = "user_pref"
    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    leaderboard_opt_out: bool = False
    # Away (vacation) through this local date: no check-in prompts, and streaks do not break.
    away_until: date | None = None


class ProcessedEvent(SQLModel, table=True):
    """Events API deliveries already acted on, so a retried ``event_id`` has one effect."""

    __tablename__ = "processed_event"
    event_id: str = Field(primary_key=True, max_length=64)
    team_id: str = Field(max_length=32)
    received_at: datetime = Field(sa_column=_utc_column(index=True))


class OutboxRow(SQLModel, table=True):
    """Everything Bravo sends to Slack that must not be lost: written in the same transaction as
    the record it announces, delivered (and retried) by ``bot.outbox``."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_ref", "team_id", "ref"),
    )
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    kind: str = Field(max_length=32)
    method: str = Field(max_length=64)
    payload: str = Field(sa_column=Column(Text, nullable=False))
    ref: str | None = Field(default=None, max_length=128)
    dedupe_key: str | None = Field(default=None, max_length=255, unique=True)
    notify_user: str | None = Field(default=None, max_length=32)
    status: str = Field(default="pending", max_length=16)
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(sa_column=_utc_column())
    next_attempt_at: datetime = Field(sa_column=_utc_column())
    claimed_until: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    sent_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    result_channel: str | None = Field(default=None, max_length=32)
    result_ts: str | None = Field(default=None, max_length=32)


class Goal(SQLModel, table=True):
    """A SMART goal. ``next_due_at`` is the source of truth for the next check-in prompt: the
    scheduler reads what is due from here, so a restart rebuilds the schedule from the table.
    ``tz`` is the owner's time zone ``next_due_at`` was computed in."""

    __tablename__ = "goal"
    __table_args__ = (
        Index("ix_goal_due", "status", "next_due_at"),
        Index("ix_goal_owner", "team_id", "owner_id", "status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    owner_id: str = Field(max_length=32)
    what: str = Field(sa_column=Column(Text, nullable=False))
    measure: str = Field(sa_column=Column(Text, nullable=False))
    skill: str = Field(max_length=64)
    target_date: date
    cadence: str = Field(default="weekly", max_length=16)  # weekdays | weekly | biweekly
    cadence_day: int = 0  # 0 = Monday (weekly and biweekly)
    cadence_minute: int = 570  # local time, minutes after midnight (570 = 09:30)
    cadence_anchor: date  # a Monday: biweekly check-ins fall in even weeks from it
    visibility: str = Field(default="coach", max_length=16)  # private | coach | public
    status: str = Field(default="active", max_length=16)  # active | paused | completed | archived
    paused_until: date | None = None
    tz: str = Field(default="UTC", max_length=64)
    next_due_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    streak: int = 0
    best_streak: int = 0
    missed_in_row: int = 0
    last_status: str | None = Field(default=None, max_length=16)
    last_progress: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    last_checkin_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    channel_id: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(sa_column=_utc_column())
    updated_at: datetime = Field(sa_column=_utc_column())
    completed_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))


class CheckInPrompt(SQLModel, table=True):
    """One check-in prompt for one goal and due time; the unique key means it exists once."""

    __tablename__ = "checkin_prompt"
    __table_args__ = (
        UniqueConstraint("goal_id", "due_at"),
        Index("ix_checkin_prompt_remind", "status", "remind_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    goal_id: int = Field(index=True)
    user_id: str = Field(max_length=32)
    due_at: datetime = Field(sa_column=_utc_column())
    tip_id: str | None = Field(default=None, max_length=64)
    status: str = Field(default="open", max_length=16)  # open | answered | missed | closed
    outbox_id: int | None = None
    remind_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    reminded_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    answered_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    created_at: datetime = Field(sa_column=_utc_column())


class CheckIn(SQLModel, table=True):
    """A recorded check-in: from a prompt's buttons, its note modal, or on the owner's own."""

    __tablename__ = "checkin"
    __table_args__ = (Index("ix_checkin_goal_created", "goal_id", "created_at"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    goal_id: int
    user_id: str = Field(max_length=32)
    status: str = Field(max_length=16)  # on_track | at_risk | blocked | done
    progress: str = Field(default="", sa_column=Column(Text, nullable=False))
    went_well: str = Field(default="", sa_column=Column(Text, nullable=False))
    next_step: str = Field(default="", sa_column=Column(Text, nullable=False))
    prompt_id: int | None = None
    source: str = Field(max_length=16)  # prompt | note | self
    created_at: datetime = Field(sa_column=_utc_column())


class TipSeen(SQLModel, table=True):
    """Coaching tips a person was shown in the current round for a skill."""

    __tablename__ = "tip_seen"
    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    skill: str = Field(primary_key=True, max_length=64)
    tip_id: str = Field(primary_key=True, max_length=64)
    seen_at: datetime = Field(sa_column=_utc_column())


class CoachPairing(SQLModel, table=True):
    """``coach_id`` coaches ``coachee_id`` once the coachee accepts. One row per pair, reused
    when a pair asks again after a decline or an end."""

    __tablename__ = "coach_pairing"
    __table_args__ = (
        UniqueConstraint("team_id", "coach_id", "coachee_id"),
        Index("ix_coach_pairing_coachee", "team_id", "coachee_id", "status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    coach_id: str = Field(max_length=32)
    coachee_id: str = Field(max_length=32)
    status: str = Field(default="pending", max_length=16)  # pending | active | declined | ended
    requested_at: datetime = Field(sa_column=_utc_column())
    responded_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    ended_by: str | None = Field(default=None, max_length=32)


class ScheduledSend(SQLModel, table=True):
    """The delivery record of a scheduled message (prompt, reminder, digest, alert), written in
    the same transaction as its outbox row and before anything is sent. The unique key says
    what, for whom and for which due time, so a retry, a restart or a second process that
    comes to the same due work cannot send it twice."""

    __tablename__ = "scheduled_send"
    __table_args__ = (Index("ix_scheduled_send_kind_due", "kind", "due_at"),)
    key: str = Field(primary_key=True, max_length=255)
    team_id: str = Field(max_length=32)
    kind: str = Field(max_length=32)
    user_id: str = Field(max_length=32)
    due_at: datetime = Field(sa_column=_utc_column())
    outbox_id: int | None = None
    created_at: datetime = Field(sa_column=_utc_column())


class Feedback(SQLModel, table=True):
    """Private feedback from a giver to a recipient. Never posted in a channel: visible to the
    giver, the recipient and, once ``shared_with_coach``, the recipient's active coaches.
    ``fingerprint`` (of giver, recipient and text) makes a duplicate submission a no-op."""

    __tablename__ = "feedback"
    __table_args__ = (
        UniqueConstraint("team_id", "giver_id", "fingerprint"),
        Index("ix_feedback_recipient", "team_id", "recipient_id", "created_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    giver_id: str = Field(max_length=32)
    recipient_id: str = Field(max_length=32)
    situation: str = Field(sa_column=Column(Text, nullable=False))
    behaviour: str = Field(sa_column=Column(Text, nullable=False))
    impact: str = Field(sa_column=Column(Text, nullable=False))
    suggestion: str = Field(default="", sa_column=Column(Text, nullable=False))
    skill: str = Field(max_length=64)
    shared_with_coach: bool = False
    request_id: int | None = None
    fingerprint: str = Field(max_length=64)
    thanked_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    acted_on_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    created_at: datetime = Field(sa_column=_utc_column())


class FeedbackRequest(SQLModel, table=True):
    """``requester_id`` asked ``giver_id`` for feedback; one row per person asked (a request
    naming three people writes three rows sharing a ``batch_id``)."""

    __tablename__ = "feedback_request"
    __table_args__ = (
        Index("ix_feedback_request_due", "status", "remind_at"),
        Index("ix_feedback_request_expiry", "status", "expires_at"),
        Index("ix_feedback_request_pair", "team_id", "requester_id", "giver_id", "status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    batch_id: str = Field(max_length=36)
    requester_id: str = Field(max_length=32)
    giver_id: str = Field(max_length=32)
    topic: str = Field(default="", sa_column=Column(Text, nullable=False))
    status: str = Field(default="open", max_length=16)  # open | answered | expired
    remind_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    reminded_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    expires_at: datetime = Field(sa_column=_utc_column())
    answered_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    feedback_id: int | None = None
    outbox_id: int | None = None
    created_at: datetime = Field(sa_column=_utc_column())


class CustomerFeedback(SQLModel, table=True):
    """What a customer said about a teammate (praise or complaint), logged from a message."""

    __tablename__ = "customer_feedback"
    __table_args__ = (
        UniqueConstraint("team_id", "teammate_id", "source_ref"),
        Index("ix_customer_feedback_teammate", "team_id", "teammate_id", "created_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    logged_by: str = Field(max_length=32)
    teammate_id: str = Field(max_length=32)
    kind: str = Field(max_length=16)  # praise | complaint
    rating: int
    source: str = Field(max_length=16)  # email | chat | phone | survey | review
    text: str = Field(sa_column=Column(Text, nullable=False))
    source_ref: str | None = Field(default=None, max_length=128)  # "<channel>:<ts>"
    kudos_batch_id: str | None = Field(default=None, max_length=36)
    created_at: datetime = Field(sa_column=_utc_column())


class SuggestionBox(SQLModel, table=True):
    """The channel anonymous suggestions go to, set by an admin."""

    __tablename__ = "suggestion_box"
    team_id: str = Field(primary_key=True, max_length=32)
    channel_id: str = Field(max_length=32)
    set_by: str = Field(max_length=32)
    set_at: datetime = Field(sa_column=_utc_column())


class Suggestion(SQLModel, table=True):
    """An anonymous suggestion. No author, and only the day it was made: nothing here can be
    joined to ``SuggestionQuota`` or to anything else about a person."""

    __tablename__ = "suggestion"
    __table_args__ = (Index("ix_suggestion_done", "team_id", "status", "done_on"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    text: str = Field(sa_column=Column(Text, nullable=False))
    day: date
    channel_id: str = Field(max_length=32)
    status: str = Field(default="open", max_length=16)  # open | done
    done_note: str = Field(default="", sa_column=Column(Text, nullable=False))
    done_on: date | None = None
    outbox_id: int | None = None


class SuggestionQuota(SQLModel, table=True):
    """Suggestions per person per day, keyed by a keyed hash of (team, person, day) so the
    person cannot be read back; no id, no time, nothing shared with ``Suggestion``. Rows of
    past days are deleted. SQLite stores it WITHOUT ROWID (in key order, not insertion order)."""

    __tablename__ = "suggestion_quota"
    __table_args__ = {"sqlite_with_rowid": False}
    key: str = Field(primary_key=True, max_length=64)
    day: date
    used: int = 0


class ShoutoutChannel(SQLModel, table=True):
    """A team channel: its weekly shout-out (local weekday and time in ``tz``), who turned it on,
    and the fairness note. The team is the channel's members (``ShoutoutMember``)."""

    __tablename__ = "shoutout_channel"
    team_id: str = Field(primary_key=True, max_length=32)
    channel_id: str = Field(primary_key=True, max_length=32)
    enabled: bool = True
    weekday: int = 4  # 0 = Monday
    minute: int = 16 * 60  # local time, minutes after midnight
    tz: str = Field(default="UTC", max_length=64)
    enabled_by: str = Field(max_length=32)
    creator_id: str | None = Field(default=None, max_length=32)  # the channel's creator: a lead
    fairness_to: str | None = Field(default=None, max_length=32)  # the lead who gets the note
    members_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    # Nothing is due before this (turning shout-outs on just after the hour posts next week).
    since: datetime = Field(sa_column=_utc_column())
    updated_at: datetime = Field(sa_column=_utc_column())


class ShoutoutMember(SQLModel, table=True):
    """Who is in a team channel, as Slack last said (``conversations.members``)."""

    __tablename__ = "shoutout_member"
    __table_args__ = (Index("ix_shoutout_member_user", "team_id", "user_id"),)
    team_id: str = Field(primary_key=True, max_length=32)
    channel_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)


class TeamLead(SQLModel, table=True):
    """A team lead an admin named for a team channel (the channel's creator is one anyway)."""

    __tablename__ = "team_lead"
    team_id: str = Field(primary_key=True, max_length=32)
    channel_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    named_by: str = Field(max_length=32)
    named_at: datetime = Field(sa_column=_utc_column())


class PersonDate(SQLModel, table=True):
    """A birthday (month and day only: Bravo never keeps a birth year) or a start date."""

    __tablename__ = "person_date"
    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    kind: str = Field(primary_key=True, max_length=16)  # birthday | started
    month: int
    day: int
    year: int | None = None  # start year; always None for a birthday
    source: str = Field(default="self", max_length=16)  # self | import
    updated_at: datetime = Field(sa_column=_utc_column())


class CelebrationPref(SQLModel, table=True):
    """How a person likes to be celebrated: not at all (dates), and where milestones go."""

    __tablename__ = "celebration_pref"
    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    opt_out: bool = False
    milestones: str = Field(default="dm", max_length=16)  # dm | channel


# A team's milestones of a week (the weekly shout-out) are a range read, however many there are.
Index("ix_milestone_team_reached", Milestone.team_id, Milestone.reached_at)  # type: ignore[arg-type]
