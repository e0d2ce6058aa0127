"""The Home tab's use cases: build a person's home, publish it when they open it or after a
click on it, keep it fresh (marks and the refresh job), and the preference toggles.

A home is read in one transaction with a bounded query per section, so building it costs the
same for a person with a week of history as for one with five years. Only the person's own
things are read: feedback they received, their own requests and goals, their own pairings."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot.admins import looks_admin
from bot.celebrations import service as celebrations
from bot.config import WorkspaceConfig
from bot.deps import Deps
from bot.errors import NotInstalledError
from bot.goals import service as goals
from bot.goals.ids import MenuVerb
from bot.home import ids
from bot.home.ids import Toggle
from bot.home.render import (
    FEEDBACK_SHOWN,
    GOALS_SHOWN,
    KUDOS_SHOWN,
    MILESTONES_SHOWN,
    PAIRINGS_SHOWN,
    PROFILES_SHOWN,
    REQUESTS_SHOWN,
    TRAINING_SHOWN,
    AdminSummary,
    Coaching,
    HomeData,
    KudosNumbers,
    Prefs,
    home_view,
)
from bot.kudos import ids as kudos_ids
from bot.kudos import service as kudos
from bot.learning import training as learning_training
from bot.profile import service as profile
from bot.users import Person, is_teammate
from bot.workspace import ids as workspace_ids
from storage import celebrations as celebration_store
from storage import coaching as coaching_store
from storage import feedback as feedback_store
from storage import goals as goal_store
from storage import home as store
from storage import kudos as ledger
from storage import reviews as review_store
from storage import users as user_store
from storage.models import CoachPairing
from storage.models.celebrations import MilestonesPlace
from storage.models.coaching import PairingStatus

log = logging.getLogger(__name__)
SETTLE = timedelta(seconds=1)  # a burst of changes is published once, after it settles
GAP = timedelta(seconds=5)  # at most one publish per person in this long
UNDER_WAY = timedelta(seconds=2)  # how long a request's own change may take to commit
BATCH = 50  # homes published per run of the refresh job


def build_home(deps: Deps, team_id: str, user_id: str) -> dict[str, Any]:
    """The person's Home tab view (``{"type": "home", "blocks": [...]}``), at most 100 blocks."""
    view = home_view(
        read_home(deps, team_id, user_id),
        history_action=kudos_ids.HISTORY_OPEN,
        settings_action=workspace_ids.OPEN_SETTINGS,
    )
    return view


def _person(deps: Deps, team_id: str, user_id: str) -> Person:
    try:
        return deps.directory.person(team_id=team_id, user_id=user_id, now=deps.clock())
    except SlackApiError:
        return Person(user_id)  # Slack unreachable: the home in UTC rather than none


def read_home(deps: Deps, team_id: str, user_id: str) -> HomeData:
    person = _person(deps, team_id, user_id)
    config = deps.config(team_id)
    # Whether to show the settings section: a glance, remembered a few minutes (the settings
    # themselves ask Slack again when opened and when saved).
    admin = (
        _admin_summary(config) if looks_admin(deps.client_for(team_id), config, user_id) else None
    )
    with deps.db.read() as session:
        stats = kudos.stats_in(
            deps, session, team_id=team_id, person=person, kudos_rules=config.kudos
        )
        numbers = KudosNumbers(
            received=stats.received,
            given=stats.given,
            streak_weeks=stats.streak_weeks,
            best_streak=stats.best_streak,
            remaining_today=stats.remaining_today or 0,
            allowance=config.kudos.daily_allowance,
        )
        return HomeData(
            user_id=user_id,
            zone=person.zone,
            numbers=numbers,
            **_kudos_lists(session, team_id, user_id),
            goals=tuple(
                goal_store.open_goals_of(
                    session, team_id=team_id, owner_id=user_id, limit=GOALS_SHOWN + 1
                )
            ),
            **_feedback(session, team_id, user_id),
            coaching=_coaching(session, team_id, user_id),
            skills=profile.profile_in(
                session,
                team_id=team_id,
                user_id=user_id,
                skills=config.kudos.values,
                now=deps.clock(),
            ),
            chart_file_id=profile.chart_in(
                session, team_id=team_id, user_id=user_id, now=deps.clock()
            ),
            dates=tuple(celebration_store.dates_of(session, team_id=team_id, user_id=user_id)),
            prefs=_prefs(session, team_id, user_id),
            training=tuple(
                learning_training.recent_in(
                    session, team_id=team_id, user_id=user_id, limit=TRAINING_SHOWN + 1
                )
            ),
            admin=admin,
            reviews_to_acknowledge=review_store.unacknowledged(
                session, team_id=team_id, agent_id=user_id
            ),
        )


