"""The Slack edge for ``/bravo``: team channels' weekly shout-outs, leads and the fairness note;
``/bravo celebrate ...`` goes on to ``handlers.celebrations`` (one command, two capabilities).

Listeners ack first. The import modal opens at once (its ``trigger_id`` expires in 3 s); other
work goes to the work queue and answers with an ephemeral reply (the use cases read Slack before
opening a writing transaction). Every domain error becomes a friendly reply; nothing is
half-saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk.web import WebClient

from bot.celebrations import ids as celebration_ids
from bot.celebrations import parse as cp
from bot.commands import command_help
from bot.deps import Deps
from bot.shoutouts import ids, render, service
from bot.shoutouts import parse as p
from bot.shoutouts.service import Asked
from handlers import celebrations, privacy, ratings, workspace
from handlers.common import answering, deps_of, ephemeral, later

Parsed = p.BravoCommand | cp.CelebrateCommand
Reply = dict[str, Any]


def parse_bravo(text: str) -> Parsed:
    """The whole ``/bravo`` grammar: shout-outs' words, and celebrations' after ``celebrate``."""
    parsed = p.parse_bravo_command(text)
    if not isinstance(parsed, p.Celebrate):
        return parsed
    celebrate = cp.parse_celebrate(list(parsed.words))
    if celebrate is None:
        raise parsed.not_understood()
    return celebrate


def on_bravo(
    ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext
) -> None:
    ack()
    deps = deps_of(context)
    with answering(respond):
        parsed = parse_bravo(command.get("text") or "")
        if isinstance(parsed, p.BravoHelp):
            respond(ephemeral(command_help(ids.COMMAND)))
        elif isinstance(parsed, cp.ImportDates):  # now: the trigger_id expires in 3 seconds
            celebrations.open_import(deps, command, client)
        elif isinstance(parsed, p.Elsewhere):  # settings, export, forget, ratings: own rooms
            ELSEWHERE[parsed.verb](deps, command, parsed.words, respond, client)
        else:
            later(deps, command, respond, lambda: answer(deps, command, parsed, respond))


def answer(deps: Deps, command: dict[str, Any], parsed: Parsed, respond: Respond) -> None:
    """After the ack: run the subcommand's use case and reply (only the asker sees it)."""
    asked = Asked(command["team_id"], command["user_id"], command["channel_id"], deps.clock())
    with answering(respond):
        respond(ACTIONS[type(parsed)](deps, asked, parsed))


def shoutouts_on(deps: Deps, asked: Asked, parsed: p.ShoutoutsOn) -> Reply:
    on = service.turn_on(deps, asked, parsed)
    return ephemeral(render.turned_on(on.cfg, on.first, on.members))


def shoutouts_off(deps: Deps, asked: Asked, parsed: p.ShoutoutsOff) -> Reply:
    service.turn_off(deps, asked)
    return ephemeral(render.TURNED_OFF)


def preview(deps: Deps, asked: Asked, parsed: p.ShoutoutsPreview) -> Reply:
    so_far = service.week_so_far(deps, asked)
    return render.preview(so_far.week, so_far.cfg, so_far.next_at)


def week_list(deps: Deps, asked: Asked, parsed: p.ShoutoutsList) -> Reply:
    return render.week_list(service.week_so_far(deps, asked).week)


def name_lead(deps: Deps, asked: Asked, parsed: p.NameLead) -> Reply:
    service.name_lead(deps, asked, parsed.user_id)
    return ephemeral(render.lead_named(user_id=parsed.user_id, channel_id=asked.channel_id))


def fairness(deps: Deps, asked: Asked, parsed: p.Fairness) -> Reply:
    service.set_fairness(deps, asked, parsed.on)
    return ephemeral(render.fairness_set(parsed.on))


# ``/bravo <verb> ...`` answered by another room: (deps, command, words after the verb, respond,
# client); each opens its modal at once when it has one (the trigger_id expires in 3 seconds).
ELSEWHERE: dict[str, Callable[..., None]] = {
    **workspace.BRAVO_WORDS,
    **privacy.BRAVO_WORDS,
    **ratings.BRAVO_WORDS,
}

ACTIONS: dict[type, Callable[[Deps, Asked, Any], Reply]] = {
    p.ShoutoutsOn: shoutouts_on,
    p.ShoutoutsOff: shoutouts_off,
    p.ShoutoutsPreview: preview,
    p.ShoutoutsList: week_list,
    p.NameLead: name_lead,
    p.Fairness: fairness,
    **celebrations.ACTIONS,
}


def register(app: App, deps: Deps) -> None:
    app.command(ids.COMMAND)(on_bravo)
    app.view(celebration_ids.IMPORT_CALLBACK)(celebrations.on_import)
