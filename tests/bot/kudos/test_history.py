"""Kudos history as a use case, on a real database and the fake Slack: whose kudos each person
sees, and paging that shows every kudos exactly once, in order, both ways."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from bot.deps import Deps
from bot.kudos import service
from bot.kudos.errors import BotRecipientError, UnknownUserError
from bot.kudos.history import HistoryPage
from bot.kudos.ids import HistoryDirection, HistoryScope
from bot.kudos.parse import parse_history_value
from bot.sandbox.server import FakeSlack
from storage import kudos as ledger
from storage.db import Database
from storage.models import Kudos
from storage.models.kudos import RevocationReason
from tests.bot.kudos.conftest import CHANNEL, TEAM, Clock

PRIVATE = "G0SECRET"  # a private channel Bravo is in
HIDDEN = "C0HIDDEN"  # a private channel Bravo is not in: Slack won't describe it
NO_BRAVO = "C0NOBRAVO"  # public, but Bravo is not in it: nothing was posted there
DM = "D0ANA"

Given = tuple[str, str, str | None]  # giver, recipient, channel


def seed(
    db: Database,
    team: str,
    given: Sequence[Given],
    *,
    start: datetime,
    step: timedelta = timedelta(minutes=1),
    reason: str = "for the save",
    values: str = "",
) -> list[int]:
    """Kudos straight into the ledger (and its rollups), one ``step`` apart from ``start``;
    returns their ids, oldest first."""
    rows = [
        Kudos(
            team_id=team,
            batch_id=str(uuid.uuid4()),
            giver_id=giver,
            recipient_id=recipient,
            reason=reason,
            values=values,
            channel_id=channel,
            source="command",
            created_at=start + n * step,
        )
        for n, (giver, recipient, channel) in enumerate(given)
    ]
    with db.write() as session:
        ledger.add_kudos(session, rows)
        return [row.id or 0 for row in rows]


def revoke(db: Database, kudos_id: int, at: datetime) -> None:
    with db.write() as session:
        row = session.get(Kudos, kudos_id)
        assert row is not None
        ledger.revoke(session, [row], by=row.giver_id, why=RevocationReason.UNDO, now=at)


def ids_of(page: HistoryPage) -> list[int]:
    return [line.kudos_id for line in page.lines]


@pytest.fixture
def rooms(slack: FakeSlack) -> FakeSlack:
    slack.add_channel(PRIVATE, "secret", members=("UBRAVO", "UANA", "UBEN"), is_private=True)
    slack.add_channel(HIDDEN, "hush", members=("UANA", "UBEN"), is_private=True)
    slack.add_channel(NO_BRAVO, "random", members=("UANA", "UBEN"))
    slack.add_user("UGONE", "gone", deleted=True)
    return slack


def test_own_history_shows_received_and_given_newest_first(deps: Deps, clock: Clock) -> None:
    start = clock.at - timedelta(days=3)
    given = [("UBEN", "UANA", CHANNEL), ("UANA", "UCY", DM), ("UCY", "UBEN", CHANNEL)]
    mine_received, mine_given, not_mine = seed(deps.db, TEAM, given, start=start)
    page = service.history(deps, team_id=TEAM, viewer_id="UANA")
    assert page.scope is HistoryScope.OWN
    assert ids_of(page) == [mine_given, mine_received]  # newest first; Cy->Ben is not hers
    gave, got = page.lines
    assert (gave.received, gave.other_id, gave.channel_id) == (False, "UCY", DM)
    assert (got.received, got.other_id) == (True, "UBEN")
    assert not page.has_older and not page.has_newer
    assert not_mine not in ids_of(service.history(deps, team_id=TEAM, viewer_id="UANA"))
    # Naming yourself is your own full history, the DM kudos included.
    assert ids_of(service.history(deps, team_id=TEAM, viewer_id="UANA", subject_id="UANA")) == [
        mine_given,
        mine_received,
    ]


def test_someone_elses_history_shows_only_public_channel_kudos(
    deps: Deps, rooms: FakeSlack, clock: Clock
) -> None:
    start = clock.at - timedelta(days=1)
    given = [
        ("UANA", "UBEN", CHANNEL),  # public, Bravo posted it there
        ("UANA", "UBEN", DM),  # by DM only
        ("UANA", "UBEN", None),  # nowhere but DMs
        ("UANA", "UBEN", PRIVATE),
        ("UANA", "UBEN", HIDDEN),
        ("UANA", "UBEN", NO_BRAVO),
        ("UBEN", "UCY", CHANNEL),  # given by Ben, public
    ]
    public_received, *_, public_given = seed(deps.db, TEAM, given, start=start)
    page = service.history(deps, team_id=TEAM, viewer_id="UCY", subject_id="UBEN")
    assert page.scope is HistoryScope.PUBLIC
    assert ids_of(page) == [public_given, public_received]
    # Ben himself sees all seven.
    assert len(service.history(deps, team_id=TEAM, viewer_id="UBEN").lines) == 7
    # One conversations.info per channel (not per kudos), never for a DM.
    asked = [c.args["channel"] for c in rooms.calls("conversations.info")]
    assert sorted(asked) == sorted({CHANNEL, PRIVATE, HIDDEN, NO_BRAVO})


def test_revoked_kudos_do_not_appear(deps: Deps, clock: Clock) -> None:
    start = clock.at - timedelta(hours=5)
    kept, taken_back = seed(deps.db, TEAM, [("UANA", "UBEN", CHANNEL)] * 2, start=start)
    revoke(deps.db, taken_back, clock.at)
    assert ids_of(service.history(deps, team_id=TEAM, viewer_id="UBEN")) == [kept]
    assert ids_of(service.history(deps, team_id=TEAM, viewer_id="UANA")) == [kept]
    public = service.history(deps, team_id=TEAM, viewer_id="UCY", subject_id="UBEN")
    assert ids_of(public) == [kept]


def turn(deps: Deps, page: HistoryPage, direction: HistoryDirection) -> HistoryPage:
    """Press Older or Newer as Slack sends it back: through the button's value."""
    ask = parse_history_value(page.ask(direction).value())
    return service.history(
        deps,
        team_id=TEAM,
        viewer_id=ask.viewer_id,
        subject_id=ask.subject_id,
        direction=ask.direction,
        mark=ask.mark,
    )


