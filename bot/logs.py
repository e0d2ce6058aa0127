"""Bravo's log: the lines an operator needs, not the libraries' chatter.

At the default level the libraries say only what went wrong (WARNING and up): APScheduler's
"Running job" / "executed successfully" for every poll, slack_sdk's per-connection notes and
Alembic's migration steps are heard at DEBUG only. Bolt's "As you gave `client` as well, `token`
will be unused" is dropped: Bravo hands Bolt its client on purpose, and Bolt sees the token in
the environment besides.
"""

from __future__ import annotations

import logging

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LIBRARIES = ("apscheduler", "slack_sdk", "slack_bolt", "alembic", "urllib3", "websocket")
BOLT_LOGGER = "bravo.bolt"  # the logger Bravo hands Bolt (handlers/app.py)
NOISE = ("`token` will be unused",)


class DropNoise(logging.Filter):
    """Drops the library warnings that say nothing to an operator."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not any(phrase in message for phrase in NOISE)


def setup_logging(level: str) -> None:
    """Bravo's loggers at ``level``; the libraries' at WARNING (or DEBUG when ``level`` is)."""
    logging.basicConfig(level=level, format=FORMAT)
    ours = logging.getLevelName(level)
    quiet = logging.DEBUG if ours == logging.DEBUG else max(logging.WARNING, ours)
    for name in LIBRARIES:
        logging.getLogger(name).setLevel(quiet)
    bolt = logging.getLogger(BOLT_LOGGER)
    if not any(isinstance(f, DropNoise) for f in bolt.filters):
        bolt.addFilter(DropNoise())
