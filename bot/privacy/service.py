"""A person's data: export it (by DM, as files), erase it (themself, or an admin for someone who
left, or automatically), and a workspace that uninstalled Bravo (stop every send, delete its data
after the retention period)."""

from __future__ import annotations

import csv
import gzip
import hashlib
import hmac
import io
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from slack_sdk.errors import SlackApiError

from bot import admins
from bot.deps import Deps
from bot.outbox.envelope import OutMessage, SlackMethod
from bot.outbox.uploads import stored_upload_payload
from bot.privacy import ids
from bot.privacy.errors import (
    ForgetActiveError,
    ForgetBotError,
    ForgetNotAdminError,
    ForgetUnknownError,
    ForgetYourselfError,
)
from bot.suggestions.service import quota_secret
from storage import files as stored
from storage import install as installs
from storage import privacy as store

log = logging.getLogger(__name__)

NO_SUGGESTIONS = (
    "Suggestions are anonymous: Bravo keeps no link between a suggestion and its author, so none "
    "can be listed here."
)
CSV_COLUMNS = ("direction", "id", "date", "giver", "recipient", "values", "reason", "revoked")


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


class Sink(Protocol):
    def write(self, data: bytes, /) -> int: ...


@dataclass(frozen=True)
class PersonExport:
    data: dict[str, Any]
    json_bytes: bytes
    csv_bytes: bytes


def export_person(deps: Deps, team_id: str, user_id: str) -> PersonExport:
    """Everything Bravo holds about one person, as JSON (all of it) and CSV (their kudos), in
    memory (``send_export`` streams the same files into compressed ones instead)."""
    json_out, csv_out = io.BytesIO(), io.BytesIO()
    write_export(deps, team_id, user_id, json_out=json_out, csv_out=csv_out)
    json_bytes = json_out.getvalue()
    return PersonExport(
        data=json.loads(json_bytes), json_bytes=json_bytes, csv_bytes=csv_out.getvalue()
    )


def write_export(deps: Deps, team_id: str, user_id: str, *, json_out: Sink, csv_out: Sink) -> None:
    """Write the export as it is read: the JSON of everything (laid out as ``json.dumps`` with
    ``indent=2`` lays out the whole) and the CSV of their kudos, holding one page of kudos (or
    of practice rounds) at a time however long the person's history."""
    about = {
        "team_id": team_id,
        "user_id": user_id,
        "exported_at": deps.clock().isoformat(),
        "suggestions": NO_SUGGESTIONS,
    }
    doc = _JsonObject(_Utf8(json_out))
    table = csv.writer(_Utf8(csv_out))
    table.writerow(CSV_COLUMNS)
    doc.member("about", about)
    with deps.db.read() as session:
        for side in store.KUDOS_SIDES:
            pages = store.person_kudos(session, team_id=team_id, user_id=user_id, side=side)
            doc.list_member(f"kudos_{side}", _with_csv_rows(pages, side, table))
        rounds = store.person_rounds(session, team_id=team_id, user_id=user_id)
        doc.list_member("practice_rounds", rounds)
        for key, value in store.person_tables(session, team_id=team_id, user_id=user_id).items():
            doc.member(key, value)
    doc.close()


def _with_csv_rows(
    pages: Iterable[list[dict[str, Any]]], side: str, table: Any
) -> Iterator[list[dict[str, Any]]]:
    for page in pages:
        table.writerows(_csv_row(side, k) for k in page)
        yield page


def _csv_row(direction: str, k: dict[str, Any]) -> list[Any]:
    return [
        direction,
        k["id"],
        _plain(k["created_at"]),
        k["giver_id"],
        k["recipient_id"],
        k["values"],
        _csv_safe(k["reason"]),
        "yes" if k["revoked"] else "",
    ]


