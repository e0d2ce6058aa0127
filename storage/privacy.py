"""Queries across every table for one person's data: read it all (export), erase it (one
transaction, the caller's), and delete a whole workspace once its retention is over.

Erasure deletes what is the person's own and then rewrites every remaining mention of their id,
in every text column of every table of the workspace, to a fixed placeholder: what they gave to
others (kudos, feedback) stays with its recipients without naming them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import String, Table, delete, or_, update
from sqlmodel import AutoString, Session, SQLModel, col, select

from storage import calibration, ratings, reviews
from storage import kudos as ledger
from storage import privacy_coaching as coaching
from storage import privacy_learning as learning
from storage.models import (
    CelebrationPref,
    CheckIn,
    CheckInPrompt,
    CoachPairing,
    CustomerFeedback,
    Erasure,
    ExportFile,
    Feedback,
    FeedbackRequest,
    GivingStreak,
    Goal,
    HomeViewer,
    Kudos,
    KudosRevocation,
    KudosTally,
    KudosTotal,
    Milestone,
    OutboxRow,
    OutboxStatus,
    PersonDate,
    ScheduledSend,
    SettingChange,
    ShoutoutChannel,
    ShoutoutMember,
    SlackUser,
    TeamLead,
    TipSeen,
    UserPref,
    WorkspaceConfig,
)
from storage.models.work import WorkItem

ERASED_ID = "erased"  # stands for an erased person wherever their id was kept (bot.text too)
ERASED_MENTION = "someone who has left Bravo"  # replaces a mention of them in stored text

Row = dict[str, Any]


def export_ref(user_id: str) -> str:
    """The outbox ``ref`` of a person's export files (erasure deletes them, sent or not)."""
    return f"privacy_export:{user_id}"


def _dump(rows: Sequence[SQLModel]) -> list[Row]:
    return [row.model_dump() for row in rows]


# Export ----------------------------------------------------------------------------------------


KUDOS_PAGE = 1_000  # kudos rows read at a time for an export (a keyset page)
KUDOS_SIDES = {"received": "recipient_id", "given": "giver_id"}


def person_data(session: Session, *, team_id: str, user_id: str) -> dict[str, Any]:
    """Every row that is about ``user_id`` (or that they wrote), by table, as plain dicts, all at
    once (an export streams the same with ``person_kudos``, ``person_rounds`` and
    ``person_tables``)."""
    kudos = {
        f"kudos_{side}": [
            row
            for page in person_kudos(session, team_id=team_id, user_id=user_id, side=side)
            for row in page
        ]
        for side in KUDOS_SIDES
    }
    rounds = coaching.person_rounds(session, team_id=team_id, user_id=user_id)
    return {
        **kudos,
        "practice_rounds": [row for page in rounds for row in page],
        **person_tables(session, team_id=team_id, user_id=user_id),
    }


person_rounds = coaching.person_rounds  # their practice rounds, in pages (as their kudos)


def person_kudos(
    session: Session, *, team_id: str, user_id: str, side: str, page: int = KUDOS_PAGE
) -> Iterator[list[Row]]:
    """The kudos ``user_id`` received or gave (``side``: a key of ``KUDOS_SIDES``), oldest first,
    as plain dicts in pages of ``page`` rows: a page is read after the last one by its
    (created_at, id), so no more than a page is held at once, however long their history."""
    column = getattr(Kudos, KUDOS_SIDES[side])
    after: tuple[datetime, int] | None = None
    while True:
        query = (
            select(Kudos, KudosRevocation.why)
            .outerjoin(KudosRevocation, col(KudosRevocation.kudos_id) == col(Kudos.id))
            .where(Kudos.team_id == team_id, col(column) == user_id)
        )
        if after is not None:
            at, last = after
            query = query.where(  # the first condition alone is an index range
                col(Kudos.created_at) >= at,
                or_(col(Kudos.created_at) > at, col(Kudos.id) > last),
            )
        rows = session.exec(query.order_by(col(Kudos.created_at), col(Kudos.id)).limit(page)).all()
        if not rows:
            return
        found = [
            {**k.model_dump(), "revoked": why is not None, "revoked_why": why} for k, why in rows
        ]
        yield found
        if len(rows) < page:
            return
        after = (found[-1]["created_at"], found[-1]["id"])


