"""Building the Bolt app: request verification, listeners, one error handler.

Listeners run in the request's own thread and Slack gets its answer the moment a listener
returns (``process_before_response``). Each listener acks and hands slow work to
``deps.work`` (bot/work.py), so an ack never waits for a free listener thread behind earlier
work, nor for Bolt's 10 ms polling of whether ``ack()`` was called (measured in bench/).
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltResponse

from bot.deps import Deps
from handlers import register_all
from handlers.common import apologise, clean_inputs, with_deps
from handlers.stale import register_stale

log = logging.getLogger(__name__)


def build_app(deps: Deps, *, http: bool = True, verify_token: bool = True) -> App:
    settings = deps.settings
    app = App(
        client=deps.client,
        signing_secret=settings.slack_signing_secret if http else None,
        request_verification_enabled=http,
        token_verification_enabled=verify_token,
        process_before_response=True,
        logger=logging.getLogger("bravo.bolt"),
    )
    app.use(clean_inputs)
    app.use(with_deps(deps))
    register_all(app, deps)
    register_stale(app)  # last: Bolt runs the first listener that matches

    @app.error
    def on_error(error: Exception, body: dict[str, Any], respond: Any) -> BoltResponse | None:
        log.exception("unhandled error in a listener", exc_info=error)
        apologise(body, respond)
        return None

    return app