def _kudos_lists(session: Session, team_id: str, user_id: str) -> dict[str, Any]:
    who = {"team_id": team_id, "user_id": user_id}
    return {
        "received": tuple(ledger.recent_received(session, **who, limit=KUDOS_SHOWN)),
        "given": tuple(ledger.recent_given(session, **who, limit=KUDOS_SHOWN)),
        "milestones": tuple(ledger.recent_milestones(session, **who, limit=MILESTONES_SHOWN)),
    }


def _feedback(session: Session, team_id: str, user_id: str) -> dict[str, Any]:
    """Only the person's own: feedback they received, requests to them, requests by them."""
    return {
        "requests_to_me": tuple(
            feedback_store.open_requests_to(
                session, team_id=team_id, giver_id=user_id, limit=REQUESTS_SHOWN
            )
        ),
        "feedback": tuple(
            feedback_store.latest_received(
                session, team_id=team_id, recipient_id=user_id, limit=FEEDBACK_SHOWN
            )
        ),
        "my_requests": tuple(
            feedback_store.open_requests_by(
                session, team_id=team_id, requester_id=user_id, limit=REQUESTS_SHOWN
            )
        ),
    }


def _coaching(session: Session, team_id: str, user_id: str) -> Coaching:
    read = 4 * PAIRINGS_SHOWN
    fetched = coaching_store.live_pairings_of(
        session, team_id=team_id, user_id=user_id, limit=read + 1
    )
    rows, partial = fetched[:read], len(fetched) > read

    def pick(status: str, mine_as_coach: bool) -> tuple[str, ...]:
        return tuple(_other(r, user_id) for r in rows if _is(r, status, user_id, mine_as_coach))

    coachees = pick(PairingStatus.ACTIVE, True)
    # One read, always made (even for no coachees): the home's query count stays fixed.
    sharing = profile.sharing_among(session, team_id=team_id, user_ids=coachees)
    return Coaching(
        coaches=pick(PairingStatus.ACTIVE, False),
        coachees=coachees,
        sharing=tuple(c for c in coachees if c in sharing)[:PROFILES_SHOWN],
        asked_me=pick(PairingStatus.PENDING, False),
        i_asked=pick(PairingStatus.PENDING, True),
        partial=partial,
    )


def _is(row: CoachPairing, status: str, user_id: str, as_coach: bool) -> bool:
    mine = row.coach_id == user_id if as_coach else row.coachee_id == user_id
    return row.status == status and mine and row.coach_id != row.coachee_id


def _other(row: CoachPairing, user_id: str) -> str:
    return row.coachee_id if row.coach_id == user_id else row.coach_id


def _prefs(session: Session, team_id: str, user_id: str) -> Prefs:
    pref = celebration_store.pref(session, team_id=team_id, user_id=user_id)
    return Prefs(
        leaderboard_opt_out=user_store.leaderboard_opted_out(
            session, team_id=team_id, user_id=user_id
        ),
        celebrations_opt_out=pref.opt_out,
        milestones_in_channel=pref.milestones == MilestonesPlace.CHANNEL,
        profile_to_coaches=profile.shared_in(session, team_id=team_id, user_id=user_id),
        training_to_coaches=learning_training.shared_in(session, team_id=team_id, user_id=user_id),
    )


def _admin_summary(config: WorkspaceConfig) -> AdminSummary:
    rules = config.kudos
    return AdminSummary(
        values=rules.values,
        daily_allowance=rules.daily_allowance,
        per_recipient_daily_cap=rules.per_recipient_daily_cap,
        kudos_channel=rules.kudos_channel,
        emoji=rules.emoji,
        shoutout_weekday=config.shoutout_weekday,
        shoutout_minute=config.shoutout_minute,
        admins=config.admins,
    )


# Publishing ----------------------------------------------------------------------------------


def view_hash(view: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(view, sort_keys=True).encode()).hexdigest()


def open_home(deps: Deps, *, team_id: str, user_id: str) -> bool:
    """``app_home_opened`` on the Home tab: remember the viewer and publish their home. A bot,
    a deactivated or unknown account gets nothing (and is not remembered)."""
    if not is_teammate(_person(deps, team_id, user_id)):
        return False
    with deps.db.write() as session:
        store.record_opened(session, team_id=team_id, user_id=user_id, now=deps.clock())
    return publish(deps, team_id=team_id, user_id=user_id, force=True)


def publish(
    deps: Deps,
    *,
    team_id: str,
    user_id: str,
    force: bool = False,
    dirty_at: datetime | None = None,
    last_hash: str = "",
) -> bool:
    """Publish the person's home as it is now; unless ``force``, a view identical to the last
    one published is not sent again. Returns whether Slack was called. Either way the mark is
    put down (up to ``dirty_at``; a forced publish shows everything up to now)."""
    upto = deps.clock() if force else dirty_at
    if deps.config(team_id).uninstalled:  # nothing is sent for it any more
        _published(deps, team_id, user_id, "", upto)
        return False
    view = build_home(deps, team_id, user_id)
    digest = view_hash(view)
    if not force and digest == last_hash:
        _published(deps, team_id, user_id, digest, upto)
        return False
    try:
        deps.client_for(team_id).views_publish(user_id=user_id, view=view)
    except SlackApiError as err:
        log.warning("views.publish failed for a home: %s", err.response.get("error"))
        digest = ""
    _published(deps, team_id, user_id, digest, upto)
    return True