def person_tables(session: Session, *, team_id: str, user_id: str) -> dict[str, Any]:
    """Everything about ``user_id`` but their kudos and practice rounds, by table, as plain
    dicts. Rows of other people are never read here, except as the other side of the person's
    own records."""
    t, u = team_id, user_id
    goals = session.exec(select(Goal).where(Goal.team_id == t, Goal.owner_id == u)).all()
    goal_ids = [g.id for g in goals]
    checkins = session.exec(
        select(CheckIn).where(CheckIn.team_id == t, col(CheckIn.goal_id).in_(goal_ids))
    ).all()

    def mine(model: Any, *columns: Any) -> list[Row]:
        where = or_(*[c == u for c in columns])
        return _dump(session.exec(select(model).where(model.team_id == t, where)).all())

    return {
        "goals": _dump(goals),
        "checkins": _dump(checkins),
        "checkin_prompts": mine(CheckInPrompt, CheckInPrompt.user_id),
        "feedback_received": mine(Feedback, Feedback.recipient_id),
        "feedback_given": mine(Feedback, Feedback.giver_id),
        "feedback_requests_made": mine(FeedbackRequest, FeedbackRequest.requester_id),
        "feedback_requests_to_you": mine(FeedbackRequest, FeedbackRequest.giver_id),
        "customer_feedback_about_you": mine(CustomerFeedback, CustomerFeedback.teammate_id),
        "customer_feedback_you_logged": _logged(session, t, u),
        "coaching": mine(CoachPairing, CoachPairing.coach_id, CoachPairing.coachee_id),
        "celebration_dates": mine(PersonDate, PersonDate.user_id),
        "celebration_preferences": mine(CelebrationPref, CelebrationPref.user_id),
        "preferences": mine(UserPref, UserPref.user_id),
        "milestones": mine(Milestone, Milestone.user_id),
        "giving_streak": mine(GivingStreak, GivingStreak.user_id),
        "kudos_totals": mine(KudosTotal, KudosTotal.user_id),
        "coaching_tips_seen": mine(TipSeen, TipSeen.user_id),
        "team_channels": mine(ShoutoutMember, ShoutoutMember.user_id),
        "team_lead_of": mine(TeamLead, TeamLead.user_id),
        "setting_changes_you_made": mine(SettingChange, SettingChange.changed_by),
        "slack_profile_cache": mine(SlackUser, SlackUser.user_id),
        "home_tab": mine(HomeViewer, HomeViewer.user_id),
        **calibration.person_data(session, team_id=t, user_id=u),
        **reviews.person_reviews(session, team_id=t, user_id=u),
        **ratings.person_ratings(session, team_id=t, user_id=u),
        **coaching.person_practice(session, team_id=t, user_id=u),
        **coaching.person_oneonones(session, team_id=t, user_id=u),
        **learning.person_learning(session, team_id=t, user_id=u),
    }


def _logged(session: Session, team_id: str, user_id: str) -> list[Row]:
    """What they logged about a teammate: that they did, not what the customer said (that is
    the teammate's)."""
    rows = session.exec(
        select(CustomerFeedback).where(
            CustomerFeedback.team_id == team_id, CustomerFeedback.logged_by == user_id
        )
    ).all()
    return [
        {"id": r.id, "teammate_id": r.teammate_id, "kind": r.kind, "created_at": r.created_at}
        for r in rows
    ]


# Erasure ---------------------------------------------------------------------------------------


