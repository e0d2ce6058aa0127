"""Queue mode: the web app acks and records, `bravo worker` does the work (bot.worker).

The web side is the real WSGI app over HTTP (``start_bravo`` with a recording ``WorkQueue``);
a worker is the same Bolt app built as ``bravo worker`` builds it, replaying from the database."""

from __future__ import annotations

import signal
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from bot.deps import Deps, build_deps
from bot.sandbox.server import FakeSlack
from bot.settings import load_settings
from bot.work import InlineWork, WorkQueue
from bot.worker import Worker, record_for
from handlers.app import build_app, replayer
from storage import work as store
from storage.db import Database
from tests.handlers.conftest import CHANNEL, SECRET, Bravo, start_bravo
from tests.handlers.test_kudos import command, kudos_rows, posts, reaction, reply


@pytest.fixture
def web(slack: FakeSlack, db: Database) -> Iterator[Bravo]:
    """The web process of the split shape: acks, records, does nothing else."""
    yield from start_bravo(slack, db, work=WorkQueue(record=record_for(db)))


def worker_deps(web: Bravo) -> Deps:
    return build_deps(web.deps.settings, web.deps.db, clock=web.clock, work=InlineWork())


def a_worker(deps: Deps, **options: Any) -> Worker:
    app = build_app(deps, http=False, verify_token=False)
    return Worker(deps.db, replayer(app), **options)


def waiting(db: Database) -> int:
    with db.read() as session:
        return store.waiting(session)


def test_kudos_is_acked_by_the_web_app_and_done_by_a_worker(web: Bravo) -> None:
    command(web, "<@UBEN|ben> for calming an angry caller #empathy")
    time.sleep(0.2)  # anything the web app would do after its ack, it would do now
    assert kudos_rows(web) == []
    assert web.slack.calls("response_url") == []
    assert waiting(web.deps.db) == 1
    deps = worker_deps(web)
    assert a_worker(deps).run_once() is True
    assert "kudos left today" in reply(web)["text"]
    assert [k.recipient_id for k in kudos_rows(web)] == ["UBEN"]
    deps.deliverer.drain()
    [post] = posts(web, CHANNEL)
    assert "<@UANA> gave kudos to <@UBEN>" in post["text"]
    assert waiting(web.deps.db) == 0
    assert a_worker(deps).run_once() is False  # nothing left
    assert a_worker(deps).purge() == 0  # done, and kept a while
    later = a_worker(deps, now=lambda: datetime.now(UTC) + timedelta(hours=2))
    assert later.purge() == 1  # then what was typed is gone


def test_a_reaction_is_recorded_once_and_given_by_the_worker(web: Bravo) -> None:
    reaction(web, "reaction_added", event_id="Ev1")
    reaction(web, "reaction_added", event_id="Ev1", retry=1)  # Slack retries: one kudos
    assert kudos_rows(web) == []
    worker = a_worker(worker_deps(web))
    while worker.run_once():
        pass
    [row] = kudos_rows(web)
    assert (row.giver_id, row.recipient_id, row.source) == ("UANA", "UBEN", "reaction")


def test_a_worker_that_died_mid_item_is_replaced_without_a_second_kudos(web: Bravo) -> None:
    command(web, "<@UBEN|ben> for staying late")
    deps = worker_deps(web)
    now = datetime.now(UTC)
    with web.deps.db.write() as session:  # the dead worker: it claimed the item...
        [item] = store.claim(session, worker="dead", now=now, stale_before=now)
        body = store.body_of(item)
    replayer(build_app(deps, http=False, verify_token=False))(body)  # ...did it, died unmarked
    assert len(kudos_rows(web)) == 1
    assert a_worker(deps).run_once() is False  # its claim holds until the timeout
    later = a_worker(deps, now=lambda: datetime.now(UTC) + timedelta(minutes=6))
    assert later.run_once() is True  # taken again after the timeout...
    assert len(kudos_rows(web)) == 1  # ...and the command's trigger_id keeps it once
    deps.deliverer.drain()
    assert len(posts(web, CHANNEL)) == 1
    assert waiting(web.deps.db) == 0


def test_a_worker_redoes_an_abandoned_claim_that_did_nothing(web: Bravo) -> None:
    command(web, "<@UCY|cy> for the fix")
    now = datetime.now(UTC)
    with web.deps.db.write() as session:
        store.claim(session, worker="dead", now=now, stale_before=now)
    later = a_worker(worker_deps(web), now=lambda: datetime.now(UTC) + timedelta(minutes=6))
    assert later.run_once() is True
    assert [k.recipient_id for k in kudos_rows(web)] == ["UCY"]


def test_the_web_process_in_queue_mode_runs_no_scheduler_and_no_deliverer(
    slack: FakeSlack, tmp_path: Path
) -> None:
    from bot import __main__ as cli

    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": "xoxb-sandbox",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": slack.base_url,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'web.db'}",
        }
    )
    _app, deps, scheduler = cli._serve(settings, http=True, queue=True)
    try:
        assert scheduler is None
        assert deps.deliverer._thread is None
        assert deps.work.queued
        assert not any(t.name == "bravo-delivery" for t in threading.enumerate())
    finally:
        cli._shut_down(deps, scheduler)
    _app, deps, scheduler = cli._serve(settings, http=True)  # the one-process shape runs both
    try:
        assert scheduler is not None and deps.deliverer._thread is not None
        assert not deps.work.queued
    finally:
        cli._shut_down(deps, scheduler)


