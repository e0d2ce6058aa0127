"""Building the Bolt app: listener pool, request verification, listeners, one error handler."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltResponse

from bot.deps import Deps

log = logging.getLogger(__name__)

# Bolt runs listeners on a pool of 5 by default; slow work (Slack calls, the database) behind a
# few clicks would then delay other people's acks past Slack's 3 seconds.
LISTENER_THREADS = 64


def build_app(deps: Deps, *, http: bool = True, verify_token: bool = True) -> App:
    from handlers import register_all
    from handlers.common import apologise

    settings = deps.settings
    app = App(
        client=deps.client,
        signing_secret=settings.slack_signing_secret if http else None,
        request_verification_enabled=http,
        token_verification_enabled=verify_token,
        listener_executor=ThreadPoolExecutor(LISTENER_THREADS, thread_name_prefix="bravo-listener"),
        logger=logging.getLogger("bravo.bolt"),
    )
    register_all(app, deps)

    @app.error
    def on_error(error: Exception, body: dict[str, Any], respond: Any) -> BoltResponse | None:
        log.exception("unhandled error in a listener", exc_info=error)
        apologise(body, respond)
        return None

    return app