def erase(session: Session, *, team_id: str, user_id: str) -> tuple[dict[str, int], int]:
    """Delete what is the person's own, then unname them everywhere else. Returns the rows
    deleted per table and how many values were rewritten."""
    t, u = team_id, user_id
    removed: dict[str, int] = {}

    def gone(model: Any, *where: Any) -> None:
        result = session.execute(delete(model).where(model.team_id == t, *where))
        n = int(getattr(result, "rowcount", 0) or 0)
        if n:
            removed[model.__tablename__] = removed.get(model.__tablename__, 0) + n

    received = select(Kudos.id).where(Kudos.team_id == t, Kudos.recipient_id == u)
    ledger.uncount_received(session, team_id=t, user_id=u)  # the givers' totals, first
    gone(KudosRevocation, col(KudosRevocation.kudos_id).in_(received))
    gone(Kudos, col(Kudos.recipient_id) == u)
    goal_ids = select(Goal.id).where(Goal.team_id == t, Goal.owner_id == u)
    gone(CheckIn, or_(col(CheckIn.user_id) == u, col(CheckIn.goal_id).in_(goal_ids)))
    gone(
        CheckInPrompt,
        or_(col(CheckInPrompt.user_id) == u, col(CheckInPrompt.goal_id).in_(goal_ids)),
    )
    gone(Goal, col(Goal.owner_id) == u)
    gone(Feedback, col(Feedback.recipient_id) == u)
    gone(
        FeedbackRequest,
        or_(col(FeedbackRequest.requester_id) == u, col(FeedbackRequest.giver_id) == u),
    )
    gone(CustomerFeedback, col(CustomerFeedback.teammate_id) == u)
    removed.update(reviews.erase_person(session, team_id=t, user_id=u))  # given and received
    if n := ratings.erase_person_ratings(session, team_id=t, user_id=u):
        removed["unmatched_rating"] = n
    gone(CoachPairing, or_(col(CoachPairing.coach_id) == u, col(CoachPairing.coachee_id) == u))
    removed.update(calibration.erase_person(session, team_id=t, user_id=u))
    practised, rated = coaching.erase_practice(session, team_id=t, user_id=u, unnamed_as=ERASED_ID)
    removed.update(practised)
    removed.update(coaching.erase_oneonones(session, team_id=t, user_id=u))
    removed.update(learning.erase_learning(session, team_id=t, user_id=u, unnamed_as=ERASED_ID))
    own: tuple[Any, ...] = (KudosTally, KudosTotal, GivingStreak, Milestone, TipSeen, UserPref)
    own += (PersonDate, CelebrationPref, HomeViewer, SlackUser, ShoutoutMember, TeamLead)
    for model in own:
        gone(model, model.user_id == u)
    gone(ScheduledSend, col(ScheduledSend.user_id) == u)
    # Requests waiting for a worker that name them hold what they typed or what was typed
    # about them: dropped (a request replayed with its people rewritten would be nonsense).
    gone(WorkItem, col(WorkItem.body).contains(u))
    gone(OutboxRow, col(OutboxRow.status) == OutboxStatus.PENDING, _addressed_to(u))
    gone(OutboxRow, col(OutboxRow.ref) == export_ref(u))  # the files of their own export
    gone(ExportFile, col(ExportFile.user_id) == u)  # and what they hold, uploaded or not
    _unlead(session, t, u)
    given = rated  # their finished ratings of others' practice, kept unnamed
    for column in (Kudos.giver_id, Feedback.giver_id, CustomerFeedback.logged_by):
        given += _rename(session, column, t, u)  # by index, before the scan of every column
    return removed, given + unname(session, team_id=t, user_id=u)


