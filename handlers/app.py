"""Building the Bolt app: request verification, listeners, one error handler.

Listeners run in the request's own thread and Slack gets its answer the moment a listener
returns (``process_before_response``). Each listener acks and hands slow work to
``deps.work`` (bot/work.py), so an ack never waits for a free listener thread behind earlier
work, nor for Bolt's 10 ms polling of whether ``ack()`` was called (measured in bench/).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse

from bot.deps import Deps
from bot.errors import error_text
from bot.install.oauth import NOT_INSTALLED, StoreAuthorize, oauth_flow
from bot.install.tokens import StoreTokens
from bot.payload import UnreadableError, envelope_problem, shape_problem
from bot.tokens import OneToken
from bot.work import NotRecorded
from handlers import register_all
from handlers.authorize import OneTeam, authorize_for, tokenless
from handlers.common import apologise, clean_inputs, ephemeral, serving_request, with_deps
from handlers.home import mark_actor
from handlers.stale import register_stale
from handlers.straight import recorded_as_is as recorded_as_is  # queue mode's bot.web.Straight

log = logging.getLogger(__name__)


def build_app(
    deps: Deps, *, http: bool = True, verify_token: bool = True, team: str | None = None
) -> App:
    """``team``: with one SLACK_BOT_TOKEN, its workspace as start-up learnt it (else asked of
    Slack at the first request): the only workspace served."""
    settings = deps.settings
    one_token = isinstance(deps.tokens, OneToken)  # self-hosting: every request with it
    access: dict[str, Any] = {"authorize": None if one_token else authorize_for(deps)}
    if one_token:  # its own workspace only: a request from another is refused
        access["before_authorize"] = OneTeam(deps.client, team=team)
    access.update(_installed_by_oauth(deps))  # OAuth: Bolt's flow, authorised by the store
    app = App(
        client=deps.client if one_token else tokenless(deps.client),
        signing_secret=settings.slack_signing_secret if http else None,
        request_verification_enabled=http,
        token_verification_enabled=verify_token,
        process_before_response=True,
        logger=logging.getLogger("bravo.bolt"),
        **access,
    )
    app.use(readable_requests)
    app.use(clean_inputs)
    app.use(with_deps(deps))
    app.use(serving_request)  # queue mode: `later` hands the request on to a worker
    app.use(mark_actor(deps))  # whoever acts: their Home tab is refreshed once things settle
    register_all(app, deps)
    register_stale(app)  # last: Bolt runs the first listener that matches

    @app.error
    def on_error(
        error: Exception, body: dict[str, Any], respond: Any, context: BoltContext
    ) -> BoltResponse | None:
        if isinstance(error, UnreadableError):
            return unreadable(body, error, respond)
        if isinstance(error, NotRecorded):  # from later_or_now, logged where it happened
            return None  # 500: Slack sends an event again, and shows a click as failed
        log.exception("unhandled error in a listener", exc_info=error)
        apologise(body, respond)
        acked = context.ack.response if context.ack is not None else None
        return acked  # acknowledged before it failed: Slack gets the ack, not a 500

    return app


def replayer(app: App) -> Callable[[dict[str, Any]], None]:
    """``bravo worker``'s dispatch: a recorded request (its parsed body) through ``app`` again,
    the app of a worker (``InlineWork``: the listener's work runs now)."""

    def replay(body: dict[str, Any]) -> None:
        response = app.dispatch(BoltRequest(body=body, mode="socket_mode"))
        if response.status >= 400:
            log.warning("a replayed request was answered %s", response.status)

    return replay


def _installed_by_oauth(deps: Deps) -> dict[str, Any]:
    """Installed by OAuth (``bot.install``): Bolt serves /slack/install and
    /slack/oauth_redirect, and authorises each request with its own workspace's token."""
    tokens = deps.tokens
    if not isinstance(tokens, StoreTokens):
        return {}  # one SLACK_BOT_TOKEN: the client's token serves every request
    return {
        "oauth_flow": oauth_flow(deps.settings, tokens, deps.db),
        "authorize": StoreAuthorize(tokens),
        "user_facing_authorize_error_message": NOT_INSTALLED,
    }


def readable_requests(
    body: dict[str, Any], respond: Any, next: Callable[[], None]
) -> BoltResponse | None:
    """A Bolt middleware: a payload whose values are not shaped as Slack shapes them (a number
    where a form field's text belongs, a choice that is not an option) is answered kindly here,
    before any listener reads it. An envelope not shaped as Slack's is refused (400); over HTTP
    ``bot.web`` has refused it already, this catches it in Socket Mode."""
    wrong = envelope_problem(body)
    if wrong is not None:
        log.warning("refused a request not shaped as Slack's: %s", wrong)
        return BoltResponse(status=400, body="")
    problem = shape_problem(body)
    if problem is None:
        next()
        return None
    return unreadable(body, problem, respond)


def unreadable(body: dict[str, Any], err: UnreadableError, respond: Any) -> BoltResponse:
    """One log line, and the friendly answer: a form error on a view submission, an ephemeral
    message for a button or command, 400 for what is not Slack's shape at all."""
    kind = body.get("type") or ("slash_command" if body.get("command") else "event")
    log.warning("could not read a %s: %s", str(kind)[:40], err.what)
    if kind == "view_submission":
        block = _field_for(body.get("view"), err.block)
        if block is None:
            return BoltResponse(status=400, body="")
        errors = {block: error_text(err)}
        return _json({"response_action": "errors", "errors": errors})
    if kind == "view_closed":
        return BoltResponse(status=200, body="")
    if kind in ("block_actions", "slash_command", "message_action", "shortcut"):
        if respond is not None and body.get("response_url"):
            respond({"replace_original": False, **ephemeral(error_text(err))})
        return BoltResponse(status=200, body="")
    return BoltResponse(status=400, body="")


def _field_for(view: object, block: str | None) -> str | None:
    """The input block to show the error under: the one that could not be read, else the
    form's first input."""
    blocks = view.get("blocks") if isinstance(view, dict) else None
    inputs = [
        b.get("block_id")
        for b in blocks or []
        if isinstance(b, dict) and b.get("type") == "input" and isinstance(b.get("block_id"), str)
    ]
    if block in inputs:
        return block
    return inputs[0] if inputs else None


def _json(data: dict[str, Any]) -> BoltResponse:
    return BoltResponse(
        status=200, body=json.dumps(data), headers={"content-type": "application/json"}
    )
