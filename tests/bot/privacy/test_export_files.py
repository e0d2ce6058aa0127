"""A streamed export: the files of a person with thousands of kudos are the same as the whole
export built at once, they wait compressed in ``export_file`` (not in the outbox payload), go to
their owner's DM alone, and are deleted once uploaded, when the person is erased, or by the
retention job when left behind."""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert
from sqlmodel import col, select

from bot.deps import Deps
from bot.outbox.envelope import OutMessage, SlackMethod
from bot.outbox.uploads import stored_upload_payload
from bot.privacy import ids, jobs
from bot.privacy.service import (
    CSV_COLUMNS,
    NO_SUGGESTIONS,
    erase_person,
    export_person,
    send_export,
)
from bot.sandbox.server import FakeSlack
from storage import files as stored
from storage import privacy as store
from storage.db import Database
from storage.models import ExportFile, Kudos, KudosRevocation, OutboxRow, OutboxStatus
from tests.bot.privacy.seed import ANA, AT, BEN, CY, T, seed
from tests.handlers.conftest import deps_alone

RECEIVED, GIVEN = 2_300, 1_100  # more than two pages of each (store.KUDOS_PAGE)


@pytest.fixture
def deps(slack: FakeSlack, db: Database) -> Iterator[Deps]:
    seed(db)
    many_kudos(db)
    yield from deps_alone(slack, db)


def many_kudos(db: Database) -> None:
    """Ana's long history: many kudos share a timestamp (a page may end inside a tie), reasons
    with accents, quotes, newlines and formula-like starts, some taken back."""
    reasons = ("calmed a caller ☎", '=SUM(A1) "quoted"', "line one\nline two", "-minus", "plain")
    rows = [
        {
            "team_id": T,
            "batch_id": f"long{n}",
            "giver_id": (BEN, CY)[n % 2] if n < RECEIVED else ANA,
            "recipient_id": ANA if n < RECEIVED else (BEN, CY)[n % 2],
            "reason": f"{reasons[n % len(reasons)]} #{n}",
            "values": "empathy" if n % 3 else "",
            "channel_id": "C0KUDOS",
            "source": "command",
            "created_at": AT - timedelta(days=30, minutes=n // 7),  # ties of seven
        }
        for n in range(RECEIVED + GIVEN)
    ]
    with db.write() as s:
        s.execute(insert(Kudos), rows)
        taken = s.exec(select(Kudos.id).where(col(Kudos.batch_id).like("long%"))).all()
        s.execute(
            insert(KudosRevocation),
            [
                {"kudos_id": i, "team_id": T, "revoked_by": BEN, "why": "undo", "revoked_at": AT}
                for i in taken[::97]
            ],
        )


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime | date) else str(value)


def whole_export(deps: Deps, user_id: str) -> tuple[bytes, bytes]:
    """The export as it was built before streaming: every row in memory, one ``json.dumps``."""
    with deps.db.read() as s:
        tables = store.person_data(s, team_id=T, user_id=user_id)
    about = {
        "team_id": T,
        "user_id": user_id,
        "exported_at": deps.clock().isoformat(),
        "suggestions": NO_SUGGESTIONS,
    }
    text = json.dumps({"about": about, **tables}, default=_plain, indent=2, ensure_ascii=False)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for side in ("received", "given"):
        for k in tables[f"kudos_{side}"]:
            reason = "'" + k["reason"] if k["reason"][:1] in "=+-@" else k["reason"]
            revoked = "yes" if k["revoked"] else ""
            when = k["created_at"].isoformat()
            row = [side, k["id"], when, k["giver_id"], k["recipient_id"], k["values"]]
            writer.writerow([*row, reason, revoked])
    return text.encode(), out.getvalue().encode()


def test_keyset_pages_read_every_kudos_once_in_order(deps: Deps) -> None:
    with deps.db.read() as s:
        expected = s.exec(
            select(Kudos.id)
            .where(Kudos.team_id == T, Kudos.recipient_id == ANA)
            .order_by(col(Kudos.created_at), col(Kudos.id))
        ).all()
        pages = list(store.person_kudos(s, team_id=T, user_id=ANA, side="received", page=50))
    assert [k["id"] for page in pages for k in page] == list(expected)
    assert len(expected) == RECEIVED + 2  # the seed's two and the long history
    assert max(len(p) for p in pages) == 50


def test_a_long_export_is_the_same_as_the_whole_one(deps: Deps) -> None:
    export = export_person(deps, T, ANA)
    json_bytes, csv_bytes = whole_export(deps, ANA)
    assert json.loads(export.json_bytes) == json.loads(json_bytes)
    assert export.json_bytes == json_bytes  # laid out the same too
    assert list(csv.reader(io.StringIO(export.csv_bytes.decode()))) == list(
        csv.reader(io.StringIO(csv_bytes.decode()))
    )
    assert len(export.data["kudos_received"]) == RECEIVED + 2
    assert len(export.data["kudos_given"]) == GIVEN + 1
    assert sum(k["revoked"] for k in export.data["kudos_received"]) > 10


