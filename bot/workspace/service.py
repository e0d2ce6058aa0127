"""Settings use cases: an admin reads the workspace's settings, changes them (checked with
Slack first, then saved with their log in one transaction) and reads the change log.

Every use case asks Slack whether the person is an admin at that moment (``bot.admins``): a
submission forged by someone else, or sent after losing the role, changes nothing."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from slack_sdk.errors import SlackApiError

from bot.admins import is_admin
from bot.config import config_in, from_row
from bot.deps import Deps
from bot.errors import error_text
from bot.suggestions import service as suggestions
from bot.users import person_from_slack
from bot.workspace import messages, render
from bot.workspace.errors import CannotEmptyError, SettingsAdminOnlyError
from bot.workspace.ids import LOG_PAGE, Setting
from bot.workspace.values import Proposed, changed, column_values, in_effect, shown, value_of
from storage import workspace as store
from storage.models import SettingChange

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Saved:
    """What changed, one line per setting as the admin reads it (none: nothing changed)."""

    lines: tuple[str, ...]


@dataclass(frozen=True)
class Refused:
    """Nothing saved: the words to show under each field that needs fixing."""

    errors: dict[str, str]


@dataclass(frozen=True)
class Log:
    """One page of the change log, newest first."""

    changes: list[SettingChange]
    total: int
    names: dict[str, str]
    page: int = 1
    pages: int = 1


class _Unchanged(Exception):
    """Raised inside the saving transaction to leave it without writing anything."""


def check_admin(deps: Deps, *, team_id: str, user_id: str, what: str = "settings") -> None:
    """Slack's admins and owners, and the workspace's Bravo admins (asked now)."""
    if not is_admin(deps.client_for(team_id), deps.config(team_id), user_id):
        raise SettingsAdminOnlyError(what)


def settings_now(deps: Deps, *, team_id: str, user_id: str) -> Proposed:
    """The settings in effect, for an admin to change (the modal's initial values)."""
    check_admin(deps, team_id=team_id, user_id=user_id)
    return _in_effect(deps, team_id)


def _in_effect(deps: Deps, team_id: str) -> Proposed:
    with deps.db.read() as session:
        config = config_in(session, deps.settings, team_id)
        return in_effect(config, suggestions.box_channel(session, team_id=team_id))


def save(deps: Deps, *, team_id: str, admin_id: str, proposed: Proposed) -> Saved | Refused:
    """Apply an admin's settings: Slack is asked first (is Bravo in the channels, are the new
    admins people), then the changed settings, their log rows and the admin's receipt are
    written in one transaction. Nothing is written when nothing changed."""
    check_admin(deps, team_id=team_id, user_id=admin_id)  # again: submissions can be forged
    before = _in_effect(deps, team_id)
    problems = _slack_problems(deps, team_id, before, proposed)
    if problems:
        return Refused(problems)
    names = _names(deps, team_id, [*before.admins, *proposed.admins])
    try:
        lines = _write(deps, team_id=team_id, admin_id=admin_id, proposed=proposed, names=names)
    except _Unchanged:
        return Saved(())
    deps.deliverer.kick()
    return Saved(lines)


def _write(
    deps: Deps, *, team_id: str, admin_id: str, proposed: Proposed, names: dict[str, str]
) -> tuple[str, ...]:
    """One transaction: the changed columns (compared, under the row's lock, with what is in
    effect), the suggestion box if it moved, one log row per change, the admin's receipt."""
    now = deps.clock()
    with deps.db.write() as session:
        row = store.lock_config_row(session, team_id=team_id, now=now)
        box = suggestions.box_channel(session, team_id=team_id)
        old = in_effect(from_row(deps.settings, team_id, row), box)
        if old.suggestion_box and not proposed.suggestion_box:  # set meanwhile: kept
            proposed = replace(proposed, suggestion_box=old.suggestion_box)
        settings = changed(old, proposed)
        if not settings:
            raise _Unchanged()  # leaves the transaction: nothing is written
        for column, value in column_values(proposed, settings).items():
            setattr(row, column, value)
        row.version += 1
        row.updated_at = now
        store.save_config_row(session, row)
        if Setting.SUGGESTION_BOX in settings and proposed.suggestion_box:
            suggestions.move_box(
                deps,
                session,
                team_id=team_id,
                channel_id=proposed.suggestion_box,
                set_by=admin_id,
                now=now,
            )
        shown_as = [(s, shown(old, s, names), shown(proposed, s, names)) for s in settings]
        store.add_changes(
            session,
            [
                SettingChange(
                    team_id=team_id,
                    key=s.value,
                    old=was,
                    new=is_,
                    changed_by=admin_id,
                    changed_at=now,
                )
                for s, was, is_ in shown_as
            ],
        )
        lines = tuple(render.change_line(*item) for item in shown_as)
        deps.outbox.enqueue(session, team_id, [messages.receipt(admin_id, lines)], now)
    return lines


def change_log(
    deps: Deps, *, team_id: str, user_id: str, page: int = 1, per_page: int = LOG_PAGE
) -> Log:
    """``/bravo settings log [page]`` (admins only): the changes, newest first, a page at a
    time (a page past the last shows the last)."""
    check_admin(deps, team_id=team_id, user_id=user_id, what="log")
    with deps.db.read() as session:
        total = store.count_changes(session, team_id=team_id)
        pages = max(1, -(-total // per_page))
        page = min(page, pages)
        changes = store.recent_changes(
            session, team_id=team_id, limit=per_page, offset=(page - 1) * per_page
        )
    names = _names(deps, team_id, [c.changed_by for c in changes])
    return Log(changes, total, names, page, pages)


# Slack, asked before the transaction ------------------------------------------------------------


def _slack_problems(
    deps: Deps, team_id: str, before: Proposed, proposed: Proposed
) -> dict[str, str]:
    """Field errors only Slack can tell: a channel Bravo is not in, a new admin who is a bot or
    deactivated. Only what changes is checked (the ack must come within 3 seconds)."""
    errors: dict[str, str] = {}
    for setting in (Setting.KUDOS_CHANNEL, Setting.SUGGESTION_BOX):
        wanted = value_of(proposed, setting)
        changes = wanted and wanted != value_of(before, setting)
        if changes and (problem := _channel_problem(deps, team_id, wanted)):
            errors[setting.value] = problem
    if before.suggestion_box and not proposed.suggestion_box:
        errors[Setting.SUGGESTION_BOX.value] = error_text(CannotEmptyError(Setting.SUGGESTION_BOX))
    for user_id in proposed.admins:
        if user_id not in before.admins and (problem := _admin_problem(deps, team_id, user_id)):
            errors[Setting.ADMINS.value] = problem
            break
    return errors


def _channel_problem(deps: Deps, team_id: str, channel_id: str) -> str | None:
    try:
        info = deps.client_for(team_id).conversations_info(channel=channel_id).get("channel") or {}
    except SlackApiError as err:
        if err.response.get("error") in ("channel_not_found", "not_in_channel"):
            return (
                "Bravo can't see that channel (a private channel it wasn't invited to?). "
                "Type /invite @Bravo there, then save again."
            )
        log.warning("conversations.info failed: %s", err.response.get("error"))
        return "Slack couldn't tell whether Bravo is in that channel. Try again in a moment."
    if info.get("is_im") or info.get("is_mpim"):
        return "Pick a channel, not a direct message."
    if info.get("is_archived"):
        return "That channel is archived: pick another."
    if not info.get("is_member"):
        return "Bravo isn't in that channel yet. Type /invite @Bravo there, then save again."
    return None


def _admin_problem(deps: Deps, team_id: str, user_id: str) -> str | None:
    try:
        person = person_from_slack(deps.client_for(team_id).users_info(user=user_id)["user"])
    except SlackApiError as err:
        if err.response.get("error") in ("user_not_found", "user_not_visible"):
            return "One of the people picked isn't in this workspace."
        return "Slack couldn't tell who the people picked are. Try again in a moment."
    if person.is_bot:
        return f"{person.name or 'One of them'} is a bot: Bravo admins are people."
    if person.deleted:
        return f"{person.name or 'One of them'} has left Slack (deactivated): pick someone else."
    return None


def _names(deps: Deps, team_id: str, user_ids: list[str]) -> dict[str, str]:
    """Display names for the log and the receipt (plain @names, never live mentions)."""
    if not user_ids:
        return {}
    try:
        people = deps.directory.people(team_id=team_id, user_ids=user_ids, now=deps.clock())
    except SlackApiError:
        return {}
    return {u: p.name for u, p in people.items() if p.name}