@pytest.mark.parametrize("viewer", ["UANA", "UCY"])
def test_paging_25_kudos_shows_each_once_in_order_both_ways(
    deps: Deps, clock: Clock, viewer: str
) -> None:
    start = clock.at - timedelta(days=30)
    # Received and given interleaved, and three at a time on the same instant: the id breaks
    # ties, so no kudos is shown twice or skipped at a page's edge.
    given = [("UBEN", "UANA", CHANNEL) if n % 2 else ("UANA", "UBEN", CHANNEL) for n in range(25)]
    made = []
    for batch in range(0, 25, 3):
        at = start + timedelta(hours=batch)
        made += seed(deps.db, TEAM, given[batch : batch + 3], start=at, step=timedelta(0))
    newest_first = sorted(made, reverse=True)
    first = service.history(deps, team_id=TEAM, viewer_id=viewer, subject_id="UANA")
    second = turn(deps, first, HistoryDirection.OLDER)
    third = turn(deps, second, HistoryDirection.OLDER)
    assert [len(p.lines) for p in (first, second, third)] == [10, 10, 5]
    assert ids_of(first) + ids_of(second) + ids_of(third) == newest_first
    assert (first.has_newer, first.has_older) == (False, True)
    assert (second.has_newer, second.has_older) == (True, True)
    assert (third.has_newer, third.has_older) == (True, False)
    back = turn(deps, third, HistoryDirection.NEWER)
    assert ids_of(back) == ids_of(second)
    top = turn(deps, back, HistoryDirection.NEWER)
    assert ids_of(top) == ids_of(first) and not top.has_newer


def test_a_page_past_the_end_says_so_and_leads_back(deps: Deps, clock: Clock) -> None:
    [only] = seed(deps.db, TEAM, [("UANA", "UBEN", CHANNEL)], start=clock.at)
    first = service.history(deps, team_id=TEAM, viewer_id="UBEN")
    revoke(deps.db, only, clock.at)  # the page's last kudos is taken back before Older
    gone = turn(deps, first, HistoryDirection.OLDER)
    assert gone.past_end and gone.lines == () and not gone.has_older
    assert gone.has_newer  # never a dead end: Newer leads back to the first page
    seed(deps.db, TEAM, [("UCY", "UBEN", CHANNEL)], start=clock.at + timedelta(minutes=1))
    again = turn(deps, gone, HistoryDirection.NEWER)  # from an empty page: the first page
    assert [line.other_id for line in again.lines] == ["UCY"]


def test_bots_and_strangers_have_no_history_but_people_who_left_do(
    deps: Deps, rooms: FakeSlack, clock: Clock
) -> None:
    with pytest.raises(BotRecipientError):
        service.history(deps, team_id=TEAM, viewer_id="UANA", subject_id="UBRAVO")
    with pytest.raises(UnknownUserError):
        service.history(deps, team_id=TEAM, viewer_id="UANA", subject_id="UNOBODY")
    [public] = seed(deps.db, TEAM, [("UGONE", "UBEN", CHANNEL)], start=clock.at)
    page = service.history(deps, team_id=TEAM, viewer_id="UANA", subject_id="UGONE")
    assert ids_of(page) == [public] and page.subject_left


def test_an_empty_history_is_a_page_without_lines(deps: Deps, rooms: FakeSlack) -> None:
    page = service.history(deps, team_id=TEAM, viewer_id="UANA", subject_id="UBEN")
    assert page.lines == () and not page.has_older and not page.past_end
    assert not rooms.calls("conversations.info")  # no channels: nothing to ask Slack


def test_every_history_query_reads_a_persons_index_not_the_ledger(
    deps: Deps, rooms: FakeSlack, clock: Clock
) -> None:
    if deps.db.dialect != "sqlite":
        pytest.skip("plans checked on SQLite only: PostgreSQL plans a small table by its size")
    given = [("UANA", "UBEN", CHANNEL), ("UBEN", "UANA", CHANNEL)] * 8
    seed(deps.db, TEAM, given, start=clock.at - timedelta(days=9))
    ran: list[tuple[str, Any]] = []

    def note(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if "FROM kudos" in statement:
            ran.append((statement, params))

    event.listen(deps.db.engine, "before_cursor_execute", note)
    try:
        first = service.history(deps, team_id=TEAM, viewer_id="UCY", subject_id="UBEN")
        turn(deps, turn(deps, first, HistoryDirection.OLDER), HistoryDirection.NEWER)
    finally:
        event.remove(deps.db.engine, "before_cursor_execute", note)
    assert len(ran) >= 10
    with deps.db.engine.connect() as conn:
        for statement, params in ran:
            plan = " ".join(
                str(row[-1])
                for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params)
            )
            assert (
                "ix_kudos_team_recipient_created" in plan or "ix_kudos_team_giver_created" in plan
            )
            assert "SCAN kudos" not in plan, plan  # neither the ledger nor the revocations
            if "DISTINCT" not in statement:  # a page comes off the index in order, no sort
                assert "TEMP B-TREE" not in plan, plan
