"""The ``bravo`` command line; also ``python -m bot``. The only place that reads the environment."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import re
import signal
import sys
import threading
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from dotenv import load_dotenv

from bot.malloc import limit_arenas
from bot.preflight import StartupError
from bot.settings import Settings, SettingsError, load_settings

if TYPE_CHECKING:  # the composition root imports the rest lazily: `bravo --help` stays fast
    from slack_bolt import App

    from bot.deps import Deps
    from bot.practice.scenarios import Scenario
    from bot.scheduling.scheduler import Scheduler
    from bot.server import SideServer
    from bot.web import Straight
    from storage.db import Database


def _settings() -> Settings:
    load_dotenv(os.environ.get("BRAVO_ENV_FILE", ".env"), override=False)
    return load_settings(os.environ)


def _logging(level: str) -> None:
    from bot.logs import setup_logging

    setup_logging(level)


def _stop_on_signals() -> threading.Event:
    """SIGTERM and SIGINT ask Bravo to stop: set from the first moment, so a signal during
    start-up stops it as soon as it is up, cleanly. A second one stops it at once."""
    stop = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, on_signal)
    return stop


QUEUE_NEEDS_HTTP = "--queue needs --http: the web process acks, `bravo worker` does the work."
QUEUE_NEEDS_PG = (
    "--queue and `bravo worker` need PostgreSQL (DATABASE_URL=postgresql+psycopg://...): "
    "on SQLite Bravo runs as one process, `bravo run`."
)


def cmd_run(args: argparse.Namespace) -> int:
    stop = _stop_on_signals()
    settings = _settings()
    if args.queue and not args.http:
        raise SettingsError([QUEUE_NEEDS_HTTP])
    if args.queue and not _on_postgres(settings):
        raise SettingsError([QUEUE_NEEDS_PG])
    settings.require_for_run(http=args.http)
    _logging(settings.log_level)
    from bot.preflight import check_oauth, check_port, check_slack
    from storage.migrate import upgrade

    if args.http:
        check_port(args.host, args.port)
    team = None  # with one SLACK_BOT_TOKEN, the only workspace served
    if not settings.oauth:  # with OAuth, each workspace's token comes with its install
        me = check_slack(settings, socket_mode=not args.http)
        who, team = me.who, me.team_id
    db = _open_database(settings, "run")
    try:
        upgrade(db.engine)
        if settings.oauth:  # the stored installations open with the keys; Slack answers
            who = check_oauth(settings, db)
    finally:
        db.dispose()
    logging.getLogger("bravo").info("Bravo is %s", who)
    if stop.is_set():
        return 0
    if args.http:
        return _run_http(settings, args, team)
    return _run_socket(settings, stop, team, args)


def _on_postgres(settings: Settings) -> bool:
    return settings.database_url.startswith("postgresql")


def _open_database(settings: Settings, role: str) -> Database:
    """``role`` names this process's connections in PostgreSQL ("bravo worker", ...)."""
    from bot.preflight import StartupError
    from storage.db import DatabaseUnavailable, open_database

    try:
        return open_database(settings.database_url, application_name=f"bravo {role}")
    except DatabaseUnavailable as err:
        raise StartupError(str(err)) from None


def _serve(
    settings: Settings, *, http: bool, queue: bool = False, team: str | None = None
) -> tuple[App, Deps, Scheduler | None]:
    """The app and what runs beside it. ``queue``: the web process of the split shape, which
    records the work after each ack for `bravo worker` and runs no deliverer, no scheduler.
    ``team``: SLACK_BOT_TOKEN's workspace, as preflight learnt it (the app asks if None)."""
    from bot.deps import build_deps
    from bot.scheduling.start import start_scheduler
    from bot.work import WorkQueue
    from bot.worker import record_for
    from handlers.app import build_app

    db = _open_database(settings, "web" if queue else "run")
    work = WorkQueue(record=record_for(db)) if queue else None
    deps = build_deps(settings, db, work=work)
    app = build_app(deps, http=http, team=team)
    if queue:
        return app, deps, None
    deps.deliverer.start()
    return app, deps, start_scheduler(deps)