def test_a_short_export_is_the_same_as_the_whole_one(deps: Deps) -> None:
    export = export_person(deps, T, "UNOBODY")  # nothing at all: empty lists
    json_bytes, csv_bytes = whole_export(deps, "UNOBODY")
    assert export.json_bytes == json_bytes and export.csv_bytes == csv_bytes
    assert export.data["kudos_received"] == [] and export.data["goals"] == []


def _files(deps: Deps) -> list[ExportFile]:
    with deps.db.read() as s:
        found = s.exec(select(ExportFile).order_by(col(ExportFile.id))).all()
        for f in found:
            s.expunge(f)
        return list(found)


def _export_rows(deps: Deps) -> list[OutboxRow]:
    with deps.db.read() as s:
        rows = s.exec(select(OutboxRow).where(OutboxRow.ref == store.export_ref(ANA))).all()
        for r in rows:
            s.expunge(r)
        return list(rows)


def test_the_files_wait_compressed_then_go_to_the_dm_and_are_deleted(
    deps: Deps, slack: FakeSlack
) -> None:
    assert send_export(deps, T, ANA, "1.2.long")
    waiting = _files(deps)
    assert [(f.name, f.user_id) for f in waiting] == [
        ("bravo-export.json", ANA),
        ("bravo-kudos.csv", ANA),
    ]
    rows = _export_rows(deps)
    assert all(len(r.payload) < 500 and "content" not in r.payload for r in rows)
    export = export_person(deps, T, ANA)
    assert gzip.decompress(waiting[0].gzipped) == export.json_bytes
    assert waiting[0].size == len(export.json_bytes) > 4 * len(waiting[0].gzipped)
    deps.deliverer.drain()
    uploaded = {f["name"]: f for f in slack.files()}
    assert uploaded["bravo-export.json"]["content"] == export.json_bytes
    assert uploaded["bravo-kudos.csv"]["content"] == export.csv_bytes
    assert {c for f in uploaded.values() for c in f["channels"]} == {_dm(deps, ANA)}
    assert {r.status for r in _export_rows(deps)} == {OutboxStatus.SENT}
    assert _files(deps) == []


def _dm(deps: Deps, user_id: str) -> str:
    return str(deps.client_for(T).conversations_open(users=user_id)["channel"]["id"])


def test_a_retried_export_request_keeps_no_second_copy(deps: Deps) -> None:
    assert send_export(deps, T, ANA, "1.2.same")
    assert not send_export(deps, T, ANA, "1.2.same")
    assert len(_files(deps)) == 2 and len(_export_rows(deps)) == 2


def test_an_erasure_deletes_a_pending_export(deps: Deps, slack: FakeSlack) -> None:
    assert send_export(deps, T, ANA, "1.2.before")
    assert send_export(deps, T, BEN, "1.2.ben")
    assert len(_files(deps)) == 4
    erase_person(deps, T, ANA, requested_by=None, why=ids.SELF)
    assert {f.user_id for f in _files(deps)} == {BEN}  # Ben's export stays
    assert _export_rows(deps) == []
    deps.deliverer.drain()
    assert {f["channels"][0] for f in slack.files()} == {_dm(deps, BEN)}


def test_someone_elses_export_file_is_never_uploaded_to_another_person(
    deps: Deps, slack: FakeSlack
) -> None:
    """An upload row naming Ana's file but meant for Ben (a forged or mixed-up row) sends
    nothing and deletes nothing; Ana still gets her own."""
    assert send_export(deps, T, ANA, "1.2.ana")
    ana_json = _files(deps)[0]
    assert ana_json.id is not None
    forged = OutMessage(
        kind=ids.EXPORT_FILE,
        method=SlackMethod.UPLOAD,
        payload=stored_upload_payload(
            channel=_dm(deps, BEN), filename="x.json", title="x", alt_text="x", file_id=ana_json.id
        ),
        notify_user=BEN,
    )
    with deps.db.write() as s:
        [row] = deps.outbox.enqueue(s, T, [forged], deps.clock())
        forged_id = row.id
    deps.deliverer.drain()
    assert {f["name"] for f in slack.files()} == {"bravo-export.json", "bravo-kudos.csv"}
    assert {c for f in slack.files() for c in f["channels"]} == {_dm(deps, ANA)}
    with deps.db.read() as s:
        forged_row = s.get(OutboxRow, forged_id)
        assert forged_row is not None and forged_row.status == OutboxStatus.CANCELLED
    assert _files(deps) == []  # Ana's, deleted after her own upload, not by the forged row


def test_the_retention_job_deletes_files_left_behind(deps: Deps) -> None:
    with deps.db.write() as s:
        for name, at in (("old.json", AT - timedelta(days=4)), ("new.json", AT)):
            stored.add_file(
                s, team_id=T, user_id=ANA, name=name, gzipped=gzip.compress(b"{}"), size=2, now=at
            )
    done = jobs.purge_uninstalled(deps, AT)
    assert done["export_files"] == 1
    assert [f.name for f in _files(deps)] == ["new.json"]
