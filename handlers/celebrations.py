"""The Slack edge for ``/bravo celebrate ...`` (dispatched from ``handlers.shoutouts``: one
``/bravo`` command) and the admins' date import modal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk.web import WebClient

from bot.celebrations import ids, render, service
from bot.celebrations.parse import (
    CelebrateOptOut,
    ForgetDate,
    MilestonesWhere,
    SetDate,
    parse_dates_csv,
)
from bot.deps import Deps
from bot.errors import BravoError
from bot.shoutouts.service import Asked
from handlers.common import deps_of, ephemeral, field_error, view_input

Reply = dict[str, Any]


def open_import(deps: Deps, command: dict[str, Any], client: WebClient) -> None:
    """Admins only; the modal opens at once (its trigger_id lasts 3 seconds)."""
    service.check_admin(deps, command["team_id"], command["user_id"])
    client.views_open(trigger_id=command["trigger_id"], view=render.import_modal())


def set_date(deps: Deps, asked: Asked, parsed: SetDate) -> Reply:
    service.set_date(
        deps,
        team_id=asked.team_id,
        user_id=asked.user_id,
        kind=parsed.kind,
        month=parsed.month,
        day=parsed.day,
        year=parsed.year,
    )
    return ephemeral(render.date_saved(parsed.kind, parsed.month, parsed.day, parsed.year))


def forget_date(deps: Deps, asked: Asked, parsed: ForgetDate) -> Reply:
    gone = service.forget_date(deps, team_id=asked.team_id, user_id=asked.user_id, kind=parsed.kind)
    return ephemeral(render.date_forgotten(parsed.kind, gone))


def opt_out(deps: Deps, asked: Asked, parsed: CelebrateOptOut) -> Reply:
    service.set_opt_out(deps, team_id=asked.team_id, user_id=asked.user_id, opt_out=parsed.opt_out)
    return ephemeral(render.opted_out(parsed.opt_out))


def milestones_where(deps: Deps, asked: Asked, parsed: MilestonesWhere) -> Reply:
    service.set_milestones_where(
        deps, team_id=asked.team_id, user_id=asked.user_id, where=parsed.where
    )
    return ephemeral(render.milestones_where(parsed.where))


ACTIONS: dict[type, Callable[[Deps, Asked, Any], Reply]] = {
    SetDate: set_date,
    ForgetDate: forget_date,
    CelebrateOptOut: opt_out,
    MilestonesWhere: milestones_where,
}


def on_import(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    """The import modal submitted: every row saved, or every problem shown under the field."""
    deps = deps_of(context)
    team, user = body["team"]["id"], body["user"]["id"]
    text = view_input(view, ids.IMPORT_BLOCK, "value", ids.IMPORT_ACTION) or ""
    now = deps.clock()
    try:
        service.check_admin(deps, team, user)
        rows = parse_dates_csv(text, today=now.date())
        service.import_dates(deps, team_id=team, user_id=user, rows=rows, now=now)
    except BravoError as err:
        field_error(ack, ids.IMPORT_BLOCK, err)
        return
    ack()
    deps.deliverer.kick()