def _straight(deps: Deps, team: str | None) -> Straight | None:
    """Queue mode with one SLACK_BOT_TOKEN: the requests recorded for a worker without Bolt
    (``handlers.straight``). With OAuth (no one workspace known here) every request goes
    through Bolt, whose ``authorize`` refuses a workspace that has not installed Bravo."""
    from bot.web import Straight
    from bot.worker import record_for
    from handlers.app import recorded_as_is

    if team is None:
        return None
    return Straight(takes=recorded_as_is, team=team, record=record_for(deps.db))


def _shut_down(deps: Deps, scheduler: Scheduler | None) -> None:
    """In order: the work taken in finishes (it may queue messages), the scheduler stops after
    the job it is running, the deliverer sends what is in flight and leaves the rest queued
    for the next start."""
    deps.work.shutdown(wait=True)
    if scheduler is not None:
        scheduler.stop()
    deps.deliverer.stop()
    deps.db.dispose()


def _run_http(settings: Settings, args: argparse.Namespace, team: str | None) -> int:
    from bot.ratings.webhook import hook_routes
    from bot.server import GunicornServer
    from bot.web import make_wsgi

    served: list[tuple[Deps, Scheduler | None]] = []

    def load() -> object:
        app, deps, scheduler = _serve(settings, http=True, queue=args.queue, team=team)
        served.append((deps, scheduler))
        straight = _straight(deps, team) if args.queue else None
        wsgi = make_wsgi(
            app,
            deps.db,
            signing_secret=settings.slack_signing_secret,
            straight=straight,
            routes=hook_routes(deps),
        )
        # What start-up built lives as long as the process: kept out of the collector's full
        # passes, which otherwise walk it all with every thread stopped (a 96 ms pause in the
        # queue-mode web process under load, long enough to show in the acks' p99).
        gc.collect()
        gc.freeze()
        return wsgi

    def on_exit() -> None:  # in the worker, as it exits
        while served:
            _shut_down(*served.pop())

    def on_ready() -> None:  # in gunicorn's arbiter, once the port is bound
        logging.getLogger("bravo").info(
            "Bravo listening on http://%s:%s/slack/events", args.host, args.port
        )

    GunicornServer(
        load,
        host=args.host,
        port=args.port,
        workers=args.workers,
        threads=args.threads,
        log_level=settings.log_level,
        on_ready=on_ready,
        on_exit=on_exit,
    ).run()
    return 0


def _run_socket(
    settings: Settings, stop: threading.Event, team: str | None, args: argparse.Namespace
) -> int:
    from bot.socket_mode import SocketMode

    app, deps, scheduler = _serve(settings, http=False, team=team)
    side = _side_server(app, deps, args.host, args.port)
    socket_mode = SocketMode(app, settings.slack_app_token or "")
    try:
        socket_mode.run(stop)
    finally:
        socket_mode.close()  # no more envelopes taken in
        if side is not None:
            side.stop()
        _shut_down(deps, scheduler)
    logging.getLogger("bravo").info("Bravo stopped")
    return 0


def _side_server(app: App, deps: Deps, host: str, port: int) -> SideServer | None:
    """Socket Mode has no HTTP server for Slack, but the customer-rating webhook comes by HTTP:
    a small one on ``--port`` serves /hooks/ and /healthz only. A busy port is one warning
    (Bravo still runs; the webhook does not)."""
    from bot.ratings.webhook import hook_routes
    from bot.server import SideServer, only_paths
    from bot.web import make_wsgi

    wsgi = make_wsgi(app, deps.db, routes=hook_routes(deps))
    try:
        side = SideServer(only_paths(wsgi, ("/hooks/", "/healthz")), host=host, port=port)
    except OSError as err:
        logging.getLogger("bravo").warning(
            "the customer-rating webhook is not served: port %s: %s", port, err.strerror
        )
        return None
    side.start()
    logging.getLogger("bravo").info("webhooks and /healthz on http://%s:%s", host, port)
    return side