def _published(deps: Deps, team_id: str, user_id: str, digest: str, upto: datetime | None) -> None:
    with deps.db.write() as session:
        store.published(
            session,
            team_id=team_id,
            user_id=user_id,
            view_hash=digest,
            now=deps.clock(),
            dirty_at=upto,
        )


def mark_changed(deps: Deps, *, team_id: str, user_ids: Iterable[str], later: bool = False) -> int:
    """Something in these people's homes changed: mark those who have opened their home (a
    read first, so a person who never opened it costs no write), and wake the refresher.
    ``later``: the change may still be under way (marked as the request came in), so the mark
    counts from a little later, when it will have been committed."""
    wanted = [u for u in user_ids if u]
    with deps.db.read() as session:
        viewers = store.viewers_among(session, team_id=team_id, user_ids=wanted)
    if not viewers:
        return 0
    at = deps.clock() + (UNDER_WAY if later else timedelta(0))
    with deps.db.write() as session:
        marked = store.mark_dirty(session, team_id=team_id, user_ids=viewers, now=at)
    deps.wake(ids.JOB, at + SETTLE)
    return marked


def refresh_due(deps: Deps, at: datetime) -> dict[str, int]:
    """Publish the homes marked dirty that have settled and were not published in the last few
    seconds; a home found unchanged is not sent."""
    with deps.db.read() as session:
        rows = store.due(session, settled=at - SETTLE, gap=at - GAP, limit=BATCH)
    counts = {"published": 0, "unchanged": 0, "failed": 0}
    for row in rows:
        try:
            sent = publish(
                deps,
                team_id=row.team_id,
                user_id=row.user_id,
                dirty_at=row.dirty_at,
                last_hash=row.published_hash,
            )
        except NotInstalledError:  # no token for it (uninstalled): nothing can be sent there
            log.info(
                "home of %s not refreshed: Bravo is not installed in %s", row.user_id, row.team_id
            )
            _published(deps, row.team_id, row.user_id, "", row.dirty_at)
            counts["failed"] += 1
            continue
        except Exception:  # one home that cannot be built or sent does not hold up the rest
            log.exception("could not refresh a home")
            _published(deps, row.team_id, row.user_id, "", row.dirty_at)
            counts["failed"] += 1
            continue
        counts["published" if sent else "unchanged"] += 1
    return counts


def next_refresh(deps: Deps) -> datetime | None:
    with deps.db.read() as session:
        oldest = store.next_dirty(session)
    return oldest + SETTLE if oldest is not None else None


# Clicks on the home --------------------------------------------------------------------------


def toggle(deps: Deps, *, team_id: str, user_id: str, choice: Toggle) -> None:
    """A preference button: set it through its own capability's use case, then show the home
    as it now is."""
    who = {"team_id": team_id, "user_id": user_id}
    if choice in (Toggle.LEADERBOARDS_OUT, Toggle.LEADERBOARDS_IN):
        kudos.set_opt_out(deps, **who, opt_out=choice == Toggle.LEADERBOARDS_OUT)
    elif choice in (Toggle.PROFILE_TO_COACHES, Toggle.PROFILE_TO_ME):
        on = choice == Toggle.PROFILE_TO_COACHES
        profile.set_shared_with_coaches(deps, **who, on=on)
    elif choice in (Toggle.TRAINING_TO_COACHES, Toggle.TRAINING_TO_ME):
        on = choice == Toggle.TRAINING_TO_COACHES
        learning_training.set_shared_with_coaches(deps, **who, on=on)
    elif choice in (Toggle.CELEBRATIONS_OUT, Toggle.CELEBRATIONS_IN):
        celebrations.set_opt_out(deps, **who, opt_out=choice == Toggle.CELEBRATIONS_OUT)
    else:
        where = MilestonesPlace.DM if choice == Toggle.MILESTONES_DM else MilestonesPlace.CHANNEL
        celebrations.set_milestones_where(deps, **who, where=where)
    publish(deps, team_id=team_id, user_id=user_id, force=True)


def change_goal(
    deps: Deps, *, team_id: str, user_id: str, goal_id: int, verb: MenuVerb, key: str | None = None
) -> None:
    """Resume or complete one of the person's goals (the goals room's use case, which checks it
    is theirs and records ``key``), then show the home as it now is."""
    goals.change_goal(deps, team_id=team_id, actor_id=user_id, goal_id=goal_id, verb=verb, key=key)
    publish(deps, team_id=team_id, user_id=user_id, force=True)
