"""The engine and the session scope: one session per Slack request or job, opened at the edge.

SQLite is tuned for a threaded app: WAL, a busy timeout, and ``BEGIN IMMEDIATE`` for writing
transactions (pysqlite's deferred default lets two threads read-then-write and lose an update).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

SQLITE_BUSY_TIMEOUT_MS = 15_000
PG_CONNECT_TIMEOUT = 10  # seconds: a server that does not answer is reported, not waited on


def normalise_url(url: str) -> URL:
    """Accept the URLs people paste (``postgres://``, ``postgresql://``) and use psycopg 3."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(
    url: str, *, echo: bool = False, pool_size: int = 20, application_name: str = "bravo"
) -> Engine:
    """``application_name`` names the process's connections in PostgreSQL's
    ``pg_stat_activity`` ("bravo web", "bravo worker", ...), so an operator can tell them apart."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, echo=echo)
    return create_engine(
        parsed,
        echo=echo,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        connect_args={"connect_timeout": PG_CONNECT_TIMEOUT, "application_name": application_name},
    )


def _sqlite_engine(url: URL, *, echo: bool) -> Engine:
    in_memory = url.database in (None, "", ":memory:")
    if not in_memory and url.database:
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 15}}
    if in_memory:
        kwargs["poolclass"] = StaticPool
    engine = create_engine(url, echo=echo, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control away from pysqlite; the "begin" hook below emits BEGIN itself.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if not in_memory:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("bravo_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class FairLock:
    """A first-come, first-served lock, re-entrant per thread.

    SQLite lets one writer at a time in, and a writer that finds the database locked sleeps and
    polls (the busy handler) rather than queueing, so a thread that commits back to back (a
    scheduled job) can keep another (the outbox) out for a minute (measured in bench/). Threads
    of one process therefore queue here, in order, before they ask SQLite."""

    def __init__(self) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._next_ticket = 0
        self._serving = 0
        self._owner: int | None = None
        self._depth = 0

    @contextmanager
    def held(self) -> Iterator[None]:
        me = threading.get_ident()
        with self._cond:
            if self._owner == me:
                self._depth += 1
            else:
                ticket = self._next_ticket
                self._next_ticket += 1
                while self._serving != ticket:
                    self._cond.wait()
                self._owner, self._depth = me, 1
        try:
            yield
        finally:
            with self._cond:
                self._depth -= 1
                if self._depth == 0:
                    self._owner = None
                    self._serving += 1
                    self._cond.notify_all()


class Database:
    """Owns the engine; hands out short-lived sessions."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer = engine.execution_options(bravo_write=True)
        # PostgreSQL queues writers itself (row locks); SQLite's one writer is taken in turn.
        self._turn: FairLock | None = FairLock() if engine.dialect.name == "sqlite" else None

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> Database:
        return cls(make_engine(url, **kwargs))

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A writing transaction: committed when the block ends, rolled back on any error."""
        turn = self._turn.held() if self._turn else nullcontext()
        with turn, Session(self._writer, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


class DatabaseUnavailable(Exception):
    """The database a URL names cannot be opened. The message is one line: what is wrong (the
    URL shown without its password) and what to do about it."""


# (a phrase in the driver's message, what to do about it)
_HINTS = (
    ("role ", "fix the user in DATABASE_URL (or create that role)"),
    ("does not exist", "create it (createdb NAME) or fix the name in DATABASE_URL"),
    ("connection refused", "is PostgreSQL running there? Start it, or fix host and port"),
    ("password authentication", "fix the user or password in DATABASE_URL"),
    ("resolve host", "fix the host name in DATABASE_URL"),
    ("timeout", "is the server reachable from here? Check host, port and firewall"),
    ("unable to open", "check that the folder exists and Bravo may write there"),
)


def shown_url(url: str) -> str:
    """The URL as it may be printed: with its password hidden."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return re.sub(r"://([^:/@]*):[^@]*@", r"://\1:***@", url)


def open_database(url: str, **kwargs: Any) -> Database:
    """The database at ``url``, connected to once so that a wrong URL, a database that does not
    exist or a server that is down is one ``DatabaseUnavailable`` line, not a traceback."""
    where = shown_url(url)
    try:
        db = Database.from_url(url, **kwargs)
    except (ArgumentError, ValueError) as err:
        first = str(err).splitlines()[0]
        raise DatabaseUnavailable(f"DATABASE_URL {where} is not a database URL: {first}") from None
    except OSError as err:  # the SQLite file's folder cannot be made
        raise DatabaseUnavailable(f"Cannot create the database at {where}: {err}") from None
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as err:
        db.dispose()
        raise DatabaseUnavailable(f"Cannot open the database at {where}: {_why(err)}") from None
    return db


def _why(err: SQLAlchemyError) -> str:
    message = str(getattr(err, "orig", None) or err).strip()
    first = message.splitlines()[0] if message else type(err).__name__
    reason = re.sub(r"\s+", " ", first.rsplit("failed: ", 1)[-1].replace("FATAL:", "")).strip()
    hint = next((h for phrase, h in _HINTS if phrase in message.lower()), "fix DATABASE_URL")
    return f"{reason}; {hint}."
