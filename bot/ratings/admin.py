"""What admins do with the customer-rating webhook (``/bravo ratings``): see its address and
secret (made on first use), rotate the secret, and match or dismiss the ratings Bravo could not
match. Every action asks Slack again whether the person is an admin (a click can be forged)."""

from __future__ import annotations

import secrets

from bot.admins import is_admin
from bot.deps import Deps
from bot.install.crypto import Sealer, UnreadableSecret
from bot.outbox.envelope import OutMessage
from bot.ratings import ids
from bot.ratings.errors import (
    RatingGoneError,
    RatingNotPersonError,
    RatingsAdminOnlyError,
    RatingsNeedKeyError,
)
from bot.ratings.render import HookView
from bot.ratings.service import Pace, add_to_log, sealer_of
from bot.users import is_teammate
from storage import ratings as store
from storage.db import Database
from storage.models.feedback import CustomerFeedback
from storage.models.ratings import RatingHook, RatingState, UnmatchedRating


def check_admin(deps: Deps, *, team_id: str, user_id: str) -> None:
    if not is_admin(deps.client_for(team_id), deps.config(team_id), user_id):
        raise RatingsAdminOnlyError()


def _sealer(deps: Deps) -> Sealer:
    sealer = sealer_of(deps)
    if sealer is None:
        raise RatingsNeedKeyError()
    return sealer


def new_secret() -> str:
    return secrets.token_hex(32)


def hook_view(deps: Deps, *, team_id: str, user_id: str) -> HookView:
    """The workspace's hook, made now if it has none (its id and secret drawn at random)."""
    check_admin(deps, team_id=team_id, user_id=user_id)
    sealer = _sealer(deps)
    with deps.db.read() as session:
        hook = store.hook_of(session, team_id=team_id)
    created = hook is None
    if hook is None:
        with deps.db.write() as session:
            values = {
                "team_id": team_id,
                "hook_id": secrets.token_urlsafe(18),
                "secret_sealed": sealer.seal(new_secret()),
                "created_by": user_id,
                "created_at": deps.clock(),
            }
            hook = store.add_hook(session, values)
            created = hook.hook_id == values["hook_id"]
    return _view(deps, sealer, hook, created=created)


def rotate(deps: Deps, *, team_id: str, user_id: str) -> HookView:
    """A new secret, in effect from the commit on: the old one is refused at once."""
    check_admin(deps, team_id=team_id, user_id=user_id)
    sealer = _sealer(deps)
    with deps.db.write() as session:
        if store.hook_of(session, team_id=team_id) is None:
            raise RatingGoneError()
        store.reseal_hook(
            session, team_id=team_id, sealed=sealer.seal(new_secret()) or "", now=deps.clock()
        )
        hook = store.hook_of(session, team_id=team_id)
        assert hook is not None
        session.refresh(hook)
    return _view(deps, sealer, hook, created=False)


def reseal_hooks(db: Database, sealer: Sealer) -> tuple[int, list[str]]:
    """``bravo keys reseal``: every webhook's secret sealed again with the first key (after a
    new key was put first), so the old key can go. The secrets stay the same: senders change
    nothing. Returns how many were sealed again, and the workspaces whose secret none of the
    keys opens (left as they are: rotating it in ``/bravo ratings`` gives a new one)."""
    unreadable: list[str] = []
    done = 0
    with db.write() as session:
        for hook in store.all_hooks(session):
            try:
                secret = sealer.open(hook.secret_sealed)
            except UnreadableSecret:
                unreadable.append(hook.team_id)
                continue
            if secret is None:
                unreadable.append(hook.team_id)
                continue
            sealed = sealer.seal(secret) or ""
            done += store.set_sealed(
                session, team_id=hook.team_id, was=hook.secret_sealed, sealed=sealed
            )
    return done, unreadable


def _view(deps: Deps, sealer: Sealer, hook: RatingHook, *, created: bool) -> HookView:
    with deps.db.read() as session:
        waiting = store.counts(session, team_id=hook.team_id).get(RatingState.UNMATCHED, 0)
    return HookView(
        hook_id=hook.hook_id,
        secret=sealer.open(hook.secret_sealed) or "",
        public_url=deps.settings.public_url,
        created=created,
        rotated_at=hook.rotated_at,
        waiting=waiting,
    )


def unmatched(deps: Deps, *, team_id: str, user_id: str) -> tuple[list[UnmatchedRating], int]:
    check_admin(deps, team_id=team_id, user_id=user_id)
    with deps.db.read() as session:
        return store.open_unmatched(session, team_id=team_id, limit=ids.UNMATCHED_SHOWN)


def match(
    deps: Deps, *, team_id: str, admin_id: str, rating_id: int, user_id: str
) -> CustomerFeedback:
    """The admin says who the rating is about: it joins their customer feedback as if it had
    just arrived (told at the same calm pace)."""
    check_admin(deps, team_id=team_id, user_id=admin_id)
    now = deps.clock()
    person = deps.directory.person(team_id=team_id, user_id=user_id, now=now)
    if not is_teammate(person):
        raise RatingNotPersonError(user_id)
    with deps.db.write() as session:
        row = store.get_rating(session, team_id=team_id, row_id=rating_id)
        if row is None or row.state != RatingState.UNMATCHED:
            raise RatingGoneError()
        out: list[OutMessage] = []
        pace = Pace(team_id, now)
        fb = add_to_log(session, row, person, pace, was=RatingState.UNMATCHED, out=out, by=admin_id)
        if fb is None:
            raise RatingGoneError()
        deps.outbox.enqueue(session, team_id, out, now)
    deps.deliverer.kick()
    return fb


def dismiss(deps: Deps, *, team_id: str, admin_id: str, rating_id: int) -> None:
    """Not anyone's: kept only as its dedupe key (a resend of it stays dismissed)."""
    check_admin(deps, team_id=team_id, user_id=admin_id)
    values = {
        "state": RatingState.DISMISSED,
        "resolved_at": deps.clock(),
        "resolved_by": admin_id,
        "comment": "",
        "ticket_url": None,
    }
    with deps.db.write() as session:
        if not store.move(
            session, team_id=team_id, row_id=rating_id, was=[RatingState.UNMATCHED], values=values
        ):
            raise RatingGoneError()
