"""A person's data: export it (by DM, as files), erase it (themself, or an admin for someone who
left, or automatically), and a workspace that uninstalled Bravo (stop every send, delete its data
after the retention period)."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from slack_sdk.errors import SlackApiError

from bot import admins
from bot.deps import Deps
from bot.outbox.envelope import OutMessage, SlackMethod
from bot.outbox.uploads import upload_payload
from bot.privacy import ids
from bot.privacy.errors import (
    ForgetActiveError,
    ForgetBotError,
    ForgetNotAdminError,
    ForgetUnknownError,
    ForgetYourselfError,
)
from bot.suggestions.service import quota_secret
from storage import install as installs
from storage import privacy as store

log = logging.getLogger(__name__)

NO_SUGGESTIONS = (
    "Suggestions are anonymous: Bravo keeps no link between a suggestion and its author, so none "
    "can be listed here."
)
CSV_COLUMNS = ("direction", "id", "date", "giver", "recipient", "values", "reason", "revoked")


@dataclass(frozen=True)
class PersonExport:
    data: dict[str, Any]
    json_bytes: bytes
    csv_bytes: bytes


@dataclass(frozen=True)
class Erased:
    removed: dict[str, int]
    unnamed: int = 0
    already: bool = False  # an erasure of this person was recorded before

    @property
    def total(self) -> int:
        return sum(self.removed.values())


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def export_person(deps: Deps, team_id: str, user_id: str) -> PersonExport:
    """Everything Bravo holds about one person, as JSON (all of it) and CSV (their kudos)."""
    with deps.db.read() as session:
        tables = store.person_data(session, team_id=team_id, user_id=user_id)
    data: dict[str, Any] = {
        "about": {
            "team_id": team_id,
            "user_id": user_id,
            "exported_at": deps.clock().isoformat(),
            "suggestions": NO_SUGGESTIONS,
        },
        **tables,
    }
    json_bytes = json.dumps(data, default=_plain, indent=2, ensure_ascii=False).encode()
    return PersonExport(data=data, json_bytes=json_bytes, csv_bytes=kudos_csv(data))


def kudos_csv(data: dict[str, Any]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for direction in ("received", "given"):
        for k in data[f"kudos_{direction}"]:
            writer.writerow(
                [
                    direction,
                    k["id"],
                    _plain(k["created_at"]),
                    k["giver_id"],
                    k["recipient_id"],
                    k["values"],
                    _csv_safe(k["reason"]),
                    "yes" if k["revoked"] else "",
                ]
            )
    return out.getvalue().encode()


def _csv_safe(text: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in {"=", "+", "-", "@"} else text


def send_export(deps: Deps, team_id: str, user_id: str, request_key: str) -> bool:
    """Build the export and queue its two files to the person's DM. False when this request
    (``request_key``: the command's trigger id) was already sent."""
    export = export_person(deps, team_id, user_id)
    dm = deps.client_for(team_id).conversations_open(users=user_id)["channel"]["id"]
    day = deps.clock().date().isoformat()
    files = [
        ("bravo-export.json", f"Everything Bravo holds about you ({day})", export.json_bytes),
        ("bravo-kudos.csv", f"Your kudos, given and received ({day})", export.csv_bytes),
    ]
    messages = [
        OutMessage(
            kind=ids.EXPORT_FILE,
            method=SlackMethod.UPLOAD,
            payload=upload_payload(
                channel=dm, filename=name, title=title, alt_text=title, content=content
            ),
            ref=store.export_ref(user_id),
            dedupe_key=f"export:{team_id}:{request_key}:{name}",
            notify_user=user_id,
        )
        for name, title, content in files
    ]
    with deps.db.write() as session:
        queued = deps.outbox.enqueue(session, team_id, messages, deps.clock())
    deps.deliverer.kick()
    return bool(queued)


# Erasure ---------------------------------------------------------------------------------------


def subject_key(deps: Deps, team_id: str, user_id: str) -> str:
    """A person's id as a keyed hash (the suggestion box's secret): never the id itself."""
    message = f"erasure\0{team_id}\0{user_id}".encode()
    return hmac.new(quota_secret(deps.settings), message, hashlib.sha256).hexdigest()


def erase_person(
    deps: Deps, team_id: str, user_id: str, *, requested_by: str | None, why: str
) -> Erased:
    """Erase one person, in one transaction: their own records go, what they gave stays with its
    recipients without naming them, and an ``Erasure`` records it without their id."""
    key = subject_key(deps, team_id, user_id)
    with deps.db.write() as session:
        already = store.erased_before(session, team_id=team_id, subject_key=key)
        removed, unnamed = store.erase(session, team_id=team_id, user_id=user_id)
        store.record_erasure(
            session,
            team_id=team_id,
            subject_key=key,
            requested_by=requested_by if requested_by != user_id else None,
            why=why,
            now=deps.clock(),
        )
    log.info("erased a person (%s): %d rows deleted", why, sum(removed.values()))
    return Erased(removed=removed, unnamed=unnamed, already=already)


def check_forget(deps: Deps, *, team_id: str, asked_by: str, mode: str, user_id: str) -> None:
    """Whether ``asked_by`` may erase ``user_id``: themself, or (an admin) someone who left.
    ``mode``: "self" or "admin", as the confirmation modal said."""
    if mode == "self" and user_id != asked_by:
        raise ForgetNotAdminError()
    if mode == "admin":
        check_can_forget(deps, team_id=team_id, admin_id=asked_by, user_id=user_id)


def forget(deps: Deps, *, team_id: str, asked_by: str, mode: str, user_id: str) -> Erased:
    """A confirmed ``/bravo forget``: who asks is checked again (a submission can be forged),
    then the person is erased."""
    check_forget(deps, team_id=team_id, asked_by=asked_by, mode=mode, user_id=user_id)
    return erase_person(
        deps,
        team_id,
        user_id,
        requested_by=asked_by if mode == "admin" else None,
        why=ids.SELF if mode == "self" else ids.ADMIN,
    )


def is_bravo_admin(deps: Deps, team_id: str, user_id: str) -> bool:
    """The one place this room asks who is an admin (the workspace's own admins included)."""
    return admins.is_admin(deps.client_for(team_id), deps.config(team_id), user_id)


def check_can_forget(deps: Deps, *, team_id: str, admin_id: str, user_id: str) -> None:
    """An admin may erase someone else only once Slack says that person has left."""
    if user_id == admin_id:
        raise ForgetYourselfError()
    if not is_bravo_admin(deps, team_id, admin_id):
        raise ForgetNotAdminError()
    try:
        user = deps.client_for(team_id).users_info(user=user_id)["user"]
    except SlackApiError as err:
        if err.response.get("error") != "user_not_found":
            raise  # Slack could not say (an outage): the apology, not a wrong answer
        raise ForgetUnknownError(user_id) from err
    if user.get("is_bot") or user_id == "USLACKBOT":
        raise ForgetBotError(user_id)
    if not user.get("deleted"):
        raise ForgetActiveError(user_id)


# Departed people and uninstalled workspaces ------------------------------------------------------


def account_changed(deps: Deps, team_id: str, user: dict[str, Any]) -> bool:
    """``user_change``: note when Slack deactivated (or reactivated) the account."""
    user_id = str(user.get("id") or "")
    if not user_id or user.get("is_bot"):
        return False
    with deps.db.write() as session:
        return store.mark_departed(
            session,
            team_id=team_id,
            user_id=user_id,
            deleted=bool(user.get("deleted")),
            now=deps.clock(),
        )


def uninstalled(deps: Deps, team_id: str) -> int:
    """The app was uninstalled (or its bot token revoked): nothing more is sent there, and its
    installation (tokens and all, when installed by OAuth) is deleted."""
    with deps.db.write() as session:
        cancelled = store.mark_uninstalled(session, team_id=team_id, now=deps.clock())
        installs.delete_installations(session, client_id=None, enterprise_id=None, team_id=team_id)
    log.warning("workspace %s uninstalled Bravo: %d queued messages cancelled", team_id, cancelled)
    return cancelled


def org_uninstalled(deps: Deps, enterprise_id: str, team_id: str | None = None) -> int:
    """An Enterprise Grid org-wide install was uninstalled (or its bot token revoked): every
    workspace of the organisation Bravo has seen is marked so (nothing more is sent to any of
    them) and the org's installation is deleted."""
    with deps.db.write() as session:
        teams = set(installs.org_teams(session, enterprise_id=enterprise_id))
        teams |= {team_id} if team_id else set()
        now = deps.clock()
        cancelled = sum(store.mark_uninstalled(session, team_id=t, now=now) for t in sorted(teams))
        installs.delete_installations(
            session, client_id=None, enterprise_id=enterprise_id, team_id=None
        )
    log.warning(
        "organisation %s uninstalled Bravo (%d workspaces): %d queued messages cancelled",
        enterprise_id,
        len(teams),
        cancelled,
    )
    return cancelled


def back_if_uninstalled(deps: Deps, team_id: str) -> bool:
    """A request from a workspace marked uninstalled: Slack sends nothing to an uninstalled app,
    so it was installed again. Sends resume (whatever was left of its data is still there, unless
    the retention period had passed). True when the workspace came back."""
    with deps.db.read() as session:
        if not store.is_uninstalled(session, team_id):
            return False
    with deps.db.write() as session:
        back = store.mark_reinstalled(session, team_id=team_id, now=deps.clock())
    if back:
        log.warning("workspace %s installed Bravo again: sends resume", team_id)
    return back
