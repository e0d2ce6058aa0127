"""The Slack edge for calibration: ``/review calibrate ...`` (handed on by ``handlers.reviews``),
**Score it** and its scorecard, **Record the agreed score** and its form.

Modals open at once (a trigger_id lasts 3 s); the command's work runs after the ack."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk.web import WebClient

from bot.calibration import ids, render, service
from bot.calibration.parse import (
    Calibrate,
    CalibrateHelp,
    CancelRound,
    History,
    OpenRound,
    ShowRound,
    parse_calibrate,
)
from bot.calibration.results import Refused
from bot.deps import Deps
from bot.errors import BravoError, error_text
from bot.text import whole_number
from handlers.common import answering, deps_of, ephemeral, later, telling


def on_calibrate(
    deps: Deps, command: dict[str, Any], words: tuple[str, ...], respond: Respond, client: WebClient
) -> None:
    """``/review calibrate <words>``, after ``handlers.reviews`` acked it."""
    parsed = parse_calibrate(" ".join(words))
    if isinstance(parsed, CalibrateHelp):
        respond(ephemeral(render.HELP))
        return
    later(deps, command, respond, lambda: calibrate_later(deps, command, parsed, respond))


def calibrate_later(
    deps: Deps, command: dict[str, Any], parsed: Calibrate, respond: Respond
) -> None:
    team, user = command["team_id"], command["user_id"]
    with answering(respond):
        if isinstance(parsed, OpenRound):
            opened = service.open_round(
                deps,
                team_id=team,
                lead_id=user,
                asked=parsed,
                request_key=str(command.get("trigger_id") or ""),
            )
            respond(ephemeral(render.receipt(opened)))
        elif isinstance(parsed, History):
            respond(render.history_blocks(service.history(deps, team_id=team, lead_id=user)))
        elif isinstance(parsed, ShowRound):
            view = service.show_round(deps, team_id=team, round_id=parsed.round_id, viewer_id=user)
            respond(render.round_view(view))
        elif isinstance(parsed, CancelRound):
            row = service.cancel_round(deps, team_id=team, round_id=parsed.round_id, lead_id=user)
            respond(ephemeral(render.cancel_receipt(row)))


def _round_id(raw: object) -> int:
    """The round a button or modal carries (0, found nowhere, when it carries none)."""
    return whole_number(raw, max_digits=9) or 0


def on_score(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    """**Score it**: the scorecard, if this person was invited and the round is open."""
    ack()
    deps = deps_of(context)
    with telling(respond):
        row = service.round_to_score(
            deps,
            team_id=body["team"]["id"],
            round_id=_round_id(action.get("value")),
            reviewer_id=body["user"]["id"],
        )
        client.views_open(trigger_id=body["trigger_id"], view=render.score_modal(row))


def _first_input(view: dict[str, Any]) -> str:
    """Where a refusal of the whole form shows: under its first input."""
    inputs = [b.get("block_id") for b in view.get("blocks") or [] if b.get("type") == "input"]
    return str(inputs[0]) if inputs and inputs[0] else "sc_none"


def _answer(ack: Ack, view: dict[str, Any], done: object) -> None:
    if isinstance(done, Refused):
        ack(response_action="errors", errors=done.errors)
    else:
        ack()


def on_score_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    try:
        done = service.submit_scores(
            deps_of(context),
            team_id=body["team"]["id"],
            round_id=_round_id(view.get("private_metadata")),
            reviewer_id=body["user"]["id"],
            values=(view.get("state") or {}).get("values") or {},
        )
    except BravoError as err:
        ack(response_action="errors", errors={_first_input(view): error_text(err)})
        return
    _answer(ack, view, done)


def on_agree(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    """**Record the agreed score**: the form, each skill at the reviewers' median."""
    ack()
    deps = deps_of(context)
    with telling(respond):
        spread, initial = service.agree_form(
            deps,
            team_id=body["team"]["id"],
            round_id=_round_id(action.get("value")),
            lead_id=body["user"]["id"],
        )
        client.views_open(trigger_id=body["trigger_id"], view=render.agree_modal(spread, initial))


def on_agree_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    try:
        done = service.record_agreed(
            deps_of(context),
            team_id=body["team"]["id"],
            round_id=_round_id(view.get("private_metadata")),
            lead_id=body["user"]["id"],
            values=(view.get("state") or {}).get("values") or {},
        )
    except BravoError as err:
        ack(response_action="errors", errors={_first_input(view): error_text(err)})
        return
    _answer(ack, view, done)


def register(app: App, deps: Deps) -> None:
    """``/review calibrate`` itself comes through ``handlers.reviews``."""
    app.action(ids.SCORE)(on_score)
    app.view(ids.SCORE_MODAL)(on_score_modal)
    app.action(ids.AGREE)(on_agree)
    app.view(ids.AGREE_MODAL)(on_agree_modal)
