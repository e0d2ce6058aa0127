"""Kudos history: a person's kudos received and given, newest first, a page at a time.

Pages follow the ledger's order, (created_at, id), from a cursor (keyset pagination): a page
button carries the kudos at the edge of the page it was on, never an offset, so each page is
a short range read of the person's indexes however long their history is. Typed, Slack-free;
the caller owns the (reading) transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.kudos.ids import HistoryDirection, HistoryScope
from storage import kudos as ledger
from storage.kudos import Mark
from storage.models import Kudos

PAGE_SIZE = 10
MAX_CHANNELS = 50  # distinct channels asked about for someone else's public history


@dataclass(frozen=True)
class HistoryAsk:
    """What a page button carries: whose history, opened by whom, which way from where."""

    subject_id: str
    viewer_id: str
    scope: HistoryScope
    direction: HistoryDirection | None = None
    mark: Mark | None = None

    def value(self) -> str:
        data: dict[str, object] = {"s": self.subject_id, "v": self.viewer_id, "k": self.scope}
        if self.direction is not None and self.mark is not None:
            data["d"] = self.direction
            data["c"] = [self.mark.at.isoformat(), self.mark.id]
        return json.dumps(data, separators=(",", ":"))


@dataclass(frozen=True)
class HistoryLine:
    """One kudos, seen from the person whose history it is."""

    kudos_id: int
    at: datetime
    received: bool  # False: they gave it
    other_id: str  # the giver of a kudos received, the recipient of one given
    reason: str  # mrkdwn as stored; repeat it only through ``said``
    values: tuple[str, ...]
    channel_id: str | None  # where it was given; None or a DM: by DM only


@dataclass(frozen=True)
class HistoryPage:
    subject_id: str
    viewer_id: str
    scope: HistoryScope
    lines: tuple[HistoryLine, ...]
    has_older: bool
    has_newer: bool
    subject_left: bool = False  # deactivated in Slack (their public history still shows)
    past_end: bool = False  # a button asked for kudos past the last ones there are

    def ask(self, direction: HistoryDirection) -> HistoryAsk:
        """What the Older or Newer button of this page carries."""
        if not self.lines:
            mark = None
        else:
            edge = self.lines[-1] if direction is HistoryDirection.OLDER else self.lines[0]
            mark = Mark(edge.at, edge.kudos_id)
        return HistoryAsk(self.subject_id, self.viewer_id, self.scope, direction, mark)


def read_page(
    session: Session,
    *,
    team_id: str,
    ask: HistoryAsk,
    channels: tuple[str, ...] | None,
    subject_left: bool = False,
    size: int = PAGE_SIZE,
) -> HistoryPage:
    """The page ``ask`` wants. ``channels``: only kudos given there (someone else's public
    history); None: all of them (one's own). Going newer up to the newest shows the first page
    whole; going older past the oldest says so."""
    rows = _Rows(session, team_id, ask.subject_id, channels)
    mark = ask.mark
    if ask.direction is HistoryDirection.NEWER and mark is not None:
        found = rows.newer(mark, size + 1)
        if len(found) > size:
            page = list(reversed(found[:size]))
            older = bool(rows.older(_mark(page[-1]), 1))
            return _page(ask, page, has_older=older, has_newer=True, left=subject_left)
        mark = None  # fewer than a page is newer: that is the first page
    going_older = ask.direction is HistoryDirection.OLDER and mark is not None
    found = rows.older(mark if going_older else None, size + 1)
    page = found[:size]
    newer = going_older and not page  # past the end: Newer leads back to the first page
    if going_older and page:
        newer = bool(rows.newer(_mark(page[0]), 1))
    return _page(
        ask,
        page,
        has_older=len(found) > size,
        has_newer=newer,
        left=subject_left,
        past_end=going_older and not page,
    )


def channels_of(session: Session, *, team_id: str, user_id: str) -> list[str]:
    """The channels someone's kudos were given in, to ask Slack which are public."""
    return ledger.history_channels(session, team_id=team_id, user_id=user_id, limit=MAX_CHANNELS)


@dataclass(frozen=True)
class _Rows:
    session: Session
    team_id: str
    user_id: str
    channels: tuple[str, ...] | None

    def older(self, mark: Mark | None, limit: int) -> list[Kudos]:
        return ledger.history_rows(
            self.session,
            team_id=self.team_id,
            user_id=self.user_id,
            limit=limit,
            older_than=mark,
            channels=self.channels,
        )

    def newer(self, mark: Mark, limit: int) -> list[Kudos]:
        return ledger.history_rows(
            self.session,
            team_id=self.team_id,
            user_id=self.user_id,
            limit=limit,
            newer_than=mark,
            channels=self.channels,
        )


def _mark(row: Kudos) -> Mark:
    return Mark(row.created_at, row.id or 0)


def _page(
    ask: HistoryAsk,
    rows: list[Kudos],
    *,
    has_older: bool,
    has_newer: bool,
    left: bool,
    past_end: bool = False,
) -> HistoryPage:
    return HistoryPage(
        subject_id=ask.subject_id,
        viewer_id=ask.viewer_id,
        scope=ask.scope,
        lines=tuple(_line(ask.subject_id, row) for row in rows),
        has_older=has_older,
        has_newer=has_newer,
        subject_left=left,
        past_end=past_end,
    )


def _line(subject_id: str, row: Kudos) -> HistoryLine:
    received = row.recipient_id == subject_id
    return HistoryLine(
        kudos_id=row.id or 0,
        at=row.created_at,
        received=received,
        other_id=row.giver_id if received else row.recipient_id,
        reason=row.reason,
        values=tuple(v for v in row.values.split(",") if v),
        channel_id=row.channel_id,
    )