def _csv_safe(text: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in {"=", "+", "-", "@"} else text


class _Utf8:
    """Text written as UTF-8 to a byte sink (what ``csv.writer`` and ``_JsonObject`` write to)."""

    def __init__(self, out: Sink) -> None:
        self.out = out

    def write(self, text: str) -> int:
        return self.out.write(text.encode())


def _nested(value: Any, depth: int) -> str:
    text = json.dumps(value, default=_plain, indent=2, ensure_ascii=False)
    return text.replace("\n", "\n" + "  " * depth)  # JSON strings hold no raw newline


class _JsonObject:
    """A JSON object written member by member, and a list member item by item, byte for byte as
    ``json.dumps(whole, indent=2, ensure_ascii=False)`` would write the whole object."""

    def __init__(self, out: _Utf8) -> None:
        self.out = out
        self.empty = True
        out.write("{")

    def _key(self, key: str) -> None:
        self.out.write(("\n  " if self.empty else ",\n  ") + json.dumps(key, ensure_ascii=False))
        self.out.write(": ")
        self.empty = False

    def member(self, key: str, value: Any) -> None:
        self._key(key)
        self.out.write(_nested(value, 1))

    def list_member(self, key: str, pages: Iterable[list[Any]]) -> None:
        self._key(key)
        items = 0
        for page in pages:
            for item in page:
                self.out.write(("[" if not items else ",") + "\n    " + _nested(item, 2))
                items += 1
        self.out.write("\n  ]" if items else "[]")

    def close(self) -> None:
        self.out.write("}" if self.empty else "\n}")


class _Gzipped:
    """A file compressed as it is written, in memory (an export's JSON shrinks about tenfold)."""

    def __init__(self) -> None:
        self._buffer = io.BytesIO()
        self._gzip = gzip.GzipFile(fileobj=self._buffer, mode="wb", mtime=0)
        self.size = 0

    def write(self, data: bytes, /) -> int:
        self.size += len(data)
        return self._gzip.write(data)

    def close(self) -> bytes:
        self._gzip.close()
        return self._buffer.getvalue()


def send_export(deps: Deps, team_id: str, user_id: str, request_key: str) -> bool:
    """Build the export and queue its two files to the person's DM. False when this request
    (``request_key``: the command's trigger id) was already sent. The files are written
    compressed into the database (``storage.files``), where whichever process delivers the
    outbox reads them; the outbox rows only name them, and they are deleted once uploaded."""
    json_file, csv_file = _Gzipped(), _Gzipped()
    write_export(deps, team_id, user_id, json_out=json_file, csv_out=csv_file)
    dm = deps.client_for(team_id).conversations_open(users=user_id)["channel"]["id"]
    day = deps.clock().date().isoformat()
    files = [
        ("bravo-export.json", f"Everything Bravo holds about you ({day})", json_file),
        ("bravo-kudos.csv", f"Your kudos, given and received ({day})", csv_file),
    ]
    queued = 0
    now = deps.clock()
    with deps.db.write() as session:
        for name, title, file in files:
            size = file.size
            file_id = stored.add_file(
                session,
                team_id=team_id,
                user_id=user_id,
                name=name,
                gzipped=file.close(),
                size=size,
                now=now,
            )
            message = OutMessage(
                kind=ids.EXPORT_FILE,
                method=SlackMethod.UPLOAD,
                payload=stored_upload_payload(
                    channel=dm, filename=name, title=title, alt_text=title, file_id=file_id
                ),
                ref=store.export_ref(user_id),
                dedupe_key=f"export:{team_id}:{request_key}:{name}",
                notify_user=user_id,
            )
            if deps.outbox.enqueue(session, team_id, [message], now):
                queued += 1
            else:  # this request's file was queued before: this copy is not needed
                stored.delete_files(session, [file_id])
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


def uninstalled(deps: Deps, team_id: str, *, keep_install: bool = False) -> int:
    """The app was uninstalled (or its bot token revoked): nothing more is sent there, and its
    installation (tokens and all, when installed by OAuth) is deleted. ``keep_install``: one
    workspace of an organisation left an org-wide install, which serves the others still."""
    with deps.db.write() as session:
        cancelled = store.mark_uninstalled(session, team_id=team_id, now=deps.clock())
        if not keep_install:
            installs.delete_installations(
                session, client_id=None, enterprise_id=None, team_id=team_id
            )
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