def cmd_worker(args: argparse.Namespace) -> int:
    """``bravo worker``: do the work `bravo run --http --queue` recorded, deliver the outbox,
    and run the scheduled jobs while this process leads (one leader among all the workers)."""
    limit_arenas()  # before any of its threads starts (bot.malloc)
    stop = _stop_on_signals()
    settings = _settings()
    if not _on_postgres(settings):
        raise SettingsError([QUEUE_NEEDS_PG])
    if not settings.slack_bot_token and not settings.oauth:
        settings.require_for_run(http=True)  # says what is missing, in its words
    _logging(settings.log_level)
    from bot.deps import build_deps
    from bot.scheduling.start import start_scheduler
    from bot.work import InlineWork
    from bot.worker import Worker
    from handlers.app import build_app, replayer
    from storage.migrate import upgrade

    db = _open_database(settings, "worker")
    upgrade(db.engine)
    deps = build_deps(settings, db, work=InlineWork())
    app = build_app(deps, http=False, verify_token=False)
    deps.deliverer.start()
    scheduler = start_scheduler(deps)
    workers = [Worker(db, replayer(app), poll_seconds=args.poll) for _ in range(args.threads)]
    threads = [threading.Thread(target=w.run, args=(stop,), name=w.name) for w in workers]
    for thread in threads:
        thread.start()
    try:
        stop.wait()
    finally:
        stop.set()
        for thread in threads:
            thread.join()  # each finishes the item it holds
        _shut_down(deps, scheduler)
    logging.getLogger("bravo").info("Bravo worker stopped")
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    settings = _settings()
    _logging(settings.log_level)
    from storage.migrate import current, upgrade

    db = _open_database(settings, "db")
    if args.action == "upgrade":
        upgrade(db.engine)
    print(f"database at revision {current(db.engine)}")
    return 0


def _parse_at(text: str | None) -> datetime | None:
    if not text:
        return datetime.now(UTC)
    try:
        at = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def cmd_jobs(args: argparse.Namespace) -> int:
    """``jobs list``: each job and when its next work is due; ``jobs run NAME [--at]``: do that
    job's due work as of a time (default now) and deliver what it queued."""
    settings = _settings()
    _logging(settings.log_level)
    from bot.deps import build_deps
    from bot.scheduling.registry import BY_NAME, JOBS
    from storage.migrate import upgrade

    at = _parse_at(args.at)
    if at is None:
        print(f"--at must be an ISO time like 2026-11-30T09:31Z, got {args.at!r}", file=sys.stderr)
        return 2
    if args.action == "run" and args.name not in BY_NAME:
        named = f"unknown job {args.name!r}" if args.name else "name the job to run"
        print(f"{named}: bravo jobs run NAME, one of {', '.join(BY_NAME)}", file=sys.stderr)
        return 2
    db = _open_database(settings, "jobs")
    upgrade(db.engine)
    deps = build_deps(settings, db, clock=lambda: at)
    if args.action == "list":
        print(f"as of {at.isoformat()}:")
        dues = [(job, job.next_due(deps, at)) for job in JOBS]
        shown = [
            (j, f"(checks every {_every(j.poll)})" if n is None else n.isoformat()) for j, n in dues
        ]
        name_width = max(len(j.name) for j, _ in shown)  # the longest name sets the columns
        due_width = max(len(due) for _, due in shown)
        for job, due in shown:
            print(f"  {job.name:<{name_width}}  next: {due:<{due_width}}  {job.description}")
        return 0
    counts = BY_NAME[args.name].run(deps, at)
    if settings.slack_bot_token or settings.oauth:  # a token to send with: one, or each install's
        deps.deliverer.drain()
    print(
        f"{args.name} as of {at.isoformat()}: "
        + (", ".join(f"{k} {v}" for k, v in sorted(dict(counts).items())) or "nothing due")
    )
    return 0


