"""The Slack edge for learning: ``/learned`` and its subcommands, the lesson form, a lesson's
buttons (Post, Edit, Remove, This helped me), and the **Save as a lesson** message shortcut.
``/learned search`` and ``/learned course`` are handed on to their own modules.

Forms open at once (a trigger_id lasts 3 s); other work goes to the work queue, keyed by the
request (``bot.payload.request_key``) so a replay does nothing twice."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk.web import WebClient

from bot.commands import command_help
from bot.deps import Deps
from bot.errors import BravoError, error_text
from bot.learning import ids, render, saving, service
from bot.learning.errors import (
    BadLinkError,
    LessonNotFoundError,
    NotTeamChannelError,
    TooLongError,
    UnknownSkillError,
)
from bot.learning.parse import (
    Course,
    Form,
    FormMeta,
    LearnedHelp,
    Mine,
    Search,
    Share,
    lesson_id_of,
    message_of,
    meta_of,
    meta_text,
    parse_learned_command,
    post_target_of,
    submitted_of,
)
from bot.payload import request_key, team_of, user_of, view_key
from bot.work import Replayed
from handlers import learning_search, learning_training
from handlers.common import answering, deps_of, ephemeral, field_error, later, tell, telling

# /learned ---------------------------------------------------------------------------------------


def on_learned(
    ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext
) -> None:
    ack()
    deps = deps_of(context)
    with answering(respond):
        parsed = parse_learned_command(command.get("text") or "")
        if isinstance(parsed, LearnedHelp):
            respond(ephemeral(command_help(ids.LEARNED_COMMAND)))
        elif isinstance(parsed, Search):
            learning_search.on_search(deps, command, parsed, respond)
        elif isinstance(parsed, Course):
            learning_training.on_course(deps, command, parsed, respond, client)
        elif isinstance(parsed, Form):
            open_form(deps, command, client)
        elif isinstance(parsed, Share):
            later(deps, command, respond, lambda: share(deps, command, parsed, respond))
        elif isinstance(parsed, Mine):
            later(deps, command, respond, lambda: mine(deps, command, respond))


def open_form(deps: Deps, command: dict[str, Any], client: WebClient) -> None:
    team, user = command["team_id"], command["user_id"]
    channels = service.team_channels(deps, team, user)
    view = render.lesson_modal(
        skills=service.skills_of(deps, team),
        channels=channels.ids,
        names=channels.names,
        metadata=meta_text(FormMeta()),
    )
    client.views_open(trigger_id=command["trigger_id"], view=view)


def share(deps: Deps, command: dict[str, Any], parsed: Share, respond: Respond) -> None:
    with answering(respond):
        done = service.share(
            deps,
            team_id=command["team_id"],
            user_id=command["user_id"],
            asked=parsed,
            key=request_key(command),
        )
        reply = render.saved(done.lesson, done.channels.ids, done.channels.names, done.posted)
        respond({"response_type": "ephemeral", **reply})


def mine(deps: Deps, command: dict[str, Any], respond: Respond) -> None:
    team, user = command["team_id"], command["user_id"]
    with answering(respond):
        found = service.mine(deps, team_id=team, user_id=user)
        channels = service.team_channels(deps, team, user)
        shown = render.mine(found.lessons, user, found.saved_ids, channels.ids, channels.names)
        respond({"response_type": "ephemeral", **shown})


# The lesson form --------------------------------------------------------------------------------


def _field_of(err: BravoError) -> str:
    if isinstance(err, TooLongError) and err.what == "story":
        return ids.STORY_BLOCK
    if isinstance(err, BadLinkError):
        return ids.LINK_BLOCK
    if isinstance(err, UnknownSkillError):
        return ids.SKILL_BLOCK
    if isinstance(err, NotTeamChannelError):
        return ids.POST_BLOCK
    return ids.LEARNED_BLOCK


def on_lesson_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    """A new lesson, an edit, or a message saved: the form turns into what happened."""
    deps = deps_of(context)
    team, user, meta = team_of(body), user_of(body), meta_of(view)
    got, key = submitted_of(view), view_key(view, body)
    try:
        if meta.lesson_id is not None:
            done = service.edit(
                deps, team_id=team, user_id=user, lesson_id=meta.lesson_id, got=got, key=key
            )
            text = render.form_saved(done.lesson, done.posted, True).replace("Saved", "Changed", 1)
        elif meta.ts:
            kept = saving.save(deps, team_id=team, user_id=user, meta=meta, got=got, key=key)
            text = render.SAVED_MESSAGE if kept.fresh else render.SAVED_AGAIN
        else:
            made = service.create(deps, team_id=team, user_id=user, got=got, key=key)
            text = render.form_saved(made.lesson, made.posted, bool(made.channels.ids))
    except Replayed:
        ack()
        return
    except BravoError as err:
        field_error(ack, _field_of(err), err)
        return
    ack(response_action="update", view=render.done_modal(text))


# A lesson's buttons -----------------------------------------------------------------------------


def on_post(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    ack()
    deps = deps_of(context)
    later(deps, body, respond, lambda: post(deps, body, action, respond))


def post(deps: Deps, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
    with telling(respond):
        lesson_id, channel = post_target_of(action.get("value"))
        row = service.post(
            deps,
            team_id=team_of(body),
            user_id=user_of(body),
            lesson_id=lesson_id or 0,
            channel_id=channel,
            key=request_key(body),
        )
        tell(respond, render.posted_reply(row))


def on_edit(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    """Edit: the form, filled in, for the lesson's author."""
    ack()
    deps = deps_of(context)
    team, user = team_of(body), user_of(body)
    with telling(respond):
        lesson_id = lesson_id_of(action.get("value")) or 0
        row, channels = service.editable(deps, team_id=team, user_id=user, lesson_id=lesson_id)
        view = render.lesson_modal(
            skills=service.skills_of(deps, team),
            channels=channels.ids,
            names=channels.names,
            metadata=meta_text(FormMeta(lesson_id=lesson_id)),
            row=row,
        )
        client.views_open(trigger_id=body["trigger_id"], view=view)


