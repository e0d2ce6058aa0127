"""``/learned search <words> [#skill]``: lessons the workspace shared, most helpful first, and the
More button under them. A search only reads, so it runs after the ack (``later``) and a replay
of it is harmless; the reply is ephemeral, and More replaces it with the next lessons."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.deps import Deps
from bot.learning import search, search_render
from bot.learning.parse import Search
from bot.payload import team_of, user_of
from handlers.common import answering, deps_of, later, telling


def on_search(deps: Deps, command: dict[str, Any], parsed: Search, respond: Respond) -> None:
    later(deps, command, respond, lambda: search_later(deps, command, parsed.text, respond))


def search_later(deps: Deps, command: dict[str, Any], text: str, respond: Respond) -> None:
    with answering(respond):
        found = search.search(deps, team_id=team_of(command), user_id=user_of(command), text=text)
        respond({"response_type": "ephemeral", **search_render.results(found)})


def on_more(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    """More: the next lessons of the same search, for whoever pressed (they see only what they
    may see, whatever the button carries)."""
    ack()
    deps = deps_of(context)
    text, page = search.more_of(str(action.get("value") or ""))
    later(deps, body, respond, lambda: more_later(deps, body, text, page, respond))


def more_later(deps: Deps, body: dict[str, Any], text: str, page: int, respond: Respond) -> None:
    with telling(respond):
        found = search.search(
            deps, team_id=team_of(body), user_id=user_of(body), text=text, page=page
        )
        respond({"replace_original": True, **search_render.results(found)})


def register(app: App, deps: Deps) -> None:
    """The More button under search results."""
    app.action(search_render.MORE)(on_more)