def _every(poll: timedelta) -> str:
    seconds = int(poll.total_seconds())
    return f"{seconds // 3600} h" if seconds >= 3600 else f"{seconds // 60} min"


def cmd_keys(args: argparse.Namespace) -> int:
    """``keys new``: print a new BRAVO_ENCRYPTION_KEY key; ``keys reseal``: seal every stored
    secret again with the first key (after a new key was put first), so the old can go: the
    installations' tokens (with OAuth) and the customer-rating webhooks' secrets."""
    if args.action == "new":
        from bot.install.crypto import new_key

        print(new_key())
        return 0
    settings = _settings()
    _logging(settings.log_level)
    if not settings.encryption_keys:
        print("keys reseal: BRAVO_ENCRYPTION_KEY is not set, so nothing is sealed to reseal.")
        return 2
    from bot.install.crypto import Sealer
    from bot.install.oauth import tokens_for
    from bot.install.tokens import StoreTokens
    from bot.ratings.admin import reseal_hooks
    from storage.migrate import upgrade

    db = _open_database(settings, "keys")
    try:
        upgrade(db.engine)
        if settings.oauth:
            tokens = tokens_for(settings, db, lambda: datetime.now(UTC))
            assert isinstance(tokens, StoreTokens)
            print(f"sealed again with the first key: {tokens.store.reseal()} installation(s)")
        hooks, unreadable = reseal_hooks(db, Sealer(settings.encryption_keys))
    finally:
        db.dispose()
    print(f"sealed again with the first key: {hooks} customer-rating webhook secret(s)")
    if unreadable:
        print(
            f"none of the keys opens the webhook secret of {len(unreadable)} workspace(s) "
            f"({', '.join(unreadable[:10])}): left as they are; an admin can rotate it with "
            "/bravo ratings",
            file=sys.stderr,
        )
        return 1
    return 0


TEAM_ID = re.compile(r"^[TE][A-Z0-9]{2,31}$")


def cmd_practice(args: argparse.Namespace) -> int:
    """``practice scenarios check FILE [--team T]``: is the file a good set of scenarios (for
    the workspace's skills, or the environment's); ``practice scenarios import FILE --team T``:
    store them for the workspace, all or nothing (keys in use are replaced)."""
    if args.team is not None and not TEAM_ID.match(args.team):
        print(
            f"--team must be a Slack workspace id like T0123ABC, got {args.team!r}", file=sys.stderr
        )
        return 2
    if args.action == "import" and args.team is None:
        print("practice scenarios import needs --team T0123ABC: the workspace", file=sys.stderr)
        return 2
    try:
        text = Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        print(f"cannot read {args.file}: {err}", file=sys.stderr)
        return 2
    settings = _settings()
    _logging(settings.log_level)
    from bot.errors import BravoError, error_text
    from bot.practice import catalog
    from bot.practice.catalog_errors import ScenarioTextError, ScenarioTextLengthError
    from bot.text import plain

    where = Path(args.file).name
    try:
        if args.team is None:  # no database needed: the environment's skills
            found = catalog.check_text(text, settings.kudos.values, where=where)
            return _checked(where, found)
        from bot.deps import build_deps
        from storage.migrate import upgrade

        db = _open_database(settings, "practice")
        upgrade(db.engine)
        deps = build_deps(settings, db)
        if args.action == "check":
            skills = catalog.skills_of(deps, args.team)
            return _checked(where, catalog.check_text(text, skills, where=where))
        saved = catalog.import_scenarios(deps, team_id=args.team, text=text, where=where)
    except ScenarioTextError as err:
        print(f"{where}: nothing was stored; fix these and try again:", file=sys.stderr)
        for problem in err.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    except ScenarioTextLengthError as err:
        print(f"{where}: {err.length} characters, at most {err.limit}", file=sys.stderr)
        return 1
    except BravoError as err:
        print(f"{where}: {plain(error_text(err))}", file=sys.stderr)
        return 1
    print(
        f"{where} stored for {args.team}: added {len(saved.added)}"
        + (f" ({', '.join(saved.added)})" if saved.added else "")
        + f", replaced {len(saved.replaced)}"
        + (f" ({', '.join(saved.replaced)})" if saved.replaced else "")
    )
    return 0