def on_remove(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    """Remove: at once, unless others saved the author's lesson: then ask, saying how many."""
    ack()
    deps = deps_of(context)
    team, user = team_of(body), user_of(body)
    lesson_id = lesson_id_of(action.get("value")) or 0
    try:
        what = service.removal(deps, team_id=team, user_id=user, lesson_id=lesson_id)
    except LessonNotFoundError:
        what = None  # said by the removal itself (which a replay, done before, never reaches)
    if what is not None and what.whole and what.others:
        view = render.remove_confirm(what.lesson, what.others)
        client.views_open(trigger_id=body["trigger_id"], view=view)
        return
    later(deps, body, respond, lambda: remove(deps, body, lesson_id, respond))


def remove(deps: Deps, body: dict[str, Any], lesson_id: int, respond: Respond) -> None:
    with telling(respond):
        what = service.remove(
            deps,
            team_id=team_of(body),
            user_id=user_of(body),
            lesson_id=lesson_id,
            key=request_key(body),
        )
        tell(respond, render.removed(what.others) if what.whole else render.REMOVED_SAVE)


def on_remove_confirmed(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    deps = deps_of(context)
    lesson_id = lesson_id_of(view.get("private_metadata")) or 0
    try:
        what = service.remove(
            deps,
            team_id=team_of(body),
            user_id=user_of(body),
            lesson_id=lesson_id,
            key=view_key(view, body),
        )
    except Replayed:
        ack()
        return
    except BravoError as err:
        ack(response_action="update", view=render.done_modal(error_text(err)))
        return
    ack(response_action="update", view=render.done_modal(render.removed(what.others)))


def on_helped(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    ack()
    deps = deps_of(context)
    later(deps, body, respond, lambda: helped(deps, body, action, respond))


def helped(deps: Deps, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
    with telling(respond):
        done = service.helped(
            deps,
            team_id=team_of(body),
            user_id=user_of(body),
            lesson_id=lesson_id_of(action.get("value")) or 0,
            key=request_key(body),
        )
        words = render.helped_reply(
            done.lesson, fresh=done.fresh, thanked=done.thanked, why_not=done.why_not
        )
        tell(respond, words)


# Save as a lesson -------------------------------------------------------------------------------


def on_save_shortcut(
    ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    """The form, filled in with the message (or why it can't be a lesson)."""
    ack()
    deps = deps_of(context)
    team = team_of(body)
    with telling(respond):
        ready = saving.prefill(deps, user_id=user_of(body), msg=message_of(body))
        note = f"A lesson credited to <@{ready.meta.author}>, from their message." + (
            f" It was longer than {ids.MAX_LEARNED:,} characters: trimmed." if ready.trimmed else ""
        )
        row = service.draft(team, ready.meta.author or "", ready.learned)
        view = render.lesson_modal(
            skills=service.skills_of(deps, team),
            channels=(),
            names={},
            metadata=meta_text(ready.meta),
            row=row,
            note=note,
        )
        client.views_open(trigger_id=body["trigger_id"], view=view)


def register(app: App, deps: Deps) -> None:
    app.command(ids.LEARNED_COMMAND)(on_learned)
    app.view(ids.LESSON_MODAL)(on_lesson_modal)
    app.view(ids.REMOVE_CONFIRM_MODAL)(on_remove_confirmed)
    app.action(ids.POST_LESSON)(on_post)
    app.action(ids.EDIT_LESSON)(on_edit)
    app.action(ids.REMOVE_LESSON)(on_remove)
    app.action(ids.HELPED)(on_helped)
    app.shortcut(ids.SAVE_SHORTCUT)(on_save_shortcut)
    learning_search.register(app, deps)
    learning_training.register(app, deps)
