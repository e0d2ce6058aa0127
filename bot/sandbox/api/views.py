"""views.*: modals opened, pushed and updated with a trigger_id, and Home tabs published."""

from __future__ import annotations

import copy
import secrets
import time
from typing import Any

from bot.sandbox.blockkit import check_view
from bot.sandbox.calls import CallContext, SlackError
from bot.sandbox.state import Workspace


def new_trigger_id(ws: Workspace, user_id: str | None) -> str:
    """A trigger_id the workspace knows: good once, for `trigger_ttl` seconds."""
    trigger = f"{ws.next_number()}.{ws.ts_start}.{secrets.token_hex(8)}"
    ws.triggers[trigger] = (user_id, time.time())
    return trigger


def use_trigger(ws: Workspace, args: dict[str, Any], ctx: CallContext) -> None:
    """Use up the call's trigger_id; the person it was issued for goes into the context."""
    trigger = str(args.get("trigger_id") or args.get("interactivity_pointer") or "")
    if not trigger:
        raise SlackError(
            "invalid_arguments",
            response_metadata={"messages": ["[ERROR] missing required field: trigger_id"]},
        )
    if trigger in ws.used_triggers:
        raise SlackError("expired_trigger_id")
    user, issued = ws.triggers.get(trigger, (None, time.time()))
    if time.time() - issued > ws.trigger_ttl:
        raise SlackError("expired_trigger_id")
    ws.used_triggers.add(trigger)
    if user:
        ctx.context["user"] = user


def view_arg(args: dict[str, Any], *, kind: str) -> dict[str, Any]:
    """The call's `view`, checked against Block Kit's limits and required to be a `kind`."""
    view = args.get("view")
    if not isinstance(view, dict):
        raise SlackError(
            "invalid_arguments",
            response_metadata={"messages": ["[ERROR] missing required field: view"]},
        )
    problems = check_view(view)
    if view.get("type") != kind and not any("/view/type" in p for p in problems):
        problems.insert(0, f"must be {kind} [json-pointer:/view/type]")
    if problems:
        raise SlackError(
            "invalid_blocks",
            errors=problems,
            response_metadata={"messages": [f"[ERROR] {p}" for p in problems]},
        )
    return view


def store_view(
    ws: Workspace,
    view: dict[str, Any],
    *,
    view_id: str | None = None,
    previous: str | None = None,
    root: str | None = None,
) -> dict[str, Any]:
    """A view as Slack returns and keeps it (a fresh hash; a new id unless `view_id`)."""
    view_id = view_id or ws.new_id("V")
    return {
        "id": view_id,
        "team_id": ws.team_id,
        "type": view.get("type"),
        "blocks": view.get("blocks", []),
        "private_metadata": view.get("private_metadata", ""),
        "callback_id": view.get("callback_id", ""),
        "state": {"values": {}},
        "hash": f"{int(time.time())}.{secrets.token_hex(4)}",
        "title": view.get("title"),
        "clear_on_close": bool(view.get("clear_on_close", False)),
        "notify_on_close": bool(view.get("notify_on_close", False)),
        "close": view.get("close"),
        "submit": view.get("submit"),
        "previous_view_id": previous,
        "root_view_id": root or view_id,
        "app_id": ws.app_id,
        "external_id": view.get("external_id", ""),
        "app_installed_team_id": ws.team_id,
        "bot_id": ws.bot_id,
    }


def open_view(ws: Workspace, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
    use_trigger(ws, args, ctx)
    view = store_view(ws, view_arg(args, kind="modal"))
    ws.views[view["id"]] = view
    ws.view_users[view["id"]] = ctx.context.get("user")
    return {"view": copy.deepcopy(view)}


def push(ws: Workspace, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
    use_trigger(ws, args, ctx)
    user = ctx.context.get("user")
    under = [vid for vid, u in ws.view_users.items() if u == user and user]
    previous = under[-1] if under else None
    root = ws.views[previous]["root_view_id"] if previous else None
    view = store_view(ws, view_arg(args, kind="modal"), previous=previous, root=root)
    ws.views[view["id"]] = view
    ws.view_users[view["id"]] = user
    return {"view": copy.deepcopy(view)}


def update(ws: Workspace, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
    view_id, external_id = args.get("view_id"), args.get("external_id")
    if not view_id and not external_id:
        raise SlackError("invalid_arguments")
    found = [
        v
        for v in ws.views.values()
        if (view_id and v["id"] == view_id) or (external_id and v["external_id"] == external_id)
    ]
    if not found:
        raise SlackError("not_found")
    old = found[-1]
    if args.get("hash") and args["hash"] != old["hash"]:
        raise SlackError("hash_conflict")
    view = store_view(
        ws,
        view_arg(args, kind="modal"),
        view_id=old["id"],
        previous=old["previous_view_id"],
        root=old["root_view_id"],
    )
    ws.views[view["id"]] = view
    user = ws.view_users.get(view["id"])
    if user:
        ctx.context["user"] = user
    return {"view": copy.deepcopy(view)}


def publish(ws: Workspace, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
    user = ws.user(args.get("user_id"))["id"]
    old = ws.home.get(user)
    if old and args.get("hash") and args["hash"] != old["hash"]:
        raise SlackError("hash_conflict")
    view = store_view(ws, view_arg(args, kind="home"), view_id=old["id"] if old else None)
    ws.home[user] = view
    ctx.context["user"] = user
    return {"view": copy.deepcopy(view)}