def _checked(where: str, found: list[Scenario]) -> int:
    skills: dict[str, int] = {}
    for scenario in found:
        skills[scenario.skill] = skills.get(scenario.skill, 0) + 1
    per = ", ".join(f"{skill} {n}" for skill, n in skills.items())
    print(f"{where}: {len(found)} scenario(s), all fine ({per}); nothing was stored")
    return 0


def cmd_sandbox(args: argparse.Namespace) -> int:
    from bot.sandbox.server import serve

    serve(args.port)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from bot.demo.play import run_demo
    from handlers.app import build_app

    return run_demo(build_app, keep=args.keep)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="bravo", description="Bravo: recognition for Slack")
    sub = p.add_subparsers(dest="cmd", required=True)
    run = sub.add_parser("run", help="run Bravo (Socket Mode, or --http)")
    run.add_argument("--http", action="store_true", help="serve Slack's HTTP requests")
    run.add_argument("--host", default="0.0.0.0")
    run.add_argument("--port", type=int, default=int(os.environ.get("PORT", "3000")))
    run.add_argument("--workers", type=int, default=1, help="HTTP worker processes")
    run.add_argument("--threads", type=int, default=32, help="HTTP threads per worker")
    run.add_argument(
        "--queue",
        action="store_true",
        help="with --http, on PostgreSQL: only ack and record; `bravo worker` does the work",
    )
    run.set_defaults(func=cmd_run)
    worker = sub.add_parser("worker", help="do the work `bravo run --http --queue` recorded")
    worker.add_argument("--threads", type=int, default=4, help="items done at once")
    worker.add_argument("--poll", type=float, default=0.5, help="seconds between looks")
    worker.set_defaults(func=cmd_worker)
    db = sub.add_parser("db", help="database migrations")
    db.add_argument("action", choices=["upgrade", "current"])
    db.set_defaults(func=cmd_db)
    jobs = sub.add_parser("jobs", help="scheduled jobs: list them, or run one's due work now")
    jobs.add_argument("action", choices=["list", "run"])
    jobs.add_argument("name", nargs="?", help="the job to run (see `bravo jobs list`)")
    jobs.add_argument("--at", help="as of this ISO time instead of now, e.g. 2026-11-30T09:31Z")
    jobs.set_defaults(func=cmd_jobs)
    keys = sub.add_parser("keys", help="BRAVO_ENCRYPTION_KEY: make a key, or reseal with it")
    keys.add_argument("action", choices=["new", "reseal"])
    keys.set_defaults(func=cmd_keys)
    practice = sub.add_parser("practice", help="practice scenarios: check a file, or import it")
    what = practice.add_subparsers(dest="what", required=True)
    scenarios = what.add_parser("scenarios", help="a TOML file of [[scenario]] tables")
    scenarios.add_argument("action", choices=["check", "import"])
    scenarios.add_argument("file", help="the TOML file")
    scenarios.add_argument("--team", help="the workspace (Slack team id); import needs it")
    scenarios.set_defaults(func=cmd_practice)
    sb = sub.add_parser("sandbox", help="run the local fake Slack Web API")
    sb.add_argument("--port", type=int, default=3999)
    sb.set_defaults(func=cmd_sandbox)
    demo = sub.add_parser("demo", help="play the offline demo scenario and print a transcript")
    demo.add_argument("--keep", action="store_true", help="keep the demo database")
    demo.set_defaults(func=cmd_demo)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except SettingsError as err:
        print(err, file=sys.stderr)
        return 2
    except StartupError as err:
        print(f"Bravo cannot start: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