def test_queue_mode_and_workers_are_refused_on_sqlite_in_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot import __main__ as cli

    monkeypatch.setattr(signal, "signal", lambda *_args: None)  # pytest keeps its handlers
    monkeypatch.setenv("BRAVO_ENV_FILE", str(tmp_path / "none.env"))
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-sandbox")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'one.db'}")
    assert cli.main(["run", "--http", "--queue"]) == 2
    assert cli.main(["worker"]) == 2
    said = capsys.readouterr().err
    assert said.count(cli.QUEUE_NEEDS_PG) == 2
    assert cli.main(["run", "--queue"]) == 2
    assert cli.QUEUE_NEEDS_HTTP in capsys.readouterr().err


@pytest.mark.postgres
def test_two_workers_racing_over_50_items_do_each_exactly_once(pg_url: str) -> None:
    from storage.migrate import upgrade
    from tests.conftest import _reset_pg

    db = Database.from_url(pg_url, pool_size=5)
    upgrade(db.engine)
    _reset_pg(db)
    record = record_for(db)
    for n in range(50):
        record("T1", {"n": n})
    done: Counter[int] = Counter()
    lock = threading.Lock()

    def dispatch(body: dict[str, Any]) -> None:
        time.sleep(0.002)
        with lock:
            done[int(body["n"])] += 1

    workers = [Worker(db, dispatch, name=f"w{i}") for i in range(2)]
    by: Counter[str] = Counter()

    def run(worker: Worker) -> None:
        while worker.run_once():
            by[worker.name] += 1

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert done == Counter(range(50))
    assert sum(by.values()) == 50 and len(by) == 2  # both took work, none twice
    assert waiting(db) == 0
    db.dispose()


def run_all(worker: Worker) -> int:
    done = 0
    while worker.run_once():
        done += 1
    return done


def test_a_goal_check_in_answer_is_done_by_the_worker(web: Bravo) -> None:
    from bot.goals import jobs
    from storage.models import CheckIn, CheckInPrompt
    from tests.handlers.test_goals import NY_MONDAY_0930, click, make_goal, prompts_to

    make_goal(web)
    assert jobs.run_checkins(web.deps, NY_MONDAY_0930 + timedelta(minutes=1))["prompt"] == 1
    web.deliver()
    [post] = prompts_to(web, "UANA")
    with web.deps.db.read() as s:
        [prompt] = s.exec(select(CheckInPrompt)).all()
    click(web, "UANA", post, "checkin_answer", f"{prompt.id}:on_track")
    with web.deps.db.read() as s:
        assert s.exec(select(CheckIn)).all() == []
    assert run_all(a_worker(worker_deps(web))) == 1
    assert "Checked in" in web.slack.wait_for("response_url")[-1].args["text"]
    with web.deps.db.read() as s:
        [checkin] = s.exec(select(CheckIn)).all()
    assert checkin.status == "on_track"


def test_feedback_commands_are_answered_by_the_worker(web: Bravo) -> None:
    assert web.send.slash_command("UANA", "/feedback", "inbox", channel_id=CHANNEL).status == 200
    assert web.send.slash_command("UANA", "/feedback", "<@UANA|ana>", channel_id=CHANNEL).status
    time.sleep(0.2)
    said = [c.args.get("text", "") for c in web.slack.calls("response_url")]
    assert len(said) == 1 and "yourself" in said[0]  # a mistake is answered in the ack path
    assert run_all(a_worker(worker_deps(web))) == 1
    inbox = web.slack.wait_for("response_url", 2)[-1].args
    assert inbox["response_type"] == "ephemeral"


def test_work_that_cannot_be_replayed_stays_in_the_web_process_and_a_worker_delivers_it(
    web: Bravo,
) -> None:
    from tests.handlers.test_privacy import _queued, uploads, wait_until

    said = web.send.slash_command("UANA", "/bravo", "export", channel_id=CHANNEL)
    assert said.status == 200
    assert "on its way" in web.slack.wait_for("response_url")[-1].args["text"]
    wait_until(lambda: _queued(web) == 2)  # the export is made here, after the answer...
    assert waiting(web.deps.db) == 0  # ...not recorded for a worker (it said "on its way")
    deps = worker_deps(web)
    deps.deliverer.drain()  # a worker's deliverer sends what the web queued
    assert {f["name"] for f in uploads(web)} == {"bravo-export.json", "bravo-kudos.csv"}


def test_a_request_is_recorded_once_and_work_outside_a_request_runs_here() -> None:
    import contextvars

    from bot.work import serving

    recorded: list[tuple[str, dict[str, Any]]] = []
    work = WorkQueue(record=lambda team, body: recorded.append((team, body)))
    ran = threading.Event()

    def outside() -> None:  # no request served on this thread: nothing to hand on
        assert work.hand_on() is False
        assert work.submit(ran.set, on_error=lambda _err: None)

    contextvars.Context().run(outside)
    assert ran.wait(2) and recorded == []

    def one_request() -> None:
        serving("T1", {"n": 1})
        assert work.hand_on() and work.hand_on()  # a listener asking twice

    contextvars.Context().run(one_request)
    assert recorded == [("T1", {"n": 1})]
    assert InlineWork().hand_on() is False  # a worker does the work itself
    work.shutdown()