def _rename(session: Session, column: Any, team_id: str, user_id: str) -> int:
    model = column.class_
    result = session.execute(
        update(model)
        .where(col(model.team_id) == team_id, col(column) == user_id)
        .values({column.key: ERASED_ID})
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _addressed_to(user_id: str) -> Any:
    return or_(
        col(OutboxRow.notify_user) == user_id,
        col(OutboxRow.payload).contains(f'"channel": "{user_id}"'),
    )


def _unlead(session: Session, team_id: str, user_id: str) -> None:
    """Roles that would send them things: a team channel's lead and note, a Bravo admin."""
    for name in ("fairness_to", "creator_id"):
        column = getattr(ShoutoutChannel, name)
        session.execute(
            update(ShoutoutChannel)
            .where(col(ShoutoutChannel.team_id) == team_id, col(column) == user_id)
            .values({name: None})
        )
    config = session.get(WorkspaceConfig, team_id)
    if config is not None and config.admins_csv and user_id in config.admins_csv:
        config.admins_csv = ",".join(a for a in config.admins_csv.split(",") if a != user_id)
        session.add(config)
        session.flush()


def _text_columns(table: Table) -> list[str]:
    return [c.name for c in table.columns if _is_text(c.type)]


def _is_text(kind: Any) -> bool:
    if isinstance(kind, String | AutoString):
        return True
    try:
        return bool(kind.python_type is str)
    except NotImplementedError:
        return False


def unname(session: Session, *, team_id: str, user_id: str) -> int:
    """Rewrite every stored mention of ``user_id`` in the workspace's rows: an id column holding
    it becomes ``ERASED_ID``, a mention in text ``ERASED_MENTION``. Whole words only, so an id
    that merely starts the same way is left alone."""
    word = re.compile(rf"(?<![A-Za-z0-9]){re.escape(user_id)}(?![A-Za-z0-9])")
    mention = re.compile(rf"<@{re.escape(user_id)}(\|[^>]*)?>")

    def rewrite(value: str) -> str:
        return word.sub(ERASED_ID, mention.sub(ERASED_MENTION, value))

    changed = 0
    for table in SQLModel.metadata.sorted_tables:
        if "team_id" not in table.c:
            continue
        changed += _rewrite_table(session, table, team_id, user_id, rewrite)
    return changed


def _rewrite_table(
    session: Session, table: Table, team_id: str, user_id: str, rewrite: Callable[[str], str]
) -> int:
    columns = [c for c in _text_columns(table) if c != "team_id"]
    if not columns:
        return 0
    keys = [c.name for c in table.primary_key.columns]
    hit = or_(*[table.c[c].contains(user_id) for c in columns])
    rows = session.execute(
        select(*[table.c[k] for k in keys], *[table.c[c] for c in columns]).where(
            table.c.team_id == team_id, hit
        )
    ).all()
    changed = 0
    for row in rows:
        values = dict(row._mapping)
        new = {c: rewrite(values[c]) for c in columns if values[c] and user_id in values[c]}
        new = {c: v for c, v in new.items() if v != values[c]}
        if new:  # LIKE is case-insensitive on SQLite: a row may hold only a look-alike
            session.execute(
                update(table).where(*[table.c[k] == values[k] for k in keys]).values(new)
            )
            changed += 1
    return changed


def record_erasure(
    session: Session,
    *,
    team_id: str,
    subject_key: str,
    requested_by: str | None,
    why: str,
    now: datetime,
) -> None:
    session.add(
        Erasure(
            team_id=team_id,
            subject_key=subject_key,
            requested_by=requested_by,
            why=why,
            erased_at=now,
        )
    )
    session.flush()


def erased_before(session: Session, *, team_id: str, subject_key: str) -> bool:
    found = session.exec(
        select(Erasure.id).where(Erasure.team_id == team_id, Erasure.subject_key == subject_key)
    ).first()
    return found is not None


# Departed people and uninstalled workspaces ------------------------------------------------------


def mark_departed(
    session: Session, *, team_id: str, user_id: str, deleted: bool, now: datetime
) -> bool:
    """Note that Slack deactivated (or reactivated) an account. True when this changed it."""
    row = session.get(SlackUser, (team_id, user_id))
    if row is None:
        if not deleted:
            return False
        row = SlackUser(team_id=team_id, user_id=user_id, deleted=True, fetched_at=now)
    if deleted == (row.departed_at is not None) and row.deleted == deleted:
        return False
    row.deleted = deleted
    if deleted and row.departed_at is None:
        row.departed_at = now
    elif not deleted:
        row.departed_at = None
    session.add(row)
    session.flush()
    return True


def departed(session: Session, *, team_id: str, before: datetime) -> list[str]:
    """People of the workspace Slack deactivated before ``before`` (and not reactivated)."""
    rows = session.exec(
        select(SlackUser.user_id).where(
            SlackUser.team_id == team_id,
            col(SlackUser.departed_at).is_not(None),
            col(SlackUser.departed_at) < before,
        )
    ).all()
    return list(rows)


def teams_with_departures(session: Session) -> list[tuple[str, int]]:
    """(team, days) of the workspaces that chose to erase people who left."""
    rows = session.exec(
        select(WorkspaceConfig.team_id, WorkspaceConfig.erase_departed_after_days).where(
            col(WorkspaceConfig.erase_departed_after_days).is_not(None),
            col(WorkspaceConfig.uninstalled_at).is_(None),
        )
    ).all()
    return [(t, int(d)) for t, d in rows if d is not None]


def mark_uninstalled(session: Session, *, team_id: str, now: datetime) -> int:
    """The workspace uninstalled Bravo: remember when (once), and cancel everything it still had
    queued. Returns how many queued messages were cancelled."""
    row = session.get(WorkspaceConfig, team_id)
    if row is None:
        row = WorkspaceConfig(team_id=team_id, updated_at=now)
    if row.uninstalled_at is None:
        row.uninstalled_at = now
        row.version += 1
        row.updated_at = now
    session.add(row)
    session.flush()
    result = session.execute(
        update(OutboxRow)
        .where(col(OutboxRow.team_id) == team_id, col(OutboxRow.status) == OutboxStatus.PENDING)
        .values(status=OutboxStatus.CANCELLED, last_error="uninstalled", claimed_until=None)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def is_uninstalled(session: Session, team_id: str) -> bool:
    row = session.get(WorkspaceConfig, team_id)
    return row is not None and row.uninstalled_at is not None


def mark_reinstalled(session: Session, *, team_id: str, now: datetime) -> bool:
    row = session.get(WorkspaceConfig, team_id)
    if row is None or row.uninstalled_at is None:
        return False
    row.uninstalled_at = None
    row.version += 1
    row.updated_at = now
    session.add(row)
    session.flush()
    return True


def uninstalled_before(session: Session, before: datetime) -> list[str]:
    rows = session.exec(
        select(WorkspaceConfig.team_id).where(
            col(WorkspaceConfig.uninstalled_at).is_not(None),
            col(WorkspaceConfig.uninstalled_at) <= before,
        )
    ).all()
    return list(rows)


def purge_workspace(session: Session, team_id: str) -> dict[str, int]:
    """Delete every row of the workspace, in every table; its ``workspace_config`` row is kept
    with its uninstall time alone, so nothing is sent for it and the purge is not repeated."""
    removed: dict[str, int] = {}
    for table in reversed(SQLModel.metadata.sorted_tables):
        if "team_id" not in table.c or table.name == WorkspaceConfig.__tablename__:
            continue
        result = session.execute(delete(table).where(table.c.team_id == team_id))
        n = int(getattr(result, "rowcount", 0) or 0)
        if n:
            removed[table.name] = n
    if removed.get("lesson"):
        learning.merge_index(session)
    row = session.get(WorkspaceConfig, team_id)
    if row is not None:
        at = row.uninstalled_at
        session.delete(row)
        session.flush()
        session.add(WorkspaceConfig(team_id=team_id, uninstalled_at=at, updated_at=row.updated_at))
        session.flush()
    return removed
